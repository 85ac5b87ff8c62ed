"""TimelineService over HTTP against both sandboxes: parallel refresh, merge, cache, paging,
one failing account, actions that change the server's state."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from paris_desk.core.errors import AuthExpired
from paris_desk.core.merge import item_key
from paris_desk.core.model import Account, Network
from paris_desk.sandbox.http import Fault
from paris_desk.services.accounts import AccountService
from paris_desk.services.desk import Desk
from paris_desk.services.executors import Executors
from paris_desk.services.outbox import RetryPolicy
from paris_desk.services.timeline import REFRESH_PAGE_SIZE, TimelineService
from paris_desk.store.cache import PostCache
from paris_desk.store.profile import Profile


@pytest.fixture
def service() -> Iterator[AccountService]:
    accounts = AccountService(Profile.default())
    yield accounts
    accounts.close()


@pytest.fixture
def accounts(service: AccountService, mastodon_sandbox: Any, bluesky_sandbox: Any) -> list[Account]:
    added = [
        service.add_mastodon_token(mastodon_sandbox.base_url, item["access_token"])
        for item in mastodon_sandbox.accounts
    ]
    added += [
        service.add_bluesky(item["handle"], item["password"], service=bluesky_sandbox.base_url)
        for item in bluesky_sandbox.accounts
    ]
    return added


@pytest.fixture
def timeline(service: AccountService) -> Iterator[TimelineService]:
    """On the process's pools, as the Desk builds it (alone it reads the accounts in turn)."""
    executors = Executors(network_workers=8)
    timelines = TimelineService(service, PostCache(service.db), executors=executors)
    yield timelines
    timelines.close()
    executors.shutdown(5.0)


def ids(accounts: list[Account]) -> list[str]:
    return [account.id for account in accounts]


def test_refresh_merges_every_account_newest_first_each_post_once(
    timeline: TimelineService, accounts: list[Account]
) -> None:
    result = timeline.refresh(ids(accounts))

    assert list(result.posts_by_account) == ids(accounts)
    assert result.errors_by_account == {}
    merged = timeline.merged(result)
    keys = [item_key(post) for post in merged]
    assert len(keys) == len(set(keys))
    times = [post.sort_time for post in merged]
    assert times == sorted(times, reverse=True)
    assert {post.network for post in merged} == {Network.MASTODON, Network.BLUESKY}
    shared = [post for post in merged if len(post.seen_by) > 1]
    assert shared, "both city accounts of a network follow each other: some posts are shared"
    for post in shared:
        copies = [p for posts in result.posts_by_account.values() for p in posts
                  if item_key(p) == item_key(post)]
        assert {p.seen_by[0] for p in copies} == set(post.seen_by)


def test_accounts_are_fetched_in_parallel(
    timeline: TimelineService, accounts: list[Account], mastodon_sandbox: Any,
    bluesky_sandbox: Any, request_gate: Any
) -> None:
    timeline.refresh(ids(accounts))  # warm up: adapters restored, imports done

    # Each home timeline request is held until all four are on the servers at once: fetched
    # one after the other, the first would wait alone until the gate's hang guard.
    with request_gate(mastodon_sandbox, bluesky_sandbox, method="GET",
                      path=r"^/api/v1/timelines/home$|getTimeline$",
                      together=len(accounts)) as gate:
        result = timeline.refresh(ids(accounts))

    assert result.errors_by_account == {}
    assert list(result.posts_by_account) == ids(accounts)
    assert (gate.seen, gate.peak) == (4, 4), "the accounts were not fetched in parallel"


def test_a_revoked_account_is_reported_and_the_others_still_load(
    timeline: TimelineService, accounts: list[Account], mastodon_sandbox: Any
) -> None:
    mastodon_sandbox.revoke_token(mastodon_sandbox.accounts[0]["access_token"])

    result = timeline.refresh(ids(accounts))

    failing = accounts[0].id
    assert list(result.errors_by_account) == [failing]
    assert isinstance(result.errors_by_account[failing], AuthExpired)
    assert list(result.posts_by_account) == ids(accounts)[1:]
    assert all(result.posts_by_account.values())


