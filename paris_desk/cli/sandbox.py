"""``paris-desk sandbox serve``: the local Mastodon and Bluesky training servers."""

from __future__ import annotations

import argparse

from paris_desk.cli.context import Context
from paris_desk.cli.language import QT_TRANSLATE_NOOP


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser("sandbox", help=QT_TRANSLATE_NOOP("cli", "local training servers"))
    sub = group.add_subparsers(dest="sandbox_command", required=True, metavar="COMMANDE")
    serve = sub.add_parser(
        "serve", help=QT_TRANSLATE_NOOP(
            "cli", "start the local Mastodon and Bluesky servers (Ctrl-C to stop)")
    )
    serve.add_argument("--mastodon-port", type=int, default=0, metavar="N", help=QT_TRANSLATE_NOOP(
        "cli", "0: any free port"))
    serve.add_argument("--bluesky-port", type=int, default=0, metavar="N", help=QT_TRANSLATE_NOOP(
        "cli", "0: any free port"))
    serve.add_argument("--latency-ms", type=int, default=0, metavar="N", help=QT_TRANSLATE_NOOP(
        "cli", "added delay"))
    serve.add_argument("--seed", type=int, default=0, metavar="N", help=QT_TRANSLATE_NOOP(
        "cli", "the data's seed"))
    serve.add_argument("--accounts", type=int, default=0, metavar="N",
                       help=QT_TRANSLATE_NOOP(
                           "cli", "accounts per network (the accounts added are throwaway)"))
    serve.set_defaults(run=run, needs_profile=False)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from paris_desk.sandbox import serve

    return serve.main(args)
