"""File → Preferences (Ctrl+,): shows the saved values, OK saves them, Cancel and Esc do not;
in French."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Account, NotificationKind, Visibility
from paris_desk.ui.settings.dialog import ID_ROLE, SettingsDialog
from paris_desk.ui.settings.prefs import Settings, Theme, ThreadSplit
from paris_desk.ui.shell.main_window import MainWindow


def opened_with_ctrl_comma(qtbot: QtBot, window: MainWindow) -> SettingsDialog:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitActive(window)
    window.accounts_panel.view.setFocus()  # keys go to the focused control
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.accounts_panel.view)
    qtbot.keyClick(window.accounts_panel.view, Qt.Key.Key_Comma,
                   Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), SettingsDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, SettingsDialog)
    return dialog


def pick(combo: object, value: object) -> None:
    index = combo.findData(value)  # type: ignore[attr-defined]
    assert index >= 0, value
    combo.setCurrentIndex(index)  # type: ignore[attr-defined]


def test_ctrl_comma_opens_the_preferences_in_french(
    qtbot: QtBot, french: object, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    dialog = opened_with_ctrl_comma(qtbot, window)
    assert dialog.windowTitle() == "Préférences"
    assert window.preferences_action.text() == "&Préférences…"
    assert dialog.theme.currentText() == "Suivre le système"
    assert dialog.notify[NotificationKind.MENTION].text() == "Mentions"
    dialog.reject()


def test_ok_saves_every_choice(
    qtbot: QtBot, make_window: Callable[..., MainWindow], seeded: list[Account]
) -> None:
    window = make_window()
    window.accounts_panel.reload()
    qtbot.waitUntil(lambda: window.accounts_panel.model.rowCount() == 3)
    dialog = opened_with_ctrl_comma(qtbot, window)
    assert [dialog.targets.item(r).data(ID_ROLE) for r in range(3)] == [a.id for a in seeded]

    pick(dialog.refresh, 900)
    dialog.notify[NotificationKind.QUOTE].setChecked(False)
    dialog.notify[NotificationKind.LIKE].setChecked(True)
    pick(dialog.post_language, "en")
    pick(dialog.visibility, "private")
    pick(dialog.thread_split, "split")
    dialog.targets.item(1).setCheckState(Qt.CheckState.Checked)
    pick(dialog.theme, "dark")
    pick(dialog.ui_language, "en")
    assert dialog.language_notice.isVisibleTo(dialog)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    saved = Settings.open(window.session.settings_path.parent)
    assert saved.refresh_interval == 900
    assert saved.notified_kinds() == {NotificationKind.MENTION, NotificationKind.REPLY,
                                      NotificationKind.LIKE}
    assert saved.default_language == "en"
    assert saved.default_visibility is Visibility.PRIVATE
    assert saved.thread_split is ThreadSplit.SPLIT
    assert saved.default_targets == (seeded[1].id,)
    assert saved.theme is Theme.DARK
    assert saved.ui_language == "en"


def test_the_dialog_shows_the_saved_values_and_esc_changes_nothing(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    settings = window.session.settings
    settings.set_refresh_interval(60)
    settings.set_theme(Theme.LIGHT)
    settings.set_notified_kinds([NotificationKind.FOLLOW])
    dialog = opened_with_ctrl_comma(qtbot, window)
    assert dialog.refresh.currentData() == 60
    assert dialog.theme.currentData() == "light"
    assert [k for k, box in dialog.notify.items() if box.isChecked()] == [NotificationKind.FOLLOW]

    pick(dialog.refresh, 0)
    pick(dialog.theme, "dark")
    qtbot.keyClick(dialog.refresh, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert settings.refresh_interval == 60
    assert settings.theme is Theme.LIGHT


def test_accounts_not_shown_keep_their_default(
    qtbot: QtBot, make_window: Callable[..., MainWindow], seeded: list[Account]
) -> None:
    """Default accounts of the real profile survive a visit to the preferences while the
    sandbox accounts are listed."""
    window = make_window()
    settings = window.session.settings
    settings.set_default_targets(["mastodon:@elsewhere@example.org"])
    dialog = SettingsDialog(settings, seeded[:1], window)
    dialog.targets.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.accept()
    assert settings.default_targets == ("mastodon:@elsewhere@example.org", seeded[0].id)
