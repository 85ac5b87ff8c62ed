"""Outbox truths (issue #11), with the real adapters over HTTP to the sandboxes: two jobs with
the same text each get their own post; faults on the probe's own reads never make a duplicate
or a loss; a caller follows its own batch, and a job another process is sending is waited for,
never reported failed (and taken back when that process dies)."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from paris_desk.channels import bluesky
from paris_desk.channels.mastodon import MastodonChannel, account_from_token
from paris_desk.core.channel import Channel
from paris_desk.core.model import Account, Author, Network, Post, PostRequest
from paris_desk.sandbox.http import Fault
from paris_desk.services.outbox import OutboxService, RetryPolicy
from paris_desk.store import owner
from paris_desk.store.db import Database
from paris_desk.store.outbox import JobState, OutboxStore

POST = "app.bsky.feed.post"
READ_TIMEOUT = 0.5  # seconds; a "hang" fault holds the request longer
HANG_GUARD_S = 30.0
POLICY = RetryPolicy(max_attempts=6, base_delay=0.01, max_delay=0.05, max_rate_limit_wait=5.0)
PROBE = {  # the reads find_sent makes
    Network.MASTODON: r"^/api/v1/accounts/\d+/statuses$",
    Network.BLUESKY: r"com\.atproto\.repo\.getRecord$",
}
WRITE = {
    Network.MASTODON: r"^/api/v1/statuses$",
    Network.BLUESKY: r"com\.atproto\.repo\.createRecord$",
}


@dataclass
class Lab:
    masto: Any
    bsky: Any
    path: Path
    accounts: dict[Network, Account] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    dbs: list[Database] = field(default_factory=list)

    def service(self) -> OutboxService:
        db = Database(self.path)
        self.dbs.append(db)
        return OutboxService(OutboxStore(db), self.channels.__getitem__, POLICY)

    def server(self, network: Network) -> Any:
        return self.masto if network is Network.MASTODON else self.bsky

    def copies(self, network: Network, marker: str) -> list[str]:
        """The uris of the posts carrying ``marker`` on the account's server."""
        account = self.accounts[network]
        if network is Network.MASTODON:
            mine = self.masto.statuses_by(account.handle.split("@")[1])
            return [s["uri"] for s in mine if marker in s["content"]]
        records = self.bsky.records(account.user_id, POST)
        return [f"at://{account.user_id}/{POST}/{k}" for k, v in records.items()
                if marker in v["text"]]  # fmt: skip


@pytest.fixture
def lab(tmp_path: Path, mastodon_sandbox: Any, bluesky_sandbox: Any) -> Iterator[Lab]:
    lab = Lab(mastodon_sandbox, bluesky_sandbox, tmp_path / "outbox.sqlite3")
    token = mastodon_sandbox.accounts[0]["access_token"]
    masto = account_from_token(mastodon_sandbox.base_url, token)
    lab.accounts[Network.MASTODON] = masto
    lab.channels[masto.id] = MastodonChannel(masto, token, timeout=(2.0, READ_TIMEOUT))
    entry = bluesky_sandbox.accounts[0]
    blue, secret = bluesky.login(entry["handle"], entry["password"],
                                 service=bluesky_sandbox.base_url)  # fmt: skip
    lab.accounts[Network.BLUESKY] = blue
    lab.channels[blue.id] = bluesky.restore(blue, secret, lambda s: None, timeout=READ_TIMEOUT)
    yield lab
    for db in lab.dbs:
        db.close()


def marker() -> str:
    return f"m{uuid.uuid4().hex[:10]}"


@pytest.mark.parametrize("network", [Network.MASTODON, Network.BLUESKY])
def test_two_jobs_with_the_same_text_each_get_their_own_post(lab: Lab, network: Network) -> None:
    service = lab.service()
    account = lab.accounts[network]
    text = f"Collecte des sapins lundi #{marker()}"
    (first,) = service.publish("a", [(account, [PostRequest(text)])])
    assert service.run_batch("a", HANG_GUARD_S)[0].state is JobState.SENT
    lab.server(network).add_fault(Fault("drop_after_commit", method="POST", path=WRITE[network]))
    service.publish("b", [(account, [PostRequest(text)])])

    (done,) = service.run_batch("b", HANG_GUARD_S)

    first = service.store.get(first.id)
    assert done.state is JobState.SENT
    if network is Network.MASTODON:  # the answer was lost: the next attempt probed
        assert done.attempts > 1
    assert done.result_uri != first.result_uri
    assert done.result_url != first.result_url
    assert sorted(lab.copies(network, text.split("#")[1])) == sorted(
        [first.result_uri, done.result_uri]
    )


@pytest.mark.parametrize("network", [Network.MASTODON, Network.BLUESKY])
@pytest.mark.parametrize("probe_fault", ["500", "503", "hang", "drop_before"])
def test_faults_on_the_probes_reads_make_no_duplicate_and_no_loss(
    lab: Lab, network: Network, probe_fault: str
) -> None:
    service = lab.service()
    server = lab.server(network)
    tag = marker()
    server.add_fault(Fault("drop_after_commit", method="POST", path=WRITE[network]))
    server.add_fault(
        Fault(probe_fault, method="GET", path=PROBE[network], count=2, hang_seconds=1.0)
    )
    service.publish("p", [(lab.accounts[network], [PostRequest(f"Vide-grenier {tag}")])])

    (done,) = service.run_batch("p", HANG_GUARD_S)

    assert done.state is JobState.SENT, done.last_error
    assert lab.copies(network, tag) == [done.result_uri]
    assert probe_faults(server, PROBE[network], probe_fault) >= 1


