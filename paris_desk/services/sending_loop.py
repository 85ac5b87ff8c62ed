"""The headless sender behind ``paris-desk worker``: sends due and scheduled jobs, for ever.

In team mode any online workstation sends due jobs, and the worker does too, on a machine
that stays on: a post scheduled for 7:00 goes out with every PC off. Each round takes back
the jobs a dead sender left (``recover``), sends what is due (``run_due``: back-offs are not
waited for inside a round), then sleeps until the next job is due, ``POLL_S`` at most, so a
job another workstation queues is seen within that time. Qt-free and blocking.

A round that fails on the database (server restarted, network cut) closes the desk and opens
a new one after ``RECONNECT_S``; nothing is lost (the jobs are in the database).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from paris_desk.core.errors import StoreError
from paris_desk.services.desk import Desk
from paris_desk.store.outbox import Job, now_us

log = logging.getLogger(__name__)

POLL_S = 1.0  # the longest sleep between rounds: a new job is picked up within this
RECONNECT_S = 5.0


class SendingLoop:
    def __init__(self, open_desk: Callable[[], Desk], *, poll_s: float = POLL_S,
                 reconnect_s: float = RECONNECT_S) -> None:
        self._open_desk = open_desk
        self._desk: Desk | None = None
        self.poll_s = poll_s
        self.reconnect_s = reconnect_s

    @property
    def desk(self) -> Desk:
        if self._desk is None:
            self._desk = self._open_desk()
        return self._desk

    def once(self) -> list[Job]:
        """One round: take back abandoned jobs, send what is due; the jobs attempted."""
        outbox = self.desk.outbox
        outbox.recover()
        return outbox.run_due()

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
                stop.wait(self.reconnect_s)
                continue
            if on_round is not None and jobs:
                on_round(jobs)
            stop.wait(wait)

    def _until_next_due(self) -> float:
        next_due = self.desk.outbox.store.next_due_us()
        if next_due is None:
            return self.poll_s
        return min(max((next_due - now_us()) / 1_000_000, 0.0), self.poll_s)

    def close(self) -> None:
        if self._desk is not None:
            desk, self._desk = self._desk, None
            try:
                desk.close()
            except StoreError as exc:
                log.info("worker: closing the desk failed: %s", exc)
