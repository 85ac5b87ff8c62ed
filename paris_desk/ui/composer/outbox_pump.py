"""Sends what is due in the outbox, off the GUI thread, every ~15 s while the app runs.

Bluesky has no scheduled posts: a scheduled Bluesky post waits in the outbox and this pump
sends it when due; it also retries jobs after their back-off. Its first run waits for the jobs
a previous run left SENDING to be taken back (``Desk.recover``, done on the writer thread as
the profile opened: ``Session``). One run at a time: a request
during a run starts another right after it. After each run, the jobs it sent are handed out
(``sent``: the timeline shows their posts at once), then drafts whose publication is complete
(every target SENT) are deleted.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from paris_desk.services.desk import Desk
from paris_desk.services.outbox import Job
from paris_desk.services.workers import TaskManager

log = logging.getLogger(__name__)

INTERVAL_MS = 15_000


class OutboxPump(QObject):
    ran = Signal()  # a run ended: job states may have changed
    drafts_deleted = Signal(list)  # ids of drafts whose publication completed

    def __init__(self, tasks: TaskManager, desk: Desk, interval_ms: int = INTERVAL_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._desk = desk
        self._running = False
        self._again = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.run_now)

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        self._tasks.run_db(self._desk.recover, lambda _ids: self.run_now(), self._on_error)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    @Slot()
    def run_now(self) -> None:
        if self._running:
            self._again = True
            return
        self._running = True
        try:
            self._tasks.run(self._desk.outbox.run_due, self._on_done, self._on_error)
        except RuntimeError:  # the task manager has shut down: the application is quitting
            self.timer.stop()
            self._running = False

    def _on_done(self, _jobs: list[Job]) -> None:
        # what was sent reaches the timeline through Session.watch_sent, as every run's does
        self._tasks.run_db(self._desk.tidy, self._on_cleaned, self._on_error)

    def _on_cleaned(self, deleted: list[str]) -> None:
        if deleted:
            self.drafts_deleted.emit(deleted)
        self._finish()

    def _on_error(self, exc: Exception) -> None:
        log.warning("outbox run failed: %s", exc)
        self._finish()

    def _finish(self) -> None:
        self._running = False
        self.ran.emit()
        if self._again:
            self._again = False
            self.run_now()
