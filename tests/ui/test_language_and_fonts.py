"""Issue 12, point 10: the language. The View menu and Préférences say the same thing about a
new interface language (it comes with a restart, which can be done at once); Qt's own file
dialog is French with no gap; the command line's argparse speaks French, or English with
``--lang en``; image dialogs open in the Pictures folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cli_run import cli
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox
from pytestqt.qtbot import QtBot
from test_settings_dialog import opened_with_ctrl_comma

from paris_desk.ui.folders import pictures_folder
from paris_desk.ui.shell.main_window import MainWindow

WAIT = 15_000


def test_qts_file_dialog_is_all_french(qtbot: QtBot, french: object) -> None:
    dialog = QFileDialog(None, "Ajouter des images")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
    assert labels == ["Re&garder dans\u00a0:", "&Nom de fichier\u00a0:", "&Type de fichiers\u00a0:"]


def language_box(qtbot: QtBot) -> QMessageBox:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    return box


def test_the_menu_and_the_preferences_agree_on_a_new_language(
    qtbot: QtBot, french: object, make_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    english = next(a for a in window._language_group.actions() if a.data() == "en")

    english.trigger()  # View > Language > English
    box = language_box(qtbot)
    said = box.text()
    assert said == "L’interface sera en English au prochain démarrage de paris_desk."
    assert box.restart_button.text() == "&Redémarrer maintenant"
    qtbot.mouseClick(box.later_button, Qt.MouseButton.LeftButton)
    assert window.session.settings.ui_language == "en"

    dialog = opened_with_ctrl_comma(qtbot, window)
    assert dialog.ui_language.currentData() == "en"
    assert dialog.language_notice.isVisibleTo(dialog)
    assert dialog.language_notice.text() == said  # the same words as the menu
    dialog.ui_language.setCurrentIndex(dialog.ui_language.findData("fr"))
    assert not dialog.language_notice.isVisibleTo(dialog)  # French runs already
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    french_action = next(a for a in window._language_group.actions() if a.data() == "fr")
    assert french_action.isChecked() and not english.isChecked()  # the menu follows


def test_argparse_speaks_french_and_english_with_lang_en(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PARIS_DESK_LANG", raising=False)
    code, out, _ = cli(capsys, monkeypatch, "--help")
    assert code == 0
    assert out.startswith("usage : paris-desk")
    assert "\noptions:\n" in out and "afficher cette aide et quitter" in out
    assert "positional arguments" not in out

    code, out, _ = cli(capsys, monkeypatch, "--lang", "en", "--help")
    assert out.startswith("usage: paris-desk")
    assert "show this help message and exit" in out

    code, _, err = cli(capsys, monkeypatch, "account", "add", "bluesky")
    assert code == 2
    assert "erreur : arguments obligatoires manquants : --handle" in err


def test_a_bluesky_handle_elsewhere_says_to_give_its_server(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12, point 11: without --service, a handle the network cannot place."""
    code, out, err = cli(capsys, monkeypatch, "account", "add", "bluesky", "--handle",
                         "ville.sandbox.test", "--password-stdin", stdin="secret-pw\n")
    assert (code, out) == (1, "")
    assert "ville.sandbox.test" in err
    assert "--service URL" in err


def test_images_are_picked_from_the_pictures_folder(tmp_path: Path) -> None:
    """The folder the image dialogs open in (``ui.folders``): Pictures when there is one."""
    pictures = QStandardPaths.standardLocations(QStandardPaths.StandardLocation.PicturesLocation)
    folder = pictures_folder()
    assert Path(folder).is_dir()
    if any(Path(p).is_dir() for p in pictures):
        assert folder in pictures
    else:
        assert folder == QStandardPaths.standardLocations(
            QStandardPaths.StandardLocation.HomeLocation)[0]
