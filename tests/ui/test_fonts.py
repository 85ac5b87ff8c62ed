"""The emoji font an installer bundles (``resources/fonts``) is registered at start, and made
Qt's emoji font, when the system lacks it; a checkout (no ``resources/fonts``) loads nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from paris_desk.ui.resources import ENV_VAR
from paris_desk.ui.shell import fonts
from paris_desk.ui.shell.main_window import MainWindow

SYSTEM_FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")  # scripts/setup.sh

needs_font = pytest.mark.skipif(not SYSTEM_FONT.is_file(),
                                reason="fonts-noto-color-emoji is not installed")


def bundled(tmp_path: Path) -> Path:
    """A resources/ folder as a Linux build lays it out (the font as a link to the system's)."""
    resources = tmp_path / "resources"
    (resources / "i18n").mkdir(parents=True)
    (resources / "fonts").mkdir()
    (resources / "fonts" / "NotoColorEmoji.ttf").symlink_to(SYSTEM_FONT)
    (resources / "fonts" / "README.txt").write_text("not a font", encoding="utf-8")
    return resources


@needs_font
def test_the_bundled_emoji_font_is_registered_as_qt_s_emoji_font(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, str(bundled(tmp_path)))

    added = fonts.register_bundled_fonts(skip_installed=False)  # as on a system without it

    assert added == [fonts.EMOJI_FAMILY]
    assert fonts.EMOJI_FAMILY in QFontDatabase.applicationEmojiFontFamilies()
    assert fonts.EMOJI_FAMILY in QFontDatabase.families()


@needs_font
def test_a_system_that_has_the_font_does_not_load_it_again(
    qapp: QApplication, tmp_path: Path
) -> None:
    assert fonts.EMOJI_FAMILY in QFontDatabase.families()  # installed by scripts/setup.sh
    assert fonts.register_bundled_fonts(bundled(tmp_path) / "fonts") == []


def test_a_checkout_has_no_bundled_font_and_loads_nothing(
    qapp: QApplication, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert fonts.register_bundled_fonts(tmp_path / "no-fonts") == []
    broken = tmp_path / "fonts"
    broken.mkdir()
    (broken / "broken.ttf").write_bytes(b"not a font")
    with caplog.at_level(logging.WARNING, logger=fonts.__name__):
        assert fonts.register_bundled_fonts(broken, skip_installed=False) == []
    assert "broken.ttf could not be loaded" in caplog.text


def test_the_window_registers_the_bundled_fonts_once(
    make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Path | None] = []
    monkeypatch.setattr(fonts, "_done", False)
    monkeypatch.setattr(fonts, "register_bundled_fonts", lambda directory=None: calls.append(
        directory) or [])
    make_window()
    make_window()
    assert calls == [None]  # resources/fonts, at the first window only
