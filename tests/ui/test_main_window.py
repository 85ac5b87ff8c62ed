"""The main window: menus in French, sandbox banner, views, keychain refusal, accessibility."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Account
from paris_desk.services.accounts import AccountService
from paris_desk.ui.shell.main_window import MainWindow
from paris_desk.ui.shell.shortcuts import ShortcutsSheet

NBSP = "\u00a0"


def menu_titles(window: MainWindow) -> list[str]:
    return [action.text() for action in window.menuBar().actions()]


def unnamed_focusable(root: QWidget) -> list[str]:
    """Focusable widgets a screen reader would announce without a name, or that lack an
    explicit accessible name (Qt's own parts of standard dialogs, named "qt_…", excepted)."""
    missing = []
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        interface = QAccessible.queryAccessibleInterface(widget)
        spoken = interface.text(QAccessible.Text.Name) if interface else ""
        explicit = widget.accessibleName() or widget.objectName().startswith("qt_")
        if not (explicit and spoken):
            missing.append(f"{type(widget).__name__}({widget.objectName()!r})")
    return missing


def test_window_opens_with_english_source_strings(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == "paris_desk"
    assert menu_titles(window) == ["&File", "&Accounts", "&View", "&Help"]
    assert not window.sandbox_banner.isVisibleTo(window)


def test_window_speaks_french(french: object, make_window: Callable[..., MainWindow]) -> None:
    window = make_window()
    assert menu_titles(window) == ["&Fichier", "&Comptes", "&Affichage", "Aid&e"]
    accounts_menu = [a.text() for a in window.accounts_menu.actions() if a.text()]
    assert accounts_menu[:2] == ["Ajouter un compte &Mastodon…", "Ajouter un compte &Bluesky…"]
    assert window.accounts_dock.windowTitle() == "Comptes"


def test_sandbox_mode_shows_the_banner_and_says_so_in_the_title(
    french: object, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window(sandbox=True)
    assert window.windowTitle() == "paris_desk — bac à sable"
    assert window.sandbox_banner.isVisibleTo(window)
    assert window.sandbox_banner.text() == f"Mode bac à sable{NBSP}: données fictives"


def test_without_keychain_adding_is_refused_with_a_plain_message(
    french: object, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window(keychain_available=False)
    panel = window.accounts_panel
    assert not panel.add_mastodon_action.isEnabled()
    assert not panel.add_bluesky_action.isEnabled()
    assert not panel.add_button.isEnabled()
    assert window.message_bar.isVisibleTo(window)
    assert window.message_bar.label.text() == (
        f"Aucun trousseau système disponible{NBSP}: "
        "paris_desk ne peut pas enregistrer vos identifiants."
    )


def test_auto_sandbox_keeps_adding_for_the_real_profile(
    qtbot: QtBot,
    french: object,
    make_window: Callable[..., MainWindow],
    service: AccountService,
    sample_accounts: list[Account],
) -> None:
    other = AccountService(service.profile.__class__(service.profile.root / "other"))
    try:
        window = make_window(sandbox=True, add_accounts=other)
        assert "Aucun compte n'est encore configuré" in window.sandbox_banner.text()
        window.accounts_panel.account_added.emit(sample_accounts[0])
        assert window.message_bar.isVisibleTo(window)
        assert "Redémarrez paris_desk" in window.message_bar.label.text()
        assert window.accounts_panel.model.rowCount() == 0  # not shown among sandbox accounts
    finally:
        other.close()


def test_add_view_puts_the_view_in_the_stack_and_the_view_menu(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    timeline = QLabel("timeline")
    action = window.add_view("timeline", timeline, "&Timeline")
    assert window.current_view() == "welcome"
    assert action.shortcut().toString() == "Ctrl+2"
    assert action in window.view_menu.actions()
    action.trigger()
    assert window.views.currentWidget() is timeline
    assert window.current_view() == "timeline"
    assert timeline.accessibleName() == "Timeline"
    window.show_view("welcome")
    assert not action.isChecked()


def test_accounts_load_and_status_bar_counts_them(
    qtbot: QtBot, french: object, make_window: Callable[..., MainWindow], seeded: list[Account]
) -> None:
    window = make_window()
    window.accounts_panel.reload()
    qtbot.waitUntil(lambda: window.accounts_panel.model.rowCount() == 3)
    assert window.statusBar().currentMessage() == "3 comptes"


def test_shortcuts_help_lists_the_shortcuts(
    french: object, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    box = window.show_shortcuts()
    assert isinstance(box, ShortcutsSheet)
    assert "Quitter" in box.text()
    assert "Ctrl+Q" in box.text()
    assert "Renommer" in box.text()
    box.close()


def test_every_focusable_control_has_an_accessible_name(
    qtbot: QtBot, make_window: Callable[..., MainWindow], seeded: list[Account]
) -> None:
    window = make_window(sandbox=True)
    window.show()
    qtbot.waitExposed(window)
    assert unnamed_focusable(window) == []
    panel = window.accounts_panel
    for open_dialog in (panel.add_mastodon, panel.add_bluesky):
        dialog = open_dialog()
        assert unnamed_focusable(dialog) == [], type(dialog).__name__
        dialog.reject()
    about = window.show_about()
    assert unnamed_focusable(about) == []
    about.close()


def test_menu_attributes_follow_the_menus_the_menu_bar_holds(
    make_window: Callable[..., MainWindow]
) -> None:
    """``help_menu``/``file_menu`` are read from the menu bar each time: when a menu is made
    again (its old QMenu deleted), they name the new one, never a deleted object."""
    window = make_window()
    bar = window.menuBar()
    in_bar = [action.menu() for action in bar.actions()]
    assert [window.file_menu, window.accounts_menu, window.view_menu, window.help_menu] == in_bar
    assert "&Keyboard shortcuts" in [a.text() for a in window.help_menu.actions()]

    for old in (window.help_menu, window.file_menu):  # made again, as a rebuild does
        name, title = old.objectName(), old.title()
        bar.removeAction(old.menuAction())
        old.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        fresh = bar.addMenu(title)
        fresh.setObjectName(name)
        fresh.addAction("&Again")

    assert [a.text() for a in window.help_menu.actions()] == ["&Again"]
    assert [a.text() for a in window.file_menu.actions()] == ["&Again"]
    assert shiboken6.isValid(window.help_menu) and shiboken6.isValid(window.file_menu)
