"""Merging the timelines of several accounts into one."""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from paris_desk.core import merge as merge_module
from paris_desk.core.merge import (
    HORIZON_ALL,
    HORIZON_NONE,
    MergeResult,
    item_key,
    merge,
    merge_pages,
    order_key,
    safe_horizon,
    visible_count,
)
from paris_desk.core.model import Author, Network, Page, Post

T0 = datetime(2026, 6, 21, 12, 0, tzinfo=UTC)
MARIE = Author("marie@mastodon.social", url="https://mastodon.social/@marie")
KARIM = Author("karim@piaille.fr", url="https://piaille.fr/@karim")


def post(
    n: int,
    minutes: float,
    account: str = "a",
    *,
    booster: Author | None = None,
    boosted_minutes: float | None = None,
    network: Network = Network.MASTODON,
    **changes: object,
) -> Post:
    """Post number ``n``, ``minutes`` after T0, seen by ``account``."""
    made = Post(
        uri=f"https://example.social/users/x/statuses/{n}",
        native_id=f"{account}-{n}",
        network=network,
        author=Author("x@example.social"),
        created_at=T0 + timedelta(minutes=minutes),
        seen_by=(account,),
        repost_by=booster,
        repost_created_at=None
        if boosted_minutes is None
        else T0 + timedelta(minutes=boosted_minutes),
    )
    return dataclasses.replace(made, **changes) if changes else made  # type: ignore[arg-type]


def uris(posts: Sequence[Post]) -> list[str]:
    return [
        p.uri.rsplit("/", 1)[1] + (f"<{p.repost_by.handle}" if p.repost_by else "") for p in posts
    ]


def test_pages_of_several_accounts_merge_newest_first() -> None:
    merged = merge_pages({"a": [post(1, 5, "a"), post(2, 1, "a")], "b": [post(3, 3, "b")]})
    assert uris(merged) == ["1", "3", "2"]


def test_a_post_seen_by_several_accounts_appears_once_with_every_account() -> None:
    merged = merge_pages(
        {"a": [post(1, 5, "a")], "b": [post(1, 5, "b"), post(2, 4, "b")], "c": [post(1, 5, "c")]}
    )
    assert uris(merged) == ["1", "2"]
    assert merged[0].seen_by == ("a", "b", "c")
    assert merged[0].native_id == "a-1"  # the owning account's id, for acting on it
    assert merged[1].seen_by == ("b",)


def test_merge_pages_marks_the_account_that_saw_each_post() -> None:
    unmarked = dataclasses.replace(post(1, 0), seen_by=())
    assert merge_pages({"bluesky:ville.fr": [unmarked]})[0].seen_by == ("bluesky:ville.fr",)


def test_an_item_never_moves_even_if_a_later_copy_says_another_time() -> None:
    first = merge([], [post(1, 10, "a"), post(2, 5, "a")])
    result = merge(first.posts, [post(2, 50, "a", like_count=3)])
    assert uris(result.posts) == ["1", "2"]
    assert (result.posts[1].like_count, result.posts[1].created_at) == (
        3,
        first.posts[1].created_at,
    )


def test_a_refresh_from_the_owner_updates_content_in_place() -> None:
    first = merge([], [post(1, 5, "a"), post(2, 4, "a")])
    fresher = post(2, 4, "a", like_count=12, liked=True)
    result = merge(first.posts, [fresher])
    assert result.inserted == ()
    assert result.updated == (1,)
    assert result.posts[1].like_count == 12


def test_another_accounts_copy_only_adds_a_badge() -> None:
    first = merge([], [post(1, 5, "a", liked=True)])
    result = merge(first.posts, [post(1, 5, "b", like_count=99, liked=False)])
    kept = result.posts[0]
    assert kept.seen_by == ("a", "b")
    assert (kept.native_id, kept.liked, kept.like_count) == ("a-1", True, 0)
    assert result.updated == (0,)
    assert merge(result.posts, [post(1, 5, "b")]).updated == ()  # nothing new: nothing changed


def test_federated_copies_with_different_precision_do_not_move() -> None:
    # the origin server keeps milliseconds, a remote server only seconds
    origin = post(1, 0, "a", created_at=T0 + timedelta(milliseconds=750))
    remote = post(1, 0, "b", created_at=T0)
    first = merge([], [origin, post(2, 0.005, "a")])  # 2 is 0.3 s after T0
    assert uris(first.posts) == ["1", "2"]
    result = merge(first.posts, [remote])
    assert uris(result.posts) == ["1", "2"]
    assert result.inserted == ()
    assert result.posts[0].seen_by == ("a", "b")
    assert result.posts[0].created_at == origin.created_at


