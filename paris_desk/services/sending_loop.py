"""The headless sender behind ``paris-desk worker``: sends due and scheduled jobs, for ever.

In team mode any online workstation sends due jobs, and the worker does too, on a machine
that stays on: a post scheduled for 7:00 goes out with every PC off. Each round takes back
the jobs a dead sender left (``recover``), sends what is due (``run_due``: back-offs are not
waited for inside a round), then sleeps until the next job is due, ``POLL_S`` at most, so a
job another workstation queues is seen within that time; in team mode it listens to the
team's changes instead (LISTEN/NOTIFY): a job queued anywhere wakes it at its commit, and it
runs a round at least every ``LISTEN_POLL_S``. Qt-free and blocking.

When a round sends a reply to an inbox item (queued from a window since closed), the loop
reads that account's new notifications and marks the item answered: the team's inbox says
"traité" on every screen without anyone's PC on.

A round that fails on the database (server restarted, network cut) closes the desk and opens
a new one after ``RECONNECT_S``; nothing is lost (the jobs are in the database).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from paris_desk.core.errors import ParisDeskError, StoreError
from paris_desk.services.desk import Desk
from paris_desk.store.outbox import Job, now_us

log = logging.getLogger(__name__)

POLL_S = 1.0  # the longest sleep between rounds: a new job is picked up within this
LISTEN_POLL_S = 30.0  # with LISTEN/NOTIFY a new job wakes the loop; a round at least this often
STOP_CHECK_S = 1.0  # a listening loop looks at its stop flag this often
RECONNECT_S = 5.0


class Listener(Protocol):
    def wait(self, timeout: float) -> list[Any]: ...

    def close(self) -> None: ...


class SendingLoop:
    """``listen``: opens a listener of the team's changes (LISTEN/NOTIFY), or returns None
    (no team): then the loop polls every ``poll_s``."""

    def __init__(self, open_desk: Callable[[], Desk], *, poll_s: float = POLL_S,
                 reconnect_s: float = RECONNECT_S,
                 listen: Callable[[], Listener | None] | None = None) -> None:
        self._open_desk = open_desk
        self._desk: Desk | None = None
        self.poll_s = poll_s
        self.reconnect_s = reconnect_s
        self._listen = listen
        self._listener: Listener | None = None
        self._listening = listen is not None

    @property
    def desk(self) -> Desk:
        if self._desk is None:
            self._desk = self._open_desk()
        return self._desk

    def once(self) -> list[Job]:
        """One round: take back abandoned jobs, send what is due; the jobs attempted. The
        inbox items the round's replies answer are marked answered (``note_sent_replies``)."""
        outbox = self.desk.outbox
        outbox.recover()
        jobs = outbox.run_due()
        try:
            self.desk.note_sent_replies(jobs)
        except ParisDeskError as exc:  # sent all the same; the item waits for a thread view
            log.warning("worker: answered items not marked (%s: %s)", type(exc).__name__, exc)
        return jobs

    def run(self, stop: threading.Event, on_round: Callable[[list[Job]], None] | None = None
            ) -> None:
        """Rounds until ``stop`` is set (SIGTERM from systemd); ``on_round`` sees each."""
        while not stop.is_set():
            try:
                jobs = self.once()
                wait = self._until_next_due()
            except StoreError as exc:
                log.warning("worker: database failed (%s: %s); reconnecting in %.0f s",
                            type(exc).__name__, exc, self.reconnect_s)
                self.close()
                self._listening = self._listen is not None
                stop.wait(self.reconnect_s)
                continue
            if on_round is not None and jobs:
                on_round(jobs)
            self._sleep(stop, wait)

    def _sleep(self, stop: threading.Event, wait: float) -> None:
        """Until the next job is due, a change is announced, or ``stop``. A listener that
        fails is dropped (polling meanwhile) and opened again at the next sleep."""
        if self._listener is None and self._listening and self._listen is not None:
            try:
                self._listener = self._listen()
            except StoreError as exc:
                log.warning("worker: cannot listen for changes (%s); polling", exc)
            if self._listener is None:
                self._listening = False
        if self._listener is None:
            stop.wait(wait)
            return
        deadline = time.monotonic() + wait
        try:
            while not stop.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                changes = self._listener.wait(min(left, STOP_CHECK_S))
                if any(_queued(change) for change in changes):
                    return
        except StoreError as exc:
            log.warning("worker: listening failed (%s); polling", exc)
            self._close_listener()
            stop.wait(max(deadline - time.monotonic(), 0.0))

    def _until_next_due(self) -> float:
        poll = LISTEN_POLL_S if self._listener is not None else self.poll_s
        next_due = self.desk.outbox.store.next_due_us()
        if next_due is None:
            return poll
        return min(max((next_due - now_us()) / 1_000_000, 0.0), poll)

    def _close_listener(self) -> None:
        if self._listener is not None:
            listener, self._listener = self._listener, None
            try:
                listener.close()
            except StoreError as exc:
                log.info("worker: closing the listener failed: %s", exc)

    def close(self) -> None:
        self._close_listener()
        if self._desk is not None:
            desk, self._desk = self._desk, None
            try:
                desk.close()
            except StoreError as exc:
                log.info("worker: closing the desk failed: %s", exc)


def _queued(change: Any) -> bool:
    """A job became PENDING (queued, retried, taken back): a reason to run a round now. The
    loop's own claims and sends are announced too, and ignored."""
    return getattr(change, "kind", "") == "job" and change.data.get("state") == 0
