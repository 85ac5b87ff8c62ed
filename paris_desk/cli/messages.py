"""The command line's words for errors: the window's catalogue (``services.sentences``),
translated by a ``QTranslator`` loaded on the window's ``.qm``, so the terminal prints the
sentence the window shows. French by default; English with ``--lang en`` or
``PARIS_DESK_LANG=en`` (``use_language``, called at each command's start).

Only ``PySide6.QtCore`` is loaded (no display), and only when a sentence is needed. Where
the remedy is a command, the CLI adds it (``Sentences.command_hint``). A server's words in a
sentence (a refusal's reason) are shown with their control characters escaped
(``core.terminal``).
"""

from __future__ import annotations

import logging
from functools import cache

from paris_desk.core.terminal import for_terminal
from paris_desk.services.api import KnownStoreError
from paris_desk.services.outbox import Job
from paris_desk.services.publisher import Refused
from paris_desk.services.resources import translations_dir
from paris_desk.services.sentences import Sentences, Translate, untranslated
from paris_desk.services.team import TeamError

log = logging.getLogger(__name__)

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
_chosen = {"language": DEFAULT_LANGUAGE}


def use_language(language: str) -> None:
    """Speak ``language`` ("fr" or "en"; anything else: French) from now on."""
    code = (language or "")[:2].lower()
    _chosen["language"] = code if code in LANGUAGES else DEFAULT_LANGUAGE


def sentences() -> Sentences:
    """The catalogue in the chosen language."""
    return _sentences(_chosen["language"])


@cache
def _sentences(language: str) -> Sentences:
    return Sentences(_qt_translate(language))


def _qt_translate(language: str) -> Translate:
    """``translate`` over the window's compiled catalogue for ``language``."""
    from PySide6.QtCore import QTranslator

    translator = QTranslator()
    folder = translations_dir()
    if not translator.load(f"paris_desk_{language}", str(folder)):
        log.warning("translation paris_desk_%s not found in %s", language, folder)
        return untranslated

    def translate(context: str, source: str, disambiguation: str | None = None,
                  n: int = -1, /) -> str:
        text = translator.translate(context, source, disambiguation, n) or source
        return text.replace("%n", str(n)) if n >= 0 else text  # as QCoreApplication does

    return translate


def account_name(exc: BaseException, fallback: str = "") -> str:
    """The handle in an error's ``account_id`` (``mastodon:@ville@paris.social`` → the part
    after the network)."""
    account_id = getattr(exc, "account_id", "") or ""
    return account_id.split(":", 1)[-1] if account_id else fallback


def describe(
    exc: BaseException, *, account: str = "", signing_in: bool = False, db_path: str = ""
) -> str:
    """A complete sentence (without the "Erreur : " prefix): the window's, then the command
    that helps, if any. ``account`` names the account concerned when the error does not."""
    if isinstance(exc, TeamError):  # team mode's database (cli/team.py words them)
        from paris_desk.cli.team import describe as team_sentence

        return for_terminal(team_sentence(exc))
    words = sentences()
    parts = [words.describe(exc, account_name(exc, account), signing_in=signing_in)]
    if isinstance(exc, KnownStoreError) and db_path:
        parts.append(words.database_file(db_path))
    if hint := words.command_hint(exc):
        parts.append(hint)
    return for_terminal(" ".join(parts))


def error_line(sentence: str) -> str:
    """``Erreur : …``, the line a failure prints on stderr."""
    return sentences().error_line(for_terminal(sentence))


def refusal(exc: Refused) -> list[str]:
    """One sentence per reason a draft was refused."""
    return [for_terminal(sentence) for sentence in sentences().refusals(exc)]


def refusal_hint(exc: Refused) -> str:
    """The way out of a refusal on the command line (``--split``), or ""."""
    return sentences().refusal_hint(exc.findings)


def nothing_queued() -> str:
    return sentences().nothing_queued()


def job_failure(job: Job, handle: str) -> str:
    """A failed outbox job, from its stored error kind and reason; the post is kept."""
    return for_terminal(sentences().job_failure(job, handle))
