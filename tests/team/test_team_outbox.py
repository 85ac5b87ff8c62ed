"""The shared outbox on PostgreSQL: the local outbox's contract, and what several workstations
on one database add (claims that never collide, jobs left to the host that has the account).
The sends go through the real adapters to the sandbox servers, with faults."""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from paris_desk.channels.mastodon import MastodonChannel, account_from_token
from paris_desk.core.model import Account, Author, Network, Post, PostRequest, PreparedMedia
from paris_desk.sandbox.http import Fault
from paris_desk.services.outbox import OutboxService, RetryPolicy
from paris_desk.store.outbox import JobState, now_us
from paris_desk.store.team import schema
from paris_desk.store.team.database import TeamDatabase
from paris_desk.store.team.errors import TeamRefused
from paris_desk.store.team.members import Role, TeamStore
from paris_desk.store.team.outbox import TeamOutboxStore
from team.pgcluster import Cluster

MASTO = Account("mastodon:@ville@paris.example", Network.MASTODON, "@ville@paris.example",
                "https://paris.example")
BSKY = Account("bluesky:ville.example", Network.BLUESKY, "ville.example", "https://pds.example")
IMAGE = PreparedMedia(b"\x89PNG\r\n\x1a\n\x00fake", "image/png", "Affiche", 64, 48, "a.png")
FAST = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05, max_rate_limit_wait=5.0)
HANG_GUARD_S = 30.0

Connect = Callable[[], TeamDatabase]


@pytest.fixture
def connect(pg_cluster: Cluster, pg_database: str) -> Iterator[Connect]:
    """New connections to a migrated team database (as its owner), closed at the end."""
    opened: list[TeamDatabase] = []

    def new() -> TeamDatabase:
        db = TeamDatabase(pg_cluster.dsn(dbname=pg_database))
        opened.append(db)
        return db

    schema.migrate(new())
    yield new
    for db in opened:
        db.close()


@pytest.fixture
def store(connect: Connect) -> TeamOutboxStore:
    return TeamOutboxStore(connect())


def published(account: Account, key: str) -> Post:
    return Post(uri=f"{account.base_url}/p/{key}", native_id=key, network=account.network,
                author=Author(handle=account.handle), created_at=datetime.now(UTC),
                url=f"{account.base_url}/@ville/{key}", origin_account=account.id)


def test_jobs_keep_their_key_media_and_thread_order(store: TeamOutboxStore) -> None:
    first, second, bsky = store.add_batch("b1", [
        (MASTO, PostRequest("Partie 1", media=(IMAGE,))),
        (MASTO, PostRequest("Partie 2")),
        (BSKY, PostRequest("Bonjour")),
    ])
    assert (first.part, second.part, bsky.part) == (0, 1, 0)
    assert first.request.media == (IMAGE,)
    assert first.idempotency_key and first.request.idempotency_key == first.idempotency_key
    assert len(bsky.idempotency_key) == 13  # a TID: the Bluesky record key
    assert [j.id for j in store.due()] == [first.id, bsky.id]  # part 2 waits for part 1

    claimed = store.claim(first.id)
    assert claimed is not None and claimed.state is JobState.SENDING and claimed.attempts == 1
    assert store.claim(first.id) is None
    assert store.mark_sent(first.id, published(MASTO, "1"))
    assert [j.id for j in store.due()] == [second.id, bsky.id]
    assert store.previous_part(store.get(second.id)).result.uri.endswith("/p/1")  # type: ignore[union-attr]
    assert [j.id for j in store.jobs("b1")] == [bsky.id, first.id, second.id]
    assert [j.id for j in store.jobs(state=JobState.SENT)] == [first.id]