def test_equal_times_are_ordered_by_uri_then_booster_whatever_the_arrival_order() -> None:
    same = [
        post(3, 0, "a"),
        post(1, 0, "b"),
        post(2, 0, "a"),
        post(9, -5, "a", booster=KARIM, boosted_minutes=0),
        post(9, -5, "b", booster=MARIE, boosted_minutes=0),
    ]
    # boosters compare by profile URL: https://mastodon.social/… < https://piaille.fr/…
    expected = ["1", "2", "3", "9<marie@mastodon.social", "9<karim@piaille.fr"]
    rng = random.Random(3)
    for _ in range(30):
        shuffled = same[:]
        rng.shuffle(shuffled)
        cut = rng.randint(0, len(shuffled))
        merged = merge(merge([], shuffled[:cut]).posts, shuffled[cut:]).posts
        assert uris(merged) == expected


def test_reposts_are_items_of_their_own_showing_who_shared() -> None:
    original = post(1, 0, "a")
    boost_seen_by_a = post(1, 0, "a", booster=MARIE, boosted_minutes=30)
    boost_seen_by_b = post(1, 0, "b", booster=MARIE, boosted_minutes=30)
    other_boost = post(1, 0, "b", booster=KARIM, boosted_minutes=10)
    merged = merge_pages(
        {"a": [boost_seen_by_a, original], "b": [boost_seen_by_b, other_boost, post(2, 20, "b")]}
    )
    assert uris(merged) == ["1<marie@mastodon.social", "2", "1<karim@piaille.fr", "1"]
    assert merged[0].seen_by == ("a", "b")  # the same boost, seen by both accounts: once
    assert merged[0].sort_time == T0 + timedelta(minutes=30)


def test_booster_identity_bluesky_did_and_mastodon_profile_url() -> None:
    did = Author("old.handle.fr", user_id="did:plc:abc")
    renamed = Author("new.handle.fr", user_id="did:plc:abc")
    a = post(1, 0, "a", booster=did, boosted_minutes=1, network=Network.BLUESKY)
    b = post(1, 0, "b", booster=renamed, boosted_minutes=1, network=Network.BLUESKY)
    assert item_key(a) == item_key(b) == (a.uri, "did:plc:abc")
    # Mastodon account ids are per server: the profile URL identifies the booster
    m1 = post(1, 0, "a", booster=Author("marie", user_id="1", url=MARIE.url), boosted_minutes=1)
    m2 = post(
        1,
        0,
        "b",
        booster=Author("marie@mastodon.social", user_id="77", url=MARIE.url),
        boosted_minutes=1,
    )
    assert item_key(m1) == item_key(m2)
    assert item_key(post(1, 0)) == (post(1, 0).uri, "")


def _apply_inserts(old: Sequence[Post], result: MergeResult) -> list[Post]:
    """What a Qt model does: insert each run, in ascending order, at its final rows."""
    rows = list(old)
    for first, last in result.insert_runs():
        rows[first:first] = result.posts[first : last + 1]
    return rows


def test_inserted_rows_rebuild_the_new_list_from_the_old() -> None:
    rng = random.Random(11)
    existing: tuple[Post, ...] = ()
    for _round in range(20):
        incoming = [
            post(rng.randint(0, 300), rng.randint(0, 600), rng.choice("abc"))
            for _ in range(rng.randint(0, 40))
        ]
        result = merge(existing, incoming)
        rebuilt = _apply_inserts(existing, result)
        assert [item_key(p) for p in rebuilt] == [item_key(p) for p in result.posts]
        # rows not inserted hold the old items: changed exactly where ``updated`` says
        changed = {
            row
            for row, (old, new) in enumerate(zip(rebuilt, result.posts, strict=True))
            if old != new
        }
        assert changed == set(result.updated)
        assert [order_key(p) for p in result.posts] == sorted(order_key(p) for p in result.posts)
        assert len({item_key(p) for p in result.posts}) == len(result.posts)
        existing = result.posts


def test_insert_runs_are_inclusive() -> None:
    result = MergeResult(posts=(), inserted=(0, 1, 2, 5, 7, 8))
    assert result.insert_runs() == [(0, 2), (5, 5), (7, 8)]


def test_updated_rows_are_rows_of_the_new_list() -> None:
    first = merge([], [post(1, 10, "a"), post(2, 5, "a")])
    result = merge(first.posts, [post(3, 20, "a"), post(2, 5, "b"), post(4, 7, "a")])
    assert uris(result.posts) == ["3", "1", "4", "2"]
    assert result.inserted == (0, 2)
    assert result.updated == (3,)
    assert result.posts[3].seen_by == ("a", "b")


