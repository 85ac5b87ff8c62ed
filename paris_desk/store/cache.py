"""Posts seen by each account, kept so the timeline opens instantly and works offline.

One row per (account, post uri). The timeline feature builds on this; a cached post is only a
copy of public data, the cache holds no secret and can be dropped at any time.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from paris_desk.core.model import Post
from paris_desk.store import codec
from paris_desk.store.db import Database

log = logging.getLogger(__name__)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def sort_key_us(when: datetime) -> int:
    """Microseconds since the Unix epoch: exact and orderable (naive means UTC)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    delta = when - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


class PostCache:
    def __init__(self, db: Database) -> None:
        self._db = db

    def save_posts(self, account_id: str, posts: Iterable[Post]) -> int:
        """Store (or refresh) posts seen by ``account_id``; returns how many were written.

        An account removed meanwhile (a refresh that finished late) writes nothing.
        """
        rows = [(account_id, p.uri, sort_key_us(p.sort_time), codec.post_to_json(p)) for p in posts]
        with self._db.transaction():
            if self._db.scalar("SELECT 1 FROM accounts WHERE id = ?", (account_id,)) is None:
                log.debug("cache: %s is gone, %d posts not saved", account_id, len(rows))
                return 0
            self._db.executemany(
                "INSERT INTO cached_posts (account_id, uri, sort_us, post_json) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (account_id, uri) DO UPDATE SET "
                "sort_us = excluded.sort_us, post_json = excluded.post_json",
                rows,
            )
        return len(rows)

    def load_recent(self, account_ids: Sequence[str], limit: int) -> list[Post]:
        """The newest ``limit`` distinct posts seen by any of ``account_ids``, newest first.

        A post seen by several accounts comes once, its ``seen_by`` naming each of them (in
        the order of ``account_ids``); the copy of the first account in that order is kept.
        """
        if not account_ids or limit <= 0:
            return []
        marks = ", ".join("?" for _ in account_ids)
        rows = self._db.execute(
            f"SELECT account_id, uri, post_json FROM cached_posts WHERE uri IN ("  # noqa: S608 - only placeholders
            f"  SELECT uri FROM cached_posts WHERE account_id IN ({marks})"
            f"  GROUP BY uri ORDER BY MAX(sort_us) DESC, uri LIMIT ?"
            f") AND account_id IN ({marks}) ORDER BY sort_us DESC, uri",
            (*account_ids, limit, *account_ids),
        )
        rank = {account_id: i for i, account_id in enumerate(account_ids)}
        by_uri: dict[str, list[tuple[int, str]]] = {}
        for row in rows:
            by_uri.setdefault(row["uri"], []).append((rank[row["account_id"]], row["post_json"]))
        posts = []
        for seen in by_uri.values():  # dicts keep the newest-first order of the query
            seen.sort()
            post = codec.post_from_json(seen[0][1])
            seen_by = tuple(account_ids[i] for i, _ in seen)
            posts.append(replace(post, seen_by=seen_by))
        return posts

    def load_before(self, account_ids: Sequence[str], before: Post, limit: int) -> list[Post]:
        """The ``limit`` distinct posts that come right after ``before`` in ``load_recent``
        order (older, or as old with a greater uri): the timeline reading back rows it had
        unloaded. Same grouping and ``seen_by`` as ``load_recent``."""
        if not account_ids or limit <= 0:
            return []
        marks = ", ".join("?" for _ in account_ids)
        at = sort_key_us(before.sort_time)
        rows = self._db.execute(
            f"SELECT account_id, uri, post_json FROM cached_posts WHERE uri IN ("  # noqa: S608 - only placeholders
            f"  SELECT uri FROM cached_posts WHERE account_id IN ({marks})"
            f"  GROUP BY uri HAVING MAX(sort_us) < ? OR (MAX(sort_us) = ? AND uri > ?)"
            f"  ORDER BY MAX(sort_us) DESC, uri LIMIT ?"
            f") AND account_id IN ({marks}) ORDER BY sort_us DESC, uri",
            (*account_ids, at, at, before.uri, limit, *account_ids),
        )
        return _grouped(rows, account_ids)

    def refresh_posts(self, account_id: str, posts: Iterable[Post]) -> None:
        """Replace the stored copies of ``posts`` that ``account_id`` holds (a like's new
        state); add none: a notification's post does not join the timeline."""
        rows = [(codec.post_to_json(p), account_id, p.uri) for p in posts]
        with self._db.transaction():
            self._db.executemany(
                "UPDATE cached_posts SET post_json = ? WHERE account_id = ? AND uri = ?", rows)

    def forget(self, account_id: str) -> None:
        self._db.execute("DELETE FROM cached_posts WHERE account_id = ?", (account_id,))


def _grouped(rows: Iterable[Any], account_ids: Sequence[str]) -> list[Post]:
    """Rows of (account_id, uri, post_json), newest first → one post per uri, its ``seen_by``
    in ``account_ids`` order, the first of those accounts' copy kept (as ``load_recent``)."""
    rank = {account_id: i for i, account_id in enumerate(account_ids)}
    by_uri: dict[str, list[tuple[int, str]]] = {}
    for row in rows:
        by_uri.setdefault(row["uri"], []).append((rank[row["account_id"]], row["post_json"]))
    posts = []
    for seen in by_uri.values():
        seen.sort()
        post = codec.post_from_json(seen[0][1])
        posts.append(replace(post, seen_by=tuple(account_ids[i] for i, _ in seen)))
    return posts
