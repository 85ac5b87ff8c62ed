"""The outbox with the real adapters over HTTP, faults set on the sandbox servers: every fault
kind on every write endpoint ends with the post on the server exactly once (counted there), or
FAILED with its reason and the job kept; crashes, partial failures, rate limits, give-ups."""

from __future__ import annotations

import contextlib
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from paris_desk.channels import bluesky
from paris_desk.channels.mastodon import MastodonChannel, account_from_token
from paris_desk.core.channel import Channel
from paris_desk.core.errors import Unreachable
from paris_desk.core.model import Account, Network, PostRequest, PreparedMedia
from paris_desk.sandbox.corpus import png_image
from paris_desk.sandbox.http import Fault
from paris_desk.services import outbox as outbox_module
from paris_desk.services.outbox import OutboxService, RetryPolicy
from paris_desk.store.db import Database
from paris_desk.store.outbox import Job, JobState, OutboxStore

POST = "app.bsky.feed.post"
READ_TIMEOUT = 0.5  # seconds; the "hang" fault holds the request longer
HANG = 1.0
HANG_GUARD_S = 30.0  # seconds: only stops a hung test, never reached when all is well
FAST = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05, max_rate_limit_wait=5.0)
IMAGE = PreparedMedia(
    png_image(32, 24, seed=5), "image/png", "Affiche : fête de quartier", 32, 24, "affiche.png"
)
KINDS = ("500", "503", "429", "hang", "drop_after_commit", "drop_before")
ENDPOINTS = {
    "mastodon:statuses": r"^/api/v1/statuses$",
    "mastodon:media": r"^/api/v2/media$",
    "bluesky:createRecord": r"com\.atproto\.repo\.createRecord$",
    "bluesky:uploadBlob": r"com\.atproto\.repo\.uploadBlob$",
}


@dataclass
class Rig:
    """Two accounts on each sandbox, their channels (short timeouts), one outbox database."""

    path: Path
    masto: Any
    bsky: Any
    accounts: dict[str, Account] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)
    dbs: list[Database] = field(default_factory=list)

    def connect(self, read_timeout: float = READ_TIMEOUT) -> None:
        """(Re)build every account's channel with this read timeout."""
        for account in self.accounts.values():
            secret = self.secrets[account.id]
            self.channels[account.id] = (
                MastodonChannel(account, secret, timeout=(2.0, read_timeout))
                if account.network is Network.MASTODON
                else bluesky.restore(account, secret, lambda s: None, timeout=read_timeout)
            )

    def service(self, policy: RetryPolicy = FAST) -> OutboxService:
        """A new OutboxService on the same database file (a new process, after a crash)."""
        db = Database(self.path)
        self.dbs.append(db)
        return OutboxService(OutboxStore(db), self.channels.__getitem__, policy)

    def account(self, network: str, n: int = 0) -> Account:
        return [a for a in self.accounts.values() if a.network.value == network][n]

    def server(self, account: Account) -> Any:
        return self.masto if account.network is Network.MASTODON else self.bsky

    def copies(self, account: Account, marker: str) -> list[dict[str, Any]]:
        """The posts carrying ``marker`` stored on the account's server, oldest first."""
        if account.network is Network.MASTODON:
            mine = self.masto.statuses_by(account.handle.split("@")[1])
            return [s for s in reversed(mine) if marker in s["content"]]
        records = self.bsky.records(account.user_id, POST)
        return [{"rkey": k, **v} for k, v in sorted(records.items()) if marker in v["text"]]

    def hits(self, account: Account, fault: str) -> int:
        """Requests the server failed with ``fault``. A hung request is logged when the server
        gives up on it (``HANG``), after the client's retry: wait for that line."""
        server = self.server(account)
        deadline = time.monotonic() + (HANG_GUARD_S if fault == "hang" else 0)
        while True:
            count = sum(1 for r in server.requests if r.fault == fault)
            if count or time.monotonic() >= deadline:
                return count
            time.sleep(0.05)


