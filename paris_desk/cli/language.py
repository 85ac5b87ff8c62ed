"""The command line's language, and its translator over the window's compiled catalogue.

French by default; English with ``--lang en`` or ``PARIS_DESK_LANG=en`` (``use_language``,
called by ``cli.main`` before the command line is parsed). The CLI's own sentences are written
in English as literal ``translate("cli", "…")`` calls at the place that prints them, so that
``pyside6-lupdate`` extracts them (``scripts/update_translations.sh`` reads ``paris_desk/cli``);
the sentences it shares with the window are the catalogue's (``services.sentences``, context
``errors``, through ``cli.messages``). Named fields are filled after translation.

Only ``PySide6.QtCore`` is loaded (no display), and only when the first sentence is needed.
Help texts and other words shown later are marked with ``QT_TRANSLATE_NOOP("cli", "…")`` and
translated where they are shown.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import TYPE_CHECKING

from paris_desk.cli.argparse_fr import QT_TRANSLATE_NOOP as QT_TRANSLATE_NOOP  # lupdate's marker
from paris_desk.services.resources import translations_dir

if TYPE_CHECKING:  # the catalogue (and what it imports) only when a sentence is needed
    from paris_desk.services.sentences import Translate

log = logging.getLogger(__name__)

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
_chosen = {"language": DEFAULT_LANGUAGE}


def use_language(language: str) -> None:
    """Speak ``language`` ("fr" or "en"; anything else: French) from now on."""
    code = (language or "")[:2].lower()
    _chosen["language"] = code if code in LANGUAGES else DEFAULT_LANGUAGE


def chosen() -> str:
    return _chosen["language"]


def translate(context: str, source: str, disambiguation: str | None = None,
              n: int = -1, /) -> str:
    """``source`` in the chosen language (``QCoreApplication.translate``'s shape; ``%n`` is
    filled with ``n``)."""
    return translator(chosen())(context, source, disambiguation, n)


@cache
def translator(language: str) -> Translate:
    """``translate`` over the window's compiled catalogue for ``language``."""
    from PySide6.QtCore import QTranslator

    from paris_desk.services.sentences import untranslated

    qt = QTranslator()
    folder = translations_dir()
    if not qt.load(f"paris_desk_{language}", str(folder)):
        log.warning("translation paris_desk_%s not found in %s", language, folder)
        return untranslated

    def translate(context: str, source: str, disambiguation: str | None = None,
                  n: int = -1, /) -> str:
        text = qt.translate(context, source, disambiguation, n) or source
        return text.replace("%n", str(n)) if n >= 0 else text  # as QCoreApplication does

    return translate
