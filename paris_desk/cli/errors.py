"""Printing errors: one line per failure on stderr, "Erreur : …" (``cli.messages``; "Error: …"
with ``--lang en``)."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from paris_desk.cli import messages
from paris_desk.cli.context import Context
from paris_desk.cli.language import translate
from paris_desk.core.errors import ChannelError

log = logging.getLogger(__name__)


def error_line(
    exc: BaseException, *, account: str = "", signing_in: bool = False, db_path: str = ""
) -> str:
    sentence = messages.describe(exc, account=account, signing_in=signing_in, db_path=db_path)
    return messages.error_line(sentence)


def report_failures(ctx: Context, failures: Mapping[str, BaseException]) -> int:
    """Print each account's failure; the exit code (1 if any)."""
    for account_id, exc in failures.items():
        log.info("%s failed: %s", account_id, type(exc).__name__)
        name = account_id.split(":", 1)[-1]
        sentence = messages.describe(exc, account=name)
        if not isinstance(exc, ChannelError):  # its sentence does not name the account
            sentence = translate("cli", "{account}: {sentence}").format(
                account=name, sentence=sentence)
        print(messages.error_line(sentence), file=ctx.err)
    return 1 if failures else 0