def test_retry_later_fail_manual_retry_cancel_and_give_up(store: TeamOutboxStore) -> None:
    job, later = store.add_batch("b2", [(MASTO, PostRequest("Un")), (MASTO, PostRequest("Deux"))])
    store.claim(job.id)
    soon = now_us() + 60_000_000
    assert store.mark_retry(job.id, soon, "ServerError", "503")
    assert store.next_due_us() == soon and store.due() == []
    assert not store.retry(later.id)  # waiting its turn, never failed: nothing to retry
    assert store.retry(job.id)  # "Réessayer maintenant": due now, same key
    assert [j.id for j in store.due()] == [job.id]
    store.mark_retry(store.claim(job.id).id, soon, "ServerError", "503")  # type: ignore[union-attr]
    store.claim(job.id)  # claim() does not look at the time: the service decides when
    assert store.mark_failed(job.id, "ServerError", "gave up")
    assert store.get(job.id).state is JobState.FAILED
    assert store.retry(job.id) and store.get(job.id).attempts == 0
    assert store.get(job.id).error_kind == "ServerError"  # the next attempt probes first
    assert store.cancel(job.id)
    assert [store.get(i).state for i in (job.id, later.id)] == [JobState.CANCELLED] * 2
    (other,) = store.add_batch("b3", [(BSKY, PostRequest("Trois"))])
    assert store.give_up(other.id, "not sent within 5 s")
    assert store.get(other.id).error_kind == "NotSent"


