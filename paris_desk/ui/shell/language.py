"""Changing the interface language: it takes effect at the next start, and the View menu and
Préférences say the same thing about it: which language comes after a restart, with a button to
restart now. paris_desk starts again with the same mode (sandbox or not) and the new language.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QCoreApplication, QLocale, QProcess, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from paris_desk.ui import i18n

log = logging.getLogger(__name__)
translate = QCoreApplication.translate
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}  # each in its own language


def effective(saved: str | None) -> str:
    """The language a start would choose with ``saved`` as the preference."""
    return i18n.choose_language(None, None, saved, QLocale.system().name())


def pending_text(saved: str | None) -> str:
    """What to say when the saved choice differs from the running language; "" when not."""
    after = effective(saved)
    if after == i18n.running_language():
        return ""
    return translate("LanguageSwitch", "The interface will be in {language} once paris_desk "
                     "restarts.").format(language=LANGUAGE_NAMES[after])


def restart_command(argv: list[str] | None = None) -> tuple[str, list[str]]:
    """This program again with the same arguments but the language (taken from the
    preferences at start)."""
    args, words = [], iter(list(sys.argv[1:] if argv is None else argv))
    for word in words:
        if word == "--lang":
            next(words, None)
        elif not word.startswith("--lang="):
            args.append(word)
    if getattr(sys, "frozen", False):
        return sys.executable, args
    return sys.executable, ["-m", "paris_desk", *args]


def restart() -> bool:
    program, args = restart_command()
    started, _pid = QProcess.startDetached(program, args)
    if not started:
        log.warning("could not start paris_desk again (%s)", program)
        return False
    QTimer.singleShot(0, QApplication.quit)
    return True


def offer_restart(parent: QWidget, saved: str | None) -> QMessageBox | None:
    """After a language choice: say when it applies and offer to restart now."""
    text = pending_text(saved)
    if not text:
        return None
    title = translate("LanguageSwitch", "Interface language")
    box = QMessageBox(QMessageBox.Icon.Information, title, text,
                      QMessageBox.StandardButton.NoButton, parent)
    box.setAccessibleName(title)
    now = box.addButton(translate("LanguageSwitch", "&Restart now"),
                        QMessageBox.ButtonRole.AcceptRole)
    later = box.addButton(translate("LanguageSwitch", "&Later"),
                          QMessageBox.ButtonRole.RejectRole)
    for button in (now, later):
        button.setAccessibleName(button.text().replace("&", ""))
    box.setDefaultButton(later)
    now.clicked.connect(restart)
    box.restart_button, box.later_button = now, later  # type: ignore[attr-defined]
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.finished.connect(box.deleteLater)
    box.open()
    return box
