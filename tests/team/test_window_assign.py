"""Inbox assignment in two windows of one team (two profiles, two inbox views, pytest-qt, the
real private PostgreSQL cluster): Camille assigns a mention to Marie from her inbox (the A key,
the member asked); Marie's window shows "Assigned to marie" through NOTIFY, in the row and in
the detail pane, and her "Assigned to me" filter keeps only it; Marie's "Traité" then reads
"Handled by marie at HH:MM" in Camille's row."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from paris_desk.services.accounts import AccountService
from paris_desk.services.desk import Desk
from paris_desk.services.team import TeamService
from paris_desk.services.workers import TaskManager
from paris_desk.store.profile import Profile
from paris_desk.ui import accessible
from paris_desk.ui.inbox.assignment import AssignDialog, InboxAssignment, install_assignment
from paris_desk.ui.inbox.model import InboxRole
from paris_desk.ui.inbox.view import InboxView
from paris_desk.ui.shell.session import Session
from paris_desk.ui.team_live import ChangeThread, TeamLive
from team.test_window_live import WAIT, homes, rows

__all__ = ["homes"]


def inbox_window(qtbot: QtBot, tasks: TaskManager, home: Path
                 ) -> tuple[InboxView, Desk, TeamLive, InboxAssignment]:
    profile = Profile(home)
    accounts = AccountService(profile)
    desk = Desk(accounts, executors=tasks.executors)
    settings = QSettings(str(home / "inbox.ini"), QSettings.Format.IniFormat)
    view = InboxView(tasks, desk.inbox, accounts.list, settings)
    qtbot.addWidget(view)
    session = Session(tasks=tasks, accounts=accounts, add_accounts=accounts,
                      settings_path=home / "settings.json", desk=desk)
    assignment = install_assignment(view, session)
    assert assignment is not None
    with qtbot.waitSignals([view.loaded, view.loaded], timeout=WAIT):  # the store, the server
        view.reload()
    live = TeamLive(ChangeThread(TeamService(profile).listen), view)  # as install_team_live
    live.inbox_changed.connect(view.reload)
    with qtbot.waitSignal(live.thread_.listening, timeout=WAIT):
        live.start()
    view.resize(1100, 700)
    view.show()
    return view, desk, live, assignment


def row_of(view: InboxView, key: tuple[str, str, str]) -> int:
    return next(r for r, item in enumerate(rows(view)) if item.key == key)


def test_assign_from_the_inbox_and_see_it_in_the_colleagues_window(
    qtbot: QtBot, tasks: TaskManager, homes: dict[str, Path]
) -> None:
    camille, camille_desk, camille_live, camille_assign = inbox_window(
        qtbot, tasks, homes["camille"])
    marie, marie_desk, marie_live, marie_assign = inbox_window(qtbot, tasks, homes["marie"])
    try:
        me = marie_assign.me
        assert me.startswith("marie_") and camille_assign.me.startswith("camille_")
        row = next(r for r, item in enumerate(rows(camille)) if item.group.needs_action)
        camille.list.setCurrentIndex(camille.proxy.index(row, 0))
        item = camille.current_item()
        assert item is not None and item.assigned is None
        assert not camille_assign.team_label.isVisibleTo(camille)  # nothing to say yet

        # The row's actions for screen readers, the context menu and the A key offer it.
        actions = accessible.row_actions(camille.list, camille.proxy.index(row, 0))
        assert "assign" in [a.name for a in actions]
        assert camille_assign.assign_action in camille.list.actions()
        assert camille.list.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
        asked: list[tuple[list[str], str]] = []

        def choose(members: list[str], current: str) -> str:
            asked.append((members, current))
            return me

        camille_assign.ask_member = choose
        camille.activateWindow()
        camille.list.setFocus()
        with qtbot.waitSignal(camille_assign.assigned, timeout=WAIT) as done:
            qtbot.keyClick(camille.list, Qt.Key.Key_A)  # the keyboard alone
        assert done.args == [f"{item.account_id}/{item.latest.id}", me]
        (members, current), = asked
        assert me in members and camille_assign.me in members and current == ""

        # Marie's window follows, by NOTIFY: the row, the detail pane, the filter.
        def assigned_for_marie() -> bool:
            mine = next((i for i in rows(marie) if i.key == item.key), None)
            return mine is not None and mine.assigned is not None

        qtbot.waitUntil(assigned_for_marie, timeout=WAIT)
        index = marie.proxy.index(row_of(marie, item.key), 0)
        assert index.data(InboxRole.TEAM) == f"Assigned to {me}"
        assert f"Assigned to {me}." in index.data(Qt.ItemDataRole.AccessibleTextRole)
        marie.list.setCurrentIndex(index)
        assert marie_assign.team_label.text() == f"Assigned to {me}"
        assert marie_assign.team_label.isVisibleTo(marie)
        total = marie.proxy.rowCount()
        marie_assign.mine_check.setChecked(True)  # "Assigned to me"
        assert [i.key for i in rows(marie)] == [item.key] and total > 1
        marie_assign.mine_check.setChecked(False)
        assert marie.proxy.rowCount() == total

        # Marie marks it "Traité": Camille's row says who, and when.
        marie.list.setCurrentIndex(marie.proxy.index(row_of(marie, item.key), 0))
        marie.toggle_handled()

        def handled_for_camille() -> bool:
            mine = next((i for i in rows(camille) if i.key == item.key), None)
            return mine is not None and mine.handled is not None and bool(mine.handled.by)

        qtbot.waitUntil(handled_for_camille, timeout=WAIT)
        team = camille.proxy.index(row_of(camille, item.key), 0).data(InboxRole.TEAM)
        assert team.startswith(f"Assigned to {me} · Handled by {me} at ")
        camille.list.setCurrentIndex(camille.proxy.index(row_of(camille, item.key), 0))
        assert camille_assign.team_label.text() == team

        # Camille takes it back ("Nobody"): Marie's row no longer says it is hers.
        camille_assign.ask_member = lambda members, current: (
            asked.append((members, current)), "")[1]
        with qtbot.waitSignal(camille_assign.assigned, timeout=WAIT) as done:
            camille_assign.assign_action.trigger()
        assert done.args == [f"{item.account_id}/{item.latest.id}", ""]
        assert asked[-1][1] == me  # the dialog opened on the current assignee

        def unassigned_for_marie() -> bool:
            mine = next((i for i in rows(marie) if i.key == item.key), None)
            return mine is not None and mine.assigned is None

        qtbot.waitUntil(unassigned_for_marie, timeout=WAIT)
        text = marie.proxy.index(row_of(marie, item.key), 0).data(InboxRole.TEAM)
        assert text.startswith(f"Handled by {me} at ")
    finally:
        for live in (camille_live, marie_live):
            live.stop()
        for desk in (camille_desk, marie_desk):
            desk.close()


def test_the_dialog_offers_nobody_and_opens_on_the_current_assignee(qtbot: QtBot) -> None:
    dialog = AssignDialog(["camille", "marie"], "marie")
    qtbot.addWidget(dialog)
    assert [dialog.member.itemText(i) for i in range(dialog.member.count())] == [
        "Nobody", "camille", "marie"]
    assert dialog.chosen() == "marie"
    dialog.member.setCurrentIndex(0)
    assert dialog.chosen() == ""
    fresh = AssignDialog(["camille", "marie"])
    qtbot.addWidget(fresh)
    assert fresh.chosen() == "camille"  # a member, not "nobody", when nobody has it yet