@pytest.fixture
def rig(tmp_path: Path, mastodon_sandbox: Any, bluesky_sandbox: Any) -> Iterator[Rig]:
    r = Rig(tmp_path / "outbox.sqlite3", mastodon_sandbox, bluesky_sandbox)
    for entry in mastodon_sandbox.accounts[:2]:
        token = entry["access_token"]
        account = account_from_token(mastodon_sandbox.base_url, token)
        r.accounts[account.id] = account
        r.secrets[account.id] = token
    for entry in bluesky_sandbox.accounts[:2]:
        account, secret = bluesky.login(
            entry["handle"], entry["password"], service=bluesky_sandbox.base_url
        )
        r.accounts[account.id] = account
        r.secrets[account.id] = secret
    r.connect()
    yield r
    for db in r.dbs:
        db.close()


def marked(text: str = "Fête de quartier samedi place des Vosges") -> tuple[str, str]:
    marker = f"m{uuid.uuid4().hex[:10]}"
    return marker, f"{text} #{marker}"


def one_job(service: OutboxService, account: Account, request: PostRequest) -> Job:
    (job,) = service.publish(uuid.uuid4().hex, [(account, [request])])
    return job


class SleepLog:
    """Stands for the ``time`` module in paris_desk.services.outbox: records every sleep."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        time.sleep(seconds)

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


@pytest.fixture
def outbox_sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The seconds the outbox slept (waiting out a back-off), one entry per sleep."""
    log = SleepLog()
    monkeypatch.setattr(outbox_module, "time", log)
    return log.sleeps


def posts_to(server: Any, endpoint: str) -> list[Any]:
    """The server's log of POSTs to ``endpoint`` (a key of ENDPOINTS)."""
    pattern = re.compile(ENDPOINTS[endpoint])
    return [r for r in server.requests if r.method == "POST" and pattern.search(r.path)]


# -- every fault kind on every write endpoint ---------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_one_fault_then_the_post_exists_exactly_once(rig: Rig, endpoint: str, kind: str) -> None:
    account = rig.account(endpoint.split(":")[0])
    server = rig.server(account)
    server.add_fault(
        Fault(kind, method="POST", path=ENDPOINTS[endpoint], retry_after=0, hang_seconds=HANG)
    )
    marker, text = marked()
    service = rig.service()
    job = one_job(service, account, PostRequest(text, media=(IMAGE,)))

    service.drain(timeout=10)

    done = service.store.get(job.id)
    assert rig.hits(account, kind) == 1  # the fault did happen
    assert done.state is JobState.SENT
    assert done.attempts <= 2  # (the Bluesky adapter may find its record within attempt 1)
    copies = rig.copies(account, marker)
    assert len(copies) == 1
    if account.network is Network.BLUESKY:
        assert copies[0]["rkey"] == job.idempotency_key
        assert done.result_uri.endswith(f"/{POST}/{job.idempotency_key}")
    else:
        assert done.result_uri == copies[0]["uri"]
        assert len(copies[0]["media_attachments"]) == 1


def test_a_rejection_fails_at_once_and_keeps_the_job(rig: Rig) -> None:
    masto, bsky = rig.account("mastodon"), rig.account("bluesky")
    rig.bsky.blob_upload_limit = 10  # the PDS answers 413 PayloadTooLarge
    marker, text = marked()
    service = rig.service()
    too_long = one_job(service, masto, PostRequest(text + " " + "é" * 520))
    too_big = one_job(service, bsky, PostRequest(text, media=(IMAGE,)))

    service.drain(timeout=10)

    for job, account in ((too_long, masto), (too_big, bsky)):
        failed = service.store.get(job.id)
        assert (failed.state, failed.error_kind, failed.attempts) == (
            JobState.FAILED,
            "Rejected",
            1,
        )
        assert failed.last_error  # the server's reason, for the user
        assert failed.request.text == job.request.text  # the draft is kept…
        assert failed.request.media == job.request.media
        assert rig.copies(account, marker) == []  # …and nothing was published
    assert "500" in service.store.get(too_long.id).last_error  # Mastodon's character limit


# -- crash, recovery, concurrency ---------------------------------------------------------------


