"""``paris-desk inbox``: mentions, replies, likes… of several accounts, newest first."""

from __future__ import annotations

import argparse

from paris_desk.cli import output
from paris_desk.cli.context import Context, for_each_account, selected_accounts
from paris_desk.cli.errors import report_failures
from paris_desk.cli.timeline import add_reading_options


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("inbox", help="les notifications des comptes")
    add_reading_options(parser)
    parser.add_argument("--unread", action="store_true", help="seulement les non lues")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    accounts = selected_accounts(ctx, args.account)
    pages, failures = for_each_account(
        ctx, accounts, lambda channel: channel.notifications(limit=args.limit).items
    )
    items = [n for page in pages.values() for n in page if n.unread or not args.unread]
    items.sort(key=lambda n: (n.created_at, n.account_id, n.id), reverse=True)
    items = items[: args.limit]
    if args.json:
        output.write_json(ctx.out, [output.notification_json(n) for n in items])
    else:
        output.write_notifications(ctx.out, items)
    return report_failures(ctx, failures)
