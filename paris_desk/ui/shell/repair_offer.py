"""At start, a damaged or empty database: say what happened and offer to rebuild it (issue 13).

``offer_repair`` is called by ``app.run`` when opening the profile failed. For a damaged or empty
database it asks (one dialog, default answer: rebuild); on yes, ``services.repair`` moves the
file aside and rebuilds it, and the window says what was kept. Anything else is shown as before.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from paris_desk.services import repair
from paris_desk.services.api import Profile
from paris_desk.ui.errors import describe

translate = QCoreApplication.translate
Ask = Callable[[QMessageBox], bool]
Tell = Callable[[str], None]


def question(error: BaseException, parent: QWidget | None = None) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, "paris_desk", describe(error), parent=parent)
    box.setInformativeText(translate(
        "repair",
        "The damaged file is kept beside the new one; the posts and notifications are "
        "fetched again from the servers.",
    ))
    rebuild = box.addButton(translate("repair", "Move aside and rebuild"),
                            QMessageBox.ButtonRole.AcceptRole)
    box.addButton(translate("repair", "Quit"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(rebuild)
    return box


def _ask(box: QMessageBox) -> bool:
    box.exec()
    return box.buttonRole(box.clickedButton()) == QMessageBox.ButtonRole.AcceptRole


def summary(result: repair.Rebuilt) -> str:
    kept = sum(result.kept.values())
    text = translate(
        "repair", "The damaged database was moved to {path}. Items kept: {count}."
    ).format(path=str(result.moved_to), count=kept)
    if result.damaged:
        text += " " + translate("repair", "Some data could not be read.")
    return text


def _tell(text: str) -> None:
    QMessageBox.information(None, "paris_desk", text)


def offer_repair(profile: Profile, error: BaseException, ask: Ask = _ask,
                 tell: Tell = _tell) -> bool:
    """True when the database was rebuilt (open the profile again); False: quit."""
    if not repair.is_repairable(error):
        QMessageBox.critical(None, "paris_desk", describe(error))
        return False
    if not ask(question(error)):
        return False
    tell(summary(repair.repair(profile)))
    return True
