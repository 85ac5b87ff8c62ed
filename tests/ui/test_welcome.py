"""The first run: the welcome opens once, when the user's profile has no account; its buttons
open the account dialogs or stay on the sandbox; it is in French."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from paris_desk.services.accounts import AccountService
from paris_desk.store.profile import Profile
from paris_desk.ui.accounts.dialogs import BlueskyAccountDialog, MastodonAccountDialog
from paris_desk.ui.settings.prefs import Settings
from paris_desk.ui.shell.main_window import MainWindow
from paris_desk.ui.shell.welcome import (
    WelcomeDialog,
    install_welcome,
    sandbox_command,
    should_welcome,
)


@pytest.fixture
def real_accounts(tmp_path: Path) -> AccountService:
    """The real profile's service while the window shows the sandbox's (auto sandbox)."""
    other = AccountService(Profile(tmp_path / "real"))
    yield other  # type: ignore[misc]
    other.close()


def first_run_window(make_window: Callable[..., MainWindow], real: AccountService) -> MainWindow:
    return make_window(sandbox=True, add_accounts=real)


def opened(qtbot: QtBot, dialog: WelcomeDialog | None) -> WelcomeDialog:
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_the_welcome_opens_once_on_a_first_run(
    qtbot: QtBot, make_window: Callable[..., MainWindow], real_accounts: AccountService
) -> None:
    window = first_run_window(make_window, real_accounts)
    assert should_welcome(window.session)
    dialog = opened(qtbot, install_welcome(window, window.session))
    assert dialog.parent() is window
    dialog.reject()  # closed with Esc or Close: seen all the same
    assert Settings.open(window.session.settings_path.parent).welcome_seen

    again = first_run_window(make_window, real_accounts)
    assert not should_welcome(again.session)
    assert install_welcome(again, again.session) is None


def test_no_welcome_with_accounts_or_in_the_chosen_sandbox(
    make_window: Callable[..., MainWindow], real_accounts: AccountService
) -> None:
    assert not should_welcome(make_window().session)  # the real profile has accounts
    assert not should_welcome(make_window(sandbox=True).session)  # --sandbox: the user's choice


@pytest.mark.parametrize(
    ("button", "kind"),
    [("mastodon_button", MastodonAccountDialog), ("bluesky_button", BlueskyAccountDialog)],
)
def test_the_account_buttons_open_the_account_dialogs(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    real_accounts: AccountService,
    button: str,
    kind: type,
) -> None:
    window = first_run_window(make_window, real_accounts)
    window.show()
    qtbot.waitExposed(window)
    dialog = opened(qtbot, install_welcome(window, window.session))
    getattr(dialog, button).click()
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), kind))
    account_dialog = QApplication.activeModalWidget()
    assert account_dialog._service is real_accounts  # type: ignore[union-attr]  # the real profile
    account_dialog.reject()  # type: ignore[union-attr]


def test_try_the_sandbox_stays_on_the_sample_data(
    qtbot: QtBot, make_window: Callable[..., MainWindow], real_accounts: AccountService
) -> None:
    window = first_run_window(make_window, real_accounts)
    dialog = opened(qtbot, install_welcome(window, window.session))
    quitting = QApplication.instance().aboutToQuit
    with qtbot.assertNotEmitted(quitting, wait=100), qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog.sandbox_button, Qt.Key.Key_Space)  # no restart, no quit
    assert window.session.settings.welcome_seen


def test_without_keychain_only_the_sandbox_is_offered(
    qtbot: QtBot, french: object, make_window: Callable[..., MainWindow],
    real_accounts: AccountService,
) -> None:
    window = make_window(sandbox=True, add_accounts=real_accounts, keychain_available=False)
    dialog = opened(qtbot, install_welcome(window, window.session))
    assert not dialog.mastodon_button.isEnabled() and not dialog.bluesky_button.isEnabled()
    assert dialog.sandbox_button.isEnabled()
    assert dialog.unavailable.text().startswith("Aucun trousseau système disponible")


def test_the_welcome_speaks_french(qtbot: QtBot, french: object) -> None:
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Bienvenue dans paris_desk"
    assert dialog.mastodon_button.text() == "Ajouter un compte &Mastodon"
    assert dialog.bluesky_button.text() == "Ajouter un compte &Bluesky"
    assert dialog.sandbox_button.text() == "&Essayer le bac à sable"


def test_the_sandbox_restarts_this_program_with_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    program, args = sandbox_command(["--lang", "en", "--sandbox"])
    assert (program, args) == (sys.executable, ["-m", "paris_desk", "--lang", "en", "--sandbox"])
    monkeypatch.setattr(sys, "frozen", True, raising=False)  # a PyInstaller build
    assert sandbox_command(["--lang", "en"]) == (sys.executable, ["--lang", "en", "--sandbox"])
