"""Publishing a draft: prepare, write the jobs durably, send in parallel, follow each target.

1. On a network worker: re-encode the images once per distinct network limits and build each
   target's requests (``services.composition.plan``).
2. On the database thread, in one go: save the draft with its ``batch_id`` (it is kept until
   every target is SENT), then write the jobs to the outbox — before any network call.
3. The outbox pump sends what is due, in parallel, off the GUI thread; Bluesky posts scheduled
   for later wait in the outbox, Mastodon ones are native scheduled statuses.
4. The watched batch is re-read after each run (and every half second while sending) so the
   publish panel shows en file → envoi → publié / échec; "Réessayer" calls ``retry`` then runs.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from paris_desk.core.model import Account, Draft
from paris_desk.services import images
from paris_desk.services.composition import Plan, Rules, plan, prepare_media
from paris_desk.services.linkcard import FetchedCard
from paris_desk.services.outbox import OutboxService
from paris_desk.services.workers import TaskManager
from paris_desk.store.drafts import DraftStore
from paris_desk.store.outbox import Job, JobState
from paris_desk.ui.composer.outbox_pump import OutboxPump
from paris_desk.ui.errors import describe

log = logging.getLogger(__name__)

POLL_MS = 500


def _prepare(draft: Draft, targets: Sequence[tuple[Account, Rules]], card: FetchedCard | None,
             now: datetime) -> Plan:
    try:
        media = prepare_media(draft, [rules.limits for _account, rules in targets])
    except OSError as exc:
        raise images.ImageError(f"{exc.filename}: {exc.strerror}") from exc
    return plan(draft, targets, media, card, now)


def _write(outbox: OutboxService, drafts: DraftStore, draft: Draft, the_plan: Plan) -> list[Job]:
    drafts.save(draft)
    jobs = outbox.publish(draft.batch_id, the_plan.now) if the_plan.now else []
    if the_plan.later:
        jobs += outbox.publish(draft.batch_id, the_plan.later, not_before=the_plan.when)
    return jobs


class PublishController(QObject):
    jobs_changed = Signal(str, list)  # batch id, its jobs
    queued = Signal(object)  # the Draft as saved with its batch id: the jobs are in the outbox
    failed = Signal(str)  # a sentence: nothing was queued, the draft is unchanged

    def __init__(self, tasks: TaskManager, outbox: OutboxService, drafts: DraftStore,
                 pump: OutboxPump, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._outbox = outbox
        self._drafts = drafts
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
        marked = replace(draft, batch_id=uuid.uuid4().hex)
        self._busy = True
        targets = list(targets)
        self._tasks.run(lambda: _prepare(marked, targets, card, now),
                        lambda the_plan: self._on_prepared(marked, the_plan), self._on_failed)

    def _on_prepared(self, draft: Draft, the_plan: Plan) -> None:
        outbox, drafts = self._outbox, self._drafts
        self._tasks.run_db(lambda: _write(outbox, drafts, draft, the_plan),
                           lambda jobs: self._on_written(draft, jobs), self._on_failed)

    def _on_written(self, draft: Draft, jobs: list[Job]) -> None:
        self._busy = False
        log.info("publication %s queued: %d job(s)", draft.batch_id, len(jobs))
        self.watch(draft.batch_id)
        self.jobs_changed.emit(draft.batch_id, jobs)
        self.queued.emit(draft)
        self._pump.run_now()

    def _on_failed(self, exc: Exception) -> None:
        self._busy = False
        if isinstance(exc, images.ImageError):
            self.failed.emit(self.tr("An image cannot be read or re-encoded ({detail}); nothing "
                                     "was published.").format(detail=str(exc)))
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
        outbox = self._outbox
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
        outbox = self._outbox
        self._tasks.run_db(lambda: outbox.retry(job_id), self._on_retried, self._on_failed)

    def _on_retried(self, _ok: bool) -> None:
        self._poll.start()
        self._pump.run_now()
        self.refresh()
