"""Sending the outbox: every job to its account, in parallel, never twice.

The reliability contract (issue #6):
- jobs are in SQLite, with their idempotency key, before any network call (``OutboxStore``);
- an attempt after any failure (timeout, dropped connection, 5xx, rate limit, a crash while
  SENDING) first asks the server whether the post exists (``Channel.find_sent``), then sends
  with the *same* key, which the server de-duplicates (Mastodon Idempotency-Key, Bluesky record
  key). Probing after every failure, not only the "ambiguous" ones, is deliberate: an adapter
  makes several requests per post (uploads, the post, a Bluesky threadgate), so the type of the
  last error does not say whether the post itself was written;
- rate limits wait for the server's ``Retry-After``; other retryable errors back off
  exponentially; after ``RetryPolicy.max_attempts`` the job is FAILED with a sentence saying
  why, and kept for a manual retry; rejections (400/422, expired session) fail at once;
- a SENT job is never sent again; a SENDING job is only taken back (``recover``) when the
  process that holds its lock is gone (same host), or once the lock is older than any attempt
  can last, so a second process never races a live send;
- one server post belongs to one job: a probe skips the posts other jobs of the account hold
  (``OutboxStore.claimed_uris``), and does not run while a job with the same text is in flight;
- a caller that waits (the CLI) follows its own jobs (``run_batch``): a job another process is
  sending is waited for, never reported failed;
- every job a run sends here is announced (``on_sent``), whoever asked for the run: an answer
  from the inbox also sends the composer's post whose retry came up, and the window shows both.

Threads: ``run_due``/``drain``/``run_batch`` start each job as soon as it is due, in a pool, so
ten accounts cost about one round trip, and part N + 1 of a thread starts right after part N is
SENT.
"""

from __future__ import annotations

import dataclasses
import logging
import random
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from paris_desk.core.channel import Channel
from paris_desk.core.errors import ChannelError, ParisDeskError, RateLimited, Unreachable
from paris_desk.core.model import Account, Post, PostRequest
from paris_desk.services.executors import DaemonExecutor
from paris_desk.store.outbox import Job, JobState, OutboxStore, now_us

log = logging.getLogger(__name__)

ChannelFor = Callable[[str], Channel]
SentListener = Callable[[list[Job]], None]

# A SENDING row older than this was left by a process that died: no attempt lasts that long
# (Mastodon: 5 s connect + 30 s read per request, four uploads, the post, the probe, plus 60 s
# of video processing; Bluesky: 20 s per request). Younger ones may belong to a live process.
STALE_AFTER_S = 600.0
STEAL_AFTER_S = 1.0  # a wait this long with no job done: look for one the pool never started
POLL_S = 0.2  # how often a caller waiting for another process's send looks again
DEFER_S = 0.5  # a probe waits that long while a job with the same text is in flight
LAST_LOOK_TRIES = 4  # probes before a job that may have reached the server is failed


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 6
    base_delay: float = 1.0  # seconds; doubled at each attempt, with jitter
    max_delay: float = 120.0
    max_rate_limit_wait: float = 900.0  # a longer Retry-After fails the job for now

    def delay(self, attempts: int, error: ChannelError) -> float | None:
        """Seconds before the next attempt, or None to give up (see ``reason``)."""
        if not error.retryable or attempts >= self.max_attempts:
            return None
        wait_s = self._rate_limit_wait(error)
        if wait_s is not None:
            return wait_s if wait_s <= self.max_rate_limit_wait else None
        backoff = min(self.base_delay * 2.0 ** max(attempts - 1, 0), self.max_delay)
        return backoff * (0.5 + random.random() / 2)  # noqa: S311 - jitter, not crypto

    def reason(self, attempts: int, error: ChannelError) -> str:
        """Why the job failed for good, in English (logged, stored, shown by the CLI)."""
        message = error.message or str(error) or type(error).__name__
        if not error.retryable:
            return message
        wait_s = self._rate_limit_wait(error)
        if wait_s is not None and wait_s > self.max_rate_limit_wait:
            return (
                f"rate limited for {wait_s:.0f} s, longer than the "
                f"{self.max_rate_limit_wait:.0f} s we wait: {message}"
            )
        plural = "s" if attempts > 1 else ""
        return f"gave up after {attempts} attempt{plural}: {message}"

    @staticmethod
    def _rate_limit_wait(error: ChannelError) -> float | None:
        if isinstance(error, RateLimited) and error.retry_after is not None:
            return max(error.retry_after, 0.0)
        return None


