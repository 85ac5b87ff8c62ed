"""Where each target of a publication stands: en file, envoi, publié (with a link), échec (with
the reason and a "Réessayer" button), one row per account and thread part.

A failed attempt shows at once, with its reason and the time of the next try, and the row
offers "Réessayer maintenant" and "Annuler". A post the server refused for good (too long,
blank, not allowed) offers no retry: the same post would be refused again.

Jobs come from the outbox (``store.outbox.Job``); a failure is worded by the catalogue
(``Sentences.job_failure``: the reason, then the post's fate), the sentence the command line
prints for the same job.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, QLocale, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from paris_desk.core.model import Account
from paris_desk.services.api import Job, JobState
from paris_desk.services.sentences import refused_for_good
from paris_desk.ui.accounts.model import display_text
from paris_desk.ui.accounts.naming import account_title
from paris_desk.ui.errors import sentences
from paris_desk.ui.theme import tone_style


class PublishPanel(QWidget):
    retry_requested = Signal(int)  # job id
    cancel_requested = Signal(int)  # job id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Publication status"))
        self.title = QLabel(self.tr("Publication"))
        self.title.setStyleSheet("font-weight: bold;")
        self.summary = QLabel()
        self.summary.setAccessibleName(self.tr("Summary of the publication"))
        # Per job: the account and its buttons on one line, the state under them, the whole
        # width (a long handle left the reason a narrow column at 1100 px).
        self.grid = QGridLayout()
        self.grid.setColumnStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addLayout(self.grid)
        self._widgets: list[QWidget] = []
        self._states: dict[int, str] = {}
        self.retry_buttons: dict[int, QPushButton] = {}
        self.cancel_buttons: dict[int, QPushButton] = {}
        self.hide()

    def state_texts(self) -> dict[int, str]:
        """Job id → the state shown (for tests and screen readers)."""
        return dict(self._states)

    def clear(self) -> None:
        for widget in self._widgets:
            self.grid.removeWidget(widget)
            widget.deleteLater()
        self._widgets = []
        self._states = {}
        self.retry_buttons = {}
        self.cancel_buttons = {}
        self.hide()

    def show_jobs(self, jobs: list[Job], accounts: dict[str, Account]) -> None:
        self.clear()
        if not jobs:
            return
        threads = {j.account_id: 0 for j in jobs}
        for job in jobs:
            threads[job.account_id] += 1
        for row, job in enumerate(jobs):
            account = accounts.get(job.account_id)
            name = display_text(account) if account else job.account_id
            if threads[job.account_id] > 1:
                name = self.tr("{account}, part {n}/{total}").format(
                    account=name, n=job.part + 1, total=threads[job.account_id])
            self._add_row(row, job, name, account_title(account) if account else name)
        sent = sum(1 for j in jobs if j.state is JobState.SENT)
        self.summary.setText(self.tr("%n of {total} sent", "", sent).format(total=len(jobs)))
        self.summary.setAccessibleDescription(self.summary.text())
        self.show()

    def _add_row(self, row: int, job: Job, name: str, title: str) -> None:
        """``name`` in the sentences; ``title`` (name, handle, network) beside them."""
        account_label = QLabel(title)
        account_label.setWordWrap(True)
        state = QLabel()
        state.setWordWrap(True)
        state.setTextFormat(Qt.TextFormat.RichText)
        state.linkActivated.connect(self._on_link)
        text, rich, style = self._describe(job, name)
        state.setText(rich)
        state.setStyleSheet(style)
        state.setAccessibleName(self.tr("State for {account}").format(account=name))
        state.setAccessibleDescription(text)
        self._states[job.id] = text
        line = 2 * row
        self.grid.addWidget(account_label, line, 0)
        self.grid.addWidget(state, line + 1, 0, 1, 3)
        self._widgets += [account_label, state]
        waiting = job.state is JobState.PENDING and bool(job.error_kind)
        if (job.state is JobState.FAILED and not refused_for_good(job)) or waiting:
            text = self.tr("Retry now") if waiting else self.tr("Retry")
            button = QPushButton(text)
            button.setAccessibleName(self.tr("{action} for {account}").format(
                action=text, account=name))
            button.clicked.connect(lambda _c=False, i=job.id: self._on_retry(i))
            self.grid.addWidget(button, line, 1)
            self._widgets.append(button)
            self.retry_buttons[job.id] = button
        if job.state in (JobState.FAILED, JobState.PENDING) and (waiting or job.error_kind):
            cancel = QPushButton(self.tr("Cancel"))
            cancel.setAccessibleName(self.tr("Cancel the post for {account}").format(account=name))
            cancel.clicked.connect(lambda _c=False, i=job.id: self._on_cancel(i))
            self.grid.addWidget(cancel, line, 2)
            self._widgets.append(cancel)
            self.cancel_buttons[job.id] = cancel

    def _describe(self, job: Job, name: str) -> tuple[str, str, str]:
        """(plain text, rich text, style) of a job's state."""
        if job.state is JobState.SENT:
            if job.request.scheduled_at is not None:
                text = self.tr("scheduled on the server for {when}").format(
                    when=_when(job.request.scheduled_at))
                return text, html.escape(text), tone_style("success", bold=True)
            text = self.tr("published")
            link = job.result_url or job.result_uri
            rich = html.escape(text)
            if job.result_url.startswith(("http://", "https://")):
                href, label = html.escape(job.result_url), html.escape(self.tr("see"))
                rich += f' — <a href="{href}">{label}</a>'
            return (f"{text} — {link}" if link else text, rich,
                    tone_style("success", bold=True))
        if job.state is JobState.FAILED:
            reason = sentences().job_failure(job, name)
            text = (self.tr("refused: {reason}") if refused_for_good(job)
                    else self.tr("failed: {reason}")).format(reason=reason)
            return text, html.escape(text), tone_style("error")
        if job.state is JobState.PENDING and job.error_kind:
            moment = datetime.fromtimestamp(max(job.not_before_us, 0) / 1_000_000, UTC)
            reason = sentences().job_failure(job, name, next_try=_when(moment))
            text = self.tr("attempt {n} failed: {reason}").format(
                n=max(job.attempts, 1), reason=reason)
            return text, html.escape(text), tone_style("warning")
        if job.state is JobState.SENDING:
            text = self.tr("sending…")
        elif job.state is JobState.CANCELLED:
            text = self.tr("cancelled")
        elif job.not_before_us > datetime.now(UTC).timestamp() * 1_000_000 and not job.attempts:
            moment = datetime.fromtimestamp(job.not_before_us / 1_000_000, UTC)
            text = self.tr("queued, sent by paris_desk at {when}").format(when=_when(moment))
        else:
            text = self.tr("queued")
        return text, html.escape(text), ""

    def _on_retry(self, job_id: int) -> None:
        button = self.retry_buttons.get(job_id)
        if button is not None:
            button.setEnabled(False)
        self.retry_requested.emit(job_id)

    def _on_cancel(self, job_id: int) -> None:
        button = self.cancel_buttons.get(job_id)
        if button is not None:
            button.setEnabled(False)
        self.cancel_requested.emit(job_id)

    @staticmethod
    def _on_link(link: str) -> None:
        url = QUrl(link)
        if url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)


def _when(moment: datetime) -> str:
    local = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))
    return QLocale().toString(local, QLocale.FormatType.ShortFormat)
