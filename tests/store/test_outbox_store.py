"""The outbox rows: written durably with their key before any send, claimed once, recovered
after a crash only when stale, thread parts in order, nothing lost on reopen."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from paris_desk.core.model import (
    Account,
    Author,
    LinkCard,
    Network,
    Post,
    PostRequest,
    PreparedMedia,
)
from paris_desk.core.tid import is_tid
from paris_desk.store.db import Database
from paris_desk.store.outbox import JobState, OutboxStore, now_us

MASTO = Account(
    "mastodon:@ville@paris.example",
    Network.MASTODON,
    "@ville@paris.example",
    "https://paris.example",
)
BSKY = Account("bluesky:ville.example", Network.BLUESKY, "ville.example", "https://pds.example")
IMAGE = PreparedMedia(b"\x89PNG\r\n\x1a\nfake", "image/png", "Affiche du festival", 64, 48, "a.png")


def published(account: Account, key: str = "") -> Post:
    return Post(
        uri=f"{account.base_url}/p/{key}",
        native_id=key,
        network=account.network,
        author=Author(handle=account.handle),
        created_at=datetime.now(UTC),
        url=f"{account.base_url}/@ville/{key}",
        origin_account=account.id,
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "outbox.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[OutboxStore]:
    db = Database(db_path)
    yield OutboxStore(db)
    db.close()


def test_jobs_are_stored_with_their_key_and_media_and_survive_a_reopen(
    store: OutboxStore, db_path: Path
) -> None:
    jobs = store.add_batch(
        "b1",
        [
            (MASTO, PostRequest("Bonjour 🇫🇷", media=(IMAGE,))),
            (BSKY, PostRequest("Bonjour 🇫🇷", media=(IMAGE,))),
        ],
    )

    reopened = Database(db_path)
    again = OutboxStore(reopened).jobs("b1")
    reopened.close()
    assert {j.id for j in again} == {j.id for j in jobs}
    masto, bsky = (
        next(j for j in again if j.network is n) for n in (Network.MASTODON, Network.BLUESKY)
    )
    assert is_tid(bsky.idempotency_key)  # the Bluesky record key
    assert len(masto.idempotency_key) == 32 and not is_tid(masto.idempotency_key)
    for job in (masto, bsky):
        assert job.state is JobState.PENDING and job.attempts == 0
        assert job.request.idempotency_key == job.idempotency_key
        assert job.request.created_at is not None  # fixed once: a retry sends the same post
        assert job.request.media == (IMAGE,)
        assert job.request.text == "Bonjour 🇫🇷"


def test_a_given_key_is_kept_and_cannot_be_used_twice_on_one_account(
    store: OutboxStore,
) -> None:
    from paris_desk.store.db import StoreBugError

    (job,) = store.add_batch("b1", [(MASTO, PostRequest("x", idempotency_key="k-1"))])
    assert job.idempotency_key == "k-1"
    with pytest.raises(StoreBugError):
        store.add_batch("b2", [(MASTO, PostRequest("y", idempotency_key="k-1"))])
    assert [j.batch_id for j in store.jobs()] == ["b1"]  # the failed batch left nothing


def test_a_job_is_claimed_by_one_worker_only(store: OutboxStore) -> None:
    (job,) = store.add_batch("b1", [(MASTO, PostRequest("x"))])
    winners: list[int] = []
    barrier = threading.Barrier(8)

    def claim() -> None:
        barrier.wait()
        if store.claim(job.id) is not None:
            winners.append(1)

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert winners == [1]
    claimed = store.get(job.id)
    assert claimed.state is JobState.SENDING and claimed.attempts == 1
    assert claimed.locked_at_us > 0


def test_thread_parts_become_due_one_after_the_other(store: OutboxStore) -> None:
    parts = store.add_batch(
        "t", [(MASTO, PostRequest(f"{i}/3")) for i in (1, 2, 3)] + [(BSKY, PostRequest("seul"))]
    )
    assert [j.part for j in parts] == [0, 1, 2, 0]
    assert [j.id for j in store.due()] == [parts[0].id, parts[3].id]

    store.claim(parts[0].id)
    store.mark_sent(parts[0].id, published(MASTO, "1"))
    assert parts[1].id in [j.id for j in store.due()]
    assert parts[2].id not in [j.id for j in store.due()]
    assert store.previous_part(store.get(parts[1].id)).result.native_id == "1"  # type: ignore[union-attr]


def test_parts_after_a_failed_part_are_blocked_not_due(store: OutboxStore) -> None:
    parts = store.add_batch("t", [(MASTO, PostRequest(f"{i}/3")) for i in (1, 2, 3)])
    store.claim(parts[0].id)
    store.mark_failed(parts[0].id, "Rejected", "Text too long")

    assert store.due() == []
    assert store.waiting() == []
    assert store.next_due_us() is None  # nothing to wait for: a drain must stop, not spin
    assert [j.state for j in store.jobs("t")] == [
        JobState.FAILED,
        JobState.PENDING,
        JobState.PENDING,
    ]

    assert store.cancel(parts[0].id)
    assert {j.state for j in store.jobs("t")} == {JobState.CANCELLED}


def test_retry_later_then_fail_then_manual_retry(store: OutboxStore) -> None:
    (job,) = store.add_batch("b", [(BSKY, PostRequest("x"))])
    store.claim(job.id)
    later = now_us() + 60_000_000
    assert store.mark_retry(job.id, later, "ServerError", "server error 500")
    assert store.due() == [] and store.next_due_us() == later
    assert [j.id for j in store.due(at_us=later)] == [job.id]

    assert not store.mark_failed(job.id, "X", "not SENDING: refused")
    store.db.execute("UPDATE outbox_jobs SET not_before_us = 0")
    claimed = store.claim(job.id)
    assert claimed is not None and claimed.attempts == 2 and claimed.failed_before
    store.mark_failed(job.id, "ServerError", "gave up after 2 attempts: server error 500")
    failed = store.get(job.id)
    assert (failed.state, failed.error_kind) == (JobState.FAILED, "ServerError")

    assert store.retry(job.id)
    again = store.get(job.id)
    assert again.state is JobState.PENDING and again.attempts == 0
    assert again.failed_before  # the next attempt still probes the server first
    assert again.idempotency_key == job.idempotency_key
    assert store.retry(job.id)  # waiting after a failure: "Retry now" makes it due at once
    assert store.get(job.id).not_before_us == 0
    later = datetime.now(UTC) + timedelta(hours=1)
    (fresh,) = store.add_batch("c", [(BSKY, PostRequest("y"))], later)
    assert not store.retry(fresh.id)  # a job that never failed (a scheduled post) keeps its time
    store.claim(job.id)
    assert not store.retry(job.id)  # nor a job being sent


def test_a_sent_job_is_final(store: OutboxStore) -> None:
    (job,) = store.add_batch("b", [(MASTO, PostRequest("x"))])
    store.claim(job.id)
    store.mark_sent(job.id, published(MASTO, "9"))
    sent = store.get(job.id)
    assert sent.state is JobState.SENT and sent.result_url.endswith("/9")
    assert sent.result is not None
    assert (sent.result.native_id, sent.result.origin_account) == ("9", MASTO.id)
    assert store.claim(job.id) is None
    assert not store.retry(job.id)
    assert not store.cancel(job.id)
    assert not store.give_up(job.id, "late")
    assert store.recover(0) == []


def test_recover_takes_back_only_stale_sending_jobs(store: OutboxStore) -> None:
    old, fresh = store.add_batch("b", [(MASTO, PostRequest("a")), (BSKY, PostRequest("b"))])
    store.claim(old.id)
    store.claim(fresh.id)
    store.db.execute(
        "UPDATE outbox_jobs SET locked_at_us = ? WHERE id = ?", (now_us() - 20 * 60_000_000, old.id)
    )

    assert store.recover(10 * 60_000_000) == [old.id]
    recovered = store.get(old.id)
    assert recovered.state is JobState.PENDING and recovered.failed_before
    assert recovered.error_kind == "Interrupted"
    assert store.get(fresh.id).state is JobState.SENDING  # may belong to a live process


def test_give_up_fails_waiting_jobs_only(store: OutboxStore) -> None:
    waiting, sending = store.add_batch("b", [(MASTO, PostRequest("a")), (BSKY, PostRequest("b"))])
    store.claim(sending.id)
    assert store.give_up(waiting.id, "not sent within 5 s")
    assert not store.give_up(sending.id, "not sent within 5 s")
    failed = store.get(waiting.id)
    assert (failed.state, failed.last_error) == (JobState.FAILED, "not sent within 5 s")
    assert failed.error_kind == "NotSent"


def test_scheduled_jobs_wait_for_their_time(store: OutboxStore) -> None:
    at = datetime.now(UTC) + timedelta(hours=2)
    (job,) = store.add_batch("b", [(BSKY, PostRequest("plus tard"))], not_before=at)
    assert store.due() == []
    assert store.next_due_us() == int(at.timestamp() * 1_000_000)
    assert [j.id for j in store.due(at_us=int(at.timestamp() * 1_000_000))] == [job.id]


def test_a_link_card_thumbnail_survives_the_outbox(tmp_path: Path) -> None:
    store = OutboxStore(Database(tmp_path / "db.sqlite3"))
    thumb = PreparedMedia(data=b"\x89PNG thumb", mime_type="image/png", alt="", width=4, height=3)
    image = PreparedMedia(data=b"\xff\xd8 photo", mime_type="image/jpeg", alt="Une photo")
    request = PostRequest(
        text="Programme : https://www.paris.fr/agenda",
        media=(image,),
        link_card=LinkCard(url="https://www.paris.fr/agenda", title="Agenda"),
        link_card_thumb=thumb,
    )
    [job] = store.add_batch("b1", [(BSKY, request)])

    reread = store.get(job.id).request
    assert reread.link_card_thumb == thumb
    assert reread.media == (image,)
    assert reread.link_card == request.link_card
