"""Issue 12, point 8: names that cannot be mixed up ("Bienvenue" beside "Fil d'accueil",
"Toutes les minutes"), the page shown once the last account is removed, the sandbox banner once
an account was added, and the welcome that does not offer the sandbox from inside it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Account
from paris_desk.services.accounts import AccountService
from paris_desk.store.profile import Profile
from paris_desk.ui.accounts.dialogs import MastodonAccountDialog
from paris_desk.ui.shell.main_window import MainWindow
from paris_desk.ui.shell.welcome import install_welcome
from paris_desk.ui.timeline.view import install_timeline

WAIT = 15_000


@pytest.fixture
def real_accounts(tmp_path: Path) -> AccountService:
    other = AccountService(Profile(tmp_path / "real"))
    yield other  # type: ignore[misc]
    other.close()


def test_the_views_and_the_refresh_menu_read_well_in_french(
    qtbot: QtBot, french: object, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    view = install_timeline(window, window.session)
    names = [a.text().replace("&", "") for a in window.view_menu.actions() if a.data()]
    assert names[:2] == ["Bienvenue", "Fil d’accueil"]
    every = {a.data(): a.text() for a in view._interval_group.actions()}
    assert every[60] == "Toutes les minutes"
    assert every[300] == "Toutes les 5 minutes"


def remove_selected(qtbot: QtBot, window: MainWindow) -> None:
    """Account selected in the panel, Delete, then "Remove" in the question."""
    panel = window.accounts_panel
    rect = panel.view.visualRect(panel.model.index(0))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    box = QApplication.activeModalWidget()
    remove = next(b for b in box.buttons()
                  if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole)
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)


def test_after_the_last_account_is_removed_the_window_says_how_to_start(
    qtbot: QtBot, french: object, make_window: Callable[..., MainWindow], seeded: list[Account],
) -> None:
    window = make_window()
    install_timeline(window, window.session)
    window.show()
    qtbot.waitExposed(window)
    window.accounts_panel.reload()
    qtbot.waitUntil(lambda: window.accounts_panel.model.rowCount() == 3, timeout=WAIT)
    assert window.current_view() == "timeline"

    for left in (2, 1, 0):
        remove_selected(qtbot, window)
        qtbot.waitUntil(lambda n=left: window.accounts_panel.model.rowCount() == n)

    assert window.current_view() == "welcome"
    page = window.views.currentWidget()
    assert page.title.text() == "<h2>Aucun compte pour l’instant</h2>"
    assert page.mastodon_button.isVisible() and page.bluesky_button.isVisible()
    assert page.sandbox_button.isVisible()  # a real profile: the sandbox is one click away
    qtbot.mouseClick(page.mastodon_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), MastodonAccountDialog))
    QApplication.activeModalWidget().reject()


def test_the_sandbox_banner_changes_once_an_account_is_added(
    qtbot: QtBot, french: object, make_window: Callable[..., MainWindow],
    real_accounts: AccountService, sample_accounts: list[Account],
) -> None:
    window = make_window(sandbox=True, add_accounts=real_accounts)
    assert "Aucun compte" in window.sandbox_banner.text()

    window.accounts_panel.account_added.emit(sample_accounts[0])

    text = window.sandbox_banner.text()
    assert "Aucun compte" not in text and "aucun compte" not in text
    assert sample_accounts[0].handle in text and "redémarrez" in text.lower()


def test_the_welcome_does_not_offer_the_sandbox_from_inside_it(
    qtbot: QtBot, french: object, make_window: Callable[..., MainWindow],
    real_accounts: AccountService,
) -> None:
    window = make_window(sandbox=True, add_accounts=real_accounts)
    dialog = install_welcome(window, window.session)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.sandbox_button.text() == "&Explorer les données fictives"
    assert "bac à sable" in dialog.intro.text()
    assert "essayez" not in dialog.intro.text().lower()
    dialog.reject()