def probe_faults(server: Any, path: str, fault: str) -> int:
    """Probe reads the server failed with ``fault`` (a hung one is logged when the server
    drops it: wait for that line, ``HANG_GUARD_S`` at most)."""
    deadline = time.monotonic() + HANG_GUARD_S
    while True:
        count = sum(1 for r in server.requests if r.fault == fault and re.search(path, r.path))
        if count or time.monotonic() > deadline:
            return count
        time.sleep(0.05)


def other_process() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def lock_as(store: OutboxStore, job_id: int, process: subprocess.Popen[bytes]) -> None:
    """Make ``job_id`` SENDING under ``process``'s name, as if it had claimed it."""
    assert store.claim(job_id) is not None
    mark = owner.start_mark(process.pid)
    store.db.execute(
        "UPDATE outbox_jobs SET lock_pid = ?, lock_start = ? WHERE id = ?",
        (process.pid, mark, job_id),
    )


def test_a_job_another_live_process_sends_is_waited_for_never_failed(lab: Lab) -> None:
    service = lab.service()
    account = lab.accounts[Network.BLUESKY]
    (job,) = service.publish("mine", [(account, [PostRequest(f"Concert {marker()}")])])
    sender = other_process()
    try:
        lock_as(service.store, job.id, sender)
        post = Post(uri=f"at://{account.user_id}/{POST}/{job.idempotency_key}", native_id="x",
                    network=Network.BLUESKY, author=Author(handle=account.handle),
                    created_at=datetime.now(UTC), url="https://bsky.app/x")  # fmt: skip
        # The other process finishes while (or before) this one follows the batch.
        finish = threading.Thread(target=lab.service().store.mark_sent, args=(job.id, post))
        finish.start()
        (done,) = service.run_batch("mine", timeout=0)
        finish.join(HANG_GUARD_S)
    finally:
        sender.kill()
        sender.wait(HANG_GUARD_S)

    assert (done.state, done.result_uri) == (JobState.SENT, post.uri)
    assert not any(r.path.endswith("createRecord") for r in lab.bsky.requests)  # not sent here


def test_a_job_whose_sender_died_is_taken_back_and_sent_once(lab: Lab) -> None:
    service = lab.service()
    account = lab.accounts[Network.MASTODON]
    tag = marker()
    (job,) = service.publish("mine", [(account, [PostRequest(f"Brocante {tag}")])])
    sender = other_process()
    lock_as(service.store, job.id, sender)
    sender.kill()
    sender.wait(HANG_GUARD_S)

    (done,) = service.run_batch("mine", timeout=0)

    assert done.state is JobState.SENT
    assert lab.copies(Network.MASTODON, tag) == [done.result_uri]


def test_a_job_whose_last_allowed_attempt_lost_its_answer_is_found_not_failed(lab: Lab) -> None:
    one_try = RetryPolicy(max_attempts=1, base_delay=0.01, max_delay=0.05)
    service = OutboxService(lab.service().store, lab.channels.__getitem__, one_try)
    tag = marker()
    lab.masto.add_fault(Fault("drop_after_commit", method="POST", path=WRITE[Network.MASTODON]))
    lab.masto.add_fault(Fault("503", method="GET", path=PROBE[Network.MASTODON]))
    account = lab.accounts[Network.MASTODON]
    service.publish("last", [(account, [PostRequest(f"Feu d'artifice {tag}")])])

    (done,) = service.run_batch("last", timeout=0)

    assert (done.state, done.attempts) == (JobState.SENT, 1)  # the post is there: not "failed"
    assert lab.copies(Network.MASTODON, tag) == [done.result_uri]


def test_a_probe_waits_while_a_job_with_the_same_text_is_in_flight(lab: Lab) -> None:
    service = lab.service()
    account = lab.accounts[Network.MASTODON]
    text = f"Déneigement {marker()}"
    (busy,) = service.publish("a", [(account, [PostRequest(text)])])
    (probing,) = service.publish("b", [(account, [PostRequest(text)])])
    service.store.db.execute(
        "UPDATE outbox_jobs SET error_kind = 'Unreachable' WHERE id = ?", (probing.id,)
    )  # it failed once: its next attempt probes
    sender = other_process()
    try:
        lock_as(service.store, busy.id, sender)
        after = service.send(probing.id)
    finally:
        sender.kill()
        sender.wait(HANG_GUARD_S)

    assert after is not None
    assert (after.state, after.attempts) == (JobState.PENDING, 0)  # not attempted, not counted
    assert after.not_before_us > 0
    assert not any(r.path.endswith("/statuses") for r in lab.masto.requests)  # no probe, no post


def test_a_caller_following_its_batch_announces_every_job_it_sent(lab: Lab) -> None:
    """An answer from the inbox (``run_batch``) also sends the other jobs then due (a composer
    post whose retry came up): it returns its own, and tells ``on_sent`` of both."""
    service = lab.service()
    told: list[list[int]] = []
    service.on_sent = lambda jobs: told.append([job.id for job in jobs])
    account = lab.accounts[Network.MASTODON]
    (other,) = service.publish("other", [(account, [PostRequest(f"Avis #{marker()}")])])
    (mine,) = service.publish("mine", [(account, [PostRequest(f"Reponse #{marker()}")])])

    (done,) = service.run_batch("mine", HANG_GUARD_S)

    assert done.id == mine.id and done.state is JobState.SENT
    assert service.get(other.id).state is JobState.SENT
    assert sorted(job_id for ids in told for job_id in ids) == [other.id, mine.id]
