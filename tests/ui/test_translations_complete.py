"""French is complete, not only "finished": no message left in English, every plural works
at run time from the compiled catalogue; and the app starts in the language asked for.

(``test_translations.py`` already fails on an unfinished or empty translation.)
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator
from test_translations import I18N, LANGUAGES, messages, source_files

# Words spelt the same in French, each checked by a French speaker: any other message whose
# "translation" is its English source was left untranslated.
SAME_IN_FRENCH = {
    "Conversation", "Images", "Instance", "Interface", "Mentions", "Message", "Notifications",
    "Options", "Posts", "Public", "Publication", "Spam",
}  # fmt: skip
NO_WORDS = re.compile(r"^(\{\w+\}|[^A-Za-z])*$")  # only fields, numbers and punctuation

HANG_GUARD_S = 180  # seconds: a start takes ~2 s; this only stops a hung process


def words_outside_fields(text: str) -> str:
    return re.sub(r"\{\w+\}|\([^)]*\*\.[^)]*\)", "", text)


def test_no_french_message_is_left_in_english() -> None:
    left = []
    for message in messages(I18N / "paris_desk_fr.ts"):
        if NO_WORDS.match(words_outside_fields(message.source)):
            continue
        if words_outside_fields(message.source).strip() in SAME_IN_FRENCH:  # file filters too
            continue
        if any(form == message.source for form in message.forms):
            left.append(f"{message.context}: {message.source}")
    assert left == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_with_a_count_is_a_plural(language: str) -> None:
    """``translate(…, n)`` finds only plural entries: a %n message saved as a plain one shows
    in English at run time."""
    plain = [m.source for m in messages(I18N / f"paris_desk_{language}.ts")
             if "%n" in m.source and not m.numerus]  # fmt: skip
    assert plain == []


def test_french_plurals_are_found_in_the_compiled_catalogue() -> None:
    translator = QTranslator()
    assert translator.load(str(I18N / "paris_desk_fr.qm"))
    plurals = [m for m in messages(I18N / "paris_desk_fr.ts") if m.numerus]
    assert len(plurals) >= 5
    for message in plurals:
        one = translator.translate(message.context, message.source, None, 1)
        many = translator.translate(message.context, message.source, None, 3)
        assert (one, many) == message.forms, message.source  # %n is filled in by Qt later


RUN_APP = textwrap.dedent("""
    import json, sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from paris_desk.ui.shell import app as ui_app
    from paris_desk.ui.shell.main_window import MainWindow

    qt = QApplication(sys.argv[:1])
    seen = {}

    def look() -> None:
        try:  # the menus as the menu bar holds them now (they are rebuilt on a language change)
            window = next(w for w in qt.topLevelWidgets() if isinstance(w, MainWindow))
            menus = [a for a in window.menuBar().actions() if a.menu() is not None]
            seen["menus"] = [a.text() for a in window.menuBar().actions()]
            seen["help"] = [a.text() for a in menus[-1].menu().actions() if a.text()]
            seen["file"] = [a.text() for a in menus[0].menu().actions() if a.text()]
        finally:  # whatever happened, end the run: the test then says what is missing
            QApplication.quit()

    QTimer.singleShot(1500, look)
    code = ui_app.run(argv=["paris_desk", "--sandbox", *sys.argv[1:]])
    print(json.dumps(seen))
    sys.exit(code)
""")


def run_app(home: Path, *args: str) -> dict[str, list[str]]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PARIS_DESK_HOME": str(home)}
    env.pop("PARIS_DESK_LANG", None)
    result = subprocess.run(
        [sys.executable, "-c", RUN_APP, *args],
        env=env, capture_output=True, text=True, timeout=HANG_GUARD_S, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_the_app_starts_in_english_or_in_french(tmp_path: Path) -> None:
    english = run_app(tmp_path, "--lang", "en")
    assert english["menus"] == ["&File", "&Accounts", "&View", "&Help"]
    assert english["file"] == ["&Preferences…", "&Quit"]
    assert english["help"] == ["&Keyboard shortcuts", "&Copy the diagnostics",
                               "&About paris_desk"]
    french = run_app(tmp_path, "--lang", "fr")
    assert french["menus"] == ["&Fichier", "&Comptes", "&Affichage", "Aid&e"]
    assert french["file"] == ["&Préférences…", "&Quitter"]
    assert french["help"] == ["&Raccourcis clavier", "&Copier le diagnostic",
                              "À &propos de paris_desk"]


def test_the_saved_interface_language_is_used_at_start(tmp_path: Path) -> None:
    from paris_desk.ui.settings.prefs import Settings

    Settings.open(tmp_path).set_ui_language("en")
    assert run_app(tmp_path)["menus"][0] == "&File"


def code_messages() -> set[tuple[str, str]]:
    """(context, source) of every ``self.tr("…")``, ``translate("Ctx", "…")`` and
    ``QT_TRANSLATE_NOOP("Ctx", "…")`` of the UI, of the catalogue it shares with the CLI and
    of the CLI, found by Python's own parser: pyside6-lupdate silently skips some calls (one
    holding a ``//``, after some lines, one whose count is an attribute), so its output cannot
    be the only check."""
    found: set[tuple[str, str]] = set()
    for path in source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            for call in ast.walk(node):
                if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                        and call.func.attr == "tr" and isinstance(call.func.value, ast.Name)
                        and call.func.value.id == "self" and _literal(call, 0)):
                    found.add((node.name, _literal(call, 0)))
        for call in ast.walk(tree):
            name = getattr(call.func, "attr", getattr(call.func, "id", "")) if isinstance(
                call, ast.Call) else ""
            if (name in ("translate", "QT_TRANSLATE_NOOP") and _literal(call, 0)
                    and _literal(call, 1)):
                found.add((_literal(call, 0), _literal(call, 1)))
    return found


def _literal(call: ast.Call, position: int) -> str:
    if len(call.args) > position and isinstance(call.args[position], ast.Constant):
        value = call.args[position].value
        return value if isinstance(value, str) else ""
    return ""


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_of_the_code_is_in_the_catalogue(language: str) -> None:
    shipped = {(m.context, m.source) for m in messages(I18N / f"paris_desk_{language}.ts")}
    wanted = code_messages()
    assert len(wanted) > 300
    assert sorted(wanted - shipped) == []
