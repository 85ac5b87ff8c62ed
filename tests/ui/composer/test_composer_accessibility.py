"""The composer for keyboard and screen-reader users, and its accessibility checks of posts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Account
from paris_desk.ui.composer.widget import ComposerWidget

Type = Callable[[ComposerWidget, str], None]
CONTROLS = (QAbstractButton, QAbstractItemView, QComboBox, QDateTimeEdit, QLineEdit,
            QPlainTextEdit)


def unnamed_controls(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or widget.window() is not root.window():
            continue  # popups of combo boxes and calendars are Qt's own
        if isinstance(widget, QToolButton) and isinstance(widget.parent(), QTabBar):
            continue  # the tab bar's scroll arrows, named by Qt
        if isinstance(widget, QLineEdit) and isinstance(widget.parent(), (QComboBox,
                                                                          QDateTimeEdit)):
            continue  # the inner editor of a combo box or date edit
        name = widget.accessibleName() or (
            widget.text() if isinstance(widget, QAbstractButton) else "")
        if not name.strip() and "qt_" not in widget.objectName():
            missing.append(f"{type(widget).__name__} in {type(widget.parent()).__name__}")
    return missing


def test_every_control_has_an_accessible_name(
        qtbot: QtBot, composer: ComposerWidget, both: tuple[Account, Account], type_text: Type,
        tmp_path: Path) -> None:
    composer.targets_panel.set_checked([a.id for a in both])
    type_text(composer, "é" * 320)
    composer.editor.adapt_buttons[both[1].network].click()
    image = tmp_path / "a.png"
    image.write_bytes(b"")
    composer.media.add_paths([str(image)])
    qtbot.wait(200)
    assert unnamed_controls(composer) == []


def test_hashtag_suggestion_is_applied_in_one_click(
        qtbot: QtBot, composer: ComposerWidget, both: tuple[Account, Account],
        type_text: Type) -> None:
    composer.targets_panel.set_checked([a.id for a in both])
    type_text(composer, "Rendez-vous le 21 juin 🎶 #fetedelamusique")
    messages = composer.checks.messages()
    assert any("#FeteDeLaMusique" in m for m in messages)
    assert any("middle of a sentence" not in m for m in messages)
    fix = next(b for b in composer.checks.findChildren(QAbstractButton)
               if "#FeteDeLaMusique" in b.accessibleName())
    fix.click()
    assert composer.editor.text() == "Rendez-vous le 21 juin 🎶 #FeteDeLaMusique"
    composer.editor.common.undo()
    assert composer.editor.text() == "Rendez-vous le 21 juin 🎶 #fetedelamusique"


def test_fancy_letters_block_and_are_explained(
        qtbot: QtBot, composer: ComposerWidget, both: tuple[Account, Account],
        type_text: Type) -> None:
    composer.targets_panel.set_checked([a.id for a in both])
    type_text(composer, "𝐆𝐑𝐀𝐍𝐃 𝐂𝐎𝐍𝐂𝐄𝐑𝐓 ce soir 🎸🎸🎸")
    assert not composer.publish_button.isEnabled()
    assert "stylised letters" in composer.blocking_reasons().lower()
    messages = composer.checks.messages()
    assert any("(GRAND CONCERT)" in m for m in messages)
    assert any("Several emoji in a row" in m for m in messages)
    fix = next(b for b in composer.checks.findChildren(QAbstractButton)
               if "GRAND CONCERT" in b.accessibleName())
    fix.click()
    qtbot.wait(150)
    assert composer.editor.text() == "GRAND CONCERT ce soir 🎸🎸🎸"
    assert composer.publish_button.isEnabled()
