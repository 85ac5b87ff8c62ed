"""Home timelines of several accounts: read from the cache, refresh in parallel, page older.

Blocking and Qt-free, for worker threads (the GUI) or the CLI. Every account is fetched at the
same time on the network pool, so ten accounts refresh in about one round trip. What one
account raises ends up in ``errors_by_account``; the others still load. Posts that arrive are
written to the cache (one row per account and post) so the next start shows them before any
network call; that write runs on the process's writer thread once the round's results are
handed back (``flush()`` waits for it; reading the cache flushes first).

The pools are the process's (the Desk's ``executors``): the accounts are read on its network
pool, the cache written by its writer. A service built on its own (a test, a bench) owns no
pool: it reads the accounts in turn and writes the cache at once, in the calling thread
(``executors.fan_out``).

The first refresh of an account reads a full page (``PAGE_SIZE``), to fill the view; later
ones read a short page (``REFRESH_PAGE_SIZE``: what is decoded runs under the GIL, ten
accounts' pages one after the other; about 0.1 ms of CPU per status since Mastodon pages are
read as plain JSON, ``channels/mastodon/reads.py``). When that
page does not reach back to the newest item the previous refresh saw, the gap is fetched in the
same round (at most ``MAX_GAP_PAGES`` more pages).

Where the network can ask for "newer than" (Mastodon's ``min_id``: the page's ``Page.top``),
later refreshes are incremental: only the items newer than the newest one the last refresh saw
are read and handed out (none when nothing changed). A full page means more may wait: the
service walks up (at most ``MAX_UP_PAGES`` pages, no gap, no duplicate), then falls back to a
normal refresh. An incremental refresh hands out the older-page cursor of the last full
refresh, never one of its own.

Each post handed out carries its account in ``seen_by``; ``merged`` turns the per-account
pages into one newest-first list (``paris_desk.core.merge``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from paris_desk.core.errors import ParisDeskError, StoreError
from paris_desk.core.merge import merge_pages
from paris_desk.core.model import Page, Post, Thread
from paris_desk.services.executors import Executors, fan_out

if TYPE_CHECKING:
    from paris_desk.core.channel import Channel
    from paris_desk.services.accounts import AccountService
    from paris_desk.store.cache import PostCache

log = logging.getLogger(__name__)

PAGE_SIZE = 40  # the first refresh of an account, and older pages (scrolling down)
REFRESH_PAGE_SIZE = 20  # later refreshes (Mastodon's own default page size)
MAX_GAP_PAGES = 2
MAX_UP_PAGES = 3  # incremental refresh: pages walked up before falling back to a full one


@dataclass(frozen=True, slots=True)
class RefreshResult:
    """One round over several accounts, each key in the order the accounts were asked.

    ``posts_by_account`` and ``cursors`` hold the accounts that answered (cursor None: the
    end of that timeline); ``errors_by_account`` the others."""

    posts_by_account: dict[str, tuple[Post, ...]] = field(default_factory=dict)
    errors_by_account: dict[str, Exception] = field(default_factory=dict)
    cursors: dict[str, str | None] = field(default_factory=dict)

    def pages(self) -> dict[str, Page[Post]]:
        """The answers as pages (for ``paris_desk.core.merge.safe_horizon``)."""
        return {
            account_id: Page(posts, self.cursors.get(account_id))
            for account_id, posts in self.posts_by_account.items()
        }

    def all_posts(self) -> list[Post]:
        return [post for posts in self.posts_by_account.values() for post in posts]


class TimelineService:
    def __init__(
        self,
        accounts: AccountService,
        cache: PostCache,
        page_size: int = PAGE_SIZE,
        refresh_page_size: int = REFRESH_PAGE_SIZE,
        executors: Executors | None = None,
    ) -> None:
        self._accounts = accounts
        self._cache = cache
        self._page_size = page_size
        self._refresh_page_size = refresh_page_size
        self._executors = executors  # the process's pools (the Desk's); None: this thread
        self._writes: list[tuple[Future[None], Callable[[], None]]] = []
        self._lock = threading.Lock()
        self._newest: dict[str, datetime] = {}  # per account: the newest item refreshed
        self._tops: dict[str, Page[Post]] = {}  # per account: top marker + older-page cursor

    def flush(self) -> None:
        """Until every post handed out so far is in the cache. A write the writer thread has
        not started is taken back and done here, in order: a read that runs on the writer
        thread itself (the window reads the cache there) never waits for its own queue."""
        with self._lock:
            writes, self._writes = self._writes, []
        for write, save in writes:
            if write.cancel():
                save()
            else:
                write.result()

    def close(self) -> None:
        """Finish the cache writes handed out; network calls in flight end on their own. The
        executors are the process's: whoever made them (the Desk) stops them."""
        self.flush()

    # -- the cache ---------------------------------------------------------------------------

    def load_cached(self, account_ids: Sequence[str], limit: int) -> list[Post]:
        """The newest ``limit`` cached items of these accounts, merged, newest first."""
        self.flush()
        return self._cache.load_recent(list(account_ids), limit)

    def load_cached_before(
        self, account_ids: Sequence[str], before: Post, limit: int
    ) -> list[Post]:
        """Cached items older than ``before`` (rows the timeline unloaded), newest first."""
        self.flush()
        return self._cache.load_before(list(account_ids), before, limit)

    # -- the network -------------------------------------------------------------------------

    def refresh(
        self, account_ids: Sequence[str], *, full: Collection[str] = ()
    ) -> RefreshResult:
        """The newest page of every account, fetched in parallel and saved to the cache: only
        what is new since the last refresh where the network allows it, except for the
        accounts in ``full`` (a view that holds nothing of them yet reads a whole page)."""
        return self._round({account_id: None for account_id in account_ids}, full=full)

    def read(self, account_ids: Sequence[str], limit: int) -> RefreshResult:
        """The newest ``limit`` items of every account, in parallel, saved to the cache: a
        one-off read (the command line) that keeps no refresh state."""

        def newest(account_id: str) -> Page[Post]:
            return self._accounts.channel(account_id).home_timeline(limit=limit)

        return self._collect(list(account_ids), newest)

    def older(
        self, account_ids: Sequence[str], cursors: Mapping[str, str | None]
    ) -> RefreshResult:
        """The next older page of each account that has a cursor (None or absent: skipped)."""
        wanted = {a: cursors[a] for a in account_ids if cursors.get(a) is not None}
        return self._round(wanted)

    @staticmethod
    def merged(
        posts_by_account: Mapping[str, Sequence[Post]] | RefreshResult, limit: int | None = None
    ) -> list[Post]:
        """One list, newest first, one item per post (``seen_by`` names every account that
        saw it; the first account in the mapping's order owns it)."""
        if isinstance(posts_by_account, RefreshResult):
            posts_by_account = posts_by_account.posts_by_account
        merged = merge_pages(posts_by_account)
        return merged if limit is None else merged[:limit]

    # -- a post's conversation (like and repost: ``services.reactions``, through the Desk) ----

    def thread(self, account_id: str, post: Post) -> Thread:
        """The conversation around ``post`` as ``account_id``'s server knows it."""
        thread = self._accounts.channel(account_id).thread(post)
        mark = (account_id,)
        return replace(
            thread,
            post=replace(thread.post, seen_by=mark),
            ancestors=tuple(replace(p, seen_by=mark) for p in thread.ancestors),
            replies=tuple(replace(p, seen_by=mark) for p in thread.replies),
        )

    def _round(
        self, cursors: Mapping[str, str | None], full: Collection[str] = ()
    ) -> RefreshResult:
        return self._collect(
            list(cursors),
            lambda account_id: self._fetch(account_id, cursors[account_id], account_id in full),
        )

    def _collect(self, ids: list[str], read: Callable[[str], Page[Post]]) -> RefreshResult:
        """``read`` every account in parallel on the network pool; save what came."""
        futures = fan_out(self._executors, read, ids)
        result = RefreshResult()
        for account_id, future in zip(ids, futures, strict=True):
            exc = future.exception()
            if exc is not None:  # one account's failure never blocks the others
                if not isinstance(exc, ParisDeskError):
                    log.error("bug while reading the timeline of %s", account_id, exc_info=exc)
                result.errors_by_account[account_id] = exc  # type: ignore[assignment]
                continue
            page = future.result()
            result.posts_by_account[account_id] = page.items
            result.cursors[account_id] = page.cursor
        self._save_later(result.posts_by_account)
        return result

    def _fetch(self, account_id: str, cursor: str | None, full: bool = False) -> Page[Post]:
        channel: Channel = self._accounts.channel(account_id)
        with self._lock:
            held = self._tops.get(account_id) if cursor is None and not full else None
        page = self._newer(channel, held) if held is not None else None
        if page is None:
            page = self._newest_page(channel, account_id, cursor, full)
        if cursor is None and page.top is not None:
            with self._lock:
                self._tops[account_id] = page
        return self._marked(account_id, page, cursor)

    def _newest_page(
        self, channel: Channel, account_id: str, cursor: str | None, full: bool = False
    ) -> Page[Post]:
        """A normal read: the page below ``cursor``, or the newest page (short after the first
        refresh unless ``full``, completed down to the newest item seen before)."""
        with self._lock:
            known = self._newest.get(account_id) if cursor is None and not full else None
        limit = self._page_size if known is None else self._refresh_page_size
        page = channel.home_timeline(cursor=cursor, limit=limit)
        if known is not None:
            page = self._down_to(channel, page, known)
        if cursor is None and page.items:
            with self._lock:
                newest = max(post.sort_time for post in page.items)
                self._newest[account_id] = max(newest, self._newest.get(account_id, newest))
        return page

    def _newer(self, channel: Channel, held: Page[Post]) -> Page[Post] | None:
        """Only what is newer than ``held.top``, walking up while pages come back full; None
        when more than ``MAX_UP_PAGES`` pages wait (a normal refresh is cheaper)."""
        items: list[Post] = []
        top = held.top
        for _ in range(MAX_UP_PAGES):
            page = channel.home_timeline(limit=self._page_size, newer_than=top)
            items[:0] = page.items  # each page is newer than the one before
            if page.top is None:  # the adapter ignored newer_than: its page is a normal one
                return None
            top = page.top
            if len(page.items) < self._page_size:
                return Page(tuple(items), held.cursor, top)
        log.info("incremental refresh: more than %d pages new, reading the newest page",
                 MAX_UP_PAGES)
        return None

    def _marked(self, account_id: str, page: Page[Post], cursor: str | None) -> Page[Post]:
        mark = (account_id,)
        posts = tuple(post if post.seen_by == mark else replace(post, seen_by=mark)
                      for post in page.items)
        log.debug("%s: %d posts (cursor %s)", account_id, len(posts), "set" if cursor else "none")
        return Page(posts, page.cursor, page.top)

    def _down_to(self, channel: Channel, page: Page[Post], known: datetime) -> Page[Post]:
        """``page`` and the pages after it, until one reaches back to ``known`` (more posts
        arrived since the last refresh than one page holds), at most ``MAX_GAP_PAGES``."""
        items, top = list(page.items), page.top
        for _ in range(MAX_GAP_PAGES):
            if not page.cursor or not items or min(p.sort_time for p in items) <= known:
                break
            page = channel.home_timeline(cursor=page.cursor, limit=self._page_size)
            items += page.items
        return Page(tuple(items), page.cursor, top)

    def _save_later(self, posts_by_account: Mapping[str, Sequence[Post]]) -> None:
        """Queue the cache write on the cache thread (in order: a later save wins)."""
        pending = {account_id: posts for account_id, posts in posts_by_account.items() if posts}
        if not pending:
            return
        def save() -> None:
            self._save(pending)

        if self._executors is None:  # a service on its own: written now, in this thread
            save()
            return
        with self._lock:
            self._writes = [(w, fn) for w, fn in self._writes if not w.done()]
            try:
                self._writes.append((self._executors.write(save), save))
            except RuntimeError:  # closed: the app is quitting
                log.debug("cache: closed, %d accounts' posts not saved", len(pending))

    def _save(self, posts_by_account: Mapping[str, Sequence[Post]]) -> None:
        """Write to the cache; a failing disk costs the cache, never the timeline."""
        for account_id, posts in posts_by_account.items():
            try:
                self._cache.save_posts(account_id, posts)
            except StoreError as exc:
                log.warning("cache: could not save %d posts of %s: %s", len(posts), account_id,
                            exc)
