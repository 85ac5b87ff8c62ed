"""Inbox assignment in the window (team mode): "this mention is Marie's".

``install_assignment`` adds to an ``InboxView``:
- "Assign to…" on the selected item: the A key and the list's context menu, a button in the
  detail pane, and a row action for screen readers. It asks which member (``AssignDialog``),
  then calls ``TriageService.assign``, the call ``paris-desk assign`` makes;
- an "Assigned to me" filter in the filter bar;
- the team's state of the selected item in the detail pane ("Assigned to marie · Handled by
  marie at 10:42"; the rows show it through ``InboxRole.TEAM``).

A colleague's assignment shows through NOTIFY (``ui.team_live`` re-reads the inbox).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from paris_desk.services.inbox import InboxItem
from paris_desk.services.triage import NotAMember, TriageService
from paris_desk.ui import accessible
from paris_desk.ui.accessible import RowAction
from paris_desk.ui.errors import describe
from paris_desk.ui.inbox.model import team_text

if TYPE_CHECKING:
    from paris_desk.ui.inbox.view import InboxView
    from paris_desk.ui.shell.session import Session

log = logging.getLogger(__name__)

TriageSource = Callable[[], TriageService]


class AssignDialog(QDialog):
    """Which member takes care of the item."""

    def __init__(self, members: list[str], current: str = "", parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Assign to a colleague"))
        self.setAccessibleName(self.tr("Assign to a colleague"))
        self.member = QComboBox()
        self.member.setAccessibleName(self.tr("Colleague"))
        self.member.addItem(self.tr("Nobody"), "")
        for name in members:
            self.member.addItem(name, name)
        self.member.setCurrentIndex(max(self.member.findData(current), 0) if current
                                    else min(1, self.member.count() - 1))
        form = QFormLayout()
        label = QLabel(self.tr("&Colleague:"))
        label.setBuddy(self.member)
        form.addRow(label, self.member)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Assign"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def chosen(self) -> str:
        """The member chosen; "" for nobody."""
        return str(self.member.currentData() or "")


class InboxAssignment(QObject):
    assigned = Signal(str, str)  # item id, member ("" nobody): recorded in the team's database
    notice = Signal(str)

    def __init__(self, view: InboxView, triage: TriageSource, me: str) -> None:
        super().__init__(view)
        self.view = view
        self._triage = triage
        self.me = me
        # (members, current) -> the member chosen, "" for nobody, None when cancelled
        self.ask_member: Callable[[list[str], str], str | None] = self._ask
        self.assign_action = QAction(self.tr("Assign to…"), view.list)
        self.assign_action.setShortcut(QKeySequence("A"))
        self.assign_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.assign_action.setToolTip(self.tr("Assign to a colleague (A)"))
        self.assign_action.triggered.connect(self.assign_current)
        view.list.addAction(self.assign_action)
        view.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.mine_check = QCheckBox(self.tr("Assigned to &me"))
        self.mine_check.setAccessibleName(self.tr("Assigned to me only"))
        self.mine_check.toggled.connect(
            lambda on: view.proxy.set_assigned_to(self.me if on else ""))
        self.team_label = QLabel()
        self.team_label.setWordWrap(True)
        self.team_label.setAccessibleName(self.tr("Team"))
        self.assign_button = QToolButton()
        self.assign_button.setText(self.tr("Assign…"))
        self.assign_button.setToolTip(self.tr("Assign to a colleague (A)"))
        self.assign_button.setAccessibleName(self.tr("Assign to a colleague (A)"))
        self.assign_button.clicked.connect(self.assign_current)
        self._place()
        self._rows = view.row_actions
        accessible.set_row_actions(view.list, self.row_actions)
        view.list.selectionModel().currentChanged.connect(lambda *_: self.show_current())
        view.loaded.connect(self.show_current)
        self.show_current()

    def _place(self) -> None:
        view = self.view
        bar = view.counts_label.parentWidget().layout().itemAt(0).layout()  # type: ignore[union-attr]
        if isinstance(bar, QHBoxLayout):
            bar.insertWidget(bar.indexOf(view.todo_check) + 1, self.mine_check)
        detail = view.detail.layout()
        if isinstance(detail, QVBoxLayout):
            row = QHBoxLayout()
            row.addWidget(self.team_label, 1)
            row.addWidget(self.assign_button)
            detail.insertLayout(detail.indexOf(view.detail.header) + 1, row)

    def row_actions(self, index: QModelIndex) -> list[RowAction]:
        actions = self._rows(index)
        if index.isValid():
            def run() -> None:
                self.view.list.setCurrentIndex(index)
                self.assign_current()
            actions.append(RowAction("assign", self.tr("Assign to…"), run, "A"))
        return actions

    def show_current(self) -> None:
        item = self.view.current_item()
        text = team_text(item) if item is not None else ""
        self.team_label.setText(text)
        self.team_label.setVisible(bool(text))
        self.assign_button.setEnabled(item is not None)
        self.assign_action.setEnabled(item is not None)

    # -- assigning -----------------------------------------------------------------------------

    def assign_current(self) -> None:
        item = self.view.current_item()
        if item is None:
            return
        source = self._triage
        self.view.tasks.run(lambda: source().members(),
                            lambda members: self._chosen(item, members), self._on_error)

    def _chosen(self, item: InboxItem, members: list[str]) -> None:
        current = item.assigned.to if item.assigned is not None else ""
        name = self.ask_member(members, current)
        if name is None or (not name and not current):
            return
        key = (item.account_id, item.latest.id)
        url = item.post.url if item.post is not None else ""
        source = self._triage

        def done(_result: object) -> None:
            self.notice.emit(self.tr("Assigned to {name}.").format(name=name) if name
                             else self.tr("Assigned to nobody."))
            self.assigned.emit(f"{key[0]}/{key[1]}", name)
            self.view.reload()

        if name:
            self.view.tasks.run(lambda: source().assign(key, name, url=url), done,
                                self._on_error)
        else:
            self.view.tasks.run(lambda: source().unassign(key, url=url), done, self._on_error)

    def _ask(self, members: list[str], current: str) -> str | None:
        dialog = AssignDialog(members, current, self.view)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _on_error(self, exc: Exception) -> None:
        if isinstance(exc, NotAMember):
            self.view.error_occurred.emit(
                self.tr("{name} is not a member of the team.").format(name=str(exc)))
            return
        log.info("assignment failed: %s", exc)
        self.view.error_occurred.emit(describe(exc))


def install_assignment(view: InboxView, session: Session) -> InboxAssignment | None:
    """Assignment in ``view``, in a window in team mode; None outside a team."""
    from paris_desk.services.team import TeamService

    member = TeamService(session.accounts.profile).membership()
    if member is None:
        return None
    desk = session.desk

    def triage() -> TriageService:
        return desk.triage

    return InboxAssignment(view, triage, member.user)
