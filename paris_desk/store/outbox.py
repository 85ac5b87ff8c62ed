"""The durable outbox: one job per (target account, thread part), written before any network call.

A job moves PENDING -> SENDING (claimed, ``attempts`` + 1, ``locked_at``) -> SENT | FAILED, or
back to PENDING with a ``not_before`` back-off. Its idempotency key (Mastodon
``Idempotency-Key``, Bluesky record key) is fixed when the job is created and never changes, so
every retry — after a timeout, a crash, a restart — asks the server for the *same* post.

Nothing is deleted on read (huey's dequeue would lose a job on a crash). A SENDING row names
its owner (host, pid, process start: ``store.owner``). When that process is gone (crash,
``kill -9``), or, for an owner on another host, once the lock is older than any attempt can
last, ``recover`` puts the row back to PENDING, and its next attempt probes the server before
sending again. One server post belongs to one job: ``result_uri`` is unique per account.

A job that has failed once keeps its ``error_kind`` until it is SENT, and the service probes
every job that has one; a manual retry (FAILED -> PENDING) gives a fresh attempt budget but
keeps that mark.

Thread parts: part N of an account's thread becomes due only once part N - 1 is SENT; while an
earlier part is FAILED the later ones wait (they are "blocked", not due, never sent out of
order). Cancelling a part cancels the parts after it.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

from paris_desk.core.model import Account, Post, PostRequest
from paris_desk.store import codec
from paris_desk.store.db import Database
from paris_desk.store.outbox_jobs import (
    CARD_THUMB_POSITION,
    INTERRUPTED,
    MAX_ERROR_CHARS,
    Job,
    JobState,
    Lock,
    _blobs,
    _request_json,
    decode_job,
    new_key,
    now_us,
)
from paris_desk.store.owner import Owner, is_alive, this_process

# The job values live in ``store.outbox_jobs``; importing them from here keeps working.
__all__ = [
    "CARD_THUMB_POSITION",
    "INTERRUPTED",
    "MAX_ERROR_CHARS",
    "Job",
    "JobState",
    "Lock",
    "OutboxStore",
    "_blobs",
    "_request_json",
    "decode_job",
    "new_key",
    "now_us",
]

# A PENDING job whose turn has come in its thread (part 0, or the previous part SENT).
_RUNNABLE = (
    "j.state = ? AND (j.part = 0 OR EXISTS (SELECT 1 FROM outbox_jobs p WHERE"
    " p.batch_id = j.batch_id AND p.account_id = j.account_id"
    " AND p.part = j.part - 1 AND p.state = ?))"
)
_RUNNABLE_PARAMS = (JobState.PENDING, JobState.SENT)


class OutboxStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- writing -----------------------------------------------------------------------------

    def add_batch(
        self,
        batch_id: str,
        items: Sequence[tuple[Account, PostRequest]],
        not_before: datetime | None = None,
    ) -> list[Job]:
        """Persist one job per item, durably (fsynced), and return them. Several requests of
        one account form a thread: part 0, 1, 2… in ``items`` order."""
        created = now_us()
        when = int(not_before.timestamp() * 1_000_000) if not_before else 0
        parts: dict[str, int] = {}
        ids: list[int] = []
        with self.db.transaction(durable=True):
            for account, request in items:
                part = parts.get(account.id, 0)
                parts[account.id] = part + 1
                ids.append(self._insert(batch_id, account, part, request, when, created))
        return [self.get(job_id) for job_id in ids]

    def _insert(
        self,
        batch_id: str,
        account: Account,
        part: int,
        request: PostRequest,
        when: int,
        created: int,
    ) -> int:
        created_at = request.created_at or datetime.now(UTC)
        key = request.idempotency_key or new_key(account.network)
        fixed = dataclasses.replace(request, idempotency_key=key, created_at=created_at)
        rows = self.db.execute(
            "INSERT INTO outbox_jobs (batch_id, account_id, part, network,"
            " idempotency_key, request_json, state, not_before_us, created_us)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                batch_id,
                account.id,
                part,
                account.network.value,
                key,
                _request_json(fixed),
                JobState.PENDING,
                when,
                created,
            ),
        )
        job_id = int(rows[0][0])
        self.db.executemany(
            "INSERT INTO outbox_media (job_id, position, mime_type, alt, width, height,"
            " file_name, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (job_id, i, m.mime_type, m.alt, m.width, m.height, m.file_name, m.data)
                for i, m in _blobs(request)
            ],
        )
        return job_id

    def claim(self, job_id: int) -> Job | None:
        """PENDING -> SENDING under this process's name, counting the attempt; None when
        someone else has it."""
        me = this_process()
        with self.db.transaction(durable=True):
            rows = self.db.execute(
                "UPDATE outbox_jobs SET state = ?, locked_at_us = ?, attempts = attempts + 1,"
                " lock_host = ?, lock_pid = ?, lock_start = ? WHERE id = ? AND state = ?"
                " RETURNING id",
                (JobState.SENDING, now_us(), me.host, me.pid, me.start, job_id, JobState.PENDING),
            )
        return self.get(job_id) if rows else None

    def mark_sent(self, job_id: int, post: Post, *, found: bool = False) -> bool:
        """The post exists on the server: record it whatever the row's state (a post that was
        made is never forgotten, even if another process recovered the row meanwhile).

        A post belongs to one job. ``found=False``: the server answered this job's own write,
        which is proof; a job that took the same post from a probe gives it back (PENDING,
        probed again). ``found=True``: the post came from a probe (``find_sent``), which only
        guesses; when another job already holds it, nothing is written and False is returned."""
        with self.db.transaction(durable=True):
            holders = self.db.execute(
                "SELECT id FROM outbox_jobs WHERE account_id = (SELECT account_id FROM"
                " outbox_jobs WHERE id = ?) AND result_uri = ? AND id != ?",
                (job_id, post.uri, job_id),
            )
            if holders and found:
                return False
            for holder in holders:
                self.db.execute(
                    "UPDATE outbox_jobs SET state = ?, result_uri = '', result_url = '',"
                    " result_json = '', error_kind = ?, last_error = ? WHERE id = ?",
                    (JobState.PENDING, INTERRUPTED, f"its post was job {job_id}'s", holder["id"]),
                )
            self.db.execute(
                "UPDATE outbox_jobs SET state = ?, result_uri = ?, result_url = ?,"
                " result_json = ?, last_error = '', error_kind = '', not_before_us = 0"
                " WHERE id = ?",
                (JobState.SENT, post.uri, post.url, codec.post_to_json(post), job_id),
            )
        return True

    def release(self, job_id: int, not_before_us: int) -> bool:
        """SENDING -> PENDING at ``not_before_us``, the attempt not counted (it was not made).
        False if the row was not SENDING."""
        with self.db.transaction(durable=True):
            rows = self.db.execute(
                "UPDATE outbox_jobs SET state = ?, not_before_us = ?,"
                " attempts = MAX(attempts - 1, 0) WHERE id = ? AND state = ? RETURNING id",
                (JobState.PENDING, not_before_us, job_id, JobState.SENDING),
            )
        return bool(rows)

    def same_text_sending(self, job: Job) -> list[Job]:
        """Other SENDING jobs of ``job``'s account with the same text: while one is in flight,
        a post a probe finds for ``job`` may be theirs."""
        rows = self.db.execute(
            "SELECT * FROM outbox_jobs WHERE account_id = ? AND state = ? AND id != ?"
            " AND json_extract(request_json, '$.text') = ?",
            (job.account_id, JobState.SENDING, job.id, job.request.text),
        )
        return [self._job(r) for r in rows]

    def claimed_uris(self, account_id: str, but: int = 0) -> frozenset[str]:
        """The server posts that jobs of ``account_id`` (other than ``but``) hold as theirs."""
        rows = self.db.execute(
            "SELECT result_uri FROM outbox_jobs WHERE account_id = ? AND result_uri != ''"
            " AND id != ?",
            (account_id, but),
        )
        return frozenset(str(r[0]) for r in rows)

    def mark_retry(self, job_id: int, not_before_us: int, kind: str, message: str) -> bool:
        """SENDING -> PENDING at ``not_before_us``. False if the row was not SENDING."""
        return self._finish(job_id, JobState.PENDING, kind, message, not_before_us)

    def mark_failed(self, job_id: int, kind: str, message: str) -> bool:
        """SENDING -> FAILED (kept for a manual retry). False if the row was not SENDING."""
        return self._finish(job_id, JobState.FAILED, kind, message)

    def give_up(self, job_id: int, message: str) -> bool:
        """PENDING -> FAILED without an attempt (e.g. the CLI's time is up): the job waits for
        a manual retry instead of going out unnoticed later. False if it was not PENDING."""
        with self.db.transaction(durable=True):
            rows = self.db.execute(
                "UPDATE outbox_jobs SET state = ?, last_error = ?, not_before_us = 0,"
                " error_kind = CASE WHEN error_kind = '' THEN 'NotSent' ELSE error_kind END"
                " WHERE id = ? AND state = ? RETURNING id",
                (JobState.FAILED, message[:MAX_ERROR_CHARS], job_id, JobState.PENDING),
            )
        return bool(rows)

    def retry(self, job_id: int) -> bool:
        """A user's "Réessayer": FAILED -> PENDING now, same key, a fresh attempt budget (the
        error kind stays, so the next attempt probes first); a PENDING job waiting out the
        back-off after a failed attempt becomes due now ("Réessayer maintenant"). False for
        any other job (a scheduled post keeps its time)."""
        with self.db.transaction(durable=True):
            rows = self.db.execute(
                "UPDATE outbox_jobs SET state = ?, not_before_us = 0, attempts = 0"
                " WHERE id = ? AND (state = ? OR (state = ? AND error_kind != ''))"
                " RETURNING id",
                (JobState.PENDING, job_id, JobState.FAILED, JobState.PENDING),
            )
        return bool(rows)

    def cancel(self, job_id: int) -> bool:
        """PENDING or FAILED -> CANCELLED, with the later parts of its thread. False when the
        job is SENDING or already final."""
        with self.db.transaction(durable=True):
            rows = self.db.execute(
                "UPDATE outbox_jobs SET state = ? WHERE id = ? AND state IN (?, ?)"
                " RETURNING batch_id, account_id, part",
                (JobState.CANCELLED, job_id, JobState.PENDING, JobState.FAILED),
            )
            if rows:
                self.db.execute(
                    "UPDATE outbox_jobs SET state = ? WHERE batch_id = ? AND account_id = ?"
                    " AND part > ? AND state IN (?, ?)",
                    (
                        JobState.CANCELLED,
                        rows[0]["batch_id"],
                        rows[0]["account_id"],
                        rows[0]["part"],
                        JobState.PENDING,
                        JobState.FAILED,
                    ),
                )
        return bool(rows)

    def recover(self, stale_after_us: int) -> list[int]:
        """Make PENDING again every SENDING job whose owner is gone: a process of this host
        that no longer runs, or (owner on another host, or none recorded) a lock taken more
        than ``stale_after_us`` ago. Its next attempt probes the server first. Returns their
        ids."""
        released = []
        for job in self._locks():
            if self.abandoned(job, stale_after_us):
                with self.db.transaction(durable=True):
                    rows = self.db.execute(
                        "UPDATE outbox_jobs SET state = ?, not_before_us = 0, error_kind = ?,"
                        " last_error = ? WHERE id = ? AND state = ? AND locked_at_us = ?"
                        " RETURNING id",
                        (
                            JobState.PENDING,
                            INTERRUPTED,
                            f"interrupted while sending ({job.owner or 'unknown process'})",
                            job.id,
                            JobState.SENDING,
                            job.locked_at_us,
                        ),
                    )
                released.extend(int(r["id"]) for r in rows)
        return sorted(released)

    def _locks(self) -> list[Lock]:
        """The SENDING jobs' locks (cheap: no request is decoded)."""
        rows = self.db.execute(
            "SELECT id, locked_at_us, lock_host, lock_pid, lock_start FROM outbox_jobs"
            " WHERE state = ?",
            (JobState.SENDING,),
        )
        return [
            Lock(
                id=r["id"],
                locked_at_us=r["locked_at_us"],
                owner=Owner(r["lock_host"], r["lock_pid"], r["lock_start"])
                if r["lock_pid"]
                else None,
            )
            for r in rows
        ]

    @staticmethod
    def abandoned(job: Job | Lock, stale_after_us: int) -> bool:
        """A SENDING job whose owner will not finish it (see ``recover``)."""
        alive = is_alive(job.owner) if job.owner is not None else None
        if alive is False:
            return True
        return job.locked_at_us <= now_us() - stale_after_us

    def _finish(
        self, job_id: int, state: JobState, kind: str, message: str, not_before_us: int = 0
    ) -> bool:
        with self.db.transaction(durable=True):
            rows = self.db.execute(
                "UPDATE outbox_jobs SET state = ?, error_kind = ?, last_error = ?,"
                " not_before_us = ? WHERE id = ? AND state = ? RETURNING id",
                (
                    state,
                    kind or "Error",
                    (message or kind or "error")[:MAX_ERROR_CHARS],
                    not_before_us,
                    job_id,
                    JobState.SENDING,
                ),
            )
        return bool(rows)

    # -- reading -----------------------------------------------------------------------------

    def get(self, job_id: int) -> Job:
        rows = self.db.execute("SELECT * FROM outbox_jobs WHERE id = ?", (job_id,))
        if not rows:
            raise KeyError(job_id)
        return self._job(rows[0])

    def due(self, at_us: int | None = None) -> list[Job]:
        """Runnable PENDING jobs whose time has come, oldest due first."""
        at = now_us() if at_us is None else at_us
        return [self.get(job_id) for job_id, when in self.waiting() if when <= at]

    def waiting(self) -> list[tuple[int, int]]:
        """``(id, not_before_us)`` of every runnable PENDING job, soonest first (cheap: no
        request is decoded). Blocked thread parts are not runnable."""
        rows = self.db.execute(
            f"SELECT j.id, j.not_before_us FROM outbox_jobs j WHERE {_RUNNABLE}"  # noqa: S608
            " ORDER BY j.not_before_us, j.id",
            _RUNNABLE_PARAMS,
        )
        return [(int(r[0]), int(r[1])) for r in rows]

    def next_due_us(self) -> int | None:
        """When the earliest runnable PENDING job becomes due (None when there is none)."""
        waiting = self.waiting()
        return waiting[0][1] if waiting else None

    def sent_results(self, limit: int = 2000) -> list[tuple[str, int, str, str]]:
        """``(batch_id, part, account_id, result_uri)`` of the newest ``limit`` SENT jobs that
        made a post (cheap: no request is decoded). Plain SQL with no parameter, so the team's
        PostgreSQL store runs it as it is."""
        rows = self.db.execute(
            "SELECT batch_id, part, account_id, result_uri FROM outbox_jobs"  # noqa: S608
            f" WHERE state = {int(JobState.SENT)} AND result_uri != ''"
            f" ORDER BY id DESC LIMIT {int(limit)}"
        )
        return [(str(r["batch_id"]), int(r["part"]), str(r["account_id"]), str(r["result_uri"]))
                for r in rows]

    def previous_part(self, job: Job) -> Job | None:
        if job.part == 0:
            return None
        rows = self.db.execute(
            "SELECT * FROM outbox_jobs WHERE batch_id = ? AND account_id = ? AND part = ?",
            (job.batch_id, job.account_id, job.part - 1),
        )
        return self._job(rows[0]) if rows else None

    def jobs(self, batch_id: str | None = None, state: JobState | None = None) -> list[Job]:
        """Jobs of one batch (by account, then part) or of all batches (by id), optionally in
        one state."""
        where: list[str] = []
        params: list[object] = []
        if batch_id is not None:
            where.append("batch_id = ?")
            params.append(batch_id)
        if state is not None:
            where.append("state = ?")
            params.append(int(state))
        sql = "SELECT * FROM outbox_jobs"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY account_id, part, id" if batch_id is not None else " ORDER BY id"
        return [self._job(row) for row in self.db.execute(sql, params)]

    def _job(self, r: sqlite3.Row) -> Job:
        media_rows = self.db.execute(
            "SELECT * FROM outbox_media WHERE job_id = ? ORDER BY position", (r["id"],)
        )
        return decode_job(r, media_rows)
