"""The whole window with every view, on both sandboxes, walked as a screen reader and a
keyboard-only user would: every focusable control is named, Tab reaches every control of each
view and dialog, every shortcut is in the shortcuts sheet, Esc cancels every dialog."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot
from whole_app import VIEWS, open_whole_app, qt_internal, tear_down
from whole_app import unnamed_focusable as unnamed

from paris_desk.core.model import Account
from paris_desk.ui.composer.widget import ComposerWidget
from paris_desk.ui.inbox.actions import ReportDialog
from paris_desk.ui.shell.main_window import MainWindow
from paris_desk.ui.shell.shortcuts import ShortcutsSheet, key_text
from paris_desk.ui.shell.welcome import WelcomeDialog
from paris_desk.ui.theme import LIGHT, apply

TAB_LIMIT = 400


@pytest.fixture
def window(
    qtbot: QtBot,
    qapp: QApplication,
    make_window: Callable[..., MainWindow],
    accounts: list[Account],
) -> Iterator[MainWindow]:
    palette, sheet = qapp.palette(), qapp.styleSheet()
    apply(qapp, LIGHT)  # the focus outline is a style sheet: walk with it applied
    made = open_whole_app(qtbot, make_window)
    yield made
    tear_down(made)
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)


def label(widget: QWidget) -> str:
    return f"{type(widget).__name__}({widget.accessibleName() or widget.objectName()!r})"


def tab_targets(root: QWidget) -> list[QWidget]:
    """What Tab should reach: shown, enabled controls that accept the focus by Tab."""
    tab = Qt.FocusPolicy.TabFocus
    return [
        w for w in root.findChildren(QWidget)
        if w.isVisible() and w.isEnabled() and (w.focusPolicy() & tab) == tab
        and not qt_internal(w) and w.window() is root.window()
    ]  # fmt: skip


def tab_walk(qtbot: QtBot, start: QWidget) -> list[QWidget]:
    """The widgets Tab visits from ``start``, until it comes back."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start, timeout=2000)
    visited: list[QWidget] = []
    for _ in range(TAB_LIMIT):
        current = QApplication.focusWidget()
        assert current is not None, f"the focus was lost after {label(visited[-1])}"
        if visited and current is visited[0]:
            return visited
        if current not in visited:
            visited.append(current)
        qtbot.keyClick(current, Qt.Key.Key_Tab)
    raise AssertionError(
        f"Tab never came back to {label(start)}: {[label(w) for w in visited][-12:]}"
    )


def assert_tab_reaches_everything(qtbot: QtBot, root: QWidget) -> None:
    targets = tab_targets(root)
    assert targets
    visited = tab_walk(qtbot, targets[0])
    missed = [label(w) for w in tab_targets(root) if w not in visited]  # incl. shown meanwhile
    assert missed == []


def test_every_focusable_control_has_a_name_in_every_view_and_dialog(
    qtbot: QtBot, window: MainWindow
) -> None:
    for view in VIEWS:
        window.show_view(view)
        assert unnamed(window) == [], view
    dialogs: list[QDialog] = [
        window.show_preferences(),
        window.show_shortcuts(),
        window.show_about(),
        window.accounts_panel.add_mastodon(),
        window.accounts_panel.add_bluesky(),
        WelcomeDialog(parent=window),
        WelcomeDialog(adding_allowed=False, parent=window),
    ]
    for dialog in dialogs:
        dialog.show()
        assert unnamed(dialog) == [], type(dialog).__name__
        interface = QAccessible.queryAccessibleInterface(dialog)
        assert interface.text(QAccessible.Text.Name).strip(), type(dialog).__name__  # its title
        dialog.reject()


def test_tab_reaches_every_control_of_every_view(
    qtbot: QtBot, window: MainWindow
) -> None:
    composer = window.findChild(ComposerWidget, "composer")
    assert composer is not None
    composer.targets_panel.set_checked([a.id for a in window.accounts_panel.model.accounts()])
    composer.editor.common.setPlainText("Collecte des sapins de Noël à partir du 2 janvier.")
    qtbot.waitUntil(composer.publish_button.isEnabled)
    for view in VIEWS:
        window.show_view(view)
        assert_tab_reaches_everything(qtbot, window)
    window.show_view("composer")
    assert composer.publish_button in tab_walk(qtbot, composer.editor.common)


DIALOGS = ["preferences", "welcome", "shortcuts", "mastodon", "bluesky", "report"]


@pytest.mark.parametrize("which", DIALOGS)
def test_tab_reaches_every_control_of_a_dialog_and_esc_cancels_it(
    qtbot: QtBot, window: MainWindow, which: str
) -> None:
    opened: dict[str, Callable[[], QDialog]] = {
        "preferences": window.show_preferences,
        "shortcuts": window.show_shortcuts,
        "mastodon": window.accounts_panel.add_mastodon,
        "bluesky": window.accounts_panel.add_bluesky,
        "welcome": lambda: WelcomeDialog(parent=window),
        "report": lambda: ReportDialog("@habitante@example.org", "Mairie", window),
    }
    dialog = opened[which]()
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    assert_tab_reaches_everything(qtbot, dialog)
    with qtbot.waitSignal(dialog.rejected, timeout=2000):
        qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def window_actions(window: MainWindow) -> list[QAction]:
    return [a for a in window.findChildren(QAction) if not a.shortcut().isEmpty()]


def test_every_shortcut_is_in_the_shortcuts_sheet(qtbot: QtBot, window: MainWindow) -> None:
    sheet = window.show_shortcuts()
    assert isinstance(sheet, ShortcutsSheet)
    listed_keys = {key for _what, keys in sheet.rows for key in keys.split(", ")}
    actions = window_actions(window)
    assert len(actions) >= 10
    for action in actions:
        name = action.text().replace("&", "").rstrip("…").strip()
        assert name, f"an action with {action.shortcut().toString()} has no text"
        rows = [keys for what, keys in sheet.rows if what == name]
        for sequence in action.shortcuts():
            assert any(key_text(sequence) in keys.split(", ") for keys in rows), name
    shortcuts = window.findChildren(QShortcut)
    assert {key_text(s.key()) for s in shortcuts} >= {key_text("Ctrl+Return")}
    for shortcut in shortcuts:
        assert key_text(shortcut.key()) in listed_keys
    for expected in ("Ctrl+Q", "Ctrl+,", "F1", "F5", "Ctrl+1", "Esc", "Tab"):
        assert key_text(expected) in listed_keys, expected
    sheet.reject()


def test_window_shortcuts_are_not_ambiguous(qtbot: QtBot, window: MainWindow) -> None:
    """Two enabled window-wide actions on one key: Qt runs neither."""
    seen: dict[str, str] = {}
    for action in window_actions(window):
        if action.shortcutContext() != Qt.ShortcutContext.WindowShortcut:
            continue
        if not action.isEnabled() or not action.associatedObjects():
            continue
        for sequence in action.shortcuts():
            key = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            assert key not in seen, f"{key}: {seen.get(key)} and {action.text()}"
            seen[key] = action.text()
    assert "Ctrl+," in seen and "F1" in seen