def test_refreshed_posts_are_cached_and_read_back_page_by_page(
    timeline: TimelineService, accounts: list[Account]
) -> None:
    result = timeline.refresh(ids(accounts))
    merged = timeline.merged(result)

    first = timeline.load_cached(ids(accounts), 10)
    second = timeline.load_cached_before(ids(accounts), first[-1], 10)

    assert len(first) == len(second) == 10
    cached = first + second
    assert len({post.uri for post in cached}) == 20
    assert [p.sort_time for p in cached] == sorted((p.sort_time for p in cached), reverse=True)
    assert {post.uri for post in cached} <= {post.uri for post in merged}


def test_older_follows_each_account_cursor(
    timeline: TimelineService, accounts: list[Account], mastodon_sandbox: Any
) -> None:
    first = timeline.refresh(ids(accounts))
    start = len(mastodon_sandbox.requests)

    older = timeline.older(ids(accounts), first.cursors)

    assert list(older.posts_by_account) == [a for a in ids(accounts) if first.cursors[a]]
    for account_id, posts in older.posts_by_account.items():
        newest_older = max(p.sort_time for p in posts)
        oldest_first = min(p.sort_time for p in first.posts_by_account[account_id])
        assert newest_older <= oldest_first
    paged = [r for r in mastodon_sandbox.requests[start:] if r.path == "/api/v1/timelines/home"]
    assert len(paged) == 2


def test_a_reply_from_the_timeline_goes_out_once_through_the_outbox(
    timeline: TimelineService, service: AccountService, accounts: list[Account],
    mastodon_sandbox: Any,
) -> None:
    result = timeline.refresh(ids(accounts))
    parent = next(p for p in result.posts_by_account[accounts[0].id] if p.repost_by is None)
    desk = Desk(service, retry_policy=RetryPolicy(max_attempts=4, base_delay=0.05))
    mastodon_sandbox.add_fault(Fault("drop_after_commit", "POST", r"/api/v1/statuses$"))
    before = mastodon_sandbox.status_count()

    outcome = desk.reply(accounts[0].id, parent, "Merci pour l'info !", timeout=30)

    assert outcome.sent
    reply = outcome.first_post
    assert reply is not None
    assert mastodon_sandbox.statuses[reply.native_id].in_reply_to_id == parent.native_id
    assert mastodon_sandbox.status_count() == before + 1  # the lost answer was not re-sent


def test_a_refresh_after_a_busy_spell_brings_every_new_post(
    timeline: TimelineService, accounts: list[Account], mastodon_sandbox: Any
) -> None:
    ville = accounts[0].id
    timeline.refresh([ville])
    new = [mastodon_sandbox.post_as("culture", f"Annonce numéro {n} du jour")["uri"]
           for n in range(REFRESH_PAGE_SIZE + 10)]  # more than one refresh page

    result = timeline.refresh([ville])

    assert set(new) <= {post.uri for post in result.posts_by_account[ville]}


def test_a_later_refresh_reads_one_request_per_account(
    timeline: TimelineService, accounts: list[Account], mastodon_sandbox: Any
) -> None:
    first = timeline.refresh(ids(accounts))
    start = len(mastodon_sandbox.requests)

    later = timeline.refresh(ids(accounts))

    home = [r for r in mastodon_sandbox.requests[start:] if r.path == "/api/v1/timelines/home"]
    assert len(home) == 2  # nothing new: no gap to fill
    assert all(len(posts) > REFRESH_PAGE_SIZE for posts in first.posts_by_account.values())
    for account in accounts:  # Mastodon: only what is new (nothing); Bluesky: a short page
        posts = later.posts_by_account[account.id]
        if account.network is Network.MASTODON:
            assert posts == ()
        else:
            assert 0 < len(posts) <= REFRESH_PAGE_SIZE
