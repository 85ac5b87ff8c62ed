"""The inbox rows (groups of notifications of every account) and the filters over them.

``InboxModel`` holds the ``InboxItem``s by key plus a row cache of the words the delegate and
screen readers use, built on first ``data()`` and dropped when the item changes. A new snapshot
is applied as removals, insertions in runs and ``dataChanged`` for what changed, so the row the
user is on stays selected across refreshes. Older pages come through ``fetchMore`` (guarded by
``_is_fetching``): the model asks (``older_requested``), whoever loads calls ``finish_fetch``.

``InboxFilterModel`` filters by account, kind, unread only and "à traiter" (to handle), and
keeps the choice in the ``QSettings`` it is given. It also applies the keyword filters
(``core.filters``, issue 15): an item a ``hide`` filter matches is left out and counted
(``hidden_changed``) unless ``show_hidden``; one a ``warn`` filter matches shows "Filtré : mot"
instead of its excerpt until the user opens it.
"""

from __future__ import annotations

import bisect
import enum
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QCoreApplication,
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)

from paris_desk.core.filters import Matcher, Verdict
from paris_desk.core.model import Account, NotificationKind
from paris_desk.core.notifications import GroupKey
from paris_desk.services.inbox import InboxItem
from paris_desk.ui.timeline.post_text import account_name, clean, relative_time, spoken_time

_Index = QModelIndex | QPersistentModelIndex
translate = QCoreApplication.translate
EXCERPT_CHARS = 280


class InboxRole(enum.IntEnum):
    ITEM = Qt.ItemDataRole.UserRole + 1
    KEY = enum.auto()
    ACCOUNT_ID = enum.auto()
    KIND = enum.auto()  # NotificationKind value
    UNREAD = enum.auto()
    TO_HANDLE = enum.auto()
    HANDLED = enum.auto()  # "", "answered", "dismissed"
    SUMMARY = enum.auto()  # "Marie and 11 others liked your post"
    EXCERPT = enum.auto()  # the post's text, cut
    TIME_TEXT = enum.auto()
    ACCOUNT_NAME = enum.auto()
    ACCOUNT_COLOR = enum.auto()
    NETWORK = enum.auto()
    AVATAR_URL = enum.auto()
    TEAM = enum.auto()  # team mode: "Assigned to marie · Handled by marie at 10:42"


class InboxWords(QObject):
    """The sentences of the inbox rows. A QObject, used as is (never subclassed), so that its
    ``tr(…, "", n)`` plurals are seen by ``pyside6-lupdate`` (it misses them in
    ``QCoreApplication.translate`` calls)."""

    def summary(self, kind: NotificationKind, name: str, others: int) -> str:
        if kind is NotificationKind.LIKE:
            if others:
                return self.tr("{name} and %n other(s) liked your post", "", others).format(
                    name=name)
            return self.tr("{name} liked your post").format(name=name)
        if kind is NotificationKind.REPOST:
            if others:
                return self.tr("{name} and %n other(s) shared your post", "", others).format(
                    name=name)
            return self.tr("{name} shared your post").format(name=name)
        if kind is NotificationKind.FOLLOW:
            if others:
                return self.tr("{name} and %n other(s) followed you", "", others).format(
                    name=name)
            return self.tr("{name} followed you").format(name=name)
        sentences = {
            NotificationKind.MENTION: self.tr("{name} mentioned you"),
            NotificationKind.REPLY: self.tr("{name} replied to you"),
            NotificationKind.QUOTE: self.tr("{name} quoted your post"),
        }
        return sentences.get(kind, self.tr("{name}: other activity")).format(name=name)


_words: list[InboxWords] = []


def summary(item: InboxItem) -> str:
    """What happened, in one sentence: "{name} and %n other(s) liked your post"."""
    if not _words:
        _words.append(InboxWords())
    authors = item.group.authors
    name = (clean(authors[0].display_name) or authors[0].handle) if authors else "?"
    return _words[0].summary(item.group.kind, name, len(authors) - 1)


