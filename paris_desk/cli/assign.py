"""``paris-desk assign ITEM --to NAME``: an inbox item for a colleague (team mode);
``--nobody`` takes it back from whoever had it.

ITEM is the ``id`` that ``paris-desk inbox --json`` prints (``<account>/<notification>``);
NAME a member of the team (``paris-desk inbox --assigned-to-me`` lists theirs). The
assignment and its audit row are written together.
"""

from __future__ import annotations

import argparse

from paris_desk.cli.context import CommandError, Context, UsageError
from paris_desk.cli.language import QT_TRANSLATE_NOOP, translate
from paris_desk.cli.team import describe
from paris_desk.services.team import TeamError
from paris_desk.services.triage import NotAMember, parse_item_id


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    assign = commands.add_parser("assign", help=QT_TRANSLATE_NOOP(
        "cli", "assign an item of the inbox"))
    assign.add_argument("item", metavar="ITEM", help=QT_TRANSLATE_NOOP(
        "cli", "the “id” of “paris-desk inbox --json”"))
    who = assign.add_mutually_exclusive_group(required=True)
    who.add_argument("--to", metavar="NOM", help=QT_TRANSLATE_NOOP("cli", "a member of the team"))
    who.add_argument("--nobody", action="store_true", help=QT_TRANSLATE_NOOP(
        "cli", "assign it to nobody"))
    assign.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    try:
        key = parse_item_id(args.item)
    except ValueError:
        raise UsageError(translate(
            "cli", "Invalid item: {item} (the “id” of “paris-desk inbox --json”, "
            "account/notification).").format(item=repr(args.item))) from None
    try:
        if args.nobody:
            done = ctx.desk().triage.unassign(key)
            ctx.say((translate("cli", "Assigned to nobody: {item}.") if done
                     else translate("cli", "This item was assigned to nobody: {item}.")
                     ).format(item=args.item))
            return 0
        ctx.desk().triage.assign(key, args.to)
    except NotAMember as exc:
        raise CommandError(translate("cli", "{name} is not a member of the team.").format(
            name=args.to)) from exc
    except TeamError as exc:
        raise CommandError(describe(exc)) from exc
    ctx.say(translate("cli", "Assigned to {name}: {item}.").format(name=args.to, item=args.item))
    return 0