class OutboxService:
    """Blocking and thread-safe (the store serialises writes); the GUI calls it from a worker,
    the CLI directly. ``channel_for(account_id)`` gives the adapter of an account."""

    def __init__(
        self,
        store: OutboxStore,
        channel_for: ChannelFor,
        policy: RetryPolicy | None = None,
        network: DaemonExecutor | None = None,
        on_sent: SentListener | None = None,
    ) -> None:
        """``network``: the process's network pool (``Executors.network``, handed by the
        Desk); a service built on its own (tests, scripts) gets a pool of its own.
        ``on_sent(jobs)``: told, on the sending thread, of the jobs each run sent (SENT, with
        their posts), whichever method started the run and whoever's jobs they are."""
        self.store = store
        self.channel_for = channel_for
        self.policy = policy or RetryPolicy()
        self._network = network or DaemonExecutor(16, "outbox")
        self.on_sent = on_sent

    # -- queueing ----------------------------------------------------------------------------

    def publish(
        self,
        batch_id: str,
        targets: Sequence[tuple[Account, Sequence[PostRequest]]],
        not_before: datetime | None = None,
    ) -> list[Job]:
        """Write the jobs (one per account and thread part) durably; nothing is sent yet."""
        items = [(account, request) for account, requests in targets for request in requests]
        return self.store.add_batch(batch_id, items, not_before)

    def retry(self, job_id: int) -> bool:
        """FAILED -> PENDING (the user's "Réessayer"); the next run sends it, probing first."""
        return self.store.retry(job_id)

    def cancel(self, job_id: int) -> bool:
        return self.store.cancel(job_id)

    def recover(self, stale_after: float = STALE_AFTER_S) -> list[int]:
        """When a profile is opened (every paris-desk process, the window and each CLI
        command): SENDING jobs whose process is gone (same host: pid dead or reused), or
        locked ``stale_after`` seconds ago or more (another host), were interrupted; make them
        PENDING (probed before any re-send). Returns their ids."""
        return self.store.recover(int(stale_after * 1_000_000))

    def jobs(self, batch_id: str | None = None) -> list[Job]:
        return self.store.jobs(batch_id)

    def get(self, job_id: int) -> Job:
        """One job by id (``KeyError`` when there is none)."""
        return self.store.get(job_id)

    def cross_posts(self, limit: int = 2000) -> dict[str, tuple[str, str]]:
        """The posts published from one submission on several accounts, among the newest
        ``limit`` sent: ``{post uri: (group, account id)}``, one group per batch and thread
        part (the timeline shows each group as one row)."""
        groups: dict[str, list[tuple[str, str]]] = {}
        for batch_id, part, account_id, uri in self.store.sent_results(limit):
            groups.setdefault(f"{batch_id}#{part}", []).append((uri, account_id))
        return {uri: (group, account_id) for group, posts in groups.items() if len(posts) > 1
                for uri, account_id in posts}

    def due_and_sending(self) -> tuple[int, int]:
        """How many jobs are due now, and how many are being sent (by any process)."""
        now = now_us()
        due = sum(1 for _job_id, when in self.store.waiting() if when <= now)
        return due, len(self.store.jobs(state=JobState.SENDING))

    def batch_sent(self, batch_id: str) -> bool:
        """Every job of ``batch_id`` is SENT (and there is at least one)."""
        jobs = self.store.jobs(batch_id)
        return bool(jobs) and all(job.state is JobState.SENT for job in jobs)

    def give_up_unsent(self, batch_id: str, reason: str) -> list[Job]:
        """Fail the runnable PENDING jobs of ``batch_id`` (kept for a manual retry), so they do
        not go out later unnoticed. Returns the jobs failed."""
        failed = []
        for job_id, _ in self.store.waiting():
            job = self.store.get(job_id)
            if job.batch_id == batch_id and self.store.give_up(job_id, _why(job, reason)):
                failed.append(self.store.get(job_id))
        return failed

    # -- sending -----------------------------------------------------------------------------

    def run_due(self) -> list[Job]:
        """Send every job due now (and thread parts as their previous part is SENT); do not
        wait for back-offs. Returns the jobs attempted, in their state after this run."""
        return self._run(None)

    def drain(self, timeout: float) -> list[Job]:
        """Send until no job is waiting, waiting out back-offs: jobs due now are started, then
        no attempt starts after ``timeout`` seconds (attempts in flight then are waited for;
        each is bounded by the adapters' HTTP timeouts). Returns the jobs attempted."""
        return self._run(time.monotonic() + timeout)

    def run_batch(self, batch_id: str, timeout: float) -> list[Job]:
        """Send what is due (this batch's jobs and any other due job) and follow ``batch_id``
        until each of its jobs is SENT, FAILED or CANCELLED, or ``timeout`` seconds have
        passed. Then its jobs still PENDING are given up (FAILED, kept for a manual retry);
        a job another live process is sending is waited for (up to ``STALE_AFTER_S`` after
        its lock, when it is taken back and sent here) and never failed by us. Returns the
        batch's jobs (by account, then part); the others it sent are told to ``on_sent``."""
        deadline = time.monotonic() + timeout
        self._follow(lambda: self.store.jobs(batch_id), deadline)
        self._last_look_before_giving_up(batch_id)
        self.give_up_unsent(batch_id, f"not sent within {timeout:g} s")
        return self.store.jobs(batch_id)

    def run_now(self, timeout: float) -> list[Job]:
        """``paris-desk outbox run``: send every job due now (after ``recover``), waiting out
        back-offs for up to ``timeout`` seconds and following the jobs other processes are
        sending. Nothing is given up: a job still PENDING keeps its turn. Returns the jobs
        this run attempted or followed, in their state now."""
        now = now_us()
        ids = {job_id for job_id, when in self.store.waiting() if when <= now}
        ids |= {job.id for job in self.store.jobs(state=JobState.SENDING)}
        deadline = time.monotonic() + timeout
        ids |= self._follow(lambda: [self.store.get(i) for i in sorted(ids)], deadline)
        return [self.store.get(i) for i in sorted(ids)]

    def _follow(self, current: Callable[[], list[Job]], deadline: float) -> set[int]:
        """Run until none of ``current()`` is SENDING (ours finish inside ``_run``; another
        process's are waited for). Returns the ids ``_run`` attempted."""
        attempted: set[int] = set()
        hard_stop = deadline + STALE_AFTER_S + 60.0  # a guard: recover() frees them sooner
        while True:
            attempted.update(job.id for job in self._run(deadline))
            sending = [job for job in current() if job.state is JobState.SENDING]
            if not sending or time.monotonic() > hard_stop:
                return attempted
            self._wait_for_others(sending, hard_stop)

    def _wait_for_others(self, sending: list[Job], hard_stop: float) -> None:
        """Until one of ``sending`` changes (its owner finished, or died and ``recover`` took
        the job back)."""
        locks = {job.id: job.locked_at_us for job in sending}
        while time.monotonic() < hard_stop:
            if set(self.recover()) & set(locks):
                return
            for job_id, locked_at in locks.items():
                job = self.store.get(job_id)
                if job.state is not JobState.SENDING or job.locked_at_us != locked_at:
                    return
            time.sleep(POLL_S)

    def _run(self, deadline: float | None) -> list[Job]:
        running: dict[Future[Job | None], int] = {}
        attempted: dict[int, Job] = {}

        def record(job: Job | None) -> None:
            if job is not None:
                attempted[job.id] = job

        first = True
        while True:  # the due jobs get their first attempt even with a zero timeout
            open_ = first or deadline is None or time.monotonic() < deadline
            first = False
            next_in = self._start_due(running) if open_ else None
            if not running:
                if not open_ or next_in is None or deadline is None:
                    break
                if time.monotonic() + next_in > deadline:
                    break
                time.sleep(next_in)
                continue
            timeout = STEAL_AFTER_S
            if next_in is not None and deadline is not None:
                timeout = max(min(next_in, deadline - time.monotonic(), timeout), 0.0)
            done, _ = wait(running, timeout=timeout, return_when=FIRST_COMPLETED)
            if not done:
                self._send_one_not_started(running, record)
            for future in done:
                del running[future]
                record(future.result())
        jobs = sorted(attempted.values(), key=lambda j: j.id)
        self._announce(jobs)
        return jobs

    def _announce(self, jobs: list[Job]) -> None:
        """Tell ``on_sent`` of the SENT jobs among ``jobs``. Its failure is logged: it must
        not turn a sent job into a lost report."""
        sent = [job for job in jobs if job.state is JobState.SENT]
        if not sent or self.on_sent is None:
            return
        try:
            self.on_sent(sent)
        except Exception:  # a listener's bug; the jobs are SENT and reported to the caller
            log.exception("outbox: the listener of sent jobs failed")

    def _send_one_not_started(self, running: dict[Future[Job | None], int],
                              record: Callable[[Job | None], None]) -> None:
        """The shared pool is busy (every worker taken, maybe by callers waiting like this
        one): take back one job that has not started and send it from this thread."""
        for future, job_id in list(running.items()):
            if future.cancel():
                del running[future]
                record(self.send(job_id))
                return

    def _start_due(self, running: dict[Future[Job | None], int]) -> float | None:
        """Submit every due job not already running; seconds until the next one is due."""
        busy = set(running.values())
        now = now_us()
        for job_id, when in self.store.waiting():
            if job_id in busy:
                continue
            if when > now:
                return (when - now) / 1_000_000
            running[self._network.submit(partial(self.send, job_id))] = job_id
        return None

    def send(self, job: Job | int) -> Job | None:
        """One attempt at one job. None when it was not PENDING (another worker has it)."""
        claimed = self.store.claim(job if isinstance(job, int) else job.id)
        if claimed is None:
            return None
        if claimed.failed_before and self._twin_in_flight(claimed):
            self.store.release(claimed.id, now_us() + int(DEFER_S * 1_000_000))
            return self.store.get(claimed.id)
        try:
            post, found = self._attempt(claimed)
        except ChannelError as exc:
            return self._after_failure(claimed, exc)
        except ParisDeskError as exc:  # no usable channel: account removed, keychain locked…
            return self._fail(claimed, type(exc).__name__, f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # a bug: keep the job, say so, never lose the post
            log.exception("outbox job %d: unexpected failure", claimed.id)
            return self._fail(claimed, "Bug", f"{type(exc).__name__}: {exc}")
        if not self.store.mark_sent(claimed.id, post, found=found):
            taken = Unreachable("the post found on the server is another job's")
            return self._after_failure(claimed, taken)
        log.info("outbox job %d sent to %s: %s", claimed.id, claimed.account_id, post.uri)
        return self.store.get(claimed.id)

    def _twin_in_flight(self, job: Job) -> bool:
        """Another job of the account with the same text is being sent: a probe now could
        take its post for this job's. Wait for it (unless its owner is gone)."""
        stale = int(STALE_AFTER_S * 1_000_000)
        return any(
            not OutboxStore.abandoned(twin, stale) for twin in self.store.same_text_sending(job)
        )

    def _attempt(self, job: Job) -> tuple[Post, bool]:
        """The post and whether it was found by a probe (True) rather than written now."""
        channel = self.channel_for(job.account_id)
        request = self._with_thread_parent(job)
        if job.failed_before:
            claimed = self.store.claimed_uris(job.account_id, but=job.id)
            found = channel.find_sent(request, exclude=claimed)
            if found is not None:
                log.info("outbox job %d: found on the server, not sent again", job.id)
                return found, True
        return channel.post(request), False

    def _with_thread_parent(self, job: Job) -> PostRequest:
        """Part N > 0 of a thread answers part N - 1 as it was published."""
        previous = self.store.previous_part(job)
        if previous is None:
            return job.request
        if previous.state is not JobState.SENT or previous.result is None:
            raise RuntimeError(f"job {job.id}: thread part {job.part - 1} is not sent")
        return dataclasses.replace(job.request, reply_to=previous.result)

    def _after_failure(self, job: Job, exc: ChannelError) -> Job:
        kind = type(exc).__name__
        delay = self.policy.delay(job.attempts, exc)
        if delay is None:
            if exc.retryable and self._found_at_last(job):  # the last answer was lost
                return self.store.get(job.id)
            return self._fail(job, kind, self.policy.reason(job.attempts, exc))
        log.info("outbox job %d: %s, retry in %.2fs", job.id, kind, delay)
        message = exc.message or str(exc) or kind
        self.store.mark_retry(job.id, now_us() + int(delay * 1_000_000), kind, message)
        return self.store.get(job.id)

    def _found_at_last(self, job: Job) -> bool:
        """Before a SENDING job that may have reached the server is reported failed: look for
        its post once more (a few tries: the probe's reads can fail too). True when it was
        there, and is now recorded SENT."""
        try:
            channel = self.channel_for(job.account_id)
            request = self._with_thread_parent(job)
        except (ParisDeskError, RuntimeError):
            return False
        exclude = self.store.claimed_uris(job.account_id, but=job.id)
        for attempt in range(LAST_LOOK_TRIES):
            try:
                post = channel.find_sent(request, exclude=exclude)
            except ChannelError as exc:
                log.info("outbox job %d: last look failed (%s)", job.id, type(exc).__name__)
                time.sleep(min(self.policy.base_delay * 2.0**attempt, self.policy.max_delay))
                continue
            if post is None or not self.store.mark_sent(job.id, post, found=True):
                return False
            log.info("outbox job %d: found on the server at the last look", job.id)
            return True
        return False

    def _last_look_before_giving_up(self, batch_id: str) -> None:
        """The batch's waiting jobs that failed before may have reached the server: look."""
        found = []
        for job_id, _ in self.store.waiting():
            job = self.store.get(job_id)
            if job.batch_id != batch_id or not job.failed_before:
                continue
            claimed = self.store.claim(job_id)
            if claimed is None:
                continue
            if self._found_at_last(claimed):
                found.append(self.store.get(job_id))
            else:
                self.store.release(job_id, job.not_before_us)
        self._announce(found)

    def _fail(self, job: Job, kind: str, reason: str) -> Job:
        log.warning("outbox job %d to %s failed (%s): %s", job.id, job.account_id, kind, reason)
        self.store.mark_failed(job.id, kind, reason)
        return self.store.get(job.id)


def _why(job: Job, reason: str) -> str:
    return f"{reason} (last error: {job.last_error})" if job.last_error else reason
