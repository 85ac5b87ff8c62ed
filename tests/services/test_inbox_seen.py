"""Reading the inbox quickly (j/k through many items, a second each or less) moves the server's
read watermark forward only: every push lands at or above the previous one, and the last one is
the newest notification below which everything was looked at."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from paris_desk.core.model import Network
from paris_desk.services.accounts import AccountService
from paris_desk.services.inbox import InboxService
from paris_desk.store.inbox import InboxStore
from paris_desk.store.profile import Profile

MARKERS = "/api/v1/markers"


@pytest.fixture
def accounts(mastodon_sandbox: Any) -> Iterator[AccountService]:
    service = AccountService(Profile.default())
    service.add_mastodon_token(mastodon_sandbox.base_url, mastodon_sandbox.token_for("ville"))
    yield service
    service.close()


def watch_markers(server: Any, account: str, landed: list[str]) -> Callable[[], None]:
    """Record the account's notifications watermark after each marker request the sandbox
    handled, in the order the server handled them; returns the undo."""
    dispatch = type(server).dispatch.__get__(server)

    def watched(req: Any) -> Any:
        answer = dispatch(req)
        if req.method == "POST" and req.path == MARKERS:
            marker = server.markers.get(server.account_id(account), {}).get("notifications")
            landed.append(str(marker["last_read_id"]) if marker else "")
        return answer

    server.dispatch = watched
    return lambda: delattr(server, "dispatch")


def test_reading_fast_never_moves_the_watermark_back(
    accounts: AccountService, mastodon_sandbox: Any
) -> None:
    inbox = InboxService(accounts, InboxStore(accounts.db))
    ids = [a.id for a in accounts.list() if a.network is Network.MASTODON]
    snapshot = inbox.load(ids, 400)  # the whole history: the watermark may start at the bottom
    items = sorted(snapshot.items, key=lambda i: (i.latest.created_at, i.latest.id))
    assert len(items) > 10 and all(i.unread for i in items)
    landed: list[str] = []
    undo = watch_markers(mastodon_sandbox, "ville", landed)
    try:
        # Oldest to newest, as fast as keys come: each read goes to a worker, as in the window.
        with ThreadPoolExecutor(8) as pool:
            for future in [pool.submit(inbox.mark_seen, item) for item in items]:
                future.result()
    finally:
        undo()

    order = {n.id: (n.created_at, n.id) for i in items for n in i.group.notifications}
    assert landed, "no watermark was pushed"
    assert [order[x] for x in landed] == sorted(order[x] for x in landed)  # never back
    newest = max(order.values())
    assert order[landed[-1]] == newest  # everything was read: up to the newest
