"""Approval before publication, in the window (team mode).

``ApprovalsView`` (View › Validations, Ctrl+<n>) lists the publications waiting for a
validateur: author, time, accounts, schedule and text. A validateur approves one (its jobs go to
the team's outbox with their schedule) or rejects it with a comment for its author; a redacteur
sees the list, read-only. Both decisions are ``Desk.approvals`` calls, the ones ``paris-desk
approve`` and ``reject`` make, run off the GUI thread.

``TeamApprovals`` follows the team's live changes (``TeamLive.approval_changed``): the list is
read again; a validateur gets a desktop notification for each new request from a colleague;
an author whose submission was decided hears of it, and a rejected one comes back to the
drafts (``ApprovalService.take_back``) with the validateur's comment. Decisions made while the
author's window was closed are told at its next start, once (``team.ini`` in the profile keeps
the time of the last one told).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QDateTime,
    QLocale,
    QObject,
    QSettings,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from paris_desk.services.approvals import (
    AlreadyDecided,
    Approval,
    ApprovalService,
    ApprovalState,
    OwnSubmission,
    Returned,
)
from paris_desk.services.team import TeamRefused
from paris_desk.services.workers import TaskManager
from paris_desk.ui import accessible
from paris_desk.ui.errors import describe

if TYPE_CHECKING:
    from paris_desk.services.api import Job
    from paris_desk.ui.shell.main_window import MainWindow
    from paris_desk.ui.shell.session import Session
    from paris_desk.ui.team_live import TeamLive

log = logging.getLogger(__name__)

VIEW = "approvals"
SEEN_FILE = "team.ini"  # in the profile: what this member was told of
SEEN_KEY = "approvals/decided_seen"  # the time of the last decision told (the server's clock)
FIRST_LOOK_BACK = timedelta(days=1)  # no mark yet: the decisions of the last day
EXCERPT_CHARS = 80
ApprovalSource = Callable[[], ApprovalService]


def when_text(moment: datetime) -> str:
    local = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))
    return QLocale().toString(local, QLocale.FormatType.ShortFormat)


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


class ApprovalsView(QWidget):
    error_occurred = Signal(str)
    notice = Signal(str)
    loaded = Signal()  # the list was read again
    requested = Signal(list)  # approvals pending that were not there at the last read
    decided = Signal(object)  # an Approval this member just decided

    def __init__(self, tasks: TaskManager, approvals: ApprovalSource,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("approvals")
        self.setAccessibleName(self.tr("Approvals"))
        self._tasks = tasks
        self._approvals = approvals
        self._pending: dict[int, Approval] = {}
        self._known: set[int] | None = None  # None until the first read
        self._can_decide = False
        self._busy = False

        self.heading = QLabel(self.tr("Publications awaiting approval"))
        self.heading.setStyleSheet("font-weight: bold;")
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Publications awaiting approval"))
        self.heading.setBuddy(self.list)
        self.empty = QLabel(self.tr("No publication is awaiting approval."))
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.detail.setAccessibleName(self.tr("Publication submitted"))
        self.comment_label = QLabel(self.tr("Co&mment for the author:"))
        self.comment = QPlainTextEdit()
        self.comment.setAccessibleName(self.tr("Comment for the author"))
        self.comment.setPlaceholderText(self.tr("Required to reject: what should change?"))
        self.comment.setTabChangesFocus(True)
        self.comment.setMaximumHeight(90)
        self.comment_label.setBuddy(self.comment)
        self.approve_button = QPushButton(self.tr("Ap&prove"))
        self.approve_button.setAccessibleName(self.tr("Approve the selected publication"))
        self.reject_button = QPushButton(self.tr("&Reject…"))
        self.reject_button.setAccessibleName(
            self.tr("Reject the selected publication, with the comment"))
        self.role_note = QLabel(self.tr("Only a validateur can approve or reject."))
        self.role_note.setWordWrap(True)
        self.role_note.hide()

        buttons = QHBoxLayout()
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 2)
        layout.addWidget(self.empty)
        layout.addWidget(self.detail, 1)
        layout.addWidget(self.role_note)
        layout.addWidget(self.comment_label)
        layout.addWidget(self.comment)
        layout.addLayout(buttons)

        self.list.currentRowChanged.connect(lambda _row: self._show_current())
        self.approve_button.clicked.connect(self.approve_current)
        self.reject_button.clicked.connect(self.reject_current)
        self._show_current()

    def focus_target(self) -> QWidget:
        return self.list

    # -- reading ----------------------------------------------------------------------------

    def reload(self) -> None:
        source = self._approvals

        def read() -> tuple[list[Approval], bool]:
            service = source()
            return service.list(), service.can_decide()

        self._tasks.run(read, self._on_loaded, self._on_error)

    def _on_loaded(self, loaded: tuple[list[Approval], bool]) -> None:
        approvals, can_decide = loaded
        self._can_decide = can_decide
        current = self.current()
        self._pending = {a.id: a for a in approvals}
        fresh = [a for a in approvals if self._known is not None and a.id not in self._known]
        self._known = set(self._pending)
        self.list.blockSignals(True)
        self.list.clear()
        for approval in approvals:
            item = QListWidgetItem(self._row_text(approval))
            item.setData(Qt.ItemDataRole.UserRole, approval.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, self._row_text(approval))
            self.list.addItem(item)
        self.list.blockSignals(False)
        keep = current.id if current is not None and current.id in self._pending else None
        row = next((r for r, a in enumerate(approvals) if a.id == keep), 0)
        if approvals:
            self.list.setCurrentRow(row)
        self._show_current()
        if fresh:
            self.requested.emit(fresh)
        self.loaded.emit()

    def _row_text(self, approval: Approval) -> str:
        schedule = (self.tr(", scheduled for {when}").format(when=when_text(approval.schedule))
                    if approval.schedule else "")
        return self.tr("No. {id} by {author}, {when}, to {accounts}{schedule}: “{text}”").format(
            id=approval.id, author=approval.author, when=when_text(approval.submitted_at),
            accounts=", ".join(approval.targets), schedule=schedule,
            text=excerpt(approval.text))

    @property
    def loaded_once(self) -> bool:
        return self._known is not None

    @property
    def can_decide(self) -> bool:
        """This member may decide (as read with the list)."""
        return self._can_decide

    def approvals(self) -> list[Approval]:
        return list(self._pending.values())

    def current(self) -> Approval | None:
        item = self.list.currentItem()
        if item is None:
            return None
        return self._pending.get(int(item.data(Qt.ItemDataRole.UserRole)))

    def select(self, approval_id: int) -> bool:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == approval_id:
                self.list.setCurrentRow(row)
                return True
        return False

    def _show_current(self) -> None:
        approval = self.current()
        has_any = self.list.count() > 0
        self.list.setVisible(has_any)
        self.empty.setVisible(not has_any)
        self.role_note.setVisible(has_any and not self._can_decide)
        for widget in (self.approve_button, self.reject_button, self.comment):
            widget.setEnabled(approval is not None and self._can_decide and not self._busy)
        if approval is None:
            self.detail.clear()
            return
        when = (self.tr("Scheduled for {when}.").format(when=when_text(approval.schedule))
                if approval.schedule else self.tr("Published as soon as it is approved."))
        self.detail.setText(self.tr("Submitted by {author} on {when}, to {accounts}. {schedule}"
                                    "\n\n{text}").format(
            author=approval.author, when=when_text(approval.submitted_at),
            accounts=", ".join(approval.targets), schedule=when, text=approval.text))

    # -- deciding ---------------------------------------------------------------------------

    @Slot()
    def approve_current(self) -> None:
        approval = self.current()
        if approval is None or self._busy:
            return
        source = self._approvals
        self._set_busy(True)
        self._tasks.run(lambda: source().approve(approval.id), self._on_approved,
                        self._on_decide_failed)

    @Slot()
    def reject_current(self) -> None:
        approval = self.current()
        if approval is None or self._busy:
            return
        comment = self.comment.toPlainText().strip()
        if not comment:
            sentence = self.tr("Say in the comment what should change: its author will read it.")
            self.error_occurred.emit(sentence)
            accessible.announce(self.comment, sentence, assertive=True)
            self.comment.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        source = self._approvals
        self._set_busy(True)
        self._tasks.run(lambda: source().reject(approval.id, comment), self._on_rejected,
                        self._on_decide_failed)

    def _on_approved(self, result: tuple[Approval, list[Job]]) -> None:
        approval, jobs = result
        self._set_busy(False)
        self.notice.emit(self.tr(
            "Publication no. {id} by {author} approved: %n post(s) in the team's outbox.", "",
            len(jobs)).format(id=approval.id, author=approval.author))
        self.decided.emit(approval)
        self.reload()

    def _on_rejected(self, approval: Approval) -> None:
        self._set_busy(False)
        self.comment.clear()
        self.notice.emit(self.tr("Publication no. {id} by {author} rejected; its author will "
                                 "see your comment.").format(id=approval.id,
                                                             author=approval.author))
        self.decided.emit(approval)
        self.reload()

    def _on_decide_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        if isinstance(exc, AlreadyDecided):
            state = (self.tr("approved") if exc.approval.state is ApprovalState.APPROVED
                     else self.tr("rejected"))
            sentence = self.tr("Publication no. {id} was already {state} by {who}.").format(
                id=exc.approval.id, state=state, who=exc.approval.decided_by or "?")
        elif isinstance(exc, OwnSubmission):
            sentence = self.tr("Nobody approves their own publication: another validateur "
                               "must decide. Nothing was changed.")
        elif isinstance(exc, TeamRefused):
            sentence = self.tr("The team's database refused: only a validateur decides. "
                               "Nothing was changed.")
        else:
            sentence = describe(exc)
        self.error_occurred.emit(sentence)
        self.reload()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._show_current()

    def _on_error(self, exc: Exception) -> None:
        log.info("approvals: cannot read them: %s", exc)
        self.error_occurred.emit(describe(exc))


class TeamApprovals(QObject):
    """What a decision or a request means for this member (see the module docstring)."""

    notify = Signal(str, str)  # title, body: a desktop notification
    notice = Signal(str)  # a sentence for the window's message bar
    returned = Signal(object)  # a Returned: the draft is back with its author
    drafts_changed = Signal()  # a decision brought back or linked a local draft

    def __init__(self, tasks: TaskManager, view: ApprovalsView, approvals: ApprovalSource,
                 me: str, seen: QSettings | None = None, parent: QObject | None = None
                 ) -> None:
        """``seen`` keeps when the last decision this member was told of was made (so one
        made while the window was closed is told at the next start, and only once)."""
        super().__init__(parent)
        self._tasks = tasks
        self._view = view
        self._approvals = approvals
        self.me = me
        self._seen = seen
        self._catching_up = False
        self._again = False
        self.told: list[Returned] = []  # the decisions told in this window, in order
        self.catch_ups = 0  # how many catch-ups have completed
        view.requested.connect(self._on_requested)

    @Slot(object)
    def on_change(self, data: object) -> None:
        """One ``approval`` change from the team (``TeamLive.approval_changed``)."""
        change = data if isinstance(data, dict) else {}
        self._view.reload()
        if change.get("author") == self.me and change.get("state") in ("approved", "rejected"):
            self.catch_up()

    def catch_up(self) -> None:
        """Tell this member of the decisions on their submissions since the last one told
        (at start: those made while the window was closed; the first time, a day's)."""
        if self._catching_up:
            self._again = True
            return
        self._catching_up = True
        since = self._last_seen()
        source = self._approvals
        self._tasks.run_db(lambda: source().decisions_since(since), self._on_decisions,
                           self._on_catch_up_failed)

    def _last_seen(self) -> datetime:
        raw = str(self._seen.value(SEEN_KEY, "") or "") if self._seen is not None else ""
        try:
            return datetime.fromisoformat(raw)
        except ValueError:
            return datetime.now(UTC) - FIRST_LOOK_BACK

    def _on_decisions(self, decisions: list[Returned]) -> None:
        self.told += decisions
        for decision in decisions:
            if decision.approval.state is ApprovalState.REJECTED:
                self._on_taken_back(decision)
            else:
                self._on_approved(decision.approval)
        if any(d.draft is not None for d in decisions):
            self.drafts_changed.emit()
        moments = [d.approval.decided_at for d in decisions if d.approval.decided_at]
        if moments and self._seen is not None:
            self._seen.setValue(SEEN_KEY, max(moments).isoformat())
            self._seen.sync()
        self._done_catching_up()

    def _on_catch_up_failed(self, exc: Exception) -> None:
        self._on_error(exc)
        self._done_catching_up()

    def _done_catching_up(self) -> None:
        self.catch_ups += 1
        self._catching_up = False
        if self._again:
            self._again = False
            self.catch_up()

    def _on_requested(self, approvals: list[Approval]) -> None:
        if not self._view.can_decide:
            return
        theirs = [a for a in approvals if a.author != self.me]
        if not theirs:
            return
        if len(theirs) == 1:
            title = self.tr("Approval requested by {author}").format(author=theirs[0].author)
            body = excerpt(theirs[0].text, 200)
        else:
            title = self.tr("%n approval(s) requested", "", len(theirs))
            body = "\n".join(f"{a.author}: {excerpt(a.text, 60)}" for a in theirs[:3])
        self.notify.emit(title, body)

    def _on_taken_back(self, returned: Returned) -> None:
        approval = returned.approval
        title = self.tr("Publication no. {id} rejected by {who}").format(
            id=approval.id, who=approval.decided_by or "?")
        sentence = self.tr("{title}: “{comment}”. It is back in your drafts.").format(
            title=title, comment=approval.comment)
        self.notice.emit(sentence)
        self.notify.emit(title, approval.comment)
        self.returned.emit(returned)

    def _on_approved(self, approval: Approval) -> None:
        self.notice.emit(self.tr("Publication no. {id} approved by {who}: it goes to the "
                                 "team's outbox.").format(id=approval.id,
                                                          who=approval.decided_by or "?"))

    def _on_error(self, exc: Exception) -> None:
        log.info("approvals: %s", exc)
        self.notice.emit(describe(exc))


def install_approvals(window: MainWindow, session: Session, live: TeamLive
                      ) -> ApprovalsView | None:
    """The approvals view (View › Approvals) and the team's decisions followed live, in a
    window in team mode (``install_team_live`` gave ``live``); None outside a team."""
    from paris_desk.services.team import TeamService
    from paris_desk.ui.shell.tray import InboxTray

    member = TeamService(session.accounts.profile).membership()
    if member is None:
        return None
    me, desk = member.user, session.desk

    def approvals() -> ApprovalService:
        return desk.approvals

    view = ApprovalsView(session.tasks, approvals, window)
    title = QCoreApplication.translate("ApprovalsView", "A&pprovals")
    entry = window.add_view(VIEW, view, title)

    def counted() -> None:  # the View menu says how many wait
        count = len(view.approvals())
        entry.setText(QCoreApplication.translate("ApprovalsView", "A&pprovals ({count})")
                      .format(count=count) if count else title)

    view.loaded.connect(counted)
    view.error_occurred.connect(window.show_error)
    view.notice.connect(window.show_notice)
    seen = QSettings(str(session.accounts.profile.root / SEEN_FILE), QSettings.Format.IniFormat)
    team = TeamApprovals(session.tasks, view, approvals, me, seen, view)
    live.approval_changed.connect(team.on_change)
    team.notice.connect(window.show_notice)
    tray = window.findChild(InboxTray)
    if tray is not None:
        team.notify.connect(lambda title, body: tray.notify(title, body, VIEW))
        tray.view_requested.connect(lambda name: _show(window, name))
    composer = window.findChild(QWidget, "composer")
    reload_drafts = getattr(composer, "reload_drafts", None)
    if callable(reload_drafts):
        team.drafts_changed.connect(reload_drafts)
    view.reload()
    team.catch_up()  # decided while this window was closed
    return view


def _show(window: MainWindow, name: str) -> None:
    window.show_view(name)
    window.showNormal()
    window.raise_()
    window.activateWindow()
