"""The team's shared outbox: ``store.outbox.OutboxStore``'s interface, on PostgreSQL.

Same rows, same states, same rules (see ``store.outbox``): a job and its idempotency key are
committed before any network call; PENDING -> SENDING (claimed) -> SENT | FAILED; thread
parts go in order; one server post belongs to one job. The services use it without knowing:
the ``Desk`` picks it when the profile is in team mode.

What changes with several workstations and a worker on one database:
- ``claim`` locks the row with ``SELECT … FOR UPDATE SKIP LOCKED``: two senders racing for a
  job never wait on each other, and exactly one of them moves it to SENDING;
- ``claim_due`` takes the next due jobs the same way (the worker's loop);
- only jobs of accounts this host can send for are offered (``waiting``/``due``): a
  workstation without an account's credentials leaves its jobs to one that has them (the
  worker), instead of failing them;
- ``mark_sent`` serialises per account (a transaction-level advisory lock), so two hosts
  probing the same account never both claim one server post, and appends the audit row
  ("publish" or "reply": the sender's role and host, the account, the post's URL, who queued
  it) in the same transaction.
A SENDING row of a dead process on this host is taken back at once; one of another host
once its lock is older than any attempt can last (the caller's ``stale_after_us``).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from typing import Any

from paris_desk.core.model import Account, Post, PostRequest
from paris_desk.store import codec
from paris_desk.store.outbox import (
    INTERRUPTED,
    MAX_ERROR_CHARS,
    Job,
    JobState,
    Lock,
    OutboxStore,
    _blobs,
    _request_json,
    decode_job,
    new_key,
    now_us,
)
from paris_desk.store.owner import Owner, is_alive, this_process
from paris_desk.store.team.database import TeamDatabase

# A PENDING job whose turn has come in its thread (part 0, or the previous part SENT).
_RUNNABLE = (
    "j.state = 0 AND (j.part = 0 OR EXISTS (SELECT 1 FROM outbox_jobs p WHERE"
    " p.batch_id = j.batch_id AND p.account_id = j.account_id"
    " AND p.part = j.part - 1 AND p.state = 2))"
)
SESSION_LOCK_BASE = 0x50440000000  # + job id: the sender's session-level advisory lock
_LOCKING = ("UPDATE outbox_jobs j SET state = 1, locked_at_us = %s, attempts = attempts + 1,"
            " lock_host = %s, lock_pid = %s, lock_start = %s,"
            " session_locked = pg_try_advisory_lock(5515811749888 + j.id)"  # SESSION_LOCK_BASE
            " FROM claimed c WHERE j.id = c.id RETURNING j.id, j.session_locked")

Senders = Callable[[], Collection[str]]


class TeamOutboxStore(OutboxStore):
    """``senders()``: the ids of the accounts this host can send for (None: all of them)."""

    def __init__(self, db: TeamDatabase, senders: Senders | None = None) -> None:
        # Not the parent's __init__: the same interface over another database (same shape).
        self.db = db  # type: ignore[assignment]
        self._senders = senders
        self._held: set[int] = set()  # jobs whose session lock this connection holds
        db.on_reconnect.append(self._held.clear)  # a new session holds none

    # -- writing -----------------------------------------------------------------------------

    def add_batch(
        self,
        batch_id: str,
        items: Sequence[tuple[Account, PostRequest]],
        not_before: datetime | None = None,
    ) -> list[Job]:
        created = now_us()
        when = int(not_before.timestamp() * 1_000_000) if not_before else 0
        parts: dict[str, int] = {}
        ids: list[int] = []
        with self.db.transaction(durable=True):
            for account, request in items:
                part = parts.get(account.id, 0)
                parts[account.id] = part + 1
                ids.append(self._insert_pg(batch_id, account, part, request, when, created))
        return [self.get(job_id) for job_id in ids]

    def _insert_pg(self, batch_id: str, account: Account, part: int, request: PostRequest,
                   when: int, created: int) -> int:
        created_at = request.created_at or datetime.now(UTC)
        key = request.idempotency_key or new_key(account.network)
        fixed = dataclasses.replace(request, idempotency_key=key, created_at=created_at)
        job_id = int(self.db.scalar(
            "INSERT INTO outbox_jobs (batch_id, account_id, part, network, idempotency_key,"
            " request_json, state, not_before_us, created_us)"
            " VALUES (%s, %s, %s, %s, %s, %s, 0, %s, %s) RETURNING id",
            (batch_id, account.id, part, account.network.value, key, _request_json(fixed),
             when, created),
        ))
        self.db.executemany(
            "INSERT INTO outbox_media (job_id, position, mime_type, alt, width, height,"
            " file_name, data) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [(job_id, i, m.mime_type, m.alt, m.width, m.height, m.file_name, m.data)
             for i, m in _blobs(request)],
        )
        return job_id

    def claim(self, job_id: int) -> Job | None:
        """PENDING -> SENDING under this process's name; None when it is not PENDING or
        another sender holds the row right now (skipped, never waited for)."""
        me = this_process()
        with self.db.transaction(durable=True):
            rows = self.db.execute(
                "WITH claimed AS (SELECT id FROM outbox_jobs WHERE id = %s AND state = 0"  # noqa: S608
                " FOR UPDATE SKIP LOCKED) " + _LOCKING,
                (job_id, now_us(), me.host, me.pid, me.start),
            )
            self._hold(rows)
        return self.get(job_id) if rows else None

    def claim_due(self, limit: int = 1) -> list[Job]:
        """Claim up to ``limit`` due runnable jobs (of accounts this host sends for) at once,
        oldest due first, skipping the rows other senders are locking."""
        me = this_process()
        accounts = self._sendable()
        if accounts is not None and not accounts:
            return []
        with self.db.transaction(durable=True):
            rows = self.db.execute(
                f"WITH claimed AS (SELECT j.id FROM outbox_jobs j WHERE {_RUNNABLE}"  # noqa: S608
                " AND j.not_before_us <= %s AND (%s::text[] IS NULL OR j.account_id = ANY(%s))"
                " ORDER BY j.not_before_us, j.id LIMIT %s FOR UPDATE SKIP LOCKED) " + _LOCKING,
                (now_us(), accounts, accounts, limit, now_us(), me.host, me.pid, me.start),
            )
            self._hold(rows)
        return [self.get(int(r["id"])) for r in sorted(rows, key=lambda r: r["id"])]

    def mark_sent(self, job_id: int, post: Post, *, found: bool = False) -> bool:
        with self.db.transaction(durable=True):
            account = self.db.scalar("SELECT account_id FROM outbox_jobs WHERE id = %s",
                                     (job_id,))
            self.db.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"sent:{account}",))
            holders = self.db.execute(
                "SELECT id FROM outbox_jobs WHERE account_id = %s AND result_uri = %s"
                " AND id <> %s", (account, post.uri, job_id))
            if holders and found:
                return False
            for holder in holders:
                self.db.execute(
                    "UPDATE outbox_jobs SET state = 0, result_uri = '', result_url = '',"
                    " result_json = '', error_kind = %s, last_error = %s WHERE id = %s",
                    (INTERRUPTED, f"its post was job {job_id}'s", holder["id"]))
            before = self.db.execute(
                "SELECT state, created_by, request_json FROM outbox_jobs WHERE id = %s"
                " FOR UPDATE", (job_id,))
            self.db.execute(
                "UPDATE outbox_jobs SET state = 2, result_uri = %s, result_url = %s,"
                " result_json = %s, last_error = '', error_kind = '', not_before_us = 0"
                " WHERE id = %s",
                (post.uri, post.url, codec.post_to_json(post), job_id))
            if before and before[0]["state"] != JobState.SENT:  # commits with SENT, or neither
                self._audit_publish(job_id, str(account), post, before[0])
        self._let_go(job_id)
        return True

    def _audit_publish(self, job_id: int, account: str, post: Post, row: Any) -> None:
        replying = bool(json.loads(row["request_json"]).get("reply_to"))
        self.db.execute(
            "INSERT INTO audit_log (workstation, account, action, url, detail)"
            " VALUES (%s, %s, %s, %s, %s)",
            (this_process().host, account, "reply" if replying else "publish",
             post.url or post.uri, f"job {job_id}, queued by {row['created_by']}"))

    def release(self, job_id: int, not_before_us: int) -> bool:
        released = self._update(
            "UPDATE outbox_jobs SET state = 0, not_before_us = %s,"
            " attempts = GREATEST(attempts - 1, 0) WHERE id = %s AND state = 1 RETURNING id",
            (not_before_us, job_id))
        self._let_go(job_id)
        return released

    def same_text_sending(self, job: Job) -> list[Job]:
        rows = self.db.execute(
            "SELECT * FROM outbox_jobs WHERE account_id = %s AND state = 1 AND id <> %s"
            " AND request_json::jsonb ->> 'text' = %s",
            (job.account_id, job.id, job.request.text))
        return [self._job(r) for r in rows]

    def claimed_uris(self, account_id: str, but: int = 0) -> frozenset[str]:
        rows = self.db.execute(
            "SELECT result_uri FROM outbox_jobs WHERE account_id = %s AND result_uri <> ''"
            " AND id <> %s", (account_id, but))
        return frozenset(str(r["result_uri"]) for r in rows)

    def give_up(self, job_id: int, message: str) -> bool:
        return self._update(
            "UPDATE outbox_jobs SET state = 3, last_error = %s, not_before_us = 0,"
            " error_kind = CASE WHEN error_kind = '' THEN 'NotSent' ELSE error_kind END"
            " WHERE id = %s AND state = 0 RETURNING id",
            (message[:MAX_ERROR_CHARS], job_id))

    def retry(self, job_id: int) -> bool:
        """As ``OutboxStore.retry``: FAILED -> PENDING now, or a PENDING job waiting out its
        back-off after a failed attempt due now; False for any other job."""
        return self._update(
            "UPDATE outbox_jobs SET state = 0, not_before_us = 0, attempts = 0"
            " WHERE id = %s AND (state = 3 OR (state = 0 AND error_kind <> '')) RETURNING id",
            (job_id,))

    def cancel(self, job_id: int) -> bool:
        with self.db.transaction(durable=True):
            rows = self.db.execute(
                "UPDATE outbox_jobs SET state = 4 WHERE id = %s AND state IN (0, 3)"
                " RETURNING batch_id, account_id, part", (job_id,))
            if rows:
                self.db.execute(
                    "UPDATE outbox_jobs SET state = 4 WHERE batch_id = %s AND account_id = %s"
                    " AND part > %s AND state IN (0, 3)",
                    (rows[0]["batch_id"], rows[0]["account_id"], rows[0]["part"]))
        return bool(rows)

    def recover(self, stale_after_us: int) -> list[int]:
        """As ``OutboxStore.recover``, and also the jobs of a sender on another host whose
        connection is gone (its session lock is free): taken back at once."""
        released = []
        session_locked = {int(r["id"]) for r in self.db.execute(
            "SELECT id FROM outbox_jobs WHERE state = 1 AND session_locked")}
        for lock in self._locks():
            elsewhere = lock.owner is None or is_alive(lock.owner) is None
            gone = elsewhere and lock.id in session_locked and self._sender_gone(lock.id)
            if not gone and not self.abandoned(lock, stale_after_us):
                continue
            with self.db.transaction(durable=True):
                rows = self.db.execute(
                    "UPDATE outbox_jobs SET state = 0, not_before_us = 0, error_kind = %s,"
                    " last_error = %s WHERE id = %s AND state = 1 AND locked_at_us = %s"
                    " RETURNING id",
                    (INTERRUPTED,
                     f"interrupted while sending ({lock.owner or 'unknown process'})",
                     lock.id, lock.locked_at_us))
            released.extend(int(r["id"]) for r in rows)
        return sorted(released)

    def _locks(self) -> list[Lock]:
        rows = self.db.execute("SELECT id, locked_at_us, lock_host, lock_pid, lock_start"
                               " FROM outbox_jobs WHERE state = 1")
        return [Lock(id=r["id"], locked_at_us=r["locked_at_us"],
                     owner=Owner(r["lock_host"], r["lock_pid"], r["lock_start"])
                     if r["lock_pid"] else None) for r in rows]

    def _finish(self, job_id: int, state: JobState, kind: str, message: str,
                not_before_us: int = 0) -> bool:
        finished = self._update(
            "UPDATE outbox_jobs SET state = %s, error_kind = %s, last_error = %s,"
            " not_before_us = %s WHERE id = %s AND state = 1 RETURNING id",
            (int(state), kind or "Error", (message or kind or "error")[:MAX_ERROR_CHARS],
             not_before_us, job_id))
        self._let_go(job_id)
        return finished

    def _hold(self, rows: list[dict[str, Any]]) -> None:
        self._held.update(int(r["id"]) for r in rows if r["session_locked"])

    def _let_go(self, job_id: int) -> None:
        """This sender is done with the job: drop its session lock (if it holds it)."""
        with self.db.transaction():
            if job_id in self._held:
                self._held.discard(job_id)
                self.db.execute("SELECT pg_advisory_unlock(%s)", (SESSION_LOCK_BASE + job_id,))

    def _sender_gone(self, job_id: int) -> bool:
        """The job's sender took its session lock and its connection is gone: the lock is
        free (taken and dropped again at once)."""
        if job_id in self._held:
            return False
        with self.db.transaction():
            key = SESSION_LOCK_BASE + job_id
            if not self.db.scalar("SELECT pg_try_advisory_lock(%s)", (key,)):
                return False
            self.db.execute("SELECT pg_advisory_unlock(%s)", (key,))
        return True

    def _update(self, sql: str, params: Sequence[Any]) -> bool:
        with self.db.transaction(durable=True):
            return bool(self.db.execute(sql, params))

    # -- reading -----------------------------------------------------------------------------

    def get(self, job_id: int) -> Job:
        rows = self.db.execute("SELECT * FROM outbox_jobs WHERE id = %s", (job_id,))
        if not rows:
            raise KeyError(job_id)
        return self._job(rows[0])

    def waiting(self) -> list[tuple[int, int]]:
        """``(id, not_before_us)`` of every runnable PENDING job this host can send, soonest
        first."""
        accounts = self._sendable()
        if accounts is not None and not accounts:
            return []
        rows = self.db.execute(
            f"SELECT j.id, j.not_before_us FROM outbox_jobs j WHERE {_RUNNABLE}"  # noqa: S608
            " AND (%s::text[] IS NULL OR j.account_id = ANY(%s))"
            " ORDER BY j.not_before_us, j.id", (accounts, accounts))
        return [(int(r["id"]), int(r["not_before_us"])) for r in rows]

    def previous_part(self, job: Job) -> Job | None:
        if job.part == 0:
            return None
        rows = self.db.execute(
            "SELECT * FROM outbox_jobs WHERE batch_id = %s AND account_id = %s AND part = %s",
            (job.batch_id, job.account_id, job.part - 1))
        return self._job(rows[0]) if rows else None

    def jobs(self, batch_id: str | None = None, state: JobState | None = None) -> list[Job]:
        order = "account_id, part, id" if batch_id is not None else "id"
        rows = self.db.execute(
            "SELECT * FROM outbox_jobs WHERE (%s::text IS NULL OR batch_id = %s)"  # noqa: S608
            f" AND (%s::smallint IS NULL OR state = %s) ORDER BY {order}",
            (batch_id, batch_id, None if state is None else int(state),
             None if state is None else int(state)))
        return [self._job(r) for r in rows]

    def _job(self, r: Any) -> Job:
        media = self.db.execute(
            "SELECT * FROM outbox_media WHERE job_id = %s ORDER BY position", (r["id"],))
        return decode_job(r, media)

    def _sendable(self) -> list[str] | None:
        return None if self._senders is None else sorted(self._senders())
