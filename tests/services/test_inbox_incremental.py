"""The inbox refreshes like the timeline: only what is newer than what it holds, one
notifications request per account when nothing is new (read from the sandboxes' request logs),
pages at each network's maximum size, and the servers' read state even with nothing new."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from paris_desk.channels import bluesky as bsky
from paris_desk.channels.mastodon.oauth import make_client
from paris_desk.core.model import Network, PostRequest
from paris_desk.core.tid import next_tid
from paris_desk.services.accounts import AccountService
from paris_desk.services.inbox import MAX_PAGE, REFRESH_PROBE, InboxService
from paris_desk.store.inbox import InboxStore
from paris_desk.store.profile import Profile

MASTODON_NOTIFICATIONS = "/api/v1/notifications"
BLUESKY_NOTIFICATIONS = "/xrpc/app.bsky.notification.listNotifications"
BLUESKY_POSTS = "/xrpc/app.bsky.feed.getPosts"


@pytest.fixture
def accounts(mastodon_sandbox: Any, bluesky_sandbox: Any) -> Iterator[AccountService]:
    service = AccountService(Profile.default())
    for acct in ("ville", "culture"):
        service.add_mastodon_token(mastodon_sandbox.base_url, mastodon_sandbox.token_for(acct))
    for who in bluesky_sandbox.accounts:
        service.add_bluesky(who["handle"], who["password"], service=bluesky_sandbox.base_url)
    yield service
    service.close()


@pytest.fixture
def ids(accounts: AccountService) -> list[str]:
    return [a.id for a in accounts.list()]


def by_network(accounts: AccountService, network: Network) -> list[str]:
    return [a.id for a in accounts.list() if a.network is network]


def requests_since(server: Any, start: int, path: str) -> Counter[str]:
    """How many requests for ``path`` each account made since log entry ``start``."""
    return Counter(r.account for r in server.requests[start:] if r.path == path)


def bluesky_author(bluesky_sandbox: Any) -> Any:
    author = bluesky_sandbox.authors[3]
    account, secret = bsky.login(author["handle"], author["password"],
                                 service=bluesky_sandbox.base_url)
    return bsky.restore(account, secret, lambda _secret: None)


def test_a_warm_refresh_with_nothing_new_asks_once_per_account(
    accounts: AccountService, ids: list[str], mastodon_sandbox: Any, bluesky_sandbox: Any
) -> None:
    inbox = InboxService(accounts, InboxStore(accounts.db))
    before = inbox.refresh(ids)
    masto_start, bsky_start = len(mastodon_sandbox.requests), len(bluesky_sandbox.requests)

    after = inbox.refresh(ids)

    assert after.failures == {}
    assert [i.key for i in after.items] == [i.key for i in before.items]
    masto = requests_since(mastodon_sandbox, masto_start, MASTODON_NOTIFICATIONS)
    assert sorted(masto.values()) == [1, 1]  # each Mastodon account, once
    bluesky = requests_since(bluesky_sandbox, bsky_start, BLUESKY_NOTIFICATIONS)
    assert sorted(bluesky.values()) == [1] * len(by_network(accounts, Network.BLUESKY))
    assert not requests_since(bluesky_sandbox, bsky_start, BLUESKY_POSTS)  # no post re-read


def test_a_new_service_over_a_filled_store_asks_once_too(
    accounts: AccountService, ids: list[str], mastodon_sandbox: Any, bluesky_sandbox: Any
) -> None:
    InboxService(accounts, InboxStore(accounts.db)).refresh(ids)  # the previous session
    masto_start, bsky_start = len(mastodon_sandbox.requests), len(bluesky_sandbox.requests)

    snapshot = InboxService(accounts, InboxStore(accounts.db)).refresh(ids)

    assert snapshot.items and snapshot.has_older
    assert sum(requests_since(mastodon_sandbox, masto_start, MASTODON_NOTIFICATIONS).values()) \
        == len(by_network(accounts, Network.MASTODON))
    assert sum(requests_since(bluesky_sandbox, bsky_start, BLUESKY_NOTIFICATIONS).values()) \
        == len(by_network(accounts, Network.BLUESKY))


def test_only_the_new_notifications_are_read_and_shown(
    accounts: AccountService, ids: list[str], mastodon_sandbox: Any, bluesky_sandbox: Any
) -> None:
    inbox = InboxService(accounts, InboxStore(accounts.db))
    before = inbox.refresh(ids)
    mastodon_sandbox.post_as("culture", "@ville La piscine ouvre-t-elle dimanche ?")
    bsky_ville = by_network(accounts, Network.BLUESKY)[0]
    handle = accounts.get(bsky_ville).handle
    bluesky_author(bluesky_sandbox).post(PostRequest(f"@{handle} horaires du marché ?",
                                                     idempotency_key=next_tid()))
    bsky_start = len(bluesky_sandbox.requests)

    after = inbox.refresh(ids)

    new = {i.key for i in after.items} - {i.key for i in before.items}
    texts = sorted(i.post.text for i in after.items if i.key in new and i.post is not None)
    assert texts == sorted([f"@{handle} horaires du marché ?",
                            "@ville La piscine ouvre-t-elle dimanche ?"])
    # Only the new mention's post was looked up on Bluesky.
    assert sum(requests_since(bluesky_sandbox, bsky_start, BLUESKY_POSTS).values()) == 1
    assert sum(i.group.count for i in after.items) == sum(i.group.count for i in before.items) + 2


def test_a_first_refresh_reads_a_page_of_the_networks_maximum_size(
    accounts: AccountService, ids: list[str], mastodon_sandbox: Any
) -> None:
    snapshot = InboxService(accounts, InboxStore(accounts.db)).refresh(ids)

    counts = Counter(n.account_id for i in snapshot.items for n in i.group.notifications)
    masto_ville = by_network(accounts, Network.MASTODON)[0]
    held = len(mastodon_sandbox.notifications_for("ville"))
    assert counts[masto_ville] == min(held, MAX_PAGE[Network.MASTODON])


def test_what_another_client_read_arrives_with_nothing_new(
    accounts: AccountService, ids: list[str], mastodon_sandbox: Any, bluesky_sandbox: Any
) -> None:
    inbox = InboxService(accounts, InboxStore(accounts.db))
    before = inbox.refresh(ids)
    masto_ville, bsky_ville = (by_network(accounts, n)[0] for n in Network)
    assert before.counts.by_account[masto_ville][0] > 0
    assert before.counts.by_account[bsky_ville][0] > 0
    # Another client reads everything: the Mastodon marker and Bluesky's seenAt move.
    newest = max((n for i in before.items if i.account_id == masto_ville
                  for n in i.group.notifications), key=lambda n: (len(n.id), n.id))
    other = make_client(mastodon_sandbox.base_url, mastodon_sandbox.token_for("ville"))
    other.markers_set(["notifications"], [newest.id])
    accounts.channel(bsky_ville).mark_notifications_read(
        max((i.latest for i in before.items if i.account_id == bsky_ville),
            key=lambda n: n.created_at))

    after = inbox.refresh(ids)

    assert after.counts.by_account[masto_ville][0] == 0
    assert after.counts.by_account[bsky_ville][0] == 0
    assert after.counts.by_account[ids[1]][0] == before.counts.by_account[ids[1]][0]


def test_more_new_than_the_first_request_asks_for_all_arrive(
    accounts: AccountService, ids: list[str], mastodon_sandbox: Any, bluesky_sandbox: Any
) -> None:
    inbox = InboxService(accounts, InboxStore(accounts.db))
    before = inbox.refresh(ids)
    masto_ville, bsky_ville = (by_network(accounts, n)[0] for n in Network)
    handle = accounts.get(bsky_ville).handle
    author = bluesky_author(bluesky_sandbox)
    for n in range(REFRESH_PROBE + 5):
        mastodon_sandbox.post_as("culture", f"@ville Question {n} sur les horaires")
        author.post(PostRequest(f"@{handle} question {n}", idempotency_key=next_tid()))

    after = inbox.refresh(ids)

    def count(snapshot: Any, account_id: str) -> int:
        return sum(i.group.count for i in snapshot.items if i.account_id == account_id)

    assert count(after, masto_ville) == count(before, masto_ville) + REFRESH_PROBE + 5
    assert count(after, bsky_ville) == count(before, bsky_ville) + REFRESH_PROBE + 5