def test_a_job_is_claimed_by_one_workstation_only(connect: Connect) -> None:
    (job,) = TeamOutboxStore(connect()).add_batch("race", [(MASTO, PostRequest("Course"))])
    stores = [TeamOutboxStore(connect()) for _ in range(6)]
    start = threading.Barrier(len(stores))
    won: list[Any] = []

    def claim(store: TeamOutboxStore) -> None:
        start.wait(HANG_GUARD_S)
        won.append(store.claim(job.id))

    threads = [threading.Thread(target=claim, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(HANG_GUARD_S)
    assert len([w for w in won if w is not None]) == 1
    assert stores[0].get(job.id).attempts == 1


def test_claim_due_hands_each_job_to_exactly_one_claimer(connect: Connect) -> None:
    TeamOutboxStore(connect()).add_batch(
        "many", [(Account(f"mastodon:@a{i}@x", Network.MASTODON, f"@a{i}@x", "https://x"),
                  PostRequest(f"n°{i}")) for i in range(40)])
    stores = [TeamOutboxStore(connect()) for _ in range(4)]
    taken: list[list[int]] = [[] for _ in stores]

    def drain(n: int) -> None:
        while batch := stores[n].claim_due(limit=3):
            taken[n].extend(job.id for job in batch)

    threads = [threading.Thread(target=drain, args=(n,)) for n in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(HANG_GUARD_S)
    every = [job_id for ids in taken for job_id in ids]
    assert len(every) == len(set(every)) == 40


def test_a_host_is_offered_only_the_accounts_it_can_send_for(connect: Connect) -> None:
    masto_job, bsky_job = TeamOutboxStore(connect()).add_batch(
        "mix", [(MASTO, PostRequest("M")), (BSKY, PostRequest("B"))])
    masto_only = TeamOutboxStore(connect(), senders=lambda: [MASTO.id])
    assert [j.id for j in masto_only.due()] == [masto_job.id]
    assert [j.id for j in masto_only.claim_due(limit=10)] == [masto_job.id]
    assert TeamOutboxStore(connect(), senders=list).due() == []
    assert [j.id for j in TeamOutboxStore(connect()).due()] == [bsky_job.id]


def test_recover_takes_back_another_hosts_lock_only_when_stale(
    store: TeamOutboxStore, connect: Connect
) -> None:
    old, fresh = store.add_batch("locks", [(MASTO, PostRequest("a")), (BSKY, PostRequest("b"))])
    owner = connect()
    for job_id, age_s in ((old.id, 3600), (fresh.id, 1)):
        owner.execute(
            "UPDATE outbox_jobs SET state = 1, attempts = 1, locked_at_us = %s,"
            " lock_host = 'poste-mairie-7', lock_pid = 4242, lock_start = 'x' WHERE id = %s",
            (now_us() - age_s * 1_000_000, job_id))
    assert store.recover(600 * 1_000_000) == [old.id]
    assert store.get(old.id).error_kind == "Interrupted"
    assert store.get(fresh.id).state is JobState.SENDING


def test_the_database_refuses_a_redacteur_queueing_for_an_approved_account(
    pg_cluster: Cluster, pg_database: str, connect: Connect
) -> None:
    owner = connect()
    owner.execute("INSERT INTO accounts (id, network, handle, requires_approval)"
                  " VALUES (%s, 'mastodon', 'ville', true)", (MASTO.id,))
    name = f"redac_{secrets.token_hex(3)}"
    TeamStore(owner).add_member(name, Role.REDACTEUR, "pw")
    redacteur = TeamOutboxStore(TeamDatabase(pg_cluster.dsn(name, "pw", pg_database)))
    try:
        with pytest.raises(TeamRefused, match="row-level security"):
            redacteur.add_batch("x", [(BSKY, PostRequest("ok")), (MASTO, PostRequest("non"))])
        assert TeamOutboxStore(owner).jobs() == []  # the whole batch or nothing
        (job,) = redacteur.add_batch("y", [(BSKY, PostRequest("ok"))])
        assert redacteur.claim(job.id) is not None  # any member sends due jobs
    finally:
        redacteur.db.close()


# -- the outbox service over the shared store, real adapters, sandbox faults -------------------


@pytest.fixture
def masto(mastodon_sandbox: Any) -> tuple[Account, MastodonChannel]:
    token = mastodon_sandbox.accounts[0]["access_token"]
    account = account_from_token(mastodon_sandbox.base_url, token)
    return account, MastodonChannel(account, token, timeout=(2.0, 0.5))


@pytest.mark.parametrize("kind", ["drop_after_commit", "503", "hang"])
def test_two_workstations_draining_with_faults_publish_each_post_once(
    connect: Connect, masto: tuple[Account, MastodonChannel], mastodon_sandbox: Any, kind: str
) -> None:
    account, channel = masto
    marker = f"m{uuid.uuid4().hex[:10]}"
    services = [OutboxService(TeamOutboxStore(connect()), {account.id: channel}.__getitem__,
                              FAST) for _ in range(2)]
    services[0].publish("batch", [(account, [PostRequest(f"Annonce {n} #{marker}")
                                             for n in range(5)])])
    for n in range(5):  # independent posts too, not only a thread
        services[1].publish(f"solo{n}", [(account, [PostRequest(f"Solo {n} #{marker}")])])
    mastodon_sandbox.add_fault(Fault(kind, method="POST", path=r"^/api/v1/statuses$",
                                     count=3, hang_seconds=1.0))
    threads = [threading.Thread(target=s.drain, args=(20,)) for s in services]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(HANG_GUARD_S * 2)
    jobs = services[0].jobs()
    assert [j.state for j in jobs] == [JobState.SENT] * 10
    handle = account.handle.split("@")[1]
    copies = [s for s in mastodon_sandbox.statuses_by(handle) if marker in s["content"]]
    assert len(copies) == 10
    assert {j.result_uri for j in jobs} == {s["uri"] for s in copies}
    if kind != "hang":  # (a hung request is logged only when the server gives up on it)
        assert sum(1 for r in mastodon_sandbox.requests if r.fault == kind) == 3


def test_a_scheduled_job_waits_for_its_time(store: TeamOutboxStore) -> None:
    at = datetime.now(UTC) + timedelta(hours=1)
    (job,) = store.add_batch("later", [(MASTO, PostRequest("Plus tard"))], not_before=at)
    assert store.due() == [] and store.claim_due() == []
    assert store.next_due_us() == job.not_before_us == int(at.timestamp() * 1_000_000)


def test_a_sender_on_another_host_that_dies_is_seen_at_once(connect: Connect) -> None:
    from paris_desk.store.team.outbox import SESSION_LOCK_BASE

    assert SESSION_LOCK_BASE == 5515811749888  # the constant written in _LOCKING's SQL
    (job,) = TeamOutboxStore(connect()).add_batch("far", [(MASTO, PostRequest("Loin"))])
    far_away = TeamOutboxStore(connect())
    claimed = far_away.claim(job.id)
    assert claimed is not None
    # As if that sender ran on another machine (the lock's owner cannot be checked from here).
    connect().execute("UPDATE outbox_jobs SET lock_host = 'poste-mairie-12' WHERE id = %s",
                      (job.id,))
    here = TeamOutboxStore(connect())
    stale = 600 * 1_000_000
    assert here.recover(stale) == []  # its connection is alive: it is sending
    backend = far_away.db.scalar("SELECT pg_backend_pid()")
    far_away.db.close()  # kill -9 of that workstation: its connection closes
    # The server ends that session as soon as it sees the socket closed.
    deadline = time.monotonic() + HANG_GUARD_S
    while here.db.scalar("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (backend,)):
        assert time.monotonic() < deadline, "the server never ended the closed session"
        time.sleep(0.02)
    assert here.recover(stale) == [job.id]  # at once, not after 10 minutes
    assert here.get(job.id).error_kind == "Interrupted"


def test_a_sender_that_finishes_lets_go_of_its_session_lock(connect: Connect) -> None:
    (job,) = TeamOutboxStore(connect()).add_batch("done", [(MASTO, PostRequest("Fini"))])
    sender = TeamOutboxStore(connect())
    sender.claim(job.id)
    sender.mark_failed(job.id, "ServerError", "503")
    sender.retry(job.id)
    other = TeamOutboxStore(connect())
    assert other.claim(job.id) is not None
    assert other.get(job.id).attempts == 1
    assert other.db.scalar("SELECT session_locked FROM outbox_jobs WHERE id = %s", (job.id,))


def test_a_broken_connection_fails_one_call_then_the_next_one_reconnects(
    connect: Connect
) -> None:
    from paris_desk.store.team.errors import TeamUnreachable

    store = TeamOutboxStore(connect())
    (job,) = store.add_batch("cut", [(MASTO, PostRequest("Coupure"))])
    assert store.claim(job.id) is not None
    backend = store.db.scalar("SELECT pg_backend_pid()")
    connect().execute("SELECT pg_terminate_backend(%s)", (backend,))  # server restart, firewall
    with pytest.raises(TeamUnreachable):
        store.get(job.id)  # the call that finds the connection broken fails (never re-run)
    assert store.get(job.id).state is JobState.SENDING  # the next one has a new connection
    assert store.db.scalar("SELECT pg_backend_pid()") != backend
    assert store._held == set()  # that session's locks are gone with it


@pytest.mark.parametrize(("start", "to", "why"), [
    (JobState.CANCELLED, JobState.PENDING, "a cancelled job stays cancelled"),
    (JobState.SENT, JobState.PENDING, "a sent job stays sent"),
    (JobState.SENT, JobState.CANCELLED, "a sent job stays sent"),
    (JobState.PENDING, JobState.SENT, "a sent job names its post"),
    (JobState.FAILED, JobState.SENDING, "only a pending job is claimed"),
])
def test_the_database_keeps_a_jobs_life_cycle_for_every_client(
    pg_cluster: Cluster, pg_database: str, connect: Connect, start: JobState, to: JobState,
    why: str,
) -> None:
    owner = connect()
    (job,) = TeamOutboxStore(owner).add_batch("life", [(MASTO, PostRequest("Cycle"))])
    owner.execute("UPDATE outbox_jobs SET state = %s, result_uri = %s WHERE id = %s",
                  (int(start), "https://x/1" if start is JobState.SENT else "", job.id))
    name = f"redac_{secrets.token_hex(3)}"
    TeamStore(owner).add_member(name, Role.REDACTEUR, "pw")
    member = TeamDatabase(pg_cluster.dsn(name, "pw", pg_database))
    try:
        with pytest.raises(TeamRefused, match=why):
            member.execute("UPDATE outbox_jobs SET state = %s WHERE id = %s",
                           (int(to), job.id))
    finally:
        member.close()
    assert TeamOutboxStore(owner).get(job.id).state is start
