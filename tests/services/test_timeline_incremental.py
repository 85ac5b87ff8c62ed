"""Incremental refresh (issue 4): after the first load, a Mastodon account's refresh reads only
what is newer than the newest item it holds; over HTTP against both sandboxes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from paris_desk.core.merge import item_key
from paris_desk.core.model import Account
from paris_desk.services.accounts import AccountService
from paris_desk.services.timeline import MAX_UP_PAGES, PAGE_SIZE, TimelineService
from paris_desk.store.cache import PostCache
from paris_desk.store.profile import Profile

HOME = "/api/v1/timelines/home"


@pytest.fixture
def service() -> Iterator[AccountService]:
    accounts = AccountService(Profile.default())
    yield accounts
    accounts.close()


@pytest.fixture
def ville(service: AccountService, mastodon_sandbox: Any) -> Account:
    return service.add_mastodon_token(mastodon_sandbox.base_url,
                                      mastodon_sandbox.token_for("ville"))


@pytest.fixture
def timeline(service: AccountService) -> Iterator[TimelineService]:
    timelines = TimelineService(service, PostCache(service.db))
    yield timelines
    timelines.close()


def post(server: Any, count: int) -> list[str]:
    """``culture`` (followed by ``ville``) posts ``count`` statuses; their URIs, oldest first."""
    return [server.post_as("culture", f"Annonce numéro {n} du jour")["uri"]
            for n in range(count)]


def home_requests(server: Any, since: int) -> int:
    return sum(1 for r in server.requests[since:] if r.path == HOME)


def test_nothing_new_hands_out_nothing_and_keeps_the_older_cursor(
    timeline: TimelineService, ville: Account, mastodon_sandbox: Any
) -> None:
    first = timeline.refresh([ville.id])

    later = timeline.refresh([ville.id])

    assert len(first.posts_by_account[ville.id]) == PAGE_SIZE
    assert later.posts_by_account[ville.id] == ()
    assert later.cursors[ville.id] == first.cursors[ville.id]


def test_three_new_posts_are_exactly_what_a_refresh_brings(
    timeline: TimelineService, ville: Account, mastodon_sandbox: Any
) -> None:
    timeline.refresh([ville.id])
    new = post(mastodon_sandbox, 3)
    start = len(mastodon_sandbox.requests)

    later = timeline.refresh([ville.id])

    assert [p.uri for p in later.posts_by_account[ville.id]] == list(reversed(new))
    assert all(p.seen_by == (ville.id,) for p in later.posts_by_account[ville.id])
    assert home_requests(mastodon_sandbox, start) == 1
    assert timeline.refresh([ville.id]).posts_by_account[ville.id] == ()


def test_more_than_a_page_of_new_posts_comes_without_gap_or_duplicate(
    timeline: TimelineService, ville: Account, mastodon_sandbox: Any
) -> None:
    first = timeline.refresh([ville.id])
    new = post(mastodon_sandbox, 50)
    start = len(mastodon_sandbox.requests)

    later = timeline.refresh([ville.id])

    assert [p.uri for p in later.posts_by_account[ville.id]] == list(reversed(new))
    assert home_requests(mastodon_sandbox, start) == 2  # 40, then the 10 newest
    assert later.cursors[ville.id] == first.cursors[ville.id]


def test_older_pages_still_follow_the_first_load_after_incremental_refreshes(
    timeline: TimelineService, ville: Account, mastodon_sandbox: Any
) -> None:
    first = timeline.refresh([ville.id])
    post(mastodon_sandbox, 3)
    later = timeline.refresh([ville.id])

    older = timeline.older([ville.id], later.cursors)

    below = {item_key(p) for p in older.posts_by_account[ville.id]}
    assert below  # item keys: a boost of an older post is another timeline item
    assert not below & {item_key(p) for p in first.posts_by_account[ville.id]}
    assert not below & {item_key(p) for p in later.posts_by_account[ville.id]}
    assert min(p.sort_time for p in first.posts_by_account[ville.id]) >= max(
        p.sort_time for p in older.posts_by_account[ville.id])


def test_too_many_new_posts_fall_back_to_a_normal_refresh_then_resume(
    service: AccountService, ville: Account, mastodon_sandbox: Any
) -> None:
    small = TimelineService(service, PostCache(service.db), page_size=5, refresh_page_size=5)
    try:
        small.refresh([ville.id])
        new = post(mastodon_sandbox, 5 * MAX_UP_PAGES + 3)

        later = small.refresh([ville.id])
        more = post(mastodon_sandbox, 2)
        after = small.refresh([ville.id])
    finally:
        small.close()

    got = [p.uri for p in later.posts_by_account[ville.id]]
    assert got[:5] == list(reversed(new))[:5]  # the newest page, read normally
    assert [p.uri for p in after.posts_by_account[ville.id]] == list(reversed(more))


def test_a_view_that_holds_nothing_yet_asks_for_a_full_page(
    timeline: TimelineService, ville: Account, mastodon_sandbox: Any
) -> None:
    first = timeline.refresh([ville.id])  # another column loaded ville already
    new = post(mastodon_sandbox, 2)

    fresh = timeline.refresh([ville.id], full=[ville.id])
    later = timeline.refresh([ville.id])

    got = [p.uri for p in fresh.posts_by_account[ville.id]]
    assert len(got) == PAGE_SIZE and got[:2] == list(reversed(new))
    assert fresh.cursors[ville.id] not in (None, first.cursors[ville.id])
    assert later.posts_by_account[ville.id] == ()
