"""``paris-desk``: without a command, the desktop app; with one, a scriptable command line.

    paris-desk [--sandbox] [--lang fr|en]            the GUI (sandbox: training servers)
    paris-desk [--sandbox] account add|list|remove …  accounts (the sandbox profile with --sandbox)
    paris-desk [--sandbox] timeline | inbox | post | outbox | filter …
    paris-desk sandbox serve …                        the local training servers

Exit codes: 0 done, 1 failed ("Erreur : …" on stderr), 2 bad command line, 130 interrupted.
Results go to stdout (``--json`` for scripts, never translated), messages to stderr, in French
by default and in English with ``--lang en`` or ``PARIS_DESK_LANG=en`` (``cli.language``).

Only the command asked for is imported (every one for ``--help`` or an unknown word): the GUI,
started without a command, imports none of them on its way to the first window.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from paris_desk import __version__
from paris_desk.channels.transport import install_trust
from paris_desk.cli import argparse_fr
from paris_desk.cli.argparse_fr import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from paris_desk.cli.context import Context

log = logging.getLogger(__name__)

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
COMMANDS = (  # paris_desk.cli.<command>
    "account", "timeline", "inbox", "post", "outbox", "filter", "profile", "sandbox",
    "team", "audit", "worker", "approvals", "approve", "reject", "assign",
)
_HELP = ("-h", "--help")


def build_parser(only: Sequence[str] = COMMANDS) -> argparse.ArgumentParser:
    parser = argparse_fr.Parser(
        prog="paris-desk",
        description=QT_TRANSLATE_NOOP(
            "cli", "Mastodon and Bluesky workstation. Without a command: the application."),
    )
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help=QT_TRANSLATE_NOOP("cli", "training profile (local servers, never the real accounts)"),
    )
    parser.add_argument("--lang", metavar="LANGUE", help=QT_TRANSLATE_NOOP(
        "cli", "the application's language (fr, en)"))
    parser.add_argument("--version", action="store_true", help=QT_TRANSLATE_NOOP(
        "cli", "version, then quit"))
    parser.add_argument(
        "--verbose",
        action="store_true",
        help=QT_TRANSLATE_NOOP("cli", "with --version: trusted certificates, proxy, libraries"),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMANDE")
    for name in only:
        importlib.import_module(f"paris_desk.cli.{name}").register(commands)
    return parser


def _commands_for(argv: Sequence[str]) -> tuple[str, ...]:
    """The command modules needed to parse ``argv``: its command's, none for the GUI."""
    words = iter(argv)
    for word in words:
        if word in _HELP:
            return COMMANDS
        if word == "--lang":
            next(words, None)  # its value
        elif not word.startswith("-"):
            return (word,) if word in COMMANDS else COMMANDS  # unknown: argparse says so
    return ()


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    language = argparse_fr.language_of(argv)
    argparse_fr.install(language)  # "usage :", "options", its errors
    modules = _commands_for(argv)
    if modules:  # the command's own sentences, from its arguments' checks on
        from paris_desk.cli.language import use_language

        use_language(language)
    parser = build_parser(modules)
    try:
        args, extra = parser.parse_known_args(argv)
        if args.command is not None and extra:
            parser.error(argparse_fr.unrecognized(extra))
    except SystemExit as exit_:  # --help, --version, or argparse's usage error (2)
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    if args.version and not args.verbose:
        print(f"paris-desk {__version__}")
        return 0
    install_trust()  # before any connection: the OS trust store for every TLS client
    if args.version:
        from paris_desk.cli.about import print_environment
        from paris_desk.cli.language import use_language

        use_language(language)
        print(f"paris-desk {__version__}")
        print_environment(sys.stdout)
        return 0
    if getattr(args, "command", None) is None:
        return _run_gui(args, extra)
    return _run_command(args)


def _run_gui(args: argparse.Namespace, extra: list[str]) -> int:
    from paris_desk.ui.shell.app import run

    lang = ["--lang", args.lang] if args.lang else []
    return run(
        sandbox=args.sandbox, argv=[sys.argv[0] if sys.argv else "paris-desk", *lang, *extra]
    )


def _recover(ctx: Context) -> None:
    """Take back the jobs a dead process left (``Desk.recover``, as the window does). In team
    mode the outbox is on the team's server: when it cannot be reached, the commands that do
    not need it still run (those that do say so)."""
    ctx.desk().recover()


def _run_command(args: argparse.Namespace) -> int:
    from paris_desk.cli import messages
    from paris_desk.cli.context import CommandError, Context, UsageError
    from paris_desk.cli.errors import error_line
    from paris_desk.cli.language import translate
    from paris_desk.cli.network import apply_saved_proxy
    from paris_desk.core.errors import (
        AuthFactorRequired,
        BadCredentials,
        NotFound,
        ParisDeskError,
    )
    from paris_desk.services.logging_setup import setup_logging, teardown_logging

    sign_in_errors = (BadCredentials, AuthFactorRequired, NotFound)
    ctx = Context(sandbox=args.sandbox)
    signing_in = args.command == "account" and args.account_command == "add"
    try:
        if getattr(args, "needs_profile", True):
            setup_logging(ctx.profile, ctx.log_level)
            apply_saved_proxy()  # the proxy chosen in Préférences › Réseau, if any
            _recover(ctx)  # any start releases the jobs of a dead process
        code: int = args.run(args, ctx)
        return code
    except UsageError as exc:
        print(messages.error_line(str(exc)), file=sys.stderr)
        return EXIT_USAGE
    except CommandError as exc:
        print(messages.error_line(str(exc)), file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(translate("cli", "Interrupted."), file=sys.stderr)
        return EXIT_INTERRUPTED
    except ParisDeskError as exc:
        log.info("%s failed: %s", args.command, type(exc).__name__)
        line = error_line(
            exc,
            signing_in=signing_in and isinstance(exc, sign_in_errors),
            db_path=str(ctx.profile.db_path),
        )
        print(line, file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:
        log.exception("bug in %s", args.command)
        print(error_line(exc), file=sys.stderr)
        return EXIT_FAILED
    finally:
        ctx.close()
        if getattr(args, "needs_profile", True):
            teardown_logging()
