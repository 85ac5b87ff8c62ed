"""Language choice and where the translations are found (the saved choice: test_settings.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from paris_desk.ui import i18n, resources


@pytest.mark.parametrize(
    ("cli", "env", "saved", "system", "expected"),
    [
        (None, None, None, None, "fr"),
        (None, None, None, "de_DE", "fr"),  # a language we don't ship: French
        (None, None, None, "en_US", "en"),
        (None, None, None, "fr_CA", "fr"),
        (None, None, "en", "fr_FR", "en"),
        (None, "en", "fr", "fr_FR", "en"),
        ("fr", "en", "en", "en_GB", "fr"),
        ("en", None, None, "fr_FR", "en"),
        (None, "xx", None, "en_US", "en"),  # unknown values are skipped
    ],
)
def test_choose_language_precedence(
    cli: str | None, env: str | None, saved: str | None, system: str | None, expected: str
) -> None:
    assert i18n.choose_language(cli, env, saved, system) == expected


def test_translations_are_found_in_the_checkout() -> None:
    folder = resources.translations_dir()
    assert (folder / "paris_desk_fr.qm").is_file()
    assert folder.parent.parent == Path(i18n.__file__).resolve().parents[2]


def test_resources_env_var_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "i18n").mkdir()
    monkeypatch.setenv(resources.ENV_VAR, str(tmp_path))
    assert resources.resources_dir() == tmp_path
