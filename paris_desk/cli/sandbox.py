"""``paris-desk sandbox serve``: the local Mastodon and Bluesky training servers."""

from __future__ import annotations

import argparse

from paris_desk.cli.context import Context


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser("sandbox", help="serveurs d'entraînement locaux")
    sub = group.add_subparsers(dest="sandbox_command", required=True, metavar="COMMANDE")
    serve = sub.add_parser(
        "serve", help="lancer les serveurs Mastodon et Bluesky locaux (Ctrl-C pour arrêter)"
    )
    serve.add_argument("--mastodon-port", type=int, default=0, metavar="N", help="0 : au hasard")
    serve.add_argument("--bluesky-port", type=int, default=0, metavar="N", help="0 : au hasard")
    serve.add_argument("--latency-ms", type=int, default=0, metavar="N", help="délai ajouté")
    serve.add_argument("--seed", type=int, default=0, metavar="N", help="graine des données")
    serve.add_argument("--accounts", type=int, default=0, metavar="N",
                       help="comptes par réseau (les comptes ajoutés sont jetables)")
    serve.set_defaults(run=run, needs_profile=False)


def run(args: argparse.Namespace, ctx: Context) -> int:
    from paris_desk.sandbox import serve

    return serve.main(args)
