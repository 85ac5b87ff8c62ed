"""Outbox locks name their owner (host, pid, process start): a dead owner's lock is released at
once, a live one's never early; another host keeps the time rule. One server post, one job."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from paris_desk.core.model import Account, Author, Network, Post, PostRequest
from paris_desk.store import owner
from paris_desk.store.db import Database
from paris_desk.store.migrations import MIGRATIONS
from paris_desk.store.outbox import INTERRUPTED, JobState, OutboxStore, now_us

MASTO = Account(
    "mastodon:@ville@paris.example", Network.MASTODON, "@ville@paris.example",
    "https://paris.example",
)  # fmt: skip
HOUR_US = 3600 * 1_000_000
HANG_GUARD_S = 30


def published(key: str) -> Post:
    return Post(
        uri=f"https://paris.example/p/{key}", native_id=key, network=Network.MASTODON,
        author=Author(handle=MASTO.handle), created_at=datetime.now(UTC),
        url=f"https://paris.example/@ville/{key}",
    )  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> Iterator[OutboxStore]:
    db = Database(tmp_path / "outbox.sqlite3")
    yield OutboxStore(db)
    db.close()


@pytest.fixture
def child() -> Iterator[subprocess.Popen[bytes]]:
    """A live process of this host (not this one)."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process
    process.kill()
    process.wait(HANG_GUARD_S)


def locked_by(store: OutboxStore, text: str, who: owner.Owner, age_us: int = 0) -> int:
    (job,) = store.add_batch(text, [(MASTO, PostRequest(text))])
    assert store.claim(job.id) is not None
    store.db.execute(
        "UPDATE outbox_jobs SET lock_host = ?, lock_pid = ?, lock_start = ?, locked_at_us = ?"
        " WHERE id = ?",
        (who.host, who.pid, who.start, now_us() - age_us, job.id),
    )
    return job.id


def test_a_claim_names_this_process(store: OutboxStore) -> None:
    (job,) = store.add_batch("b", [(MASTO, PostRequest("Marché"))])
    claimed = store.claim(job.id)
    assert claimed is not None
    assert claimed.owner == owner.this_process()
    assert owner.is_alive(owner.this_process()) is True


def test_a_dead_owners_lock_is_released_at_once(store: OutboxStore) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait(HANG_GUARD_S)
    me = owner.this_process()
    dead = owner.Owner(me.host, gone.pid, me.start)
    job_id = locked_by(store, "Interrompu", dead)

    assert store.recover(HOUR_US) == [job_id]  # a lock taken just now, by a dead process
    job = store.get(job_id)
    assert (job.state, job.error_kind) == (JobState.PENDING, INTERRUPTED)


def test_a_live_owners_lock_is_kept_and_a_reused_pid_is_not_its_owner(
    store: OutboxStore, child: subprocess.Popen[bytes]
) -> None:
    host = owner.this_process().host
    mark = owner.start_mark(child.pid)
    assert mark is not None
    live = locked_by(store, "En cours", owner.Owner(host, child.pid, mark))
    reused = locked_by(store, "Ancien", owner.Owner(host, child.pid, mark + "0"))

    assert store.recover(HOUR_US) == [reused]
    assert store.get(live).state is JobState.SENDING
    child.kill()
    child.wait(HANG_GUARD_S)
    assert store.recover(HOUR_US) == [live]


def test_another_hosts_lock_keeps_the_time_rule(store: OutboxStore) -> None:
    elsewhere = owner.Owner("autre-poste", 4242, "x:1")
    fresh = locked_by(store, "Récent", elsewhere)
    old = locked_by(store, "Vieux", elsewhere, age_us=2 * HOUR_US)

    assert store.recover(HOUR_US) == [old]
    assert store.get(fresh).state is JobState.SENDING


def test_a_probe_cannot_take_a_post_another_job_holds(store: OutboxStore) -> None:
    (first,) = store.add_batch("b", [(MASTO, PostRequest("Même texte"))])
    (second,) = store.add_batch("c", [(MASTO, PostRequest("Même texte"))])
    for job in (first, second):
        store.claim(job.id)
    assert store.mark_sent(first.id, published("1"))
    assert store.claimed_uris(MASTO.id, but=second.id) == {published("1").uri}

    assert not store.mark_sent(second.id, published("1"), found=True)
    assert store.get(second.id).state is JobState.SENDING
    assert store.mark_sent(second.id, published("2"), found=True)
    assert store.get(second.id).result_uri == published("2").uri


def test_the_servers_own_answer_takes_a_post_back_from_a_probe(store: OutboxStore) -> None:
    (guessed,) = store.add_batch("b", [(MASTO, PostRequest("Même texte"))])
    (owner_job,) = store.add_batch("c", [(MASTO, PostRequest("Même texte"))])
    store.claim(guessed.id)
    store.claim(owner_job.id)
    store.mark_sent(guessed.id, published("1"), found=True)  # a probe guessed wrong

    assert store.mark_sent(owner_job.id, published("1"))  # the server's answer to its write
    assert store.get(owner_job.id).result_uri == published("1").uri
    taken_back = store.get(guessed.id)
    assert (taken_back.state, taken_back.result_uri) == (JobState.PENDING, "")
    assert taken_back.error_kind == INTERRUPTED  # probed again before any send


def test_migration_fails_the_later_of_two_jobs_that_held_one_post(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = Database(path, MIGRATIONS[:5])
    for n, uri in enumerate(("u1", "u1", "u2")):
        old.execute(
            "INSERT INTO outbox_jobs (batch_id, account_id, network, idempotency_key,"
            " request_json, state, created_us, result_uri, locked_at_us)"
            " VALUES ('b', 'a', 'mastodon', ?, '{\"text\": \"x\"}', 2, 0, ?, 5)",
            (f"k{n}", uri),
        )
    old.close()

    new = Database(path)
    rows = new.execute("SELECT idempotency_key, state, result_uri, lock_pid FROM outbox_jobs")
    assert [tuple(r) for r in rows] == [
        ("k0", JobState.SENT, "u1", 0),
        ("k1", JobState.FAILED, "", 0),
        ("k2", JobState.SENT, "u2", 0),
    ]
    new.close()
