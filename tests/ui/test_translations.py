"""The translation catalogues: complete, in step with the code, compiled from the .ts we ship.

Run ``scripts/update_translations.sh`` after changing a user-visible string.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "resources" / "i18n"
BIN = Path(sys.executable).parent
LANGUAGES = ("fr", "en")
FIELD = re.compile(r"\{\w+\}|%n")


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    numerus: bool
    kind: str  # the translation's type attribute ("" when finished)
    forms: tuple[str, ...]


def messages(path: Path) -> list[Message]:
    found = []
    root = ET.parse(path).getroot()  # noqa: S314 - our own catalogue
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            numerus = message.get("numerus") == "yes"
            if numerus:
                forms = tuple(f.text or "" for f in translation.iter("numerusform"))
            else:
                forms = (translation.text or "",)
            found.append(
                Message(
                    name,
                    message.findtext("source") or "",
                    numerus,
                    translation.get("type", ""),
                    forms,
                )
            )
    return found


def tool(name: str) -> str:
    path = BIN / name
    assert path.exists(), f"{name} not found next to {sys.executable}"
    return str(path)


SHARED_SENTENCES = ROOT / "paris_desk" / "services" / "sentences.py"  # the CLI prints them too


def source_files() -> list[Path]:
    """What scripts/update_translations.sh gives lupdate: the UI, the shared catalogue and the
    command line's own sentences."""
    return sorted([*(ROOT / "paris_desk" / "ui").rglob("*.py"),
                   *(ROOT / "paris_desk" / "cli").rglob("*.py"), SHARED_SENTENCES])


def ui_sources() -> list[str]:
    return [str(p.relative_to(ROOT)) for p in source_files()]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language: str) -> None:
    catalogue = messages(I18N / f"paris_desk_{language}.ts")
    assert catalogue
    unfinished = [m.source for m in catalogue if m.kind or not all(f.strip() for f in m.forms)]
    assert unfinished == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_fields_and_mnemonics(language: str) -> None:
    for message in messages(I18N / f"paris_desk_{language}.ts"):
        for form in message.forms:
            assert sorted(FIELD.findall(form)) == sorted(FIELD.findall(message.source)), form
            has_mnemonic = re.search(r"&(?!amp;|nbsp;)\w", message.source) is not None
            assert (re.search(r"&(?!amp;|nbsp;)\w", form) is not None) == has_mnemonic, form


def test_french_plurals_have_two_forms() -> None:
    plurals = [m for m in messages(I18N / "paris_desk_fr.ts") if m.numerus]
    assert plurals
    for message in plurals:
        assert len(message.forms) == 2
        assert message.forms[0] != message.forms[1]


def test_catalogues_match_the_code(tmp_path: Path) -> None:
    """lupdate over today's code finds exactly the messages the .ts files hold."""
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [tool("pyside6-lupdate"), "-locations", "none", *ui_sources(), "-ts", str(fresh)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    # pyside6-lupdate marks plurals of self.tr() only; every %n message is a plural (the
    # update script marks the others).
    wanted = {(m.context, m.source, m.numerus or "%n" in m.source) for m in messages(fresh)}
    for language in LANGUAGES:
        shipped = {
            (m.context, m.source, m.numerus) for m in messages(I18N / f"paris_desk_{language}.ts")
        }
        assert sorted(wanted - shipped) == [], f"{language}: run scripts/update_translations.sh"
        assert sorted(shipped - wanted) == [], f"{language}: run scripts/update_translations.sh"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_is_built_from_the_ts(tmp_path: Path, language: str) -> None:
    source = tmp_path / f"paris_desk_{language}.ts"
    shutil.copy(I18N / source.name, source)
    subprocess.run(
        [tool("pyside6-lrelease"), "-nounfinished", str(source)], check=True, capture_output=True
    )
    rebuilt = source.with_suffix(".qm").read_bytes()
    assert rebuilt == (I18N / f"paris_desk_{language}.qm").read_bytes(), (
        "stale .qm: run scripts/update_translations.sh"
    )
