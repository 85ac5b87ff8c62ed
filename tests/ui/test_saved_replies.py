"""Saved replies in the inbox's reply box (issue 15), on the Mastodon sandbox: Ctrl+Shift+R
opens them, the chosen one is filled for the author and inserted after the address; the
dialog adds, changes and removes them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from paris_desk.services.accounts import AccountService
from paris_desk.services.desk import Desk
from paris_desk.services.workers import TaskManager
from paris_desk.store.profile import Profile
from paris_desk.ui.inbox.model import InboxRole
from paris_desk.ui.inbox.saved_replies import SavedRepliesDialog, install_saved_replies
from paris_desk.ui.inbox.view import InboxView

WAIT = 20_000  # ms: a hang guard only


@pytest.fixture
def desk(mastodon_sandbox: Any) -> Iterator[Desk]:
    accounts = AccountService(Profile.default())
    accounts.add_mastodon_token(mastodon_sandbox.base_url, mastodon_sandbox.token_for("ville"),
                                label="Mairie")
    desk = Desk(accounts)
    yield desk
    desk.close()


def test_insert_a_saved_reply_with_the_shortcut(
    qtbot: QtBot, tasks: TaskManager, desk: Desk, tmp_path: Path
) -> None:
    desk.saved_replies.save("Piscines", "Bonjour {auteur}, les horaires sont sur paris.fr "
                                        "({compte}).")
    view = InboxView(tasks, desk.inbox, desk.accounts.list,
                     QSettings(str(tmp_path / "inbox.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(view)
    menu = install_saved_replies(view, desk.saved_replies)
    with qtbot.waitSignals([view.loaded, view.loaded], timeout=WAIT):
        view.reload()
    qtbot.waitUntil(lambda: bool(menu.replies), timeout=WAIT)
    view.resize(1100, 700)
    view.show()
    qtbot.waitExposed(view)
    row = next(r for r in range(view.proxy.rowCount())
               if view.proxy.index(r, 0).data(InboxRole.KIND) == "mention")
    view.list.setCurrentIndex(view.proxy.index(row, 0))
    item = view.current_item()
    assert item is not None and item.post is not None
    view.start_reply()
    edit = view.detail.reply_edit
    prefix = edit.toPlainText()

    view.activateWindow()
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus, timeout=WAIT)
    qtbot.keyClick(edit, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(menu.menu.isVisible, timeout=WAIT)
    [choice] = [a for a in menu.menu.actions() if a.text() == "Piscines"]
    choice.trigger()

    name = item.post.author.display_name or item.post.author.handle.lstrip("@")
    assert edit.toPlainText() == (
        f"{prefix}Bonjour {name}, les horaires sont sur paris.fr (Mairie).")


def test_the_dialog_adds_changes_and_removes(qtbot: QtBot, tasks: TaskManager,
                                              desk: Desk) -> None:
    dialog = SavedRepliesDialog(tasks, desk.saved_replies)
    qtbot.addWidget(dialog)
    dialog.title.setText("Travaux")
    dialog.text.setPlainText("Les travaux finissent en juin, {auteur}.")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=WAIT)
    dialog.list.setCurrentRow(0)
    dialog.title.setText("Travaux rue de Rivoli")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.list.count() == 1
                    and dialog.list.item(0).text() == "Travaux rue de Rivoli", timeout=WAIT)
    assert [r.title for r in desk.saved_replies.list()] == ["Travaux rue de Rivoli"]
    dialog.remove_button.click()
    qtbot.waitUntil(lambda: dialog.list.count() == 0, timeout=WAIT)
    assert desk.saved_replies.list() == []
