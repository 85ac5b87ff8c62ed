"""The rows of one timeline column: merged posts of several accounts, newest first.

After Anki's ``DataModel`` and Tokodon's ``TimelineModel``: the model holds the items (plain
``Post`` values, each a key ``(uri, booster)``) plus a row cache of the text a worker prepared
(``PostText`` by uri); ``data()`` only reads them. Posts are merged by
``paris_desk.core.merge.merge`` (dedupe across accounts, stable order) and inserted in runs.

- New items that would land above the row the user is reading are held back (``pending``) until
  ``show_pending`` (the "N new posts" bar), so what the user reads never moves.
- Older pages come through ``canFetchMore``/``fetchMore``, guarded by ``_is_fetching``: the
  model asks (``older_requested``); whoever loads calls ``finish_fetch``.
- At most ``max_rows`` rows stay in memory: bringing new posts in unloads the oldest rows
  (``rows_unloaded``); scrolling down reads them back from the cache through ``fetchMore``.
- A cross-post (one submission published on several of your accounts, ``set_cross_posts``) is
  one row while ``grouping`` is on; its other posts are held by ``cross_posts``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from paris_desk.core.merge import ItemKey, MergeResult, item_key, merge, order_key
from paris_desk.core.model import Account, Post
from paris_desk.ui.timeline.cross_posts import CrossPosts
from paris_desk.ui.timeline.post_text import (
    PostText,
    accessible_description,
    accessible_text,
    clean,
    cross_post_sentence,
    prepare,
)

_Index = QModelIndex | QPersistentModelIndex

MAX_ROWS = 10_000


class PostRole(enum.IntEnum):
    POST = Qt.ItemDataRole.UserRole + 1
    TEXT = enum.auto()  # PostText (prepared body)
    KEY = enum.auto()  # (uri, booster)
    URI = enum.auto()
    NETWORK = enum.auto()
    SEEN_BY = enum.auto()
    LIKED = enum.auto()
    REPOSTED = enum.auto()
    URL = enum.auto()
    GROUP = enum.auto()  # a cross-post's row: the accounts it was published on ([] otherwise)


# What an action or a fresher copy of an item can change.
CHANGING_ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.AccessibleTextRole,
    Qt.ItemDataRole.AccessibleDescriptionRole,
    PostRole.POST,
    PostRole.TEXT,
    PostRole.SEEN_BY,
    PostRole.LIKED,
    PostRole.REPOSTED,
)
GROUP_ROLES = (Qt.ItemDataRole.AccessibleDescriptionRole, PostRole.GROUP)


class TimelineModel(QAbstractListModel):
    pending_changed = Signal(int)  # how many items wait behind the "new posts" bar
    older_requested = Signal()  # fetchMore: load the next older rows, then finish_fetch()
    rows_unloaded = Signal(int)  # that many of the oldest rows left memory (still cached)

    def __init__(self, max_rows: int = MAX_ROWS, parent: Any = None) -> None:
        super().__init__(parent)
        self.max_rows = max_rows
        self._posts: list[Post] = []
        self._row_keys: list[ItemKey] = []  # item_key of each row (sizeHint reads it)
        self._keys: set[ItemKey] = set()
        self._texts: dict[str, PostText] = {}  # row cache, by uri
        self._pending: dict[ItemKey, Post] = {}
        self._pending_texts: dict[str, PostText] = {}
        self._accounts: dict[str, Account] = {}
        self._is_fetching = False
        self._can_fetch = False
        self.cross_posts = CrossPosts()

    # -- reading ----------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._posts)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, QAbstractListModel.CheckIndexOption.IndexIsValid):
            return None
        post = self._posts[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{clean(post.author.display_name) or post.author.handle}: {clean(post.text)}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return accessible_text(post, self._accounts)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            group = self.cross_posts.accounts(post)
            said = cross_post_sentence(group, self._accounts) if group else ""
            return " ".join(part for part in (said, accessible_description(post)) if part)
        if role == Qt.ItemDataRole.ToolTipRole:
            return post.url or post.uri
        return self._custom_data(post, role)

    def _custom_data(self, post: Post, role: int) -> Any:
        if role == PostRole.POST:
            return post
        if role == PostRole.TEXT:
            return self._texts.get(post.uri)
        if role == PostRole.KEY:
            return item_key(post)
        if role == PostRole.GROUP:
            return list(self.cross_posts.accounts(post))
        values: dict[int, Any] = {
            PostRole.URI: post.uri,
            PostRole.NETWORK: post.network.value,
            PostRole.SEEN_BY: list(post.seen_by),
            PostRole.LIKED: post.liked,
            PostRole.REPOSTED: post.reposted,
            PostRole.URL: post.url,
        }
        return values.get(role)

    def roleNames(self) -> dict[int, QByteArray]:  # noqa: N802 - Qt API
        names = super().roleNames()
        names.update({role.value: QByteArray(role.name.lower().encode()) for role in PostRole})
        return names

    def post_at(self, row: int) -> Post:
        return self._posts[row]

    def key_at(self, row: int) -> ItemKey:
        return self._row_keys[row]

    def text_at(self, row: int) -> PostText | None:
        return self._texts.get(self._posts[row].uri)

    def contains(self, key: ItemKey) -> bool:
        """The item is here: a row, or a cross-post's member its group's row stands for."""
        return key in self._keys or (not key[1] and self.cross_posts.is_absorbed(key[0]))

    def text_of(self, post: Post) -> PostText:
        return self._texts.get(post.uri) or self._pending_texts.get(post.uri) or prepare(post)

    def posts(self) -> list[Post]:
        return list(self._posts)

    def row_of(self, key: ItemKey) -> int:
        """The row of the item ``key``, or -1."""
        if key not in self._keys:
            return -1
        return self._row_keys.index(key)

    @property
    def pending_count(self) -> int:
        return len(self._pending)

    def set_accounts(self, accounts: Mapping[str, Account]) -> None:
        """The accounts whose labels the accessible sentences name."""
        self._accounts = dict(accounts)

    # -- fetching older rows ----------------------------------------------------------------

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008, N802 - Qt API
        return not parent.isValid() and self._can_fetch and not self._is_fetching

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008, N802 - Qt API
        if not self.canFetchMore(parent):
            return
        self._is_fetching = True
        self.older_requested.emit()

    @property
    def is_fetching(self) -> bool:
        return self._is_fetching

    def set_can_fetch(self, can_fetch: bool) -> None:
        """Whether more rows may come from below (cache or network)."""
        self._can_fetch = can_fetch

    def finish_fetch(self, has_more: bool) -> None:
        self._is_fetching = False
        self._can_fetch = has_more

    # -- adding -----------------------------------------------------------------------------

    def add(
        self,
        posts: Iterable[Post],
        texts: Mapping[str, PostText],
        *,
        hold_newer_than: int | None = None,
    ) -> int:
        """Merge ``posts`` in; returns how many rows were inserted.

        With ``hold_newer_than`` (the row the user is reading), new items that would land
        above that row wait in ``pending`` instead; known items are updated in place."""
        now: list[Post] = []
        held = False
        limit = None
        if hold_newer_than is not None and self._posts:
            row = min(max(hold_newer_than, 0), len(self._posts) - 1)
            limit = order_key(self._posts[row])
        for post in posts:
            key = item_key(post)
            if key in self._pending:
                self._pending[key] = merge((self._pending[key],), (post,)).posts[0]
                self._pending_texts[post.uri] = texts.get(post.uri) or prepare(post)
                held = True
            elif limit is not None and not self.contains(key) and order_key(post) < limit:
                self._pending[key] = post
                self._pending_texts[post.uri] = texts.get(post.uri) or prepare(post)
                held = True
            else:
                now.append(post)
        inserted = self._merge_in(now, texts)
        if held:
            self.pending_changed.emit(len(self._pending))
        return inserted

    def add_now(self, posts: Iterable[Post], texts: Mapping[str, PostText]) -> int:
        """Merge ``posts`` in at once, even above the row being read (the user's own posts,
        just published); one of them already held behind the "new posts" bar comes out."""
        posts = list(posts)
        held = [key for key in map(item_key, posts) if key in self._pending]
        for key in held:
            post = self._pending.pop(key)
            self._pending_texts.pop(post.uri, None)
        inserted = self._merge_in(posts, texts)
        if held:
            self.pending_changed.emit(len(self._pending))
        return inserted

    def show_pending(self) -> int:
        """Bring the held-back items in (then unload the oldest rows beyond ``max_rows``)."""
        if not self._pending:
            return 0
        posts, texts = list(self._pending.values()), dict(self._pending_texts)
        self._pending.clear()
        self._pending_texts.clear()
        inserted = self._merge_in(posts, texts)
        self.pending_changed.emit(0)
        self.unload_beyond(self.max_rows)
        return inserted

    def update_post(self, post: Post, text: PostText | None = None) -> bool:
        """Replace the item with ``post``'s key in place (an action's result)."""
        row = self.row_of(item_key(post))
        if row < 0:
            lead = self.cross_posts.update(post)
            if lead is not None:
                self._group_changed({lead})
            return lead is not None
        self._posts[row] = post
        if text is not None:
            self._texts[post.uri] = text
        index = self.index(row)
        self.dataChanged.emit(index, index, list(CHANGING_ROLES))
        return True

    def note_reply(self, uri: str) -> int:
        """A reply to the post ``uri`` was published from here: its rows count one more reply
        at once (the next refresh brings the server's count). Returns how many rows."""
        rows = [row for row, post in enumerate(self._posts) if post.uri == uri]
        for row in rows:
            post = self._posts[row]
            self.update_post(replace(post, reply_count=post.reply_count + 1))
        return len(rows)

    def _merge_in(self, posts: Sequence[Post], texts: Mapping[str, PostText]) -> int:
        if not posts:
            return 0
        for post in posts:
            text = texts.get(post.uri)
            if text is not None or post.uri not in self._texts:
                self._texts[post.uri] = text or prepare(post)
        posts, grown = self.cross_posts.take(posts)
        inserted = 0
        if posts:
            result = self._outside(posts) or merge(self._posts, posts)
            self._apply(result)
            inserted = len(result.inserted)
        self._group_changed(grown)
        return inserted

    def _outside(self, posts: Sequence[Post]) -> MergeResult | None:
        """The merge when every item is new and all of them go above the first row or below
        the last one (the "new posts" bar, a page of older posts): sorting ``posts`` is enough,
        without ``merge``'s search for each item among thousands of rows."""
        keys = {item_key(post) for post in posts}
        if len(keys) != len(posts) or not keys.isdisjoint(self._keys):
            return None
        ordered = sorted(posts, key=order_key)
        if not self._posts or order_key(ordered[-1]) < order_key(self._posts[0]):
            return MergeResult((*ordered, *self._posts), tuple(range(len(ordered))))
        if order_key(ordered[0]) > order_key(self._posts[-1]):
            start = len(self._posts)
            return MergeResult((*self._posts, *ordered), tuple(range(start, start + len(ordered))))
        return None

    def _apply(self, result: MergeResult) -> None:
        merged = result.posts
        for first, last in result.insert_runs():  # ascending: each run lands where it ends up
            self.beginInsertRows(QModelIndex(), first, last)
            run = merged[first : last + 1]
            keys = [item_key(post) for post in run]
            self._posts[first:first] = run
            self._row_keys[first:first] = keys
            self._keys.update(keys)
            self.endInsertRows()
        for row in result.updated:  # numbered in ``merged``, as the list now is
            self._posts[row] = merged[row]
        for first, last in _runs(result.updated):
            self.dataChanged.emit(self.index(first), self.index(last), list(CHANGING_ROLES))

    # -- cross-posts ------------------------------------------------------------------------

    @property
    def grouping(self) -> bool:
        return self.cross_posts.enabled

    def set_cross_posts(self, groups: Mapping[str, tuple[str, str]]) -> None:
        """Posts known to come from one submission (uri -> (group, account)): while grouping
        is on, each group present becomes one row (its first row stays, the others go)."""
        self.cross_posts.learn(groups)
        self._collapse()

    def set_grouping(self, on: bool) -> None:
        """One row per cross-post (on), or one row per post (off)."""
        if on == self.cross_posts.enabled:
            return
        if on:
            self.cross_posts.enabled = True
            self._collapse()
            return
        posts, leads = self.cross_posts.release_all()
        self.cross_posts.enabled = False
        if posts:
            self._apply(merge(self._posts, posts))
        self._group_changed(leads)

    def _collapse(self) -> None:
        remove, grown = self.cross_posts.absorb_rows(self._posts)
        for row in reversed(remove):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._posts[row]
            self._keys.discard(self._row_keys.pop(row))
            self.endRemoveRows()
        self._group_changed(grown)

    def _group_changed(self, uris: Iterable[str]) -> None:
        for uri in uris:
            row = self.row_of((uri, ""))
            if row >= 0:
                index = self.index(row)
                self.dataChanged.emit(index, index, list(GROUP_ROLES))

    # -- removing ---------------------------------------------------------------------------

    def unload_beyond(self, max_rows: int) -> int:
        """Drop the oldest rows past ``max_rows`` from memory; returns how many."""
        extra = len(self._posts) - max_rows
        if extra <= 0:
            return 0
        self.beginRemoveRows(QModelIndex(), max_rows, len(self._posts) - 1)
        gone = self._posts[max_rows:]
        del self._posts[max_rows:]
        self._keys.difference_update(self._row_keys[max_rows:])
        del self._row_keys[max_rows:]
        self.endRemoveRows()
        kept = {post.uri for post in self._posts}
        for post in gone:
            if post.uri not in kept:
                self._texts.pop(post.uri, None)
        for uri in self.cross_posts.forget_rows({post.uri for post in gone}):
            if uri not in kept:
                self._texts.pop(uri, None)
        self._can_fetch = True  # they can be read back from the cache
        self.rows_unloaded.emit(extra)
        return extra

    def clear(self) -> None:
        self.beginResetModel()
        self._posts.clear()
        self._row_keys.clear()
        self._keys.clear()
        self._texts.clear()
        self._pending.clear()
        self._pending_texts.clear()
        self.cross_posts.clear()
        self._is_fetching = False
        self._can_fetch = False
        self.endResetModel()
        self.pending_changed.emit(0)


def _runs(rows: Iterable[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs
