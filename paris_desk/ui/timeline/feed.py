"""Feeds one ``TimelineModel`` from ``TimelineService``: cache first, then the network.

Every load runs on a worker (``TaskManager``) and comes back here on the GUI thread, tagged
with a generation number: results for an older set of accounts are dropped (mandelbrot).

Gap-free paging (``paris_desk.core.merge.safe_horizon``): an account with more to load may
still deliver anything older than the oldest item it gave, so items older than the newest of
those per-account minima wait in a reserve until every account has paged past them. An account
that fails is left out of that rule (it must not freeze the others) and out of automatic paging
until a refresh succeeds for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QObject, Signal

from paris_desk.core.merge import ItemKey, item_key, merge, safe_horizon
from paris_desk.core.model import Page, Post
from paris_desk.services.timeline import RefreshResult, TimelineService
from paris_desk.services.workers import TaskManager
from paris_desk.ui.timeline.model import TimelineModel
from paris_desk.ui.timeline.post_layout import Geometry, measure_texts
from paris_desk.ui.timeline.post_text import PostText, prepare, prepare_all

log = logging.getLogger(__name__)

CACHED_ROWS = 60  # one screen or two: the rest is read back from the cache on scroll
READ_BACK_ROWS = 200
Loaded = tuple[list[Post], dict[str, PostText]]


def prepared(posts: list[Post], geometry: Geometry | None) -> dict[str, PostText]:
    """The texts of ``posts``, their rows measured at ``geometry`` too. Worker only."""
    texts = prepare_all(posts)
    return texts if geometry is None else measure_texts(posts, texts, geometry)


class TimelineFeed(QObject):
    errors_changed = Signal()
    cached_loaded = Signal(int)  # rows shown from the cache at start
    refreshed = Signal()
    busy_changed = Signal(bool)

    def __init__(
        self,
        tasks: TaskManager,
        service: TimelineService,
        model: TimelineModel,
        account_ids: Sequence[str],
        reading_row: Callable[[], int] = lambda: 0,
        parent: QObject | None = None,
        geometry: Callable[[], Geometry | None] = lambda: None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._service = service
        self.model = model
        self._reading_row = reading_row
        self._geometry = geometry  # read on the GUI thread when a load starts
        self._ids: tuple[str, ...] = tuple(account_ids)
        self._generation = 0
        self.errors: dict[str, Exception] = {}
        self._pages: dict[str, Page[Post]] = {}  # the oldest page loaded, per account
        self._reserve: dict[ItemKey, Post] = {}
        self._reserve_texts: dict[str, PostText] = {}
        self._refreshing = False
        self._paging = False
        self._read_back = False  # rows were unloaded: read them back from the cache
        self._cache_more = True  # the cache may hold rows older than the last one
        model.older_requested.connect(self._on_older_requested)
        model.rows_unloaded.connect(self._on_rows_unloaded)

    @property
    def account_ids(self) -> tuple[str, ...]:
        return self._ids

    @property
    def refreshing(self) -> bool:
        return self._refreshing

    def set_account_ids(self, account_ids: Sequence[str]) -> None:
        """Show other accounts: forget everything, start again from the cache."""
        if tuple(account_ids) == self._ids:
            return
        self._ids = tuple(account_ids)
        self._generation += 1
        self._pages.clear()
        self._reserve.clear()
        self._reserve_texts.clear()
        self.errors = {a: e for a, e in self.errors.items() if a in self._ids}
        self._refreshing = self._paging = False
        self._read_back = False
        self._cache_more = True
        self.model.clear()
        self.errors_changed.emit()
        self.start()

    # -- loading ----------------------------------------------------------------------------

    def start(self) -> None:
        """Show the cached timeline (disk, on the database thread)."""
        ids, service, generation = self._ids, self._service, self._generation
        geometry = self._geometry()

        def load() -> Loaded:
            posts = service.load_cached(ids, CACHED_ROWS)
            return posts, prepared(posts, geometry)

        def done(loaded: Loaded) -> None:
            if generation != self._generation:
                return
            posts, texts = loaded
            self.model.add(posts, texts)
            self._cache_more = len(posts) >= CACHED_ROWS
            self.model.set_can_fetch(self._has_more())
            self.cached_loaded.emit(len(posts))

        self._tasks.run_db(load, done, self._on_bug)

    def refresh(self) -> bool:
        """Fetch every account's newest page (in parallel); False when one is running."""
        if self._refreshing or not self._ids:
            return False
        self._set_busy(refreshing=True)
        ids, service, generation = self._ids, self._service, self._generation
        geometry = self._geometry()
        # Accounts this column has no page of yet need a whole page, not only what is new
        # since another column's last refresh (the service is shared between columns).
        full = [account_id for account_id in ids if account_id not in self._pages]

        def load() -> tuple[RefreshResult, dict[str, PostText]]:
            result = service.refresh(ids, full=full)
            return result, prepared(result.all_posts(), geometry)

        def done(loaded: tuple[RefreshResult, dict[str, PostText]]) -> None:
            if generation != self._generation:
                return
            self._set_busy(refreshing=False)
            result, texts = loaded
            for account_id, posts in result.posts_by_account.items():
                self._pages.setdefault(account_id, Page(posts, result.cursors.get(account_id)))
            self._note_errors(result)
            self._show(result.all_posts(), texts, hold=True)
            self.refreshed.emit()

        self._tasks.run(load, done, self._failed(generation))
        return True

    def retry(self, account_id: str) -> None:
        self.errors.pop(account_id, None)
        self.errors_changed.emit()
        self.refresh()

    def _on_older_requested(self) -> None:
        last = self.model.post_at(self.model.rowCount() - 1) if self.model.rowCount() else None
        cursors = self._cursors()
        if last is not None and (self._read_back or (not cursors and self._cache_more)):
            self._read_cache_before(last)
        elif cursors:
            self._load_older(cursors)
        else:
            self.model.finish_fetch(has_more=False)

    def _read_cache_before(self, last: Post) -> None:
        ids, service, generation = self._ids, self._service, self._generation
        geometry = self._geometry()

        def load() -> Loaded:
            posts = service.load_cached_before(ids, last, READ_BACK_ROWS)
            return posts, prepared(posts, geometry)

        def done(loaded: Loaded) -> None:
            if generation != self._generation:
                return
            posts, texts = loaded
            if len(posts) < READ_BACK_ROWS:
                self._read_back = False
                self._cache_more = False
            self.model.add(posts, texts)
            self.model.finish_fetch(self._has_more())

        self._tasks.run_db(load, done, self._failed(generation))

    def _load_older(self, cursors: dict[str, str | None]) -> None:
        ids, service, generation = self._ids, self._service, self._generation
        geometry = self._geometry()
        self._set_busy(paging=True)

        def load() -> tuple[RefreshResult, dict[str, PostText]]:
            result = service.older(ids, cursors)
            return result, prepared(result.all_posts(), geometry)

        def done(loaded: tuple[RefreshResult, dict[str, PostText]]) -> None:
            if generation != self._generation:
                return
            self._set_busy(paging=False)
            result, texts = loaded
            self._pages.update(result.pages())
            self._note_errors(result)
            self._show(result.all_posts(), texts, hold=False)
            self.model.finish_fetch(self._has_more())

        self._tasks.run(load, done, self._failed(generation))

    # -- placing what arrived ---------------------------------------------------------------

    def _show(self, posts: list[Post], texts: dict[str, PostText], *, hold: bool) -> None:
        """Add what is safe to show; keep items below the horizon in the reserve."""
        for post in posts:
            key = item_key(post)
            held = self._reserve.get(key)
            self._reserve[key] = post if held is None else merge((held,), (post,)).posts[0]
            text = texts.get(post.uri) or self._reserve_texts.get(post.uri)
            self._reserve_texts[post.uri] = text or prepare(post)
        horizon = self._horizon()
        ready = [
            post for key, post in self._reserve.items()
            if post.sort_time > horizon or self.model.contains(key)
        ]
        for post in ready:
            self._reserve.pop(item_key(post), None)
        ready_texts = {p.uri: self._reserve_texts.pop(p.uri) for p in ready
                       if p.uri in self._reserve_texts}
        row = self._reading_row() if hold else None
        self.model.add(ready, ready_texts, hold_newer_than=row)
        self.model.set_can_fetch(self._has_more())

    def _horizon(self) -> datetime:
        pages = [page for account_id, page in self._pages.items() if account_id not in self.errors]
        return safe_horizon(pages)

    def _cursors(self) -> dict[str, str | None]:
        return {
            account_id: page.cursor
            for account_id, page in self._pages.items()
            if page.cursor is not None and account_id not in self.errors
        }

    def _has_more(self) -> bool:
        return self._read_back or bool(self._cursors()) or self._cache_more

    def _note_errors(self, result: RefreshResult) -> None:
        for account_id in result.posts_by_account:
            self.errors.pop(account_id, None)
        self.errors.update(result.errors_by_account)
        for account_id, exc in result.errors_by_account.items():
            log.info("timeline of %s failed: %s", account_id, type(exc).__name__)
        self.errors_changed.emit()

    def _on_rows_unloaded(self, count: int) -> None:
        self._read_back = True
        self.model.set_can_fetch(True)

    def _set_busy(self, *, refreshing: bool | None = None, paging: bool | None = None) -> None:
        if refreshing is not None:
            self._refreshing = refreshing
        if paging is not None:
            self._paging = paging
        self.busy_changed.emit(self._refreshing or self._paging)

    def _failed(self, generation: int) -> Callable[[Exception], None]:
        def failed(exc: Exception) -> None:
            if generation != self._generation:
                return
            self._set_busy(refreshing=False, paging=False)
            self.model.finish_fetch(has_more=False)
            self._on_bug(exc)

        return failed

    def _on_bug(self, exc: Exception) -> None:
        self.errors[""] = exc
        self.errors_changed.emit()
