"""The window's words for errors: the shared catalogue (``services.sentences``), translated by
the installed Qt translators (French by default).

Anki's ``show_exception``: every widget that shows an error asks here; the command line prints
the same sentences (``cli/messages.py``).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from paris_desk.services.sentences import Sentences

_SENTENCES = Sentences(QCoreApplication.translate)


def sentences() -> Sentences:
    """The catalogue in the window's language (its refusals, its outbox failures)."""
    return _SENTENCES


def describe(exc: BaseException, account_label: str = "", *, signing_in: bool = False) -> str:
    """A complete sentence saying what happened and what to do.

    ``account_label`` names the account concerned (its label or handle); ``signing_in`` is True
    while adding or reconnecting an account, where "not found" means the server.
    """
    return _SENTENCES.describe(exc, account_label, signing_in=signing_in)

