"""Publishing a draft from the window: one call into the application core, off the GUI thread.

1. ``Publisher.submit`` (on a network worker: it may fetch a link card or resolve mentions)
   checks the draft, prepares the images and writes the draft and its jobs to the outbox in one
   transaction — the same use case as the CLI, the replies and the scheduled posts.
2. The outbox pump sends what is due, in parallel, off the GUI thread.
3. The watched batch is re-read after each run (and every half second while sending) so the
   publish panel shows en file → envoi → publié / échec; "Réessayer" calls ``retry`` then runs.

In team mode a redacteur's post to an account that needs approval is submitted instead
(``Desk.publish``): the panel says "soumis pour validation" and nothing is watched.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from paris_desk.core.model import Account, Draft
from paris_desk.services.approvals import Approval
from paris_desk.services.composition import Rules
from paris_desk.services.desk import Desk
from paris_desk.services.linkcard import FetchedCard
from paris_desk.services.outbox import Job, JobState
from paris_desk.services.publisher import Refused, Submission
from paris_desk.services.workers import TaskManager
from paris_desk.ui.composer.checks import refusal_text
from paris_desk.ui.composer.outbox_pump import OutboxPump
from paris_desk.ui.errors import describe

log = logging.getLogger(__name__)

POLL_MS = 500


class PublishController(QObject):
    jobs_changed = Signal(str, list)  # batch id, its jobs
    queued = Signal(object)  # the Draft as saved with its batch id: the jobs are in the outbox
    failed = Signal(str)  # a sentence: nothing was queued, the draft is unchanged
    submitted = Signal(object)  # team mode: an Approval, the post waits for a validateur

    def __init__(self, tasks: TaskManager, desk: Desk, pump: OutboxPump,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._desk = desk
        self._pump = pump
        self._watched = ""
        self._busy = False
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.refresh)
        pump.ran.connect(self.refresh)

    @property
    def busy(self) -> bool:
        """A publication is being prepared or written."""
        return self._busy

    @property
    def watched(self) -> str:
        return self._watched

    def publish(self, draft: Draft, targets: Sequence[tuple[Account, Rules]],
                card: FetchedCard | None, now: datetime) -> None:
        self._busy = True
        rules = {account.id: rules for account, rules in targets}
        desk = self._desk  # queued, or submitted for approval (team mode): as the CLI's post
        self._tasks.run(lambda: desk.publish(draft, card=card, rules=rules, now=now),
                        self._on_published, self._on_failed)

    def _on_published(self, result: Submission | Approval) -> None:
        if isinstance(result, Submission):
            self._on_submitted(result)
            return
        self._busy = False
        self.watch("")
        self.submitted.emit(result)

    def _on_submitted(self, submission: Submission) -> None:
        self._busy = False
        self.watch(submission.batch_id)
        self.jobs_changed.emit(submission.batch_id, list(submission.jobs))
        self.queued.emit(submission.draft)
        self._pump.run_now()

    def _on_failed(self, exc: Exception) -> None:
        self._busy = False
        if isinstance(exc, Refused):
            self.failed.emit(refusal_text(exc))
        else:
            self.failed.emit(describe(exc))

    # -- following a batch -------------------------------------------------------------------

    def watch(self, batch_id: str) -> None:
        self._watched = batch_id
        if batch_id:
            self._poll.start()
            self.refresh()
        else:
            self._poll.stop()

    def refresh(self) -> None:
        batch_id = self._watched
        if not batch_id:
            return
        outbox = self._desk.outbox
        self._tasks.run_db(lambda: outbox.jobs(batch_id),
                           lambda jobs: self._on_jobs(batch_id, jobs),
                           lambda exc: log.warning("cannot read the outbox: %s", exc))

    def _on_jobs(self, batch_id: str, jobs: list[Job]) -> None:
        if batch_id != self._watched:
            return  # the user moved on
        sending = any(job.state is JobState.SENDING for job in jobs)
        if not sending and not self._pump.running:
            self._poll.stop()
        self.jobs_changed.emit(batch_id, jobs)

    def retry(self, job_id: int) -> None:
        outbox = self._desk.outbox
        self._tasks.run_db(lambda: outbox.retry(job_id), self._on_retried, self._on_failed)

    def cancel(self, job_id: int) -> None:
        outbox = self._desk.outbox
        self._tasks.run_db(lambda: outbox.cancel(job_id), lambda _ok: self.refresh(),
                           self._on_failed)

    def _on_retried(self, _ok: bool) -> None:
        self._poll.start()
        self._pump.run_now()
        self.refresh()
