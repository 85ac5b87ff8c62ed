"""Like and repost are one action of the core (``Desk.react``), for a timeline post and for an
inbox post alike: the server's state changes, the timeline's cache keeps the new state of
the posts it holds, and a notification's post does not join the timeline."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from paris_desk.core.model import Account, Network
from paris_desk.services.accounts import AccountService
from paris_desk.services.desk import Desk
from paris_desk.services.reactions import PostAction
from paris_desk.store.profile import Profile

WAIT_S = 30  # hang guard only


@pytest.fixture
def desk() -> Iterator[Desk]:
    core = Desk(AccountService(Profile.default()))
    yield core
    core.close()


@pytest.fixture
def accounts(desk: Desk, mastodon_sandbox: Any, bluesky_sandbox: Any) -> list[Account]:
    service = desk.accounts
    added = [service.add_mastodon_token(mastodon_sandbox.base_url, item["access_token"])
             for item in mastodon_sandbox.accounts]
    added += [service.add_bluesky(item["handle"], item["password"],
                                  service=bluesky_sandbox.base_url)
              for item in bluesky_sandbox.accounts]
    return added


def written(desk: Desk) -> None:
    """Wait for the writes queued so far (the cache's) on the desk's writer thread."""
    desk.executors.write(lambda: None).result(WAIT_S)


def test_like_and_repost_from_the_timeline_change_the_server_and_the_cache(
    desk: Desk, accounts: list[Account], mastodon_sandbox: Any, bluesky_sandbox: Any
) -> None:
    mastodon_id = next(a.id for a in accounts if a.network is Network.MASTODON)
    bluesky_id = next(a.id for a in accounts if a.network is Network.BLUESKY)
    result = desk.timeline.refresh([mastodon_id, bluesky_id])
    toot = next(p for p in result.posts_by_account[mastodon_id] if not p.liked)
    skeet = next(p for p in result.posts_by_account[bluesky_id] if not p.reposted)

    liked = desk.react(mastodon_id, PostAction.LIKE, toot)
    reposted = desk.react(bluesky_id, PostAction.REPOST, skeet)

    assert liked.liked and liked.like_count == toot.like_count + 1
    assert reposted.reposted and reposted.repost_count == skeet.repost_count + 1
    assert (liked.uri, liked.seen_by) == (toot.uri, toot.seen_by)
    me = mastodon_sandbox.users[mastodon_sandbox.account_id(mastodon_sandbox.accounts[0]["acct"])]
    assert me.id in mastodon_sandbox.statuses[toot.native_id].favourited_by
    reposts = bluesky_sandbox.records(bluesky_sandbox.accounts[0]["did"], "app.bsky.feed.repost")
    assert [r["subject"]["uri"] for r in reposts.values()].count(skeet.uri) == 1
    written(desk)
    cached = desk.timeline.load_cached([mastodon_id], 200)
    assert next(p for p in cached if p.uri == toot.uri).liked

    undone = desk.react(mastodon_id, PostAction.UNLIKE, liked)
    assert not undone.liked and undone.like_count == toot.like_count
    written(desk)
    assert not next(p for p in desk.timeline.load_cached([mastodon_id], 200)
                    if p.uri == toot.uri).liked


def test_a_like_from_the_inbox_is_the_same_action_and_keeps_the_timeline_as_it_was(
    desk: Desk, accounts: list[Account], mastodon_sandbox: Any
) -> None:
    mastodon_id = next(a.id for a in accounts if a.network is Network.MASTODON)
    snapshot = desk.inbox.refresh([mastodon_id])
    timeline_uris = {p.uri for p in desk.timeline.load_cached([mastodon_id], 1000)}
    item = next(i for i in snapshot.items if i.post is not None and not i.post.liked
                and i.post.uri not in timeline_uris)
    assert item.post is not None

    liked = desk.react(item.account_id, PostAction.LIKE, item.post)

    assert liked.liked and liked.like_count == item.post.like_count + 1
    me = mastodon_sandbox.users[mastodon_sandbox.account_id(mastodon_sandbox.accounts[0]["acct"])]
    assert me.id in mastodon_sandbox.statuses[item.post.native_id].favourited_by
    written(desk)
    cached = {p.uri for p in desk.timeline.load_cached([mastodon_id], 1000)}
    assert item.post.uri not in cached  # a notification's post does not join the timeline
