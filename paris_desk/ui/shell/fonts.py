"""The colour emoji font an installer bundles, registered before the first window paints.

Posts are full of emoji; without a colour emoji font Qt draws empty boxes. Windows (Segoe UI
Emoji) and macOS (Apple Color Emoji) have one. On Linux, ``scripts/setup.sh`` installs the
distribution's ``fonts-noto-color-emoji``, and the Linux build bundles that font under
``resources/fonts/`` (SIL Open Font License 1.1, its licence beside it: see
``packaging/build_config.py``) for systems that lack it. ``register_bundled_fonts`` loads the
bundled fonts the system does not have into the application's font database and makes Noto
Color Emoji Qt's emoji font. A checkout has no ``resources/fonts``: nothing is loaded.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFontDatabase

from paris_desk.ui.resources import resources_dir

log = logging.getLogger(__name__)

FONTS_DIR = "fonts"
EMOJI_FAMILY = "Noto Color Emoji"
FAMILIES = {"NotoColorEmoji.ttf": EMOJI_FAMILY}  # bundled file -> its family
FONT_SUFFIXES = (".ttf", ".otf")

_done = False


def register_bundled_fonts(directory: Path | None = None, *, skip_installed: bool = True
                           ) -> list[str]:
    """Load the fonts of ``directory`` (``resources/fonts``); with ``skip_installed``, not
    those whose family the system already has (a 10 MB font read for nothing). Returns the
    families added. Needs a QGuiApplication."""
    folder = directory if directory is not None else resources_dir() / FONTS_DIR
    if not folder.is_dir():
        return []
    installed = set(QFontDatabase.families()) if skip_installed else set()
    added: list[str] = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in FONT_SUFFIXES or FAMILIES.get(path.name) in installed:
            continue
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("fonts: %s could not be loaded", path.name)
            continue
        added += QFontDatabase.applicationFontFamilies(font_id)
    if EMOJI_FAMILY in added:
        QFontDatabase.addApplicationEmojiFontFamily(EMOJI_FAMILY)
    if added:
        log.info("fonts: bundled %s registered", ", ".join(added))
    return added


def register_once() -> None:
    """``register_bundled_fonts`` the first time only (each window calls it)."""
    global _done  # once per process
    if not _done:
        _done = True
        register_bundled_fonts()
