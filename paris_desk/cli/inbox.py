"""``paris-desk inbox``: mentions, replies, likes… of several accounts, newest first.

Uses the inbox service of the desktop app: the notifications read are kept in the profile
(with the read and handled state set in the app); nothing is marked read on the servers.
"""

from __future__ import annotations

import argparse
from typing import Any

from paris_desk.cli import output
from paris_desk.cli.context import CommandError, Context, selected_accounts
from paris_desk.cli.errors import report_failures
from paris_desk.cli.language import QT_TRANSLATE_NOOP, translate
from paris_desk.cli.team import describe
from paris_desk.cli.timeline import add_reading_options
from paris_desk.core.model import Notification
from paris_desk.services.api import Handled
from paris_desk.services.team import NotInTeam, TeamError
from paris_desk.services.triage import ItemKey, item_id


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("inbox", help=QT_TRANSLATE_NOOP(
        "cli", "the accounts' notifications"))
    add_reading_options(parser)
    parser.add_argument("--unread", action="store_true", help=QT_TRANSLATE_NOOP(
        "cli", "only the unread ones"))
    parser.add_argument("--assigned-to-me", action="store_true",
                        help=QT_TRANSLATE_NOOP("cli", "team mode: only those assigned to me"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    accounts = selected_accounts(ctx, args.account)
    inbox = ctx.desk().inbox
    snapshot = inbox.load([a.id for a in accounts], per_account=args.limit)
    items = [n for item in snapshot.items for n in item.group.notifications
             if n.unread or not args.unread]
    handled = {(n.account_id, n.id): item.handled for item in snapshot.items
               for n in item.group.notifications if item.handled is not None}
    assigned = _assignments(ctx, items, only_mine=args.assigned_to_me)
    if args.assigned_to_me:
        me = ctx.desk().triage.me
        items = [n for n in items if assigned.get((n.account_id, n.id)) == me]
    items.sort(key=lambda n: (n.created_at, n.account_id, n.id), reverse=True)
    items = items[: args.limit]
    filters = ctx.desk().filters
    shown = output.filtered([(n, filters.judge(n.post, (n.account_id,))) for n in items],
                            args.all)
    if args.json:
        output.write_json(ctx.out, [
            {"id": item_id((n.account_id, n.id))} | output.notification_json(n)
            | output.verdict_json(v) | {"assigned_to": assigned.get((n.account_id, n.id)),
                                         "handled": _handled_json(handled.get((n.account_id,
                                                                                n.id)))}
            for n, v in shown])
    else:
        output.write_notifications(ctx.out, shown)
    output.say_hidden(ctx.err, len(items) - len(shown))
    return report_failures(ctx, snapshot.failures)


def _assignments(ctx: Context, items: list[Notification], *, only_mine: bool
                 ) -> dict[ItemKey, str]:
    """Who each item is assigned to (team mode; nobody's outside a team)."""
    try:
        triage = ctx.desk().triage
    except NotInTeam:
        if only_mine:
            raise CommandError(translate(
                "cli", "--assigned-to-me: this profile is in no team.")) from None
        return {}
    keys = [(n.account_id, n.id) for n in items]
    try:
        return {key: a.assigned_to for key, a in triage.assignments(keys).items()}
    except TeamError as exc:
        raise CommandError(describe(exc)) from exc


def _handled_json(mark: Handled | None) -> dict[str, Any] | None:
    """``{how: "answered"|"dismissed", by, at}``: ``by`` the member in team mode, else null."""
    if mark is None:
        return None
    return {"how": mark.how.value, "by": mark.by or None, "at": mark.at.isoformat()}
