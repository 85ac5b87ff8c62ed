"""``paris-desk account add|list|remove``."""

from __future__ import annotations

import argparse
import getpass
import webbrowser

from paris_desk.cli import output
from paris_desk.cli.context import CommandError, Context
from paris_desk.cli.language import QT_TRANSLATE_NOOP, translate
from paris_desk.cli.team import accounts_elsewhere, describe
from paris_desk.core.errors import AuthFactorRequired, NotFound, Unreachable
from paris_desk.core.model import Account
from paris_desk.core.terminal import for_terminal
from paris_desk.services.api import register_secret
from paris_desk.services.team import TeamError, TeamService

OAUTH_WAIT_SECONDS = 300.0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser("account", help=QT_TRANSLATE_NOOP(
        "cli", "add, list or remove accounts"))
    sub = group.add_subparsers(dest="account_command", required=True, metavar="COMMANDE")

    add = sub.add_parser("add", help=QT_TRANSLATE_NOOP("cli", "add (or reconnect) an account"))
    networks = add.add_subparsers(dest="network", required=True, metavar="RÉSEAU")

    mastodon = networks.add_parser("mastodon", help=QT_TRANSLATE_NOOP("cli", "a Mastodon account"))
    mastodon.add_argument("--instance", required=True, metavar="URL", help=QT_TRANSLATE_NOOP(
        "cli", "e.g. paris.social"))
    mastodon.add_argument(
        "--token-stdin",
        action="store_true",
        help=QT_TRANSLATE_NOOP(
            "cli", "read an access token on standard input (otherwise: sign in in the browser)"),
    )
    _label_and_color(mastodon)
    mastodon.set_defaults(run=add_mastodon)

    bluesky = networks.add_parser("bluesky", help=QT_TRANSLATE_NOOP("cli", "a Bluesky account"))
    bluesky.add_argument("--handle", required=True, help=QT_TRANSLATE_NOOP(
        "cli", "e.g. ville.bsky.social"))
    bluesky.add_argument("--service", metavar="URL", help=QT_TRANSLATE_NOOP(
        "cli", "server (PDS), if it cannot be found from the handle"))
    bluesky.add_argument(
        "--password-stdin",
        action="store_true",
        help=QT_TRANSLATE_NOOP("cli", "read the app password on standard input"),
    )
    _label_and_color(bluesky)
    bluesky.set_defaults(run=add_bluesky)

    listing = sub.add_parser("list", help=QT_TRANSLATE_NOOP("cli", "the accounts, in order"))
    listing.add_argument("--json", action="store_true", help=QT_TRANSLATE_NOOP(
        "cli", "JSON output"))
    listing.set_defaults(run=list_accounts)

    remove = sub.add_parser("remove", help=QT_TRANSLATE_NOOP(
        "cli", "remove an account and its secret"))
    remove.add_argument("account", metavar="ACCOUNT", help=QT_TRANSLATE_NOOP(
        "cli", "id (see list) or end of the handle"))
    remove.set_defaults(run=remove_account)


def _label_and_color(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--label", default="", metavar="L", help=QT_TRANSLATE_NOOP(
        "cli", "label shown"))
    parser.add_argument("--color", default="", metavar="C", help=QT_TRANSLATE_NOOP(
        "cli", "colour, e.g. #1f6feb"))


def add_mastodon(args: argparse.Namespace, ctx: Context) -> int:
    service = ctx.service
    if args.token_stdin:
        token = ctx.read_line().strip()
        register_secret(token)
        if not token:
            raise CommandError(translate("cli", "No token on standard input."))
        account = service.add_mastodon_token(args.instance, token, args.label, args.color)
    else:
        account = _mastodon_in_browser(args, ctx)
    return _added(ctx, account)


def _mastodon_in_browser(args: argparse.Namespace, ctx: Context) -> Account:
    with ctx.service.begin_mastodon_oauth(args.instance) as flow:
        ctx.say(translate("cli", "Authorise paris-desk in your browser, at this address:"))
        ctx.say(flow.url)
        code = None
        if webbrowser.open(flow.url):
            ctx.say(translate("cli", "Waiting for the browser to come back…"))
            code = flow.wait_for_code(OAUTH_WAIT_SECONDS)
        if code is None:
            ctx.say(translate(
                "cli", "Paste the authorisation code (or the whole return address):"))
            code = flow.code_from_pasted(ctx.read_line())
        if not code:
            raise CommandError(translate("cli", "No authorisation code entered."))
        return flow.finish(code, args.label, args.color)


def add_bluesky(args: argparse.Namespace, ctx: Context) -> int:
    if args.password_stdin:
        password = ctx.read_line()
    else:
        password = getpass.getpass(translate("cli", "App password: "))
    register_secret(password)
    if not password:
        raise CommandError(translate("cli", "Empty password."))
    common = {"service": args.service or None, "label": args.label, "color": args.color}
    try:
        account = ctx.service.add_bluesky(args.handle, password, **common)
    except (NotFound, Unreachable) as exc:
        if args.service:
            raise
        raise CommandError(translate(  # the server was looked for from the handle, not found
            "cli", "Cannot find the server of {handle} from its handle. An account hosted "
            "elsewhere than on bsky.social (the city's server, the sandbox) needs its address: "
            "add --service URL, for example --service {example}."
        ).format(handle=args.handle, example="https://pds.exemple.fr")) from exc
    except AuthFactorRequired:
        ctx.say(translate("cli", "Bluesky sent a sign-in code by e-mail. Enter it:"))
        code = ctx.read_line().strip()
        if not code:
            raise
        account = ctx.service.add_bluesky(args.handle, password, auth_factor_token=code, **common)
    return _added(ctx, account)


def _added(ctx: Context, account: Account) -> int:
    print(translate("cli", "Account added: {id}").format(id=account.id), file=ctx.out)
    _register_with_team(ctx, account)
    return 0


def list_accounts(args: argparse.Namespace, ctx: Context) -> int:
    accounts = ctx.service.list()
    elsewhere = accounts_elsewhere(ctx, accounts)
    if args.json:
        shown = [output.account_json(a) for a in accounts]
        if elsewhere is not None:  # team mode: the team's accounts, and which are here
            shown = [entry | {"here": True} for entry in shown] + [
                {"id": i, "network": n, "handle": h, "here": False} for i, n, h in elsewhere]
        output.write_json(ctx.out, shown)
        return 0
    if accounts or not elsewhere:  # "no account" only when the team has none either
        output.write_accounts(ctx.out, accounts)
    for account_id, _network, _handle in elsewhere or ():
        print(for_terminal(translate(
            "cli", "{id}  (team; credentials on another workstation)").format(id=account_id)),
            file=ctx.out)
    return 0


def _register_with_team(ctx: Context, account: Account) -> None:
    """In team mode, the team's registry learns of the account (a failure only warns: the
    account is added on this workstation all the same)."""
    team = TeamService(ctx.profile)
    if team.membership() is None:
        return
    try:
        team.register_account(account)
    except TeamError as exc:
        ctx.say(translate("cli", "Warning: account not registered with the team. {sentence}"
                          ).format(sentence=describe(exc)))


def remove_account(args: argparse.Namespace, ctx: Context) -> int:
    account = ctx.service.resolve(args.account)
    ctx.service.remove(account.id)
    print(translate("cli", "Account removed: {id}").format(id=account.id), file=ctx.out)
    return 0
