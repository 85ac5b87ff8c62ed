"""``paris-desk team``: this profile in a team whose shared state is in PostgreSQL (issue 16).

    paris-desk team init DSN --admin NAME --password-stdin   schema, group roles, first admin;
                                                              this profile joins as NAME
    paris-desk team add-member NAME --role redacteur|validateur|admin --password-stdin
    paris-desk team join DSN --user NAME --password-stdin    DSN without password; the
                                                              password goes to the keychain
    paris-desk team status [--json]                          {server, database, user, role,
                                                              schema_version}
    paris-desk team leave

A server on another machine is reached with ``sslmode=verify-full`` (``store.team.tls``); a
weaker ``sslmode`` in the DSN is refused unless ``--allow-unverified-tls`` (init, join).

``init``'s DSN is a database owner's that may create roles (its password in the DSN, or in
libpq's PGPASSWORD / ~/.pgpass). A member's password is read from stdin (one line) and kept
only in the OS keychain. What a role may not do is refused (exit 1) and nothing is changed.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, TypeVar

from paris_desk.cli import messages, output
from paris_desk.cli.context import CommandError, Context, UsageError
from paris_desk.cli.language import QT_TRANSLATE_NOOP, translate
from paris_desk.core.model import Account
from paris_desk.core.terminal import for_terminal
from paris_desk.services.team import Role, Status, TeamError, TeamService

ROLE_WORDS = {  # the roles' names, in every language
    Role.REDACTEUR: "rédacteur", Role.VALIDATEUR: "validateur", Role.ADMIN: "admin"}
T = TypeVar("T")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser("team", help=QT_TRANSLATE_NOOP(
        "cli", "team mode (a shared PostgreSQL database)"))
    sub = group.add_subparsers(dest="team_command", required=True, metavar="COMMANDE")

    init = sub.add_parser("init", help=QT_TRANSLATE_NOOP(
        "cli", "create the schema, the roles and the first admin"))
    init.add_argument("dsn", metavar="DSN", help=QT_TRANSLATE_NOOP(
        "cli", "connection of an owner of the database"))
    init.add_argument("--admin", required=True, metavar="NOM", help=QT_TRANSLATE_NOOP(
        "cli", "the first administrator"))
    init.add_argument("--password-stdin", action="store_true", required=True,
                      help=QT_TRANSLATE_NOOP("cli", "their password, read on standard input"))
    _tls_option(init)
    init.set_defaults(run=run_init, needs_profile=False)

    add = sub.add_parser("add-member", help=QT_TRANSLATE_NOOP("cli", "add a member (admin only)"))
    add.add_argument("name", metavar="NOM")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--password-stdin", action="store_true", required=True,
                     help=QT_TRANSLATE_NOOP("cli", "their password, read on standard input"))
    add.set_defaults(run=run_add_member, needs_profile=False)

    join = sub.add_parser("join", help=QT_TRANSLATE_NOOP("cli", "join the team with this profile"))
    join.add_argument("dsn", metavar="DSN", help=QT_TRANSLATE_NOOP(
        "cli", "the server and the database, without a password"))
    join.add_argument("--user", required=True, metavar="NOM")
    join.add_argument("--password-stdin", action="store_true", required=True,
                      help=QT_TRANSLATE_NOOP(
                          "cli", "the password, read on standard input (kept in the keychain)"))
    _tls_option(join)
    join.set_defaults(run=run_join, needs_profile=False)

    status = sub.add_parser("status", help=QT_TRANSLATE_NOOP(
        "cli", "server, member, role and schema version"))
    status.add_argument("--json", action="store_true", help=QT_TRANSLATE_NOOP("cli", "JSON output"))
    status.set_defaults(run=run_status, needs_profile=False)

    leave = sub.add_parser("leave", help=QT_TRANSLATE_NOOP(
        "cli", "leave the team (forgets the password)"))
    leave.set_defaults(run=run_leave, needs_profile=False)

    accounts = sub.add_parser("accounts", help=QT_TRANSLATE_NOOP(
        "cli", "the team's accounts and their settings"))
    accounts.add_argument("--json", action="store_true", help=QT_TRANSLATE_NOOP(
        "cli", "JSON output"))
    accounts.set_defaults(run=run_accounts, needs_profile=False)

    approval = sub.add_parser("require-approval",
                              help=QT_TRANSLATE_NOOP(
                                  "cli", "publishing on this account needs a validation (admin)"))
    approval.add_argument("account", metavar="ACCOUNT", help=QT_TRANSLATE_NOOP(
        "cli", "id or end of the handle"))
    approval.add_argument("--off", action="store_true", help=QT_TRANSLATE_NOOP(
        "cli", "no longer ask for it"))
    approval.set_defaults(run=run_require_approval, needs_profile=False)


# -- the commands ---------------------------------------------------------------------------


def run_init(args: argparse.Namespace, ctx: Context) -> int:
    password = _password(ctx)
    status = _team(lambda: TeamService(ctx.profile).init(
        args.dsn, args.admin, password, allow_unverified=args.allow_unverified_tls))
    ctx.say(translate(
        "cli", "Team ready on {server}/{database} (schema {version}); this profile is a member: "
        "{user} (admin).").format(server=status.server, database=status.database,
                                  version=status.schema_version, user=status.user))
    return 0


def run_add_member(args: argparse.Namespace, ctx: Context) -> int:
    password = _password(ctx)
    role = Role(args.role)
    _team(lambda: TeamService(ctx.profile).add_member(args.name, role, password),
          refused=translate("cli", "only an admin can add members"))
    ctx.say(translate("cli", "Member added: {name} ({role}).").format(
        name=args.name, role=ROLE_WORDS[role]))
    return 0


def run_join(args: argparse.Namespace, ctx: Context) -> int:
    password = _password(ctx)
    status = _team(lambda: TeamService(ctx.profile).join(
        args.dsn, args.user, password, allow_unverified=args.allow_unverified_tls))
    ctx.say(translate("cli", "This profile joined the team on {server}/{database}: {user} "
                      "({role}).").format(server=status.server, database=status.database,
                                          user=status.user, role=_role(status)))
    return 0


def run_status(args: argparse.Namespace, ctx: Context) -> int:
    status = _team(lambda: TeamService(ctx.profile).status())
    if args.json:
        output.write_json(ctx.out, status_json(status))
        return 0
    print(translate("cli", "Server: {server}").format(server=status.server), file=ctx.out)
    print(translate("cli", "Database: {database}").format(database=status.database),
          file=ctx.out)
    print(translate("cli", "Member: {user} ({role})").format(user=status.user,
                                                            role=_role(status)), file=ctx.out)
    print(translate("cli", "Schema: {version}").format(version=status.schema_version),
          file=ctx.out)
    return 0


def run_leave(args: argparse.Namespace, ctx: Context) -> int:
    if not TeamService(ctx.profile).leave():
        ctx.say(translate("cli", "This profile is in no team."))
        return 0
    ctx.say(translate("cli", "This profile left the team; its password is removed from the "
                             "keychain."))
    return 0


def run_accounts(args: argparse.Namespace, ctx: Context) -> int:
    accounts = _team(lambda: TeamService(ctx.profile).accounts())
    if args.json:
        output.write_json(ctx.out, [{"id": i, "network": n, "handle": h,
                                     "requires_approval": r} for i, n, h, r in accounts])
        return 0
    if not accounts:
        print(translate("cli", "No account set up for the team."), file=ctx.out)
    for account_id, _network, _handle, requires in accounts:
        rule = (translate("cli", "validation before publishing") if requires
                else translate("cli", "direct publishing"))
        print(f"{account_id}  {rule}", file=ctx.out)
    return 0


def run_require_approval(args: argparse.Namespace, ctx: Context) -> int:
    account = ctx.service.resolve(args.account)
    on = not args.off
    _team(lambda: TeamService(ctx.profile).set_requires_approval(account, on),
          refused=translate("cli", "only an admin changes the team's settings"))
    if on:
        ctx.say(translate("cli", "{account}: the redacteurs' posts will wait for a validation."
                          ).format(account=account.id))
    else:
        ctx.say(translate("cli", "{account}: direct publishing for every member.").format(
            account=account.id))
    return 0


def status_json(status: Status) -> dict[str, Any]:
    return {"server": status.server, "database": status.database, "user": status.user,
            "role": status.role.value if status.role else None,
            "schema_version": status.schema_version}


# -- helpers ---------------------------------------------------------------------------------


def _tls_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-unverified-tls", action="store_true",
        help=QT_TRANSLATE_NOOP(
            "cli", "accept the DSN's sslmode weaker than verify-full for a remote server (by "
            "default: refused)"))


def accounts_elsewhere(ctx: Context, here: list[Account]) -> list[tuple[str, str, str]] | None:
    """``(id, network, handle)`` of the team's accounts this workstation does not hold (their
    credentials are on other workstations, or the worker's); None outside a team."""
    team = TeamService(ctx.profile)
    if team.membership() is None:
        return None
    try:
        registry = team.accounts()
    except TeamError as exc:
        ctx.say(translate("cli", "Warning: the team's accounts are unavailable. {sentence}"
                          ).format(sentence=describe(exc)))
        return []
    held = {a.id for a in here}
    return [(i, n, h) for i, n, h, _ in registry if i not in held]


def _password(ctx: Context) -> str:
    password = ctx.read_line()
    if not password:
        raise UsageError(translate(
            "cli", "Empty password: give it on standard input (--password-stdin)."))
    return password


def _role(status: Status) -> str:
    return ROLE_WORDS[status.role] if status.role else translate("cli", "no role")


def _team(call: Callable[[], T], refused: str = "") -> T:
    """Run ``call``; a team failure becomes a ``CommandError`` with the catalogue's sentence
    (``refused``, translated, says what the role may not do)."""
    try:
        return call()
    except ValueError as exc:
        raise CommandError(translate(
            "cli", "Invalid member name: lowercase letters, digits, “_”, “.” or “-”, starting "
            "with a letter (63 characters at most).")) from exc
    except TeamError as exc:
        raise CommandError(describe(exc, refused=refused)) from exc


def describe(exc: TeamError, *, refused: str = "") -> str:
    """The window's sentence for a team failure (``Sentences.team``), for the terminal."""
    return for_terminal(messages.sentences().team(exc, refused))