def _excerpt(item: InboxItem) -> str:
    post = item.post
    if post is None:
        return ""
    text = " ".join(clean(post.text).split())
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "…"


def _state_words(item: InboxItem) -> list[str]:
    words = []
    if item.unread:
        words.append(translate("InboxModel", "Unread."))
    if item.to_handle:
        words.append(translate("InboxModel", "To handle."))
    elif item.handled is not None:
        words.append(translate("InboxModel", "Answered.") if item.handled.how == "answered"
                     else translate("InboxModel", "Dismissed."))
    team = team_text(item)
    if team:
        words.append(team + ".")
    return words


def team_text(item: InboxItem, now: datetime | None = None) -> str:
    """Team mode: who takes care of the item, who handled it and when ("Assigned to marie ·
    Handled by marie at 10:42"); "" on a lone profile."""
    parts = []
    if item.assigned is not None:
        parts.append(translate("InboxModel", "Assigned to {name}").format(name=item.assigned.to))
    handled = item.handled
    if handled is not None and handled.by:
        local = handled.at.astimezone()
        today = (now or datetime.now(UTC)).astimezone().date() == local.date()
        moment = QDateTime.fromSecsSinceEpoch(int(handled.at.timestamp()))
        if today:
            parts.append(translate("InboxModel", "Handled by {name} at {time}").format(
                name=handled.by, time=QLocale().toString(moment.time(),
                                                         QLocale.FormatType.ShortFormat)))
        else:
            parts.append(translate("InboxModel", "Handled by {name} on {date}").format(
                name=handled.by, date=QLocale().toString(moment,
                                                         QLocale.FormatType.ShortFormat)))
    return " · ".join(parts)


def accessible_text(item: InboxItem, account: str, now: datetime) -> str:
    """The sentence a screen reader says for one inbox row."""
    head = translate("InboxModel", "{summary}, for {account}, {time}.").format(
        summary=summary(item), account=account, time=spoken_time(item.latest.created_at, now))
    return " ".join(part for part in (head, _excerpt(item), *_state_words(item)) if part)


