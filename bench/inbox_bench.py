"""Inbox figures (issue 5): load and merge 2,000 notifications from 10 accounts, 200 ms added to
every sandbox response. The sandboxes run in a child process (their CPU is not the client's);
the client uses a throwaway profile and an in-memory keychain.

    .venv/bin/python bench/inbox_bench.py [--runs N] [--quick]

The last line printed is one JSON object with fixed keys (``cold_load_s``, ``warm_refresh_s``:
medians in seconds, then the details), to compare runs.

Accounts: the 4 city accounts, 3 local Mastodon accounts (bibliotheques, piscines, mairie11,
given tokens through the sandbox's public OAuth endpoints with ``sandbox_auto_approve``) and 3
Bluesky authors (their app passwords). Each needs 200 notifications: at latency 0,
``mairie18`` (Mastodon, same OAuth way) and a fourth Bluesky author post 200 mentions of them
through our adapters, over HTTP. Then, at 200 ms per response:

1. cold load: ``InboxService.load(ids, per_account=200)`` into an empty store: pages of every
   account fetched in parallel, converted, stored, read back, merged and grouped;
2. warm refresh: ``InboxService.refresh(ids)`` with those 2,000 stored (one page each);
3. merge only: ``InboxService.snapshot(ids)`` (store read, decoding, grouping; no network),
   by a new service (every notification decoded) and by the loading one (decoded copies kept);
4. the cold load of the 5 Mastodon accounts alone and of the 5 Bluesky accounts alone;
5. the requests of one cold load (each account's sequential round trips set the floor).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PARIS_DESK_HOME"] = tempfile.mkdtemp(prefix="paris-desk-inbox-bench-")

import requests

from paris_desk.core.model import Network
from paris_desk.services.executors import Executors
from paris_desk.services.inbox import InboxService
from paris_desk.store.accounts import AccountStore
from paris_desk.store.db import Database
from paris_desk.store.inbox import InboxStore

T = TypeVar("T")

LATENCY_MS = 200
PER_ACCOUNT = 200
LOCAL_MASTODON = ("bibliotheques", "piscines", "mairie11")


def _oauth_token(base_url: str, acct: str) -> str:
    """A token for a local sandbox account through the public OAuth endpoints."""
    oob = "urn:ietf:wg:oauth:2.0:oob"
    app = requests.post(f"{base_url}/api/v1/apps", timeout=10, data={
        "client_name": "inbox-bench", "redirect_uris": oob, "scopes": "read write follow"}).json()
    answer = requests.get(f"{base_url}/oauth/authorize", timeout=10, allow_redirects=False,
                          params={"client_id": app["client_id"], "redirect_uri": oob,
                                  "response_type": "code", "scope": "read write follow",
                                  "sandbox_auto_approve": acct})
    code = answer.headers["Location"].split("code=", 1)[1]
    token = requests.post(f"{base_url}/oauth/token", timeout=10, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": oob,
        "client_id": app["client_id"], "client_secret": app["client_secret"]}).json()
    return str(token["access_token"])


def serve(conn: Connection) -> None:
    """Child process: both sandboxes, described to the parent, until it says stop."""
    from paris_desk.sandbox.serve import start_sandboxes

    boxes = start_sandboxes(latency_ms=0, seed=1)
    conn.send({"mastodon": boxes.mastodon.base_url, "mastodon_accounts": boxes.mastodon.accounts,
               "bluesky": boxes.bluesky.base_url, "bluesky_accounts": boxes.bluesky.accounts,
               "authors": boxes.bluesky.authors})
    conn.recv()
    boxes.stop()


def set_latency(info: dict[str, Any], ms: int) -> None:
    for key in ("mastodon", "bluesky"):
        requests.post(f"{info[key]}/_sandbox/latency", json={"latency_ms": ms}, timeout=10)


def request_count(info: dict[str, Any]) -> int:
    return sum(len(requests.get(f"{info[k]}/_sandbox/requests", timeout=30).json())
               for k in ("mastodon", "bluesky"))


def add_accounts(service: Any, info: dict[str, Any]) -> None:
    for entry in info["mastodon_accounts"]:
        service.add_mastodon_token(info["mastodon"], entry["access_token"])
    for acct in LOCAL_MASTODON:
        service.add_mastodon_token(info["mastodon"], _oauth_token(info["mastodon"], acct))
    for who in [*info["bluesky_accounts"], *info["authors"][:3]]:
        service.add_bluesky(who["handle"], who["password"], service=info["bluesky"])


def make_mentions(service: Any, info: dict[str, Any]) -> None:
    """200 posts mentioning every benchmarked account of each network, by another account."""
    from paris_desk.channels import bluesky as bsky
    from paris_desk.channels.mastodon import MastodonChannel, account_from_token
    from paris_desk.core.model import Network, PostRequest
    from paris_desk.store.outbox import new_key

    accounts = service.list()
    token = _oauth_token(info["mastodon"], "mairie18")
    writer = MastodonChannel(account_from_token(info["mastodon"], token), token)
    names = " ".join("@" + a.handle.lstrip("@").split("@")[0] for a in accounts
                     if a.network is Network.MASTODON)
    author = info["authors"][3]
    account, secret = bsky.login(author["handle"], author["password"], service=info["bluesky"])
    poster = bsky.restore(account, secret, lambda _s: None)
    handles = " ".join("@" + a.handle for a in accounts if a.network is Network.BLUESKY)
    for n in range(PER_ACCOUNT):
        writer.post(PostRequest(f"{names} Question {n} : horaires du week-end ?",
                                idempotency_key=new_key(Network.MASTODON)))
        poster.post(PostRequest(f"{handles} Q{n} horaires ?",
                                idempotency_key=new_key(Network.BLUESKY)))


SHARED = Executors()  # the process's pool, as a Desk holds it (daemon threads)


def fresh_inbox(service: Any, path: Path) -> InboxService:
    """An InboxService over an empty database of its own (the accounts copied in), on a
    network pool as the Desk hands it (``services.executors``)."""
    db = Database(path)
    for account in service.list():
        AccountStore(db).upsert(account)
    return InboxService(service, InboxStore(db), executors=SHARED)


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="2 runs (under two minutes)")
    args = parser.parse_args()
    runs = 2 if args.quick else args.runs

    from paris_desk.services import sandbox_keyring
    from paris_desk.services.accounts import AccountService
    from paris_desk.store.profile import Profile

    sandbox_keyring.install()  # throwaway credentials, in memory only
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.get_context("spawn").Process(target=serve, args=(child,))
    server.start()
    service = AccountService(Profile.sandbox())
    tmp = Path(os.environ["PARIS_DESK_HOME"])
    try:
        info = parent.recv()
        add_accounts(service, info)
        make_mentions(service, info)
        ids = [a.id for a in service.list()]
        fresh_inbox(service, tmp / "warmup.sqlite3").load(ids, per_account=PER_ACCOUNT)
        set_latency(info, LATENCY_MS)
        cold, refresh, merge, kept, calls = [], [], [], [], []
        by_network: dict[str, list[float]] = {}
        rows = 0
        for run in range(runs):
            inbox = fresh_inbox(service, tmp / f"run{run}.sqlite3")
            before = request_count(info)
            seconds, snapshot = timed(partial(inbox.load, ids, per_account=PER_ACCOUNT))
            cold.append(seconds)
            calls.append(request_count(info) - before - 2)  # minus the count requests
            total = sum(i.group.count for i in snapshot.items)
            assert total == PER_ACCOUNT * len(ids), total  # noqa: S101 - the bench's premise
            assert not snapshot.failures, snapshot.failures  # noqa: S101
            rows = len(snapshot.items)
            refresh.append(timed(partial(inbox.refresh, ids))[0])
            merge.append(timed(partial(InboxService(service, inbox._store).snapshot, ids))[0])
            kept.append(timed(partial(inbox.snapshot, ids))[0])
            for network in Network:
                subset = [a.id for a in service.list() if a.network is network]
                alone = fresh_inbox(service, tmp / f"run{run}-{network.value}.sqlite3")
                by_network.setdefault(network.value, []).append(
                    timed(partial(alone.load, subset, per_account=PER_ACCOUNT))[0])
        figures = {
            "cold_load_s": round(statistics.median(cold), 3),
            "warm_refresh_s": round(statistics.median(refresh), 3),
            "accounts": len(ids), "notifications": PER_ACCOUNT * len(ids), "rows": rows,
            "latency_ms": LATENCY_MS, "runs": runs,
            "cold_load_s_median": round(statistics.median(cold), 3),
            "cold_load_s_all": [round(x, 3) for x in cold],
            "warm_refresh_s_median": round(statistics.median(refresh), 3),
            "merge_from_store_s_median": round(statistics.median(merge), 3),
            "merge_decoded_kept_s_median": round(statistics.median(kept), 3),
            **{f"cold_load_{net}_only_s_median": round(statistics.median(times), 3)
               for net, times in by_network.items()},
            "requests_per_cold_load": calls[-1],
        }
        for key, value in figures.items():
            print(f"{key}: {value}")
        print(json.dumps(figures))
    finally:
        parent.send("stop")
        server.join(10)
        service.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
