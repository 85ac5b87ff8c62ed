"""The outbox across real ``paris-desk`` processes (issue #11's fault matrix): ``kill -9`` in
the middle of a post then ``outbox run``; three posts at once; the same text twice with a lost
answer. Each command runs as its own process on one profile and one keychain file; the
sandboxes run in this process, and the copies are counted on them."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring
import pytest
from file_keyring import ENV, FileKeyring

from paris_desk.cli.main import main
from paris_desk.sandbox.http import Fault
from paris_desk.store.db import Database
from paris_desk.store.outbox import JobState, OutboxStore
from paris_desk.store.profile import Profile

POST = "app.bsky.feed.post"
HANG_GUARD_S = 120.0  # seconds: only stops a hung process, never reached when all is well


@dataclass
class Desk:
    """One profile with a Mastodon and a Bluesky account, usable by child processes."""

    env: dict[str, str]
    masto: Any
    bsky: Any
    masto_id: str
    bsky_id: str

    def start(self, *argv: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "paris_desk", *argv], env=self.env, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip

    def run(self, *argv: str) -> tuple[int, str, str]:
        process = self.start(*argv)
        out, err = process.communicate(timeout=HANG_GUARD_S)
        return process.returncode, out, err

    def copies(self, needle: str) -> dict[str, list[str]]:
        """The uris of the posts containing ``needle``, on each account's server."""
        masto = [s["uri"] for s in self.masto.statuses_by(self.masto.accounts[0]["acct"])
                 if needle in s["content"]]  # fmt: skip
        did = self.bsky.accounts[0]["did"]
        bsky = [f"at://{did}/{POST}/{rkey}" for rkey, r in self.bsky.records(did, POST).items()
                if needle in r["text"]]  # fmt: skip
        return {self.masto_id: sorted(masto), self.bsky_id: sorted(bsky)}


@pytest.fixture
def desk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mastodon_sandbox: Any, bluesky_sandbox: Any
) -> Iterator[Desk]:
    monkeypatch.setenv(ENV, str(tmp_path / "keychain.json"))
    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring())
    masto, blue = mastodon_sandbox.accounts[0], bluesky_sandbox.accounts[0]
    adds = [
        (["account", "add", "mastodon", "--instance", mastodon_sandbox.base_url,
          "--token-stdin"], masto["access_token"]),
        (["account", "add", "bluesky", "--handle", blue["handle"], "--service",
          bluesky_sandbox.base_url, "--password-stdin"], blue["password"]),
    ]  # fmt: skip
    for argv, secret in adds:
        monkeypatch.setattr("sys.stdin", io.StringIO(secret + "\n"))
        assert main(argv) == 0
    here = str(Path(__file__).parent)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([here, os.environ.get("PYTHONPATH", "")]),
        "PYTHON_KEYRING_BACKEND": "file_keyring.FileKeyring",
    }
    masto_id = f"mastodon:@{masto['acct']}@{mastodon_sandbox.base_url.split('://')[1]}"
    yield Desk(env, mastodon_sandbox, bluesky_sandbox, masto_id, f"bluesky:{blue['handle']}")
    keyring.set_keyring(previous)


def outbox() -> OutboxStore:
    return OutboxStore(Database(Profile.default().db_path))


def wait_until_sending(needle: str, count: int) -> None:
    """Until ``count`` jobs whose text contains ``needle`` are SENDING (claimed by a child)."""
    store = outbox()
    deadline = time.monotonic() + HANG_GUARD_S
    try:
        while time.monotonic() < deadline:
            sending = [j for j in store.jobs(state=JobState.SENDING) if needle in j.request.text]
            if len(sending) >= count:
                return
            time.sleep(0.02)
        raise AssertionError("the post never started sending")
    finally:
        store.db.close()


def test_kill_9_in_the_middle_of_a_post_then_outbox_run_gives_one_copy(desk: Desk) -> None:
    tag = f"k{uuid.uuid4().hex[:10]}"
    # Every request waits a while before the servers handle it: the child is inside the send
    # when it dies, and its requests still reach the servers after that (the posts are made,
    # nobody hears the answer).
    desk.masto.latency_ms = desk.bsky.latency_ms = 800
    child = desk.start("post", "--to", "all", f"Travaux rue de Rivoli {tag}")
    wait_until_sending(tag, 2)
    time.sleep(0.3)  # let its POSTs leave (not a measure: the outcome is the same either way)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=HANG_GUARD_S)
    desk.masto.latency_ms = desk.bsky.latency_ms = 0

    code, out, err = desk.run("outbox", "run", "--json")

    assert code == 0, err
    jobs = json.loads(out)
    assert {(j["account"], j["state"]) for j in jobs} == {
        (desk.masto_id, "sent"), (desk.bsky_id, "sent"),
    }  # fmt: skip
    copies = desk.copies(tag)
    assert copies == {j["account"]: [j["uri"]] for j in jobs}  # exactly one copy each
    code, out, _ = desk.run("outbox", "--json")
    assert (code, json.loads(out)) == (0, [])


