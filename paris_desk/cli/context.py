"""What every command gets: the profile (real or sandbox), the account service, the terminal."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO, TypeVar

from paris_desk.core.channel import Channel
from paris_desk.core.errors import ParisDeskError
from paris_desk.core.model import Account
from paris_desk.services.accounts import AccountService
from paris_desk.services.api import Profile
from paris_desk.services.desk import Desk

LOG_LEVEL_ENV = "PARIS_DESK_LOG_LEVEL"


class UsageError(Exception):
    """A command line that makes no sense (exit code 2); the message is a sentence already
    translated (``cli.language.translate``), printed after "Erreur : "."""


class CommandError(Exception):
    """The command cannot run as asked (exit code 1); the message is a sentence already
    translated (``cli.language.translate``), printed after "Erreur : "."""


class Context:
    def __init__(self, sandbox: bool) -> None:
        self.profile = Profile.sandbox() if sandbox else Profile.default()
        self._service: AccountService | None = None
        self._desk: Desk | None = None

    @property
    def service(self) -> AccountService:
        if self._service is None:
            self._service = AccountService(self.profile)
        return self._service

    def desk(self) -> Desk:
        """The profile's application core, over the same account service (built once)."""
        if self._desk is None:
            self._desk = Desk(self.service)
        return self._desk

    def close(self) -> None:
        if self._desk is not None:
            self._desk.close()
        elif self._service is not None:
            self._service.close()

    @property
    def log_level(self) -> str:
        return os.environ.get(LOG_LEVEL_ENV, "INFO").upper()

    # The streams are looked up at each call, so tests (capsys, a replaced sys.stdin) work.
    @property
    def out(self) -> TextIO:
        return sys.stdout

    @property
    def err(self) -> TextIO:
        return sys.stderr

    def say(self, text: str) -> None:
        """A line for the user, on stderr (stdout is kept for results and JSON)."""
        print(text, file=sys.stderr, flush=True)

    def read_line(self) -> str:
        """One line of stdin without its line ending; "" at end of input."""
        return sys.stdin.readline().rstrip("\r\n")

    def read_all(self) -> str:
        return sys.stdin.read()


T = TypeVar("T")


def selected_accounts(ctx: Context, refs: Sequence[str] | None) -> list[Account]:
    """The accounts named by ``--account`` (id or handle suffix), or all of them."""
    if not refs:
        return ctx.service.list()
    chosen = [ctx.service.resolve(ref) for ref in refs]
    return list({a.id: a for a in chosen}.values())


def for_each_account(
    ctx: Context, accounts: Sequence[Account], job: Callable[[Channel], T]
) -> tuple[dict[str, T], dict[str, ParisDeskError]]:
    """Run ``job`` on every account's channel in parallel (one round trip for all).

    Returns results and expected failures by account id, both in ``accounts`` order; a bug
    (any other exception) propagates.
    """
    results: dict[str, T] = {}
    failures: dict[str, ParisDeskError] = {}
    if not accounts:
        return results, failures

    def run(account: Account) -> T:
        return job(ctx.service.channel(account.id))

    for account, future in zip(accounts, ctx.desk().executors.each(run, accounts), strict=True):
        exc = future.exception()
        if exc is None:
            results[account.id] = future.result()
        elif isinstance(exc, ParisDeskError):
            failures[account.id] = exc
        else:
            raise exc
    return results, failures
