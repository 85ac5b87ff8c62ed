"""One timeline from N accounts: merge pages newest-first, dedupe, and scroll without gaps.

Identity of a timeline item (``item_key``):

- a post shown as itself is ``(uri, "")``: the same post seen by several accounts appears once,
  ``seen_by`` holding every account that saw it;
- a repost/boost is ``(uri, booster)``: it is its own item, placed at the repost time and
  showing who shared it. Two accounts seeing the same person's boost get one item; boosts of
  the same post by different people stay separate items, and a boost of a post that is also in
  the list as itself does not hide either one (what each network's own timeline does).

An item never moves once placed: its position is fixed by ``(sort_time, uri, booster)``, so a
model can insert rows and never move them. The first copy of an item kept is "owned" by
``seen_by[0]``: its ``native_id`` and viewer state (``liked``, ``reposted``) are that account's.
A later copy from the same account replaces the content (fresher counts) but not the times
that place it; a copy from another account only adds to ``seen_by``.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from paris_desk.core.model import Author, Network, Page, Post

ItemKey = tuple[str, str]
OrderKey = tuple[float, str, str]

HORIZON_NONE = datetime.min.replace(tzinfo=UTC)
"""``safe_horizon`` when every account reached its end: everything may be shown."""
HORIZON_ALL = datetime.max.replace(tzinfo=UTC)
"""``safe_horizon`` when an account has more to give but nothing loaded: show nothing yet."""


def _booster(post: Post) -> str:
    author: Author | None = post.repost_by
    if author is None:
        return ""
    if post.network is Network.BLUESKY and author.user_id:
        return author.user_id  # a DID: global and stable
    return author.url or author.handle.lower()  # Mastodon ids are per server; URLs are not


def item_key(post: Post) -> ItemKey:
    """The identity of a timeline item: ``(uri, "")`` or ``(uri, booster)`` for a repost."""
    return (post.uri, _booster(post))


def order_key(post: Post) -> OrderKey:
    """Ascending order = display order: newest first, then by uri, then by booster.

    A POSIX timestamp as a float keeps microseconds distinct (resolution < 0.25 µs until 2100)."""
    return (-post.sort_time.timestamp(), post.uri, _booster(post))


@dataclass(frozen=True, slots=True)
class MergeResult:
    """The merged list and what changed, as row numbers in ``posts`` (ascending).

    Inserting the ``inserted`` rows in ascending order into the old list yields ``posts``;
    ``updated`` rows held an item already and got new content or a longer ``seen_by``."""

    posts: tuple[Post, ...]
    inserted: tuple[int, ...] = ()
    updated: tuple[int, ...] = ()

    def insert_runs(self) -> list[tuple[int, int]]:
        """``inserted`` as ``(first, last)`` runs, last inclusive (``beginInsertRows``)."""
        runs: list[tuple[int, int]] = []
        for row in self.inserted:
            if runs and runs[-1][1] == row - 1:
                runs[-1] = (runs[-1][0], row)
            else:
                runs.append((row, row))
        return runs


def _combine(kept: Post, other: Post) -> Post:
    seen_by = kept.seen_by + tuple(a for a in dict.fromkeys(other.seen_by) if a not in kept.seen_by)
    if kept.seen_by and other.seen_by[:1] != kept.seen_by[:1]:
        return kept if kept.seen_by == seen_by else replace(kept, seen_by=seen_by)
    if (other.seen_by, other.created_at, other.repost_created_at) == (
        seen_by,
        kept.created_at,
        kept.repost_created_at,
    ):
        return other
    # fresher content from the owner, but the item keeps its place (its times as first seen)
    return replace(
        other,
        seen_by=seen_by,
        created_at=kept.created_at,
        repost_created_at=kept.repost_created_at,
    )


def merge(existing: Sequence[Post], incoming: Iterable[Post]) -> MergeResult:
    """Merge ``incoming`` posts into ``existing`` (a previous ``merge`` result: sorted by
    ``order_key``, one item per ``item_key``). Incoming posts carry their account in
    ``seen_by``. Runs in O(n + k log n) for k incoming posts."""
    index = {
        (post.uri, "" if post.repost_by is None else _booster(post)): row
        for row, post in enumerate(existing)
    }
    changed: dict[int, Post] = {}
    fresh: dict[ItemKey, Post] = {}
    for post in incoming:
        key = item_key(post)
        row = index.get(key)
        if row is not None:
            current = changed.get(row, existing[row])
            combined = _combine(current, post)
            if combined != current:
                changed[row] = combined
        else:
            fresh[key] = _combine(fresh[key], post) if key in fresh else post

    base = list(existing)
    for row, post in changed.items():
        base[row] = post
    new_posts = sorted(fresh.values(), key=order_key)
    positions: list[int] = []
    low = 0
    for post in new_posts:
        low = bisect.bisect_left(base, order_key(post), lo=low, key=order_key)
        positions.append(low)

    merged: list[Post] = []
    inserted: list[int] = []
    previous = 0
    for position, post in zip(positions, new_posts, strict=True):
        merged.extend(base[previous:position])
        inserted.append(len(merged))
        merged.append(post)
        previous = position
    merged.extend(base[previous:])
    updated = sorted(row + bisect.bisect_right(positions, row) for row in changed)
    return MergeResult(tuple(merged), tuple(inserted), tuple(updated))


def merge_pages(pages_by_account: Mapping[str, Sequence[Post]]) -> list[Post]:
    """Merge one page (or more) per account id into one newest-first list.

    Each post is marked as seen by the account it came under; where several accounts saw an
    item, the first account in ``pages_by_account`` order owns it."""
    incoming = [
        post if post.seen_by == (account_id,) else replace(post, seen_by=(account_id,))
        for account_id, posts in pages_by_account.items()
        for post in posts
    ]
    return list(merge((), incoming).posts)


def safe_horizon(pages: Iterable[Page[Post]]) -> datetime:
    """How far down a merged timeline may be shown without risking a gap.

    ``pages`` holds, per account, the oldest page loaded so far and its cursor. An account with
    more to load (``cursor`` set) may still deliver anything older than the oldest item it gave,
    so only items **strictly newer** than the newest of these per-account minima are final.
    Accounts at their end constrain nothing (``HORIZON_NONE`` if all are); an account with a
    cursor but an empty page knows nothing yet (``HORIZON_ALL``: load more first).
    """
    horizon = HORIZON_NONE
    for page in pages:
        if page.cursor is None:
            continue
        if not page.items:
            return HORIZON_ALL
        horizon = max(horizon, min(post.sort_time for post in page.items))
    return horizon


def visible_count(posts: Sequence[Post], horizon: datetime) -> int:
    """How many leading items of a merged list are strictly newer than ``horizon``."""
    if horizon == HORIZON_ALL:
        return 0
    if horizon == HORIZON_NONE:
        return len(posts)
    limit = (-horizon.timestamp(), "", "")
    return bisect.bisect_left(posts, limit, key=order_key)
