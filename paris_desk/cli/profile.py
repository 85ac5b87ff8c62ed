"""``paris-desk profile repair``: a damaged or empty local database, set aside and rebuilt."""

from __future__ import annotations

import argparse

from paris_desk.cli import messages
from paris_desk.cli.context import CommandError, Context
from paris_desk.services import repair
from paris_desk.services.logging_setup import setup_logging, teardown_logging

TABLES = {
    "accounts": "comptes",
    "drafts": "brouillons",
    "outbox_jobs": "envois en attente ou faits",
    "outbox_media": "images d'envois",
    "target_groups": "groupes de comptes",
    "inbox_state": "suivi de la boîte de réception",
    "filters": "filtres",
}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser("profile", help="le profil local (base, droits)")
    sub = group.add_subparsers(dest="profile_command", required=True, metavar="COMMANDE")
    fix = sub.add_parser(
        "repair",
        help="mettre de côté une base endommagée et la reconstruire "
        "(brouillons et envois conservés s'ils sont lisibles)",
    )
    fix.add_argument("--force", action="store_true", help="même si la base semble intacte")
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
        ctx.say(f"La base locale est intacte ({ctx.profile.db_path}) : rien à faire.")
        return 0
    if problem is not None and not repair.is_repairable(problem):
        raise CommandError(messages.describe(problem, db_path=str(ctx.profile.db_path)))
    result = repair.repair(ctx.profile)
    ctx.say(f"Base endommagée mise de côté : {result.moved_to}")
    kept = [f"{n} {TABLES.get(t, t)}" for t, n in sorted(result.kept.items()) if n]
    ctx.say("Récupéré : " + (", ".join(kept) if kept else "rien de lisible") + ".")
    if result.damaged:
        lost = ", ".join(TABLES.get(t, t) for t in result.damaged if t != "*") or "tout"
        ctx.say(f"Illisible (en partie ou en entier) : {lost}.")
    ctx.say("Les messages et notifications seront rechargés depuis les serveurs.")
    return 0
