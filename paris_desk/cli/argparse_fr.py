"""argparse in French: its headings ("usage", "positional arguments", "options") and its
error messages, which it takes from ``gettext`` without a French catalogue of its own.

``install(language)`` sets argparse's ``_``/``ngettext`` for the command line of this run:
French by default (the CLI speaks French), English with ``--lang en`` or ``PARIS_DESK_LANG=en``
(``language_of``), so that ``paris-desk --lang en --help`` shows argparse's own English.

Our help texts are written in English, marked ``QT_TRANSLATE_NOOP("cli", …)``, and translated
by ``HelpFormatter`` (``cli.language``) only when help is shown: ``Parser`` uses it, and so do
its subparsers.
"""

from __future__ import annotations

import argparse
import gettext
import os
from collections.abc import Sequence
from typing import Any

FRENCH = {
    "usage: ": "usage : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "show program's version number and exit": "afficher la version et quitter",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "choix invalide : %(value)r (au choix : %(choices)s)",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s) : %(value)r",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "unrecognized arguments: %s": "argument(s) inconnu(s) : %s",
    "expected one argument": "un argument attendu",
    "expected at least one argument": "au moins un argument attendu",
    "expected at most one argument": "au plus un argument attendu",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "ambiguous option: %(option)s could match %(matches)s":
        "option ambiguë : %(option)s peut désigner %(matches)s",
    "ignored explicit argument %r": "argument explicite ignoré : %r",
}
FRENCH_PLURALS = {
    ("expected %s argument", "expected %s arguments"):
        ("%s argument attendu", "%s arguments attendus"),
}


def _french(message: str) -> str:
    return FRENCH.get(message, message)


def _french_plural(singular: str, plural: str, n: int) -> str:
    one, many = FRENCH_PLURALS.get((singular, plural), (singular, plural))
    return one if n <= 1 else many


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # noqa: N802 - lupdate's marker
    """Marks ``source`` for the catalogue (``pyside6-lupdate`` extracts it); translated where
    it is shown: help texts by ``HelpFormatter``, only when help is asked for."""
    return source


class HelpFormatter(argparse.HelpFormatter):
    """Translates each help text and description as it is written out."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return _translated(action.help)

    def add_text(self, text: str | None) -> None:
        super().add_text(_translated(text))


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose help is translated (``add_subparsers`` makes Parsers too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)


def _translated(text: str | None) -> str | None:
    if not text or text == argparse.SUPPRESS:
        return text
    from paris_desk.cli.language import translate

    return translate("cli", text)


def language_of(argv: Sequence[str]) -> str:
    """``--lang X`` (or ``--lang=X``) in ``argv``, else ``PARIS_DESK_LANG``, else French."""
    words = list(argv)
    for i, word in enumerate(words):
        if word == "--lang" and i + 1 < len(words):
            return words[i + 1][:2].lower()
        if word.startswith("--lang="):
            return word.split("=", 1)[1][:2].lower()
    return (os.environ.get("PARIS_DESK_LANG") or "fr")[:2].lower()


def unrecognized(words: Sequence[str]) -> str:
    """argparse's "unrecognized arguments: …", in the language installed."""
    message: str = argparse._("unrecognized arguments: %s")  # type: ignore[attr-defined]
    return message % " ".join(words)


def install(language: str) -> None:
    """argparse speaks ``language`` ("fr"; anything else: argparse's English)."""
    french = language == "fr"
    argparse._ = _french if french else gettext.gettext  # type: ignore[attr-defined]
    argparse.ngettext = _french_plural if french else gettext.ngettext  # type: ignore[attr-defined]