@pytest.mark.parametrize("network", ["mastodon", "bluesky"])
def test_a_crash_after_the_server_committed_is_recovered_without_a_second_post(
    rig: Rig, network: str
) -> None:
    account = rig.account(network)
    server = rig.server(account)
    marker, text = marked()
    before = rig.service()
    job = one_job(before, account, PostRequest(text, media=(IMAGE,)))
    claimed = before.store.claim(job.id)
    assert claimed is not None
    path = ENDPOINTS["mastodon:statuses" if network == "mastodon" else "bluesky:createRecord"]
    server.add_fault(Fault("drop_after_commit", method="POST", path=path))
    # The reply is lost (the Bluesky adapter finds its record itself), then the app dies
    # before recording anything: the row stays SENDING.
    with contextlib.suppress(Unreachable):
        rig.channels[account.id].post(claimed.request)
    assert rig.hits(account, "drop_after_commit") == 1
    assert len(rig.copies(account, marker)) == 1
    if network == "mastodon":
        server.advance_time(2 * 3600)  # the Idempotency-Key has expired: only the probe helps

    after = rig.service()  # a new process on the same database
    assert after.recover(stale_after=60) == []  # a fresh lock may be a live send elsewhere
    assert after.recover(stale_after=0) == [job.id]
    after.drain(timeout=10)

    done = after.store.get(job.id)
    assert (done.state, done.attempts) == (JobState.SENT, 2)
    copies = rig.copies(account, marker)
    assert len(copies) == 1
    assert done.result_uri == (
        copies[0]["uri"]
        if network == "mastodon"
        else f"at://{account.user_id}/{POST}/{job.idempotency_key}"
    )


def test_two_processes_draining_one_outbox_send_each_post_once(rig: Rig) -> None:
    marker, text = marked()
    first, second = rig.service(), rig.service()
    targets = [(a, [PostRequest(text)]) for a in rig.accounts.values()]
    jobs = first.publish("b", targets) + first.publish("c", targets)
    rig.masto.latency_ms = rig.bsky.latency_ms = 20

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        for f in [pool.submit(s.drain, 10) for s in (first, second)]:
            f.result()

    assert {first.store.get(j.id).state for j in jobs} == {JobState.SENT}
    for account in rig.accounts.values():
        assert len(rig.copies(account, marker)) == 2  # one per batch, never more


# -- partial failure, rate limits, giving up ----------------------------------------------------


def test_one_target_of_three_failing_is_kept_and_retried_alone(rig: Rig) -> None:
    targets = [rig.account("mastodon", 0), rig.account("mastodon", 1), rig.account("bluesky")]
    rig.bsky.add_fault(
        Fault("500", method="POST", path=ENDPOINTS["bluesky:createRecord"], count=None)
    )
    marker, text = marked()
    service = rig.service()
    jobs = service.publish("b", [(a, [PostRequest(text, media=(IMAGE,))]) for a in targets])

    service.drain(timeout=10)

    states = {j.account_id: j.state for j in service.jobs("b")}
    assert states == {
        targets[0].id: JobState.SENT,
        targets[1].id: JobState.SENT,
        targets[2].id: JobState.FAILED,
    }
    failed = next(j for j in service.jobs("b") if j.state is JobState.FAILED)
    assert failed.last_error == "gave up after 4 attempts: InternalServerError"
    assert failed.request.media == (IMAGE,)  # the draft is kept for "Réessayer"
    masto_posts = sum(1 for r in rig.masto.requests if r.path == "/api/v1/statuses")

    rig.bsky.clear_faults()
    assert service.retry(failed.id)
    retried = service.drain(timeout=10)

    assert [j.id for j in retried] == [failed.id]
    assert service.store.get(failed.id).state is JobState.SENT
    assert sum(1 for r in rig.masto.requests if r.path == "/api/v1/statuses") == masto_posts
    for account in targets:
        assert len(rig.copies(account, marker)) == 1
    assert {j.id for j in jobs} == {j.id for j in service.jobs("b")}


