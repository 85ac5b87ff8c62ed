"""``paris-desk profile repair``: a damaged or empty local database, set aside and rebuilt."""

from __future__ import annotations

import argparse

from paris_desk.cli import messages
from paris_desk.cli.context import CommandError, Context
from paris_desk.cli.language import QT_TRANSLATE_NOOP, translate
from paris_desk.services import repair
from paris_desk.services.logging_setup import setup_logging, teardown_logging

TABLES = {  # translated where shown
    "accounts": QT_TRANSLATE_NOOP("cli", "accounts"),
    "drafts": QT_TRANSLATE_NOOP("cli", "drafts"),
    "outbox_jobs": QT_TRANSLATE_NOOP("cli", "posts waiting or sent"),
    "outbox_media": QT_TRANSLATE_NOOP("cli", "posts' images"),
    "target_groups": QT_TRANSLATE_NOOP("cli", "groups of accounts"),
    "inbox_state": QT_TRANSLATE_NOOP("cli", "inbox tracking"),
    "filters": QT_TRANSLATE_NOOP("cli", "filters"),
}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser("profile", help=QT_TRANSLATE_NOOP(
        "cli", "the local profile (database, permissions)"))
    sub = group.add_subparsers(dest="profile_command", required=True, metavar="COMMANDE")
    fix = sub.add_parser(
        "repair",
        help=QT_TRANSLATE_NOOP(
            "cli", "set a damaged database aside and rebuild it (drafts and posts kept if "
            "readable)"),
    )
    fix.add_argument("--force", action="store_true", help=QT_TRANSLATE_NOOP(
        "cli", "even if the database seems intact"))
    # needs_profile=False: main would open the database (the outbox's recovery) before the
    # command, which is what fails here; run_repair sets up the log itself.
    fix.set_defaults(run=run_repair, needs_profile=False)


def run_repair(args: argparse.Namespace, ctx: Context) -> int:
    setup_logging(ctx.profile, ctx.log_level)
    try:
        return _repair(args, ctx)
    finally:
        teardown_logging()


def _repair(args: argparse.Namespace, ctx: Context) -> int:
    problem = repair.check(ctx.profile)
    if problem is None and not args.force:
        ctx.say(translate("cli", "The local database is intact ({path}): nothing to do.").format(
            path=ctx.profile.db_path))
        return 0
    if problem is not None and not repair.is_repairable(problem):
        raise CommandError(messages.describe(problem, db_path=str(ctx.profile.db_path)))
    result = repair.repair(ctx.profile)
    ctx.say(translate("cli", "Damaged database set aside: {path}").format(path=result.moved_to))
    kept = [f"{n} {_table(t)}" for t, n in sorted(result.kept.items()) if n]
    ctx.say(translate("cli", "Recovered: {what}.").format(
        what=", ".join(kept) if kept else translate("cli", "nothing readable")))
    if result.damaged:
        lost = ", ".join(_table(t) for t in result.damaged if t != "*") or translate(
            "cli", "everything")
        ctx.say(translate("cli", "Unreadable (in part or in whole): {what}.").format(what=lost))
    ctx.say(translate("cli", "The posts and notifications will be loaded again from the servers."))
    return 0


def _table(name: str) -> str:
    return translate("cli", TABLES[name]) if name in TABLES else name