class InboxModel(QAbstractListModel):
    older_requested = Signal()  # fetchMore: load older pages, then finish_fetch()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._keys: list[GroupKey] = []
        self._items: dict[GroupKey, InboxItem] = {}
        self._rows: dict[GroupKey, dict[int, Any]] = {}  # row cache
        self._accounts: dict[str, Account] = {}
        self._has_older = False
        self._is_fetching = False

    # -- Qt API ------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._keys)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.model() is not self or index.row() >= len(self._keys):
            return None
        key = self._keys[index.row()]
        row = self._rows.get(key)
        if row is None:
            row = self._rows[key] = self._build_row(self._items[key])
        return row.get(role)

    def roleNames(self) -> dict[int, QByteArray]:  # noqa: N802 - Qt API
        names = super().roleNames()
        names.update({int(r): QByteArray(r.name.lower().encode()) for r in InboxRole})
        return names

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008, N802 - Qt API
        return not parent.isValid() and self._has_older and not self._is_fetching

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008, N802 - Qt API
        if self.canFetchMore(parent):
            self._is_fetching = True
            self.older_requested.emit()

    def finish_fetch(self, has_older: bool) -> None:
        self._is_fetching = False
        self._has_older = has_older

    # -- reading -----------------------------------------------------------------------------
    def item_at(self, row: int) -> InboxItem:
        return self._items[self._keys[row]]

    def items(self) -> list[InboxItem]:
        return [self._items[k] for k in self._keys]

    def row_of(self, key: GroupKey) -> int:
        try:
            return self._keys.index(key)
        except ValueError:
            return -1

    def accounts(self) -> dict[str, Account]:
        return dict(self._accounts)

    # -- changing ----------------------------------------------------------------------------
    def set_accounts(self, accounts: Iterable[Account]) -> None:
        self._accounts = {a.id: a for a in accounts}
        self._rows.clear()
        if self._keys:
            self.dataChanged.emit(self.index(0), self.index(len(self._keys) - 1))

    def set_items(self, items: Sequence[InboxItem], has_older: bool | None = None) -> None:
        """Show ``items`` (newest first), changing only the rows that differ."""
        if has_older is not None:
            self._has_older = has_older
        new_keys = [i.key for i in items]
        fresh = {i.key: i for i in items}
        old_pos = {k: r for r, k in enumerate(self._keys)}
        keep = set(_in_order([k for k in new_keys if k in old_pos], old_pos))
        changed = {k for k in keep if self._items[k] != fresh[k]}
        self._items.update(fresh)
        self._remove_rows([r for r, k in enumerate(self._keys) if k not in keep])
        self._insert_rows(new_keys, keep)
        self._items = fresh
        for key in changed | (set(self._rows) - set(fresh)):
            self._rows.pop(key, None)
        self._emit_changed(sorted(r for r, k in enumerate(self._keys) if k in changed))

    def update_item(self, item: InboxItem) -> None:
        """One item changed (read, handled…): repaint its row."""
        row = self.row_of(item.key)
        if row < 0:
            return
        self._items[item.key] = item
        self._rows.pop(item.key, None)
        self.dataChanged.emit(self.index(row), self.index(row))

    # -- internals ---------------------------------------------------------------------------
    def _remove_rows(self, rows: list[int]) -> None:
        for start, end in reversed(_runs(rows)):
            self.beginRemoveRows(QModelIndex(), start, end)
            del self._keys[start:end + 1]
            self.endRemoveRows()

    def _insert_rows(self, new_keys: list[GroupKey], keep: set[GroupKey]) -> None:
        i = 0
        while i < len(new_keys):  # invariant: self._keys[:i] == new_keys[:i]
            if new_keys[i] in keep:
                i += 1
                continue
            j = i
            while j < len(new_keys) and new_keys[j] not in keep:
                j += 1
            self.beginInsertRows(QModelIndex(), i, j - 1)  # the last row is inclusive
            self._keys[i:i] = new_keys[i:j]
            self.endInsertRows()
            i = j

    def _emit_changed(self, rows: list[int]) -> None:
        for start, end in _runs(rows):
            self.dataChanged.emit(self.index(start), self.index(end))

    def _build_row(self, item: InboxItem) -> dict[int, Any]:
        account = self._accounts.get(item.account_id)
        name = account_name(item.account_id, self._accounts)
        now = datetime.now(UTC)
        text = summary(item)
        excerpt = _excerpt(item)
        author = item.group.authors[0] if item.group.authors else item.latest.author
        return {
            Qt.ItemDataRole.DisplayRole: text,
            Qt.ItemDataRole.ToolTipRole: excerpt or text,
            Qt.ItemDataRole.AccessibleTextRole: accessible_text(item, name, now),
            InboxRole.ITEM: item,
            InboxRole.KEY: item.key,
            InboxRole.ACCOUNT_ID: item.account_id,
            InboxRole.KIND: item.group.kind.value,
            InboxRole.UNREAD: item.unread,
            InboxRole.TO_HANDLE: item.to_handle,
            InboxRole.HANDLED: item.handled.how.value if item.handled else "",
            InboxRole.SUMMARY: text,
            InboxRole.EXCERPT: excerpt,
            InboxRole.TIME_TEXT: relative_time(item.latest.created_at, now),
            InboxRole.ACCOUNT_NAME: name,
            InboxRole.ACCOUNT_COLOR: account.color if account else "#888888",
            InboxRole.NETWORK: item.latest.network.value,
            InboxRole.AVATAR_URL: author.avatar_url,
            InboxRole.TEAM: team_text(item, now),
        }


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers → contiguous (first, last) ranges."""
    out: list[tuple[int, int]] = []
    for row in rows:
        if out and out[-1][1] == row - 1:
            out[-1] = (out[-1][0], row)
        else:
            out.append((row, row))
    return out


def _in_order(keys: list[GroupKey], old_pos: Mapping[GroupKey, int]) -> list[GroupKey]:
    """The longest run of ``keys`` whose old positions increase: the rows that can stay put
    (patience sorting, O(n log n))."""
    tails: list[int] = []  # old position ending the best run of each length
    tail_at: list[int] = []  # index in ``keys`` of that ending
    back: list[int] = [-1] * len(keys)
    for i, key in enumerate(keys):
        pos = old_pos[key]
        n = bisect.bisect_left(tails, pos)
        if n == len(tails):
            tails.append(pos)
            tail_at.append(i)
        else:
            tails[n] = pos
            tail_at[n] = i
        back[i] = tail_at[n - 1] if n else -1
    out: list[GroupKey] = []
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        out.append(keys[i])
        i = back[i]
    return out[::-1]


_COVERED_ROLES = (InboxRole.EXCERPT, Qt.ItemDataRole.ToolTipRole,
                  Qt.ItemDataRole.AccessibleTextRole)


class InboxFilterModel(QSortFilterProxyModel):
    """Combinable filters; an empty account or kind set means all of them."""

    filter_changed = Signal()
    hidden_changed = Signal(int)  # how many items the keyword filters hide now
    _PREFIX = "inbox/"

    def __init__(self, settings: QSettings | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.account_ids: frozenset[str] = frozenset()
        self.kinds: frozenset[str] = frozenset()
        self.unread_only = False
        self.to_handle_only = False
        self.assigned_to = ""  # team mode, "Assigned to me": this member's name ("" = off)
        self._pinned: GroupKey | None = None
        self._matcher = Matcher([])
        self._verdicts: dict[tuple[GroupKey, str], Verdict | None] = {}
        self._opened: set[GroupKey] = set()
        self.show_hidden = False
        self.hidden_count = 0
        # Bluesky strangers' mentions wait under "Demandes" until the user accepts the sender.
        self._accepted_strangers: frozenset[tuple[str, str]] = frozenset()
        self.setDynamicSortFilter(True)
        self._restore()
        for signal in (self.rowsInserted, self.rowsRemoved, self.modelReset,
                       self.layoutChanged):
            signal.connect(self._count_hidden)

    # -- keyword filters ---------------------------------------------------------------------
    @property
    def matcher(self) -> Matcher:
        return self._matcher

    def set_matcher(self, matcher: Matcher) -> None:
        self.beginFilterChange()
        self._matcher = matcher
        self._verdicts.clear()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        self._count_hidden()

    def set_accepted_strangers(self, accepted: frozenset[tuple[str, str]]) -> None:
        """``(account_id, author_id)`` whose mentions the inbox shows (the others wait under
        "Demandes")."""
        if accepted == self._accepted_strangers:
            return
        self.beginFilterChange()
        self._accepted_strangers = accepted
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def _waiting(self, item: InboxItem) -> bool:
        """A stranger's mention not accepted yet: it is listed under "Demandes"."""
        n = item.latest
        return (n.from_stranger and item.key != self._pinned
                and (item.account_id, n.author.user_id) not in self._accepted_strangers)

    def set_show_hidden(self, show: bool) -> None:
        self._change("show_hidden", bool(show))
        self._count_hidden()

    def verdict(self, item: InboxItem) -> Verdict | None:
        """The keyword filter that matches the item's post, for its account (cached)."""
        key = (item.key, item.latest.id)
        if key not in self._verdicts:
            self._verdicts[key] = self._matcher.verdict(item.post, (item.account_id,))
        return self._verdicts[key]

    def open_item(self, key: GroupKey) -> None:
        """The user opened it: a warned item shows its excerpt from now on."""
        if key in self._opened:
            return
        self._opened.add(key)
        source = self.sourceModel()
        if isinstance(source, InboxModel):
            row = source.row_of(key)
            if row >= 0:
                index = self.mapFromSource(source.index(row, 0))
                self.dataChanged.emit(index, index, [InboxRole.EXCERPT])

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in _COVERED_ROLES and index.isValid():
            item = super().data(index, InboxRole.ITEM)
            if isinstance(item, InboxItem) and item.key not in self._opened:
                verdict = self.verdict(item)
                if verdict is not None:  # the text stays covered, for the eyes and the ears
                    line = translate("Covers", "Filtered: {word}").format(word=verdict.text)
                    if role == Qt.ItemDataRole.AccessibleTextRole:
                        return f"{summary(item)}. {line}"
                    return line
        return super().data(index, role)

    def _hidden(self, item: InboxItem) -> bool:
        verdict = self.verdict(item)
        return verdict is not None and verdict.hidden and item.key != self._pinned

    def _count_hidden(self) -> None:
        model = self.sourceModel()
        count = 0
        if isinstance(model, InboxModel):
            count = sum(self._hidden(model.item_at(row)) for row in range(model.rowCount()))
        if count != self.hidden_count:
            self.hidden_count = count
            self.hidden_changed.emit(count)

    def set_account_ids(self, ids: Iterable[str]) -> None:
        self._change("account_ids", frozenset(ids))

    def set_kinds(self, kinds: Iterable[str]) -> None:
        self._change("kinds", frozenset(kinds))

    def set_unread_only(self, on: bool) -> None:
        self._change("unread_only", bool(on))

    def set_to_handle_only(self, on: bool) -> None:
        self._change("to_handle_only", bool(on))

    def set_assigned_to(self, name: str) -> None:
        """Only the items assigned to ``name`` ("" shows them all)."""
        self._change("assigned_to", name)

    def pin(self, key: GroupKey | None) -> None:
        """Keep the item with ``key`` (the one selected) under "unread only" while it stays
        selected: selecting it has just made it read."""
        if key == self._pinned:
            return
        self._pinned = key
        if self.unread_only:  # the one pinned before may leave; not while the view is moving
            QTimer.singleShot(0, self, self._refilter)

    def _refilter(self) -> None:
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def shown_accounts(self, all_ids: Iterable[str]) -> list[str]:
        """The accounts the filter lets through, among ``all_ids``."""
        return [a for a in all_ids if not self.account_ids or a in self.account_ids]

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802 - Qt API
        model = self.sourceModel()
        if not isinstance(model, InboxModel) or source_row >= model.rowCount():
            return False
        item = model.item_at(source_row)
        return (
            (not self.account_ids or item.account_id in self.account_ids)
            and (not self.kinds or item.group.kind.value in self.kinds)
            and (not self.unread_only or item.unread or item.key == self._pinned)
            and (not self.to_handle_only or item.to_handle)
            and (not self.assigned_to
                 or (item.assigned is not None and item.assigned.to == self.assigned_to))
            and (self.show_hidden or not self._hidden(item))
            and not self._waiting(item)
        )

    def _change(self, name: str, value: Any) -> None:
        if getattr(self, name) == value:
            return
        self.beginFilterChange()
        setattr(self, name, value)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        self._save()
        self.filter_changed.emit()

    def _save(self) -> None:
        if self._settings is None:
            return
        s, p = self._settings, self._PREFIX
        s.setValue(p + "accounts", json.dumps(sorted(self.account_ids)))
        s.setValue(p + "kinds", json.dumps(sorted(self.kinds)))
        s.setValue(p + "unread_only", "1" if self.unread_only else "0")
        s.setValue(p + "to_handle_only", "1" if self.to_handle_only else "0")
        s.sync()

    def _restore(self) -> None:
        if self._settings is None:
            return
        s, p = self._settings, self._PREFIX
        self.account_ids = frozenset(_json_list(s.value(p + "accounts", "[]")))
        self.kinds = frozenset(_json_list(s.value(p + "kinds", "[]")))
        self.unread_only = str(s.value(p + "unread_only", "0")) == "1"
        self.to_handle_only = str(s.value(p + "to_handle_only", "0")) == "1"


def _json_list(raw: object) -> list[str]:
    try:
        value = json.loads(str(raw))
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []
