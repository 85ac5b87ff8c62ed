"""Issue 12, point 6: a like or a share says which account acts and lets the user choose it
first; a share asks for a confirmation (on by default, off in the Préférences) and can be
undone from the line that says it was done."""

from __future__ import annotations

from typing import Any

import test_timeline_view
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Account, Network, Post
from paris_desk.ui.timeline.acting import ShareDialog
from paris_desk.ui.timeline.column import TimelineColumn
from paris_desk.ui.timeline.view import TimelineView

WAIT = 15_000
loaded = test_timeline_view.loaded
sandbox_accounts = test_timeline_view.sandbox_accounts  # fixtures shared with that file
timeline = test_timeline_view.timeline


def select_mastodon_post(qtbot: QtBot, view: TimelineView) -> tuple[TimelineColumn, int, Post]:
    column = loaded(qtbot, view)
    window = view.window()
    window.show()
    qtbot.waitExposed(window)
    row = next(r for r in range(column.model.rowCount())
               if column.model.post_at(r).network is Network.MASTODON
               and not column.model.post_at(r).liked and not column.model.post_at(r).reposted
               and column.model.post_at(r).repost_by is None)
    index = column.model.index(row)
    column.view.scrollTo(index)
    rect = column.view.visualRect(index)
    qtbot.mouseClick(column.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.topLeft() + QPoint(6, 6))  # the row's margin: no link, no image
    assert column.view.currentIndex().row() == row
    column.view.setFocus()
    return column, row, column.model.post_at(row)


def test_a_like_first_asks_which_account_likes(
    qtbot: QtBot, timeline: TimelineView, sandbox_accounts: list[Account], mastodon_sandbox: Any,
) -> None:
    column, _row, post = select_mastodon_post(qtbot, timeline)

    qtbot.keyClick(column.view, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    menu = QApplication.activePopupWidget()
    entries = [a.text() for a in menu.actions() if a.text()]
    assert entries[0] == "Like as…"
    assert len(entries) == 3
    assert all(" · Mastodon" in text for text in entries[1:])  # the handle and the network
    other = next(a for a in sandbox_accounts[:2] if a.id != post.seen_by[0])
    qtbot.keyClick(menu, Qt.Key.Key_Down)  # the other Mastodon account
    qtbot.keyClick(menu, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: timeline.undo_bar.isVisible(), timeout=WAIT)
    acct = other.handle.lstrip("@").split("@")[0]
    assert mastodon_sandbox.account_id(acct) in mastodon_sandbox.statuses[
        post.native_id].favourited_by
    assert other.label in timeline.undo_bar.label.text()


def test_a_share_is_confirmed_as_a_named_account_and_undone(
    qtbot: QtBot, timeline: TimelineView, sandbox_accounts: list[Account], mastodon_sandbox: Any,
) -> None:
    column, _row, post = select_mastodon_post(qtbot, timeline)
    status = mastodon_sandbox.statuses[post.native_id]
    owner = next(a for a in sandbox_accounts if a.id == post.seen_by[0])
    me = mastodon_sandbox.account_id(owner.handle.lstrip("@").split("@")[0])

    qtbot.keyClick(column.view, Qt.Key.Key_B)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ShareDialog))
    dialog = QApplication.activeModalWidget()
    assert owner.label in dialog.account.currentText()  # who will share, before sharing
    assert dialog.account.count() == 2
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert me not in status.reblogged_by  # cancelled: nothing shared

    qtbot.keyClick(column.view, Qt.Key.Key_B)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ShareDialog))
    dialog = QApplication.activeModalWidget()
    qtbot.mouseClick(dialog.share_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: me in status.reblogged_by, timeout=WAIT)
    qtbot.waitUntil(lambda: timeline.undo_bar.isVisible(), timeout=WAIT)
    assert owner.label in timeline.undo_bar.label.text()

    qtbot.mouseClick(timeline.undo_bar.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: me not in status.reblogged_by, timeout=WAIT)


def test_dont_ask_again_turns_the_confirmation_off_in_the_preferences(
    qtbot: QtBot, timeline: TimelineView, sandbox_accounts: list[Account], mastodon_sandbox: Any,
) -> None:
    column, row, _post = select_mastodon_post(qtbot, timeline)
    settings = timeline.settings
    assert settings is not None and settings.confirm_shares

    qtbot.keyClick(column.view, Qt.Key.Key_B)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ShareDialog))
    dialog = QApplication.activeModalWidget()
    dialog.dont_ask.setChecked(True)
    qtbot.keyClick(dialog.share_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: column.model.post_at(row).reposted, timeout=WAIT)
    assert settings.confirm_shares is False

    other = next(r for r in range(column.model.rowCount())
                 if column.model.post_at(r).network is Network.MASTODON
                 and not column.model.post_at(r).reposted and r != row)
    column.view.setCurrentIndex(column.model.index(other))
    qtbot.keyClick(column.view, Qt.Key.Key_B)  # no confirmation: which account, still
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    assert QApplication.activeModalWidget() is None
    assert QApplication.activePopupWidget().actions()[0].text() == "Share as…"
    QApplication.activePopupWidget().close()
