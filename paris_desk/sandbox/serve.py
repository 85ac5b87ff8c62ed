"""Start both sandbox servers: in-process for the app and tests, or in the foreground for
``paris-desk sandbox serve`` (which prints one JSON line describing them, then serves)."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from paris_desk.sandbox.bluesky import BlueskySandbox
from paris_desk.sandbox.mastodon import MastodonSandbox


@dataclass
class Sandboxes:
    mastodon: MastodonSandbox
    bluesky: BlueskySandbox
    before_stop: list[Callable[[], object]] = field(default_factory=list)
    """Called by ``stop`` first, while the servers still hold their state (``keep``)."""

    def describe(self) -> dict[str, Any]:
        """The JSON document printed by ``sandbox serve`` (throwaway credentials only)."""
        return {
            "mastodon": {
                "base_url": self.mastodon.base_url,
                "accounts": [
                    {"acct": a["acct"], "access_token": a["access_token"]}
                    for a in self.mastodon.accounts
                ],
            },
            "bluesky": {
                "base_url": self.bluesky.base_url,
                "accounts": [
                    {"handle": a["handle"], "password": a["password"]}
                    for a in self.bluesky.accounts
                ],
            },
        }

    def add_accounts(self, per_network: int) -> None:
        """Top each network up to ``per_network`` accounts with city-like ones (``quartier3``,
        ``quartier4``…, throwaway credentials); the seeded city accounts always stay."""
        for server in (self.mastodon, self.bluesky):
            while len(server.accounts) < per_network:
                n = len(server.accounts) + 1
                server.add_account(f"quartier{n}", f"Conseil de quartier {n} (bac à sable)")

    def stop(self) -> None:
        for hook in self.before_stop:
            hook()
        self.mastodon.stop()
        self.bluesky.stop()


def start_sandboxes(
    mastodon_port: int = 0,
    bluesky_port: int = 0,
    latency_ms: int = 0,
    seed: int = 0,
    accounts: int = 0,
    anchor: datetime | None = None,
) -> Sandboxes:
    """Start both servers on 127.0.0.1 in background threads. ``accounts``: how many accounts
    each network lists (``Sandboxes.add_accounts``; 0 = the seeded city accounts only).
    ``anchor``: the moment the sample data is recent for (default: now); the same seed,
    anchor and ports give the same data, ids and URLs included."""
    mastodon = MastodonSandbox(port=mastodon_port, latency_ms=latency_ms, seed=seed,
                               anchor=anchor).start()
    try:
        bluesky = BlueskySandbox(port=bluesky_port, latency_ms=latency_ms, seed=seed,
                                 anchor=anchor).start()
    except BaseException:
        mastodon.stop()
        raise
    boxes = Sandboxes(mastodon, bluesky)
    boxes.add_accounts(accounts)
    return boxes


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mastodon-port", type=int, default=0, help="0 = any free port")
    parser.add_argument("--bluesky-port", type=int, default=0, help="0 = any free port")
    parser.add_argument("--latency-ms", type=int, default=0, help="added to every response")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample data")
    parser.add_argument("--accounts", type=int, default=0,
                        help="accounts per network (extra ones are city-like, throwaway)")


def main(args: argparse.Namespace) -> int:
    """Serve in the foreground until SIGINT/SIGTERM."""
    boxes = start_sandboxes(args.mastodon_port, args.bluesky_port, args.latency_ms, args.seed,
                            accounts=getattr(args, "accounts", 0))
    stop = threading.Event()

    def _stop(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    sys.stdout.write(json.dumps(boxes.describe(), ensure_ascii=False) + "\n")
    sys.stdout.flush()
    try:
        stop.wait()
    finally:
        boxes.stop()
    return 0
