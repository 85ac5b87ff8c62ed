"""The accounts panel over the real AccountService: rename, recolour, reorder and remove reach
the store (and the keychain); a failed save reloads the list and says why, in French."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QColorDialog, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Account
from paris_desk.services.accounts import AccountService
from paris_desk.services.workers import TaskManager
from paris_desk.store.accounts import AccountStore
from paris_desk.store.keychain import account_key
from paris_desk.ui.accounts.model import AccountRole
from paris_desk.ui.accounts.panel import AccountsPanel


@pytest.fixture
def panel(
    qtbot: QtBot, tasks: TaskManager, service: AccountService, seeded: list[Account]
) -> Iterator[AccountsPanel]:
    widget = AccountsPanel(tasks, service)
    qtbot.addWidget(widget)
    widget.show()
    widget.reload()
    qtbot.waitUntil(lambda: widget.model.rowCount() == len(seeded))
    yield widget


def stored_ids(service: AccountService) -> list[str]:
    return [account.id for account in service.list()]


def test_reload_lists_accounts_in_the_stored_order(
    panel: AccountsPanel, seeded: list[Account]
) -> None:
    assert panel.model.ids() == [account.id for account in seeded]
    assert panel.selected() is None
    assert not panel.rename_action.isEnabled()


def test_rename_through_the_dialog_saves_the_label(
    qtbot: QtBot, panel: AccountsPanel, service: AccountService, seeded: list[Account]
) -> None:
    panel.select(seeded[2].id)
    panel.rename_action.trigger()
    dialog = panel.findChild(QInputDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.setTextValue("  Sports  ")
    dialog.accept()
    assert panel.model.index(2).data() == "Sports"  # shown at once
    qtbot.waitUntil(lambda: service.get(seeded[2].id).label == "Sports")


def test_recolour_through_the_dialog_saves_the_colour(
    qtbot: QtBot, panel: AccountsPanel, service: AccountService, seeded: list[Account]
) -> None:
    panel.select(seeded[0].id)
    panel.recolor_action.trigger()
    dialog = panel.findChild(QColorDialog)
    assert dialog is not None
    dialog.setCurrentColor("#123456")
    dialog.accept()
    qtbot.waitUntil(lambda: service.get(seeded[0].id).color == "#123456")
    assert panel.model.index(0).data(AccountRole.COLOR) == "#123456"


def test_move_down_and_up_reorder_the_store(
    qtbot: QtBot, panel: AccountsPanel, service: AccountService, seeded: list[Account]
) -> None:
    first, second, third = (account.id for account in seeded)
    panel.select(first)
    assert not panel.move_up_action.isEnabled()
    panel.move_down_action.trigger()
    assert panel.model.ids() == [second, first, third]
    qtbot.waitUntil(lambda: stored_ids(service) == [second, first, third])
    panel.move_down_action.trigger()
    assert not panel.move_down_action.isEnabled()  # now last
    qtbot.waitUntil(lambda: stored_ids(service) == [second, third, first])
    panel.move_up_action.trigger()
    qtbot.waitUntil(lambda: stored_ids(service) == [second, first, third])
    assert panel.selected() is not None and panel.selected().id == first


def test_remove_after_confirmation_deletes_account_and_secret(
    qtbot: QtBot, panel: AccountsPanel, service: AccountService, seeded: list[Account]
) -> None:
    target = seeded[1]
    panel.select(target.id)
    panel.remove_action.trigger()
    box = panel.findChild(QMessageBox)
    assert box is not None and target.label in box.text()
    remove = next(
        b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole
    )
    remove.click()
    assert target.id not in panel.model.ids()
    qtbot.waitUntil(lambda: target.id not in stored_ids(service), timeout=10000)
    assert service.keychain.get(account_key(target.id)) is None


def test_remove_cancelled_keeps_the_account(
    qtbot: QtBot, panel: AccountsPanel, service: AccountService, seeded: list[Account]
) -> None:
    panel.select(seeded[0].id)
    panel.remove_action.trigger()
    box = panel.findChild(QMessageBox)
    assert box is not None
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert panel.model.rowCount() == 3
    assert stored_ids(service) == [account.id for account in seeded]


def test_failed_save_reloads_and_reports_in_french(
    qtbot: QtBot,
    french: object,
    panel: AccountsPanel,
    service: AccountService,
    seeded: list[Account],
) -> None:
    gone = seeded[0]
    AccountStore(service.db).remove(gone.id)  # removed elsewhere (e.g. by the CLI)
    with qtbot.waitSignal(panel.error_occurred, timeout=3000) as blocker:
        panel.relabel(gone.id, "Nouvelle mairie")
    # the window's sentence is the catalogue's, the CLI's too: it names the account
    assert blocker.args == [f"Aucun compte «\N{NO-BREAK SPACE}{gone.handle}\N{NO-BREAK SPACE}» "
                            "dans paris_desk."]
    qtbot.waitUntil(lambda: gone.id not in panel.model.ids())
    assert panel.model.rowCount() == 2