# --- infinite scroll across accounts ---------------------------------------------------------


def test_horizon_is_the_newest_of_the_per_account_minima() -> None:
    a = Page(items=(post(1, 60, "a"), post(2, 0, "a")), cursor="a-more")  # 13:00 → 12:00
    b = Page(items=(post(3, 60, "b"), post(4, -180, "b")), cursor="b-more")  # 13:00 → 09:00
    horizon = safe_horizon([a, b])
    # "a" may still hold posts from 10:00: B's posts older than 12:00 must wait
    assert horizon == T0
    merged = merge_pages({"a": a.items, "b": b.items})
    assert uris(merged[: visible_count(merged, horizon)]) == ["1", "3"]


def test_horizon_edge_cases() -> None:
    done = Page(items=(post(1, 0),), cursor=None)
    assert safe_horizon([done]) == HORIZON_NONE  # every account exhausted: show everything
    assert safe_horizon([]) == HORIZON_NONE
    assert safe_horizon([done, Page(items=(), cursor="more")]) == HORIZON_ALL
    posts = merge_pages({"a": [post(1, 0), post(2, 1)]})
    assert visible_count(posts, HORIZON_NONE) == 2
    assert visible_count(posts, HORIZON_ALL) == 0
    assert visible_count(posts, T0) == 1  # strictly newer: the 12:00 post waits


def _timeline(rng: random.Random, account: str, shared: list[int], boosted: int) -> list[Post]:
    own = [post(1000 * ord(account) + i, rng.randint(0, 5000), account) for i in range(60)]
    both = [post(n, n % 5000, account) for n in shared]
    boosts = [post(7, 3, account, booster=MARIE, boosted_minutes=boosted)]
    return sorted(own + both + boosts, key=order_key)


def test_scrolling_never_shows_an_item_out_of_order() -> None:
    rng = random.Random(2026)
    for _trial in range(15):
        shared = [rng.randint(0, 4999) for _ in range(20)]
        boosted = rng.randint(0, 5000)
        timelines = {acct: _timeline(rng, acct, shared, boosted) for acct in "abc"}
        page_sizes = {acct: rng.randint(3, 25) for acct in timelines}
        offsets = dict.fromkeys(timelines, 0)
        last_pages: dict[str, Page[Post]] = {}
        merged: tuple[Post, ...] = ()
        shown: list[tuple[str, str]] = []
        while any(offsets[a] < len(timelines[a]) for a in timelines) or not last_pages:
            for acct in rng.sample(sorted(timelines), rng.randint(1, 3)):  # any fetch schedule
                start = offsets[acct]
                items = tuple(timelines[acct][start : start + page_sizes[acct]])
                offsets[acct] = start + len(items)
                more = offsets[acct] < len(timelines[acct])
                last_pages[acct] = Page(items, cursor="more" if more else None)
                merged = merge(
                    merged, [dataclasses.replace(p, seen_by=(acct,)) for p in items]
                ).posts
            if len(last_pages) < len(timelines):
                continue  # every account must have answered once before anything is final
            now_shown = [
                item_key(p)
                for p in merged[: visible_count(merged, safe_horizon(last_pages.values()))]
            ]
            assert now_shown[: len(shown)] == shown, "an item appeared above items already shown"
            shown = now_shown
        everything = merge([], [p for tl in timelines.values() for p in tl]).posts
        assert shown == [item_key(p) for p in everything]


def test_merging_into_a_long_list_costs_o_k_log_n(monkeypatch: pytest.MonkeyPatch) -> None:
    """k incoming posts are placed in a merged list of n by binary search, and the n are never
    sorted again: counted in sort keys computed, not in seconds (bench/timeline_bench.py
    --only core prints the time)."""
    rng = random.Random(5)
    existing = merge(
        [], [post(i, rng.randint(0, 100_000), rng.choice("abcd")) for i in range(10_000)]
    ).posts
    incoming = [
        post(rng.randint(10_000, 20_000), rng.randint(0, 110_000), rng.choice("abcd"))
        for _ in range(100)
    ]
    keys = 0
    order_key = merge_module.order_key

    def counted(p: Post) -> tuple[float, str, str]:
        nonlocal keys
        keys += 1
        return order_key(p)

    monkeypatch.setattr(merge_module, "order_key", counted)
    result = merge(existing, incoming)

    assert len(result.inserted) == len({item_key(p) for p in incoming})
    assert list(result.posts) == sorted(result.posts, key=order_key)
    # About k * log2(n) = 1,300 here; sorting everything again would take n + k = 10,100.
    assert keys <= 2 * len(incoming) * math.log2(len(existing)), keys
