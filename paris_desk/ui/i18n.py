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


# What Qt's own French catalogue leaves in English (the file dialog's "Look in" and "Files of
# type", Qt 6.11), by (context, source).
QT_GAPS = {
    "fr": {
        ("QFileDialog", "&Look in:"): "Re&garder dans\u00a0:",
        ("QFileDialog", "Files of &type:"): "&Type de fichiers\u00a0:",
    },
}
_running = {"language": DEFAULT_LANGUAGE}


class QtGaps(QTranslator):
    """Fills the gaps of Qt's catalogue for ``language`` (installed after it, asked first)."""

    def __init__(self, language: str, parent: QCoreApplication | None = None) -> None:
        super().__init__(parent)
        self._texts = QT_GAPS.get(language, {})

    def isEmpty(self) -> bool:  # noqa: N802 - Qt API
        return not self._texts

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        return self._texts.get((context, source))  # None (not "") lets Qt ask the others


def running_language() -> str:
    """The language the translators were installed for in this run."""
    return _running["language"]


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install Qt's own ``qtbase`` catalogue first, then its gaps filled, then ours; set the
    default QLocale.

    Returns the installed translators (parented to ``app``, which keeps them alive).
    """
    QLocale.setDefault(_LOCALES[language])
    _running["language"] = language
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ours_dir = str(translations_dir())
    qtbase = _install(app, f"qtbase_{language}", qt_dir)  # buttons say "Annuler"
    if qtbase is None:
        log.warning("Qt's translation qtbase_%s not found in %s", language, qt_dir)
    gaps: QTranslator | None = None
    if QT_GAPS.get(language):
        gaps = QtGaps(language, app)
        app.installTranslator(gaps)
    ours = _install(app, f"paris_desk_{language}", ours_dir)
    if ours is None:
        log.warning("translation paris_desk_%s not found in %s", language, ours_dir)
    return [t for t in (qtbase, gaps, ours) if t is not None]


def _install(app: QCoreApplication, name: str, folder: str) -> QTranslator | None:
    translator = QTranslator(app)
    if not translator.load(name, folder):
        return None
    app.installTranslator(translator)
    return translator
