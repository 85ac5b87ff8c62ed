"""``paris-desk filter add|list|remove``: keyword filters, kept in the profile and on the servers.

``add`` and ``remove`` change the profile, then sync the accounts concerned (a server that
cannot be reached is synced by a later command); ``list`` first takes in the filters made on
the servers (on a phone), then lists. JSON objects: ``{id, text, regex, accounts, action,
synced}``, ``accounts`` the account ids ([] = every account), ``synced`` per account ``true``,
``false`` or ``"unsupported"`` (a regular expression, or a network without server filters).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from paris_desk.cli import messages, output
from paris_desk.cli.context import CommandError, Context, UsageError
from paris_desk.cli.errors import report_failures
from paris_desk.cli.language import QT_TRANSLATE_NOOP, translate
from paris_desk.core.filters import FilterAction, InvalidFilter
from paris_desk.services.filters import UNSUPPORTED, FilterState

ACTIONS = {  # translated where shown
    FilterAction.HIDE: QT_TRANSLATE_NOOP("cli", "hide"),
    FilterAction.WARN: QT_TRANSLATE_NOOP("cli", "warn"),
}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser("filter", help=QT_TRANSLATE_NOOP(
        "cli", "word filters (hide or warn)"))
    sub = group.add_subparsers(dest="filter_command", required=True, metavar="COMMANDE")

    add = sub.add_parser("add", help=QT_TRANSLATE_NOOP("cli", "add a filter"))
    add.add_argument("text", metavar="TEXT", help=QT_TRANSLATE_NOOP(
        "cli", "word or phrase (whole words)"))
    add.add_argument("--regex", action="store_true", help=QT_TRANSLATE_NOOP(
        "cli", "TEXT is a regular expression"))
    add.add_argument("--account", action="append", metavar="ACCOUNT",
                     help=QT_TRANSLATE_NOOP(
                         "cli", "id or end of the handle (repeatable; by default: every account)"))
    action = add.add_mutually_exclusive_group()
    action.add_argument("--warn", dest="action", action="store_const", const=FilterAction.WARN,
                        help=QT_TRANSLATE_NOOP(
                            "cli", "fold the item behind “Filtered: TEXT” (the default)"))
    action.add_argument("--hide", dest="action", action="store_const", const=FilterAction.HIDE,
                        help=QT_TRANSLATE_NOOP("cli", "hide the item (shown with --all)"))
    add.add_argument("--json", action="store_true", help=QT_TRANSLATE_NOOP("cli", "JSON output"))
    add.set_defaults(run=add_filter, action=FilterAction.WARN)

    listing = sub.add_parser("list", help=QT_TRANSLATE_NOOP(
        "cli", "the filters, with the servers' ones"))
    listing.add_argument("--json", action="store_true", help=QT_TRANSLATE_NOOP(
        "cli", "JSON output"))
    listing.set_defaults(run=list_filters)

    remove = sub.add_parser("remove", help=QT_TRANSLATE_NOOP(
        "cli", "remove a filter (here and on the servers)"))
    remove.add_argument("id", metavar="ID")
    remove.set_defaults(run=remove_filter)


def add_filter(args: argparse.Namespace, ctx: Context) -> int:
    accounts = [ctx.service.resolve(ref).id for ref in args.account or ()]
    filters = ctx.desk().filters
    try:
        made = filters.add(args.text, regex=args.regex, accounts=accounts, action=args.action)
    except InvalidFilter as exc:
        raise UsageError(_invalid(str(exc))) from exc
    failures = filters.sync(list(accounts) or None) if not made.regex else {}
    state = next(s for s in filters.states() if s.filter.id == made.id)
    if args.json:
        output.write_json(ctx.out, filter_json(state))
    else:
        ctx.out.write(translate("cli", "Filter added:") + "\n")
        write_filters(ctx, [state])
    _report_later(ctx, failures)
    return 0


def list_filters(args: argparse.Namespace, ctx: Context) -> int:
    filters = ctx.desk().filters
    failures = filters.sync()
    states = filters.states()
    if args.json:
        output.write_json(ctx.out, [filter_json(s) for s in states])
    else:
        write_filters(ctx, states)
    return report_failures(ctx, failures)


def remove_filter(args: argparse.Namespace, ctx: Context) -> int:
    filters = ctx.desk().filters
    if not filters.remove(args.id):
        raise CommandError(translate(
            "cli", "No filter “{id}” (see “paris-desk filter list”).").format(id=args.id))
    failures = filters.sync()
    ctx.say(translate("cli", "Filter {id} removed.").format(id=args.id))
    _report_later(ctx, failures)
    return 0


def filter_json(state: FilterState) -> dict[str, Any]:
    f = state.filter
    return {
        "id": f.id,
        "text": f.text,
        "regex": f.regex,
        "accounts": list(f.accounts),
        "action": f.action.value,
        "synced": dict(state.synced),
    }


def write_filters(ctx: Context, states: list[FilterState]) -> None:
    if not states:
        ctx.out.write(translate("cli", "No filter. Add one with “paris-desk filter add”.") + "\n")
    for state in states:
        f = state.filter
        kind = translate("cli", "regular expression") if f.regex else translate(
            "cli", "whole words")
        ctx.out.write(translate("cli", "{id}  “{text}”  {action}  ({kind})").format(
            id=f.id, text=f.text, action=translate("cli", ACTIONS[f.action]), kind=kind) + "\n")
        accounts = ", ".join(f.accounts) or translate("cli", "all")
        ctx.out.write("    " + translate("cli", "accounts: {accounts}").format(
            accounts=accounts) + "\n")
        for account_id, synced in state.synced.items():
            word = (translate("cli", "not supported") if synced == UNSUPPORTED
                    else translate("cli", "synchronised") if synced
                    else translate("cli", "not yet synchronised"))
            ctx.out.write("    " + translate("cli", "{account}: {state}").format(
                account=account_id, state=word) + "\n")


def _report_later(ctx: Context, failures: Mapping[str, BaseException]) -> None:
    """The filter is saved; a server that failed is synced by a later command."""
    for account_id, exc in failures.items():
        reason = messages.describe(exc, account=account_id.split(":", 1)[-1])
        ctx.say(translate(
            "cli", "Warning: the server of {account} was not updated (tried again at the next "
            "“filter” command): {reason}").format(account=account_id, reason=reason))


def _invalid(reason: str) -> str:
    if reason.startswith("invalid regular expression"):
        return translate("cli", "Invalid regular expression ({detail}).").format(
            detail=reason.partition(": ")[2])
    if reason == "empty filter":
        return translate("cli", "The filter is empty.")
    return translate("cli", "The filter is too long (200 characters at most).")
