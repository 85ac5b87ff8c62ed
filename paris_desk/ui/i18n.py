"""Choosing the interface language and installing Qt's translators (PySide6 linguist example).

French is the default. English is chosen by ``--lang en``, ``PARIS_DESK_LANG=en``, the saved
preference (``Settings.ui_language`` in the profile's ``settings.ini``), or an English system
locale, in that order of precedence.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from paris_desk.ui.resources import translations_dir

log = logging.getLogger(__name__)

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
ENV_VAR = "PARIS_DESK_LANG"
_LOCALES = {
    "fr": QLocale(QLocale.Language.French, QLocale.Country.France),
    "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom),
}


def _normalise(value: str | None) -> str | None:
    """``"fr_FR.UTF-8"`` → ``"fr"``; None for languages we don't ship."""
    if not value:
        return None
    code = value.strip().lower()[:2]
    return code if code in LANGUAGES else None


def choose_language(
    cli: str | None = None,
    env: str | None = None,
    saved: str | None = None,
    system: str | None = None,
) -> str:
    """The first of the given choices that names a shipped language, else French."""
    for choice in (cli, env, saved, system):
        if language := _normalise(choice):
            return language
    return DEFAULT_LANGUAGE


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install Qt's own ``qtbase`` catalogue first, then ours; set the default QLocale.

    Returns the installed translators (parented to ``app``, which keeps them alive).
    """
    QLocale.setDefault(_LOCALES[language])
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ours_dir = str(translations_dir())
    qtbase = _install(app, f"qtbase_{language}", qt_dir)  # buttons say "Annuler"
    ours = _install(app, f"paris_desk_{language}", ours_dir)
    if ours is None:
        log.warning("translation paris_desk_%s not found in %s", language, ours_dir)
    return [t for t in (qtbase, ours) if t is not None]


def _install(app: QCoreApplication, name: str, folder: str) -> QTranslator | None:
    translator = QTranslator(app)
    if not translator.load(name, folder):
        return None
    app.installTranslator(translator)
    return translator
