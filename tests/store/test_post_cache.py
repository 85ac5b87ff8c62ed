"""The posts cache: newest first, one entry per post across accounts, gone with its account."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from paris_desk.core.model import Account, Network, Post
from paris_desk.store.accounts import AccountStore
from paris_desk.store.cache import PostCache
from paris_desk.store.db import Database

A = "mastodon:@a@paris.social"
B = "mastodon:@b@paris.social"
T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "cache.sqlite3")
    accounts = AccountStore(database)
    for account_id in (A, B):
        accounts.upsert(
            Account(account_id, Network.MASTODON, account_id.split(":", 1)[1], "https://x")
        )
    yield database
    database.close()


def post_at(make_post: Callable[..., Post], n: int, minutes: int) -> Post:
    return make_post(
        uri=f"https://paris.social/statuses/{n}",
        created_at=T0 + timedelta(minutes=minutes),
        repost_by=None,
        repost_created_at=None,
        seen_by=(),
    )


def test_posts_come_back_identical_and_newest_first(
    db: Database, make_post: Callable[..., Post]
) -> None:
    cache = PostCache(db)
    posts = [post_at(make_post, n, minutes=n) for n in range(5)]

    assert cache.save_posts(A, posts) == 5
    recent = cache.load_recent([A], limit=3)

    assert [p.uri for p in recent] == [posts[4].uri, posts[3].uri, posts[2].uri]
    assert recent[0] == replace(posts[4], seen_by=(A,))


def test_a_post_seen_by_two_accounts_comes_once(
    db: Database, make_post: Callable[..., Post]
) -> None:
    cache = PostCache(db)
    shared = post_at(make_post, 1, minutes=10)
    cache.save_posts(A, [post_at(make_post, 2, minutes=5), shared])
    cache.save_posts(B, [shared, post_at(make_post, 3, minutes=1)])

    recent = cache.load_recent([B, A], limit=10)

    assert [p.uri for p in recent] == [
        shared.uri,
        post_at(make_post, 2, 5).uri,
        post_at(make_post, 3, 1).uri,
    ]
    assert recent[0].seen_by == (B, A)
    assert cache.load_recent([A, B], limit=1)[0].seen_by == (A, B)


def test_a_repost_sorts_by_the_time_it_was_reposted(
    db: Database, make_post: Callable[..., Post]
) -> None:
    cache = PostCache(db)
    old_but_reposted = replace(
        post_at(make_post, 1, minutes=0), repost_created_at=T0 + timedelta(hours=1)
    )
    cache.save_posts(A, [old_but_reposted, post_at(make_post, 2, minutes=30)])

    assert cache.load_recent([A], limit=1)[0].uri == old_but_reposted.uri


def test_saving_again_refreshes_the_copy(db: Database, make_post: Callable[..., Post]) -> None:
    cache = PostCache(db)
    post = post_at(make_post, 1, minutes=0)
    cache.save_posts(A, [post])
    cache.save_posts(A, [replace(post, like_count=99)])

    assert [p.like_count for p in cache.load_recent([A], limit=10)] == [99]


def test_removing_an_account_drops_its_cache(db: Database, make_post: Callable[..., Post]) -> None:
    cache = PostCache(db)
    cache.save_posts(A, [post_at(make_post, 1, minutes=0)])

    AccountStore(db).remove(A)

    assert cache.load_recent([A], limit=10) == []
    assert cache.save_posts(A, [post_at(make_post, 2, minutes=0)]) == 0  # late refresh


def test_other_accounts_are_not_included(db: Database, make_post: Callable[..., Post]) -> None:
    cache = PostCache(db)
    cache.save_posts(B, [post_at(make_post, 1, minutes=0)])

    assert cache.load_recent([A], limit=10) == []
    assert cache.load_recent([], limit=10) == []
