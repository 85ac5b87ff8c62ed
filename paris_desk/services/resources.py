"""Where the ``resources/`` directory (translations, icons, styles) is found.

In a checkout it sits at the top of the repository, next to ``paris_desk/``. A frozen build
unpacks it under ``sys._MEIPASS``; an installed wheel carries it as data files under
``<prefix>/share/paris_desk``. ``PARIS_DESK_RESOURCES`` overrides all of them.

Qt-free, so that the command line finds the window's translations (``cli/messages.py``)
without importing the UI.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_VAR = "PARIS_DESK_RESOURCES"
CHECKOUT = Path(__file__).resolve().parents[2] / "resources"  # paris_desk/services/..


def candidates() -> list[Path]:
    """The places looked at, in order."""
    found: list[Path] = []
    if override := os.environ.get(ENV_VAR):
        found.append(Path(override))
    if frozen := getattr(sys, "_MEIPASS", None):
        found.append(Path(frozen) / "resources")
    found.append(CHECKOUT)
    found.append(Path(sys.prefix) / "share" / "paris_desk")
    return found


def resources_dir() -> Path:
    """The first candidate that holds an ``i18n`` directory (else the checkout's path)."""
    for path in candidates():
        if (path / "i18n").is_dir():
            return path
    return CHECKOUT


def translations_dir() -> Path:
    return resources_dir() / "i18n"
