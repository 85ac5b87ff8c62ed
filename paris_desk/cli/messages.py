"""The command line's words for errors: the window's catalogue (``services.sentences``),
translated by a ``QTranslator`` loaded on the window's ``.qm``, so the terminal prints the
sentence the window shows. French by default; English with ``--lang en`` or
``PARIS_DESK_LANG=en`` (``cli.language``, which also translates the CLI's own sentences).

Where the remedy is a command, the CLI adds it (``Sentences.command_hint``). A server's words
in a sentence (a refusal's reason) are shown with their control characters escaped
(``core.terminal``).
"""

from __future__ import annotations

from functools import cache

from paris_desk.cli import language
from paris_desk.cli.language import use_language as use_language  # the tests' and main's
from paris_desk.core.terminal import for_terminal
from paris_desk.services.api import KnownStoreError
from paris_desk.services.outbox import Job
from paris_desk.services.publisher import Refused
from paris_desk.services.sentences import Sentences


def sentences() -> Sentences:
    """The catalogue in the chosen language."""
    return _sentences(language.chosen())


@cache
def _sentences(chosen: str) -> Sentences:
    return Sentences(language.translator(chosen))


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


def job_failure(job: Job, handle: str, next_try: str = "") -> str:
    """A failed (or retried) outbox job, as the window's publish panel words it: its stored
    error kind and reason, then the post's fate (``next_try``: when it is tried again)."""
    return for_terminal(sentences().job_failure(job, handle, next_try))