@pytest.mark.parametrize(
    ("network", "endpoint"),
    [("mastodon", "mastodon:statuses"), ("bluesky", "bluesky:createRecord")],
)
def test_429_waits_for_the_servers_retry_after(
    rig: Rig, network: str, endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = rig.account(network)
    server = rig.server(account)
    server.add_fault(Fault("429", method="POST", path=ENDPOINTS[endpoint], retry_after=2))
    allowed_from: list[float] = []  # when the server said a retry would be welcome
    answer_429 = server.fault_response

    def announcing(fault: Fault) -> Any:
        asked_at = time.time()
        response = answer_429(fault)
        reset = response.headers.get("X-RateLimit-Reset")  # Mastodon: a moment, in ISO 8601
        allowed_from.append(datetime.fromisoformat(reset).timestamp() if reset else
                            asked_at + float(response.headers["Retry-After"]))  # Bluesky
        return response

    monkeypatch.setattr(server, "fault_response", announcing)
    marker, text = marked()
    service = rig.service()
    job = one_job(service, account, PostRequest(text))

    service.drain(timeout=10)

    assert service.store.get(job.id).state is JobState.SENT
    posts = posts_to(server, endpoint)
    assert [r.status for r in posts] == [429, 200]
    # The retry reached the server once the time it announced had come, not after the
    # back-off (FAST: within 50 ms), whatever the machine's load.
    assert posts[1].at >= allowed_from[0]
    assert len(rig.copies(account, marker)) == 1


def test_a_rate_limit_longer_than_we_wait_fails_with_its_reason(
    rig: Rig, outbox_sleeps: list[float]
) -> None:
    account = rig.account("bluesky")
    rig.bsky.add_fault(
        Fault("429", method="POST", path=ENDPOINTS["bluesky:createRecord"], retry_after=3600)
    )
    service = rig.service()
    job = one_job(service, account, PostRequest(marked()[1]))

    service.drain(timeout=10)

    failed = service.store.get(job.id)
    assert (failed.state, failed.error_kind, failed.attempts) == (JobState.FAILED, "RateLimited", 1)
    assert outbox_sleeps == []  # failed at once: no waiting for any part of the hour
    assert [r.status for r in posts_to(rig.bsky, "bluesky:createRecord")] == [429]
    assert failed.last_error.startswith("rate limited for 3600 s, longer than the 5 s we wait")


@pytest.mark.parametrize("network", ["mastodon", "bluesky"])
def test_giving_up_after_the_bound_with_a_clear_reason(rig: Rig, network: str) -> None:
    account = rig.account(network)
    server = rig.server(account)
    endpoint = ENDPOINTS["mastodon:statuses" if network == "mastodon" else "bluesky:createRecord"]
    server.add_fault(Fault("503", method="POST", path=endpoint, count=None))
    marker, text = marked()
    service = rig.service()
    job = one_job(service, account, PostRequest(text))

    service.drain(timeout=10)

    failed = service.store.get(job.id)
    assert (failed.state, failed.error_kind, failed.attempts) == (
        JobState.FAILED,
        "ServerError",
        FAST.max_attempts,
    )
    assert failed.last_error.startswith(f"gave up after {FAST.max_attempts} attempts: ")
    assert rig.hits(account, "503") == FAST.max_attempts
    assert rig.copies(account, marker) == []

    server.clear_faults()
    service.retry(job.id)
    service.drain(timeout=10)
    assert service.store.get(job.id).state is JobState.SENT
    assert len(rig.copies(account, marker)) == 1


# -- threads ------------------------------------------------------------------------------------


def test_a_thread_in_three_parts_is_a_reply_chain_on_both_networks(rig: Rig) -> None:
    masto, bsky = rig.account("mastodon"), rig.account("bluesky")
    marker = f"m{uuid.uuid4().hex[:10]}"
    parts = [PostRequest(f"Travaux rue de Rivoli, {i}/3 #{marker}") for i in (1, 2, 3)]
    for server, path in (
        (rig.masto, ENDPOINTS["mastodon:statuses"]),
        (rig.bsky, ENDPOINTS["bluesky:createRecord"]),
    ):
        server.add_fault(Fault("drop_after_commit", method="POST", path=path))
    service = rig.service()
    service.publish("thread", [(masto, parts), (bsky, parts)])

    service.drain(timeout=10)

    assert {j.state for j in service.jobs("thread")} == {JobState.SENT}
    statuses = rig.copies(masto, marker)
    assert [s["content"].count(f"{i}/3") for i, s in enumerate(statuses, 1)] == [1, 1, 1]
    assert statuses[0]["in_reply_to_id"] is None
    assert [s["in_reply_to_id"] for s in statuses[1:]] == [s["id"] for s in statuses[:2]]
    records = rig.copies(bsky, marker)
    assert [r["text"][:28] for r in records] == [p.text[:28] for p in parts]
    uris = [f"at://{bsky.user_id}/{POST}/{r['rkey']}" for r in records]
    assert "reply" not in records[0]
    for i in (1, 2):
        assert records[i]["reply"]["parent"]["uri"] == uris[i - 1]
        assert records[i]["reply"]["root"]["uri"] == uris[0]


def test_a_rejected_first_part_blocks_the_rest_without_spinning(
    rig: Rig, outbox_sleeps: list[float]
) -> None:
    masto = rig.account("mastodon")
    marker = f"m{uuid.uuid4().hex[:10]}"
    parts = [PostRequest(f"#{marker} " + "trop long " * 60), PostRequest(f"#{marker} 2/2")]
    service = rig.service()
    head, tail = service.publish("t", [(masto, parts)])
    looked = 0
    waiting = service.store.waiting

    def counted() -> list[tuple[int, int]]:
        nonlocal looked
        looked += 1
        return waiting()

    service.store.waiting = counted  # type: ignore[method-assign]

    service.drain(timeout=5)

    # Stops at once, nothing left it could send: no sleep, no polling until the deadline
    # (one look to start the head, one to find nothing runnable; spinning makes thousands).
    assert outbox_sleeps == [] and looked <= 3, (outbox_sleeps, looked)
    assert service.store.get(head.id).state is JobState.FAILED
    assert service.store.get(tail.id).state is JobState.PENDING  # waits for its head
    assert rig.copies(masto, marker) == []
    assert service.cancel(head.id)
    assert service.store.get(tail.id).state is JobState.CANCELLED


# -- scheduling -----------------------------------------------------------------------------------


def test_targets_are_sent_in_parallel(rig: Rig, request_gate: Any) -> None:
    rig.connect(read_timeout=30)  # the gate below may hold a request up to its 10 s guard
    service = rig.service()
    accounts = list(rig.accounts.values())
    marker, text = marked()
    service.publish(marker, [(a, [PostRequest(text, media=(IMAGE,))]) for a in accounts])

    # Each upload (an image post's first request) is held until all four are on the servers
    # at once: sent one after the other, the first would wait alone until the guard.
    with request_gate(rig.masto, rig.bsky, method="POST",
                      path=ENDPOINTS["mastodon:media"] + "|" + ENDPOINTS["bluesky:uploadBlob"],
                      together=len(accounts), guard=10) as gate:
        service.drain(timeout=HANG_GUARD_S)

    assert {j.state for j in service.jobs(marker)} == {JobState.SENT}
    assert (gate.seen, gate.peak) == (4, 4), "the four targets were not sent in parallel"


def test_run_due_does_not_wait_for_a_back_off(rig: Rig, outbox_sleeps: list[float]) -> None:
    account = rig.account("bluesky")
    rig.bsky.add_fault(Fault("503", method="POST", path=ENDPOINTS["bluesky:createRecord"]))
    service = rig.service(RetryPolicy(base_delay=30.0))
    job = one_job(service, account, PostRequest(marked()[1]))

    attempted = service.run_due()

    assert [(j.id, j.state, j.error_kind) for j in attempted] == [
        (job.id, JobState.PENDING, "ServerError")
    ]
    assert attempted[0].not_before_us > job.not_before_us
    assert outbox_sleeps == []  # returned without waiting out the back-off…
    assert [r.status for r in posts_to(rig.bsky, "bluesky:createRecord")] == [503]  # …or retrying


def test_drain_starts_no_attempt_after_its_timeout(
    rig: Rig, outbox_sleeps: list[float]
) -> None:
    account = rig.account("mastodon")
    rig.masto.add_fault(Fault("500", method="POST", path=ENDPOINTS["mastodon:statuses"]))
    service = rig.service(RetryPolicy(base_delay=4.0))
    job = one_job(service, account, PostRequest(marked()[1]))

    service.drain(timeout=1.0)

    waiting = service.store.get(job.id)
    assert (waiting.state, waiting.attempts) == (JobState.PENDING, 1)
    # The back-off (2 to 4 s) ends after the deadline: drain neither waited for it nor retried.
    assert outbox_sleeps == []
    assert [r.status for r in posts_to(rig.masto, "mastodon:statuses")] == [500]
    assert service.give_up_unsent(waiting.batch_id, "not sent within 1 s")
    failed = service.store.get(job.id)
    assert failed.state is JobState.FAILED
    assert failed.last_error == "not sent within 1 s (last error: server error 500)"
