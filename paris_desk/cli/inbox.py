"""``paris-desk inbox``: mentions, replies, likes… of several accounts, newest first.

Uses the inbox service of the desktop app: the notifications read are kept in the profile
(with the read and handled state set in the app); nothing is marked read on the servers.
"""

from __future__ import annotations

import argparse

from paris_desk.cli import output
from paris_desk.cli.context import Context, selected_accounts
from paris_desk.cli.errors import report_failures
from paris_desk.cli.timeline import add_reading_options


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("inbox", help="les notifications des comptes")
    add_reading_options(parser)
    parser.add_argument("--unread", action="store_true", help="seulement les non lues")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    accounts = selected_accounts(ctx, args.account)
    inbox = ctx.desk().inbox
    snapshot = inbox.load([a.id for a in accounts], per_account=args.limit)
    items = [n for item in snapshot.items for n in item.group.notifications
             if n.unread or not args.unread]
    items.sort(key=lambda n: (n.created_at, n.account_id, n.id), reverse=True)
    items = items[: args.limit]
    filters = ctx.desk().filters
    shown = output.filtered([(n, filters.judge(n.post, (n.account_id,))) for n in items],
                            args.all)
    if args.json:
        output.write_json(ctx.out, [output.notification_json(n) | output.verdict_json(v)
                                    for n, v in shown])
    else:
        output.write_notifications(ctx.out, shown)
    output.say_hidden(ctx.err, len(items) - len(shown))
    return report_failures(ctx, snapshot.failures)
