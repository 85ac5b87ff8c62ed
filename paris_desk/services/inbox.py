"""The inbox: notifications of every account, merged, grouped, triaged and answered in place.

Blocking and Qt-free: the GUI runs these methods on its worker pool, the CLI calls them
directly. Each reading method fans out to the accounts in parallel on the process's network
pool (the Desk's ``executors``: one round trip for ten accounts), stores what arrived
(``store.inbox``), and returns an ``InboxSnapshot`` built from the store: groups newest first
(``core.notifications.group``) with their read and handled state.
One account failing is reported in ``snapshot.failures`` and never stops the others.

Pagination: each account has its own cursor towards older notifications. ``refresh`` reads only
what is newer than the newest notification held (``Channel.notifications(newer_than=...)``: one
request per account when nothing is new), at the network's largest page (``MAX_PAGE``), with the
server's read watermark (``Page.read_until``); ``load_older`` reads one more page of every
account that has more. Decoded notifications are kept, so a snapshot decodes from the store only
what this service has not seen. Read state on the servers is a watermark (Mastodon's
notifications marker, Bluesky's ``seenAt``): ``mark_seen`` reads one item and moves it only over
what was seen; ``mark_read`` ("mark all as read") moves it to the newest notification stored
for each account shown.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Protocol, TypeVar

from paris_desk.core import mentions
from paris_desk.core.channel import Channel, SupportsModeration
from paris_desk.core.errors import ParisDeskError, Rejected
from paris_desk.core.model import (
    Account,
    Author,
    Network,
    Notification,
    Post,
    Thread,
)
from paris_desk.core.notifications import NotificationGroup, group
from paris_desk.services.audit import AuditTrail, record
from paris_desk.services.executors import Executors, fan_out
from paris_desk.store.inbox import Assigned, Handled, Handling, InboxStore, ItemKey

log = logging.getLogger(__name__)

T = TypeVar("T")

PAGE_SIZE = 40
MAX_PAGE = {Network.MASTODON: 80, Network.BLUESKY: 100}  # the servers' caps for notifications
REFRESH_MAX_PAGES = 5  # newer than that and older pages continue from there
# A refresh over what is held asks first for this many: what is new is usually a few, and
# Bluesky (no "newer than" on the server) would send and decode a whole page (about 15 ms of CPU
# for 100) only for the client to cut it. A full first answer goes on at the maximum size.
REFRESH_PROBE = 25
WINDOW = 200  # notifications per account in a snapshot, before "load older"


class AccountSource(Protocol):
    """What the inbox needs from ``AccountService``."""

    def get(self, account_id: str) -> Account: ...

    def channel(self, account_id: str) -> Channel: ...


@dataclass(frozen=True, slots=True)
class InboxItem:
    """One inbox row: a group of notifications with its read and handled state."""

    group: NotificationGroup
    unread: bool
    handled: Handled | None = None
    assigned: Assigned | None = None  # team mode: the member who takes care of it

    @property
    def key(self) -> tuple[str, str, str]:
        return self.group.key

    @property
    def account_id(self) -> str:
        return self.group.account_id

    @property
    def latest(self) -> Notification:
        return self.group.latest

    @property
    def post(self) -> Post | None:
        return self.group.latest.post

    @property
    def keys(self) -> tuple[ItemKey, ...]:
        return tuple((n.account_id, n.id) for n in self.group.notifications)

    @property
    def to_handle(self) -> bool:
        """"À traiter": a mention, reply or quote nobody has answered or dismissed yet."""
        return self.group.needs_action and self.handled is None


@dataclass(frozen=True, slots=True)
class InboxCounts:
    unread: int = 0
    to_handle: int = 0
    by_account: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # (unread, to_handle)


@dataclass(frozen=True, slots=True)
class InboxSnapshot:
    items: tuple[InboxItem, ...]
    failures: Mapping[str, ParisDeskError] = field(default_factory=dict)
    has_older: bool = False

    @property
    def counts(self) -> InboxCounts:
        return counts_of(self.items)


def counts_of(items: Iterable[InboxItem]) -> InboxCounts:
    by_account: dict[str, tuple[int, int]] = {}
    unread = to_handle = 0
    for item in items:
        u, t = by_account.get(item.account_id, (0, 0))
        by_account[item.account_id] = (u + item.unread, t + item.to_handle)
        unread += item.unread
        to_handle += item.to_handle
    return InboxCounts(unread, to_handle, by_account)


def reply_prefix(item: InboxItem, account: Account) -> str:
    """What the reply box starts with: the author as a real mention (``@handle`` on Bluesky,
    ``@user@domain`` on Mastodon, where the other people of the post follow, as Mastodon's
    apps write it), never the answering account itself (``core.mentions``)."""
    latest = item.latest
    post = item.post or Post(uri="", native_id="", network=latest.network, author=latest.author,
                             created_at=latest.created_at)
    return mentions.reply_text(post, account.handle)


class InboxService:
    def __init__(self, accounts: AccountSource, store: InboxStore, *,
                 page_size: int = PAGE_SIZE, executors: Executors | None = None,
                 tz: tzinfo = UTC, clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 audit: AuditTrail | None = None) -> None:
        self._accounts = accounts
        self._audit = audit  # team mode: mute, block and report go to the team's audit log
        self._store = store
        self._page_size = page_size
        self._executors = executors  # the process's network pool (the Desk's)
        self._tz = tz
        self._clock = clock
        self._lock = threading.Lock()
        self._account_locks: dict[str, threading.Lock] = {}
        self._seen_locks: dict[str, threading.Lock] = {}
        self._cursors: dict[str, str | None] = {}  # absent: not read yet; None: the end
        self._window: dict[str, int] = {}
        self._memory: dict[ItemKey, Notification] = {}  # decoded copies of stored notifications
        self._newest: dict[str, Notification] = {}  # per account: the newest one held
        self._watermarks: dict[str, datetime] = {}  # per account: the read_until applied

    # -- reading -----------------------------------------------------------------------------
    def snapshot(self, account_ids: Sequence[str],
                 failures: Mapping[str, ParisDeskError] | None = None) -> InboxSnapshot:
        """What the store holds for ``account_ids`` (no network): the inbox at start-up."""
        notifications: list[Notification] = []
        with self._lock:
            known = dict(self._memory)
        for account_id in dict.fromkeys(account_ids):
            window = max(self._window.get(account_id, 0), WINDOW)
            notifications += self._store.load([account_id], window, known)
        with self._lock:  # keep what is shown decoded for the next snapshot
            self._memory = {(n.account_id, n.id): n for n in notifications}
        handled = self._store.handled(account_ids)
        assigned = self._store.assignments(account_ids)
        items = tuple(_item(g, handled, assigned)
                      for g in group(notifications, tz=self._tz))
        with self._lock:
            older = any(self._cursors.get(a, "") is not None for a in account_ids)
        return InboxSnapshot(items, dict(failures or {}), older)

    def refresh(self, account_ids: Sequence[str]) -> InboxSnapshot:
        """Fetch what is new on every account (in parallel), then the snapshot."""
        _, failures = self._each(account_ids, self._refresh_one)
        return self.snapshot(account_ids, failures)

    def load_older(self, account_ids: Sequence[str]) -> InboxSnapshot:
        """One more page of older notifications for every account that has more."""
        _, failures = self._each(account_ids, self._older_one)
        return self.snapshot(account_ids, failures)

    def load(self, account_ids: Sequence[str], per_account: int) -> InboxSnapshot:
        """Read each account's newest ``per_account`` notifications (or all it has), page after
        page, the accounts in parallel: the CLI, and the bench."""
        _, failures = self._each(account_ids, lambda a: self._load_one(a, per_account))
        return self.snapshot(account_ids, failures)

    def thread(self, account_id: str, post: Post) -> Thread:
        """The conversation around ``post`` as ``account_id`` sees it."""
        return self._accounts.channel(account_id).thread(post)

    # -- read state --------------------------------------------------------------------------
    def mark_read(self, account_ids: Sequence[str]) -> dict[str, ParisDeskError]:
        """Mark read on the servers everything stored for ``account_ids`` (the accounts shown);
        returns the failures by account."""
        _, failures = self._each(account_ids, self._mark_read_one)
        return failures

    def mark_seen(self, item: InboxItem) -> None:
        """The user looked at ``item``: it is read here, and the servers' watermark moves up to
        the newest notification below which everything was seen (``InboxStore.seen_until``),
        never past a notification nobody looked at."""
        self._store.set_unread(item.keys, False)
        # One account's pushes go one at a time, each reckoned after the previous one landed:
        # a person reads several items a second, and two pushes in flight at once could reach
        # the server in the other order and move its watermark back below what was seen.
        with self._seen_lock(item.account_id):
            with self._lock:
                complete = self._cursors.get(item.account_id, "") is None
            until = self._store.seen_until(item.account_id, complete=complete)
            if until is not None:
                self._accounts.channel(item.account_id).mark_notifications_read(until)
                self._store.mark_read_until(item.account_id, until)

    def set_unread(self, item: InboxItem, unread: bool) -> None:
        """Keep ``item`` unread, or read, here whatever the server says (key ``u``)."""
        self._store.set_unread(item.keys, unread)

    # -- triage ------------------------------------------------------------------------------
    def set_handled(self, item: InboxItem, handled: bool) -> Handled | None:
        """Dismiss ``item`` (key ``e``), or put it back "à traiter"."""
        if not handled:
            self._store.clear_handled(item.keys)
            return None
        mark = Handled(Handling.DISMISSED, self._clock())
        self._store.set_handled(item.keys, mark.how, mark.at)
        return mark

    def mark_answered(self, item: InboxItem, reply: Post) -> Handled:
        """``reply`` (published through the outbox) answers ``item``."""
        mark = Handled(Handling.ANSWERED, reply.created_at, reply.uri)
        self._store.set_handled(item.keys, mark.how, mark.at, mark.reply_uri)
        log.info("%s answered %s", item.account_id, item.latest.id)
        return mark

    def note_thread(self, item: InboxItem, thread: Thread) -> Handled | None:
        """When ``thread`` shows that the account already answered ``item`` (from another app),
        mark it answered; returns the new state, or None when nothing changed."""
        if not item.to_handle or item.post is None:
            return None
        account = self._accounts.get(item.account_id)
        for reply in thread.replies:
            if reply.reply_to_uri == item.post.uri and _is_account(reply.author, account):
                mark = Handled(Handling.ANSWERED, reply.created_at, reply.uri)
                self._store.set_handled(item.keys, mark.how, mark.at, mark.reply_uri)
                return mark
        return None

    # -- acting on authors (on posts: ``Desk.react``, as the timeline does) -------------------
    def mute(self, account_id: str, author: Author, on: bool = True) -> None:
        """Mute (or unmute) ``author`` for ``account_id``; their stored notifications go."""
        moderator = self._moderator(account_id)
        (moderator.mute if on else moderator.unmute)(author)
        record(self._audit, "mute", account=account_id, url=author.url or author.handle,
               detail="" if on else "undone")
        if on:
            self._forget_author(account_id, author)

    def block(self, account_id: str, author: Author, on: bool = True) -> None:
        """Block (or unblock) ``author`` for ``account_id``; their stored notifications go."""
        moderator = self._moderator(account_id)
        (moderator.block if on else moderator.unblock)(author)
        record(self._audit, "block", account=account_id, url=author.url or author.handle,
               detail="" if on else "undone")
        if on:
            self._forget_author(account_id, author)

    def report(self, account_id: str, post: Post, reason: str, comment: str) -> None:
        self._moderator(account_id).report(post, reason, comment)
        record(self._audit, "report", account=account_id, url=post.url or post.uri,
               detail=reason)

    def supports_moderation(self, account_id: str) -> bool:
        return isinstance(self._accounts.channel(account_id), SupportsModeration)

    # -- internals ---------------------------------------------------------------------------
    def _forget_author(self, account_id: str, author: Author) -> None:
        stored = self._store.load([account_id])
        self._store.delete(account_id, [n.id for n in stored if _same_person(n.author, author)])

    def _moderator(self, account_id: str) -> SupportsModeration:
        channel = self._accounts.channel(account_id)
        if not isinstance(channel, SupportsModeration):
            raise Rejected("no moderation on this network", account_id=account_id)
        return channel

    def _each(self, account_ids: Sequence[str], job: Callable[[str], T]
              ) -> tuple[dict[str, T], dict[str, ParisDeskError]]:
        ids = list(dict.fromkeys(account_ids))
        results: dict[str, T] = {}
        failures: dict[str, ParisDeskError] = {}
        if not ids:
            return results, failures
        for account_id, future in zip(ids, fan_out(self._executors, job, ids), strict=True):
            try:
                results[account_id] = future.result()
            except ParisDeskError as exc:
                log.info("inbox: %s failed: %s", account_id, type(exc).__name__)
                failures[account_id] = exc
        return results, failures

    def _account_lock(self, account_id: str) -> threading.Lock:
        with self._lock:
            return self._account_locks.setdefault(account_id, threading.Lock())

    def _seen_lock(self, account_id: str) -> threading.Lock:
        """Held while one account's read watermark is reckoned and pushed (not while it
        refreshes: reading an item does not wait for a page of notifications)."""
        with self._lock:
            return self._seen_locks.setdefault(account_id, threading.Lock())

    def _fetch(self, account_id: str, cursor: str | None, limit: int,
               newer_than: Notification | None = None) -> tuple[int, int, str | None]:
        """One page stored; returns (how many came, how many were new, the next cursor)."""
        page = self._accounts.channel(account_id).notifications(cursor, limit=limit,
                                                                newer_than=newer_than)
        known = self._store.known(account_id, [n.id for n in page.items])
        if page.items:  # nothing new: no write transaction (and no prune) for this account
            self._store.save(account_id, page.items)
        with self._lock:
            self._memory.update(((account_id, n.id), n) for n in page.items)
            held = self._newest.get(account_id)
            for n in page.items:
                if held is None or _order(n) > _order(held):
                    held = n
            if held is not None:
                self._newest[account_id] = held
            moved = page.read_until is not None and (
                account_id not in self._watermarks
                or page.read_until > self._watermarks[account_id])
            if moved:
                self._watermarks[account_id] = page.read_until  # type: ignore[assignment]
        read = [n for n in page.items if not n.unread]
        if page.read_until is not None:  # the server's watermark, even with nothing new
            if moved:  # written once per move, not at every refresh
                self._store.mark_read_at(account_id, page.read_until)
        elif read:  # the servers' read state is a watermark: older ones are read too
            self._store.mark_read_until(account_id, max(read, key=lambda n: n.created_at))
        return len(page.items), len(page.items) - len(known), page.cursor

    def _newest_held(self, account_id: str) -> Notification | None:
        """The newest notification stored for ``account_id``, decoded once per service."""
        with self._lock:
            if account_id in self._newest:
                return self._newest[account_id]
        newest = self._store.newest(account_id)
        with self._lock:
            if newest is not None:
                self._newest.setdefault(account_id, newest)
            return self._newest.get(account_id)

    def _max_page(self, account_id: str) -> int:
        network = self._accounts.channel(account_id).account.network
        return MAX_PAGE.get(network, self._page_size)

    def _refresh_one(self, account_id: str) -> None:
        """Only what is newer than the newest notification held (one request per account when
        nothing is new: ``REFRESH_PROBE`` first, then pages at the network's maximum size);
        with nothing held, one page of the maximum size."""
        with self._account_lock(account_id):
            held = self._newest_held(account_id)
            limit = self._max_page(account_id)
            asked = min(limit, REFRESH_PROBE) if held is not None else limit
            cursor: str | None = None
            added = count = 0
            for _ in range(REFRESH_MAX_PAGES if held is not None else 1):
                count, new, cursor = self._fetch(account_id, cursor, asked, held)
                added += new
                if count < asked or cursor is None:
                    break
                asked = limit
            if held is None:
                self._advance(account_id, cursor, added, restart=False)
            else:  # older pages still continue below what was held, unless a gap remains
                gap = count == asked and cursor is not None
                self._advance(account_id, cursor, added, restart=gap, cursor_known=gap)

    def _older_one(self, account_id: str) -> None:
        with self._lock:
            started = account_id in self._cursors
            cursor = self._cursors.get(account_id)
        if not started:  # no cursor yet (what is held came from the store): the newest page
            with self._account_lock(account_id):
                count, _, after = self._fetch(account_id, None, self._max_page(account_id))
                self._advance(account_id, after, count, restart=True)
        elif cursor is not None:
            with self._account_lock(account_id):
                count, _, after = self._fetch(account_id, cursor, self._max_page(account_id))
                self._advance(account_id, after, count, restart=True)

    def _load_one(self, account_id: str, per_account: int) -> None:
        biggest = MAX_PAGE.get(self._accounts.channel(account_id).account.network, PAGE_SIZE)
        with self._account_lock(account_id):
            cursor: str | None = None
            fetched = 0
            while fetched < per_account:
                count, _, cursor = self._fetch(account_id, cursor,
                                               min(biggest, per_account - fetched))
                fetched += count
                if cursor is None or count == 0:
                    break
            self._advance(account_id, cursor, fetched, restart=True)

    def _advance(self, account_id: str, cursor: str | None, shown: int, *, restart: bool,
                 cursor_known: bool = True) -> None:
        """Record where older pages continue (``restart``: from ``cursor``, else only if this
        account had no cursor yet; ``cursor_known`` False: an incremental read, whose cursor
        says nothing about older pages) and widen the snapshot by ``shown`` notifications."""
        with self._lock:
            if restart or (cursor_known and account_id not in self._cursors):
                self._cursors[account_id] = cursor
            self._window[account_id] = max(self._window.get(account_id, 0), WINDOW) + shown

    def _mark_read_one(self, account_id: str) -> None:
        if not self._store.has_server_unread(account_id):
            return
        newest = self._store.newest(account_id)
        if newest is None:
            return
        self._accounts.channel(account_id).mark_notifications_read(newest)
        self._store.mark_read_until(account_id, newest)


def _order(n: Notification) -> tuple[datetime, int, str]:
    return (n.created_at, len(n.id), n.id)


def _item(g: NotificationGroup, handled: Mapping[ItemKey, Handled],
          assigned: Mapping[ItemKey, Assigned] | None = None) -> InboxItem:
    key = (g.account_id, g.latest.id)
    mark = handled.get(key) if g.needs_action else None
    return InboxItem(g, g.unread, mark, (assigned or {}).get(key))


def _same_person(a: Author, b: Author) -> bool:
    if a.user_id and b.user_id:
        return a.user_id == b.user_id
    return a.handle.lower().lstrip("@") == b.handle.lower().lstrip("@")


def _is_account(author: Author, account: Account) -> bool:
    if account.user_id and author.user_id == account.user_id:
        return True
    return author.handle.lower().lstrip("@") == account.handle.lower().lstrip("@")