def test_a_lock_of_a_killed_process_is_released_by_the_next_command(desk: Desk) -> None:
    tag = f"l{uuid.uuid4().hex[:10]}"
    desk.masto.add_fault(Fault("hang", method="POST", path=r"^/api/v1/statuses$",
                               hang_seconds=HANG_GUARD_S))  # fmt: skip
    child = desk.start("post", "--to", desk.masto_id, f"Marché de Noël {tag}")
    wait_until_sending(tag, 1)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=HANG_GUARD_S)

    code, out, _ = desk.run("outbox", "--json")  # any command takes the lock back

    assert code == 0
    ((job,),) = [[j for j in json.loads(out) if j["account"] == desk.masto_id]]
    assert (job["state"], job["attempts"]) == ("queued", 1)
    assert "interrompu" in job["error"]
    desk.masto.clear_faults()
    assert desk.run("outbox", "run")[0] == 0
    assert len(desk.copies(tag)[desk.masto_id]) == 1


def test_three_concurrent_posts_all_exit_0_with_one_copy_of_each(desk: Desk) -> None:
    desk.masto.latency_ms = desk.bsky.latency_ms = 100  # the three runs overlap
    tags = [f"c{n}{uuid.uuid4().hex[:8]}" for n in range(3)]
    children = [
        desk.start("post", "--to", "all", "--json", f"Fermeture du pont n°{n} {tag}")
        for n, tag in enumerate(tags)
    ]
    ended = [child.communicate(timeout=HANG_GUARD_S) for child in children]

    assert [child.returncode for child in children] == [0, 0, 0], [e for _, e in ended]
    for (out, _), tag in zip(ended, tags, strict=True):
        results = json.loads(out)
        assert {r["status"] for r in results} == {"sent"}
        assert desk.copies(tag) == {r["account"]: [r["uri"]] for r in results}


def test_the_same_text_twice_with_a_lost_answer_gives_two_posts_each_its_url(desk: Desk) -> None:
    text = f"Piscine fermée dimanche {uuid.uuid4().hex[:8]}"
    code, out, _ = desk.run("post", "--to", "all", "--json", text)
    assert code == 0
    first = {r["account"]: r for r in json.loads(out)}
    desk.masto.add_fault(Fault("drop_after_commit", method="POST", path=r"^/api/v1/statuses$"))
    desk.bsky.add_fault(Fault("drop_after_commit", method="POST", path="createRecord"))

    code, out, err = desk.run("post", "--to", "all", "--json", text)

    assert code == 0, err
    second = {r["account"]: r for r in json.loads(out)}
    for account in (desk.masto_id, desk.bsky_id):
        assert second[account]["url"] != first[account]["url"]
        assert desk.copies(text)[account] == sorted(
            [first[account]["uri"], second[account]["uri"]]
        )


def test_kill_9_in_the_middle_of_a_reply_then_outbox_run_gives_one_reply(desk: Desk) -> None:
    """A reply is a post like any other: queued durably before the network, so a reply cut
    by ``kill -9`` is sent once by the next ``outbox run``, in the right thread."""
    tag = f"r{uuid.uuid4().hex[:10]}"
    did = desk.bsky.accounts[1]["did"]
    (parent_rkey, parent), *_ = desk.bsky.records(did, POST).items()
    parent_uri = f"at://{did}/{POST}/{parent_rkey}"
    desk.bsky.latency_ms = 800  # the child is inside the send when it dies
    child = desk.start("post", "--to", desk.bsky_id, "--reply-to", parent_uri,
                       f"Merci, nous transmettons. {tag}")
    wait_until_sending(tag, 1)
    time.sleep(0.3)  # let its POST leave (not a measure: the outcome is the same either way)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=HANG_GUARD_S)
    desk.bsky.latency_ms = 0

    code, out, err = desk.run("outbox", "run", "--json")

    assert code == 0, err
    ((job,),) = [[j for j in json.loads(out) if j["account"] == desk.bsky_id]]
    assert job["state"] == "sent"
    (reply,) = desk.copies(tag)[desk.bsky_id]
    assert reply == job["uri"]
    record = desk.bsky.stored_record(reply)
    assert record.value["reply"]["parent"]["uri"] == parent_uri
    assert parent["text"]  # the parent is a real post of the sandbox
