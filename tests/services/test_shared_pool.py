"""The services (filters, requests, the inbox, the timeline) fan their per-account work out on
the Desk's network pool (``services.executors``): no service starts a thread pool of its own."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from paris_desk.core.errors import Unreachable
from paris_desk.core.filters import FilterAction, RemoteFilter
from paris_desk.core.model import Account, Network, Notification, Page, Post
from paris_desk.core.requests import MentionRequest
from paris_desk.services.executors import Executors
from paris_desk.services.filters import FilterService
from paris_desk.services.inbox import InboxService
from paris_desk.services.requests import RequestService
from paris_desk.services.timeline import TimelineService
from paris_desk.store.accounts import AccountStore
from paris_desk.store.cache import PostCache
from paris_desk.store.db import Database
from paris_desk.store.filters import FilterStore
from paris_desk.store.inbox import InboxStore

ACCOUNTS = [Account(id=f"mastodon:ville{n}", network=Network.MASTODON, handle=f"ville{n}",
                    base_url="http://m") for n in range(3)]


class Recording:
    """A channel with server filters and mention requests that notes where it was asked."""

    def __init__(self, account: Account, threads: list[str]) -> None:
        self.account = account
        self.threads = threads

    def _asked(self) -> None:
        self.threads.append(threading.current_thread().name)

    def server_filters(self) -> list[RemoteFilter]:
        self._asked()
        return []

    def add_server_filter(self, text: str, action: FilterAction) -> RemoteFilter:
        return RemoteFilter("r1", text, action)

    def remove_server_filter(self, remote_id: str) -> None:
        return None

    def mention_requests(self, limit: int = 40) -> list[MentionRequest]:
        self._asked()
        return []

    def request_notifications(self, request: MentionRequest) -> list[Notification]:
        return []

    def accept_request(self, request: MentionRequest) -> None:
        return None

    def dismiss_request(self, request: MentionRequest) -> None:
        return None

    def notifications(self, cursor: str | None, limit: int = 40,
                      newer_than: Notification | None = None) -> Page[Notification]:
        self._asked()
        raise Unreachable("no server here", account_id=self.account.id)

    def home_timeline(self, cursor: str | None = None, limit: int = 40,
                      newer_than: Post | None = None) -> Page[Post]:
        self._asked()
        return Page((), None)


class Accounts:
    def __init__(self, threads: list[str]) -> None:
        self.channels = {a.id: Recording(a, threads) for a in ACCOUNTS}

    def list(self) -> list[Account]:
        return list(ACCOUNTS)

    def channel(self, account_id: str) -> Recording:
        return self.channels[account_id]

    def get(self, account_id: str) -> Account:
        return self.channels[account_id].account


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "p.sqlite3")
    for account in ACCOUNTS:
        AccountStore(database).upsert(account)
    yield database
    database.close()


@pytest.fixture
def executors() -> Iterator[Executors]:
    shared = Executors(network_workers=4)
    yield shared
    shared.shutdown(5.0)


def pools() -> set[str]:
    """The thread pools alive besides the shared one, by name prefix."""
    return {t.name.rsplit("_", 1)[0] for t in threading.enumerate()
            if t.name.startswith(("filters", "requests", "inbox", "timeline",
                                  "ThreadPoolExecutor"))}


def desk_threads() -> set[str]:
    """The threads of an ``Executors`` alive now (the network pool's and the writer)."""
    return {t.name for t in threading.enumerate() if t.name.startswith("paris-desk-")}


def test_filters_requests_and_the_inbox_ask_the_accounts_on_the_shared_pool(
    db: Database, executors: Executors
) -> None:
    threads: list[str] = []
    accounts = Accounts(threads)
    filters = FilterService(accounts, FilterStore(db), executors=executors)  # type: ignore[arg-type]
    requests = RequestService(accounts, executors=executors)  # type: ignore[arg-type]
    inbox = InboxService(accounts, InboxStore(db), executors=executors)  # type: ignore[arg-type]
    timeline = TimelineService(accounts, PostCache(db),  # type: ignore[arg-type]
                               executors=executors)

    assert filters.sync() == {}
    assert requests.load().failures == {}
    assert set(inbox.refresh([a.id for a in ACCOUNTS]).failures) == {a.id for a in ACCOUNTS}
    assert timeline.refresh([a.id for a in ACCOUNTS]).errors_by_account == {}
    timeline.close()

    assert len(threads) == 4 * len(ACCOUNTS)
    assert all(name.startswith(("paris-desk-net", "MainThread")) for name in threads), threads
    assert any(name.startswith("paris-desk-net") for name in threads)
    assert pools() == set()


def test_without_the_desk_s_executors_a_service_asks_in_turn(db: Database) -> None:
    threads: list[str] = []
    accounts = Accounts(threads)

    FilterService(accounts, FilterStore(db)).sync()  # type: ignore[arg-type]
    RequestService(accounts).load()  # type: ignore[arg-type]
    InboxService(accounts, InboxStore(db)).refresh([a.id for a in ACCOUNTS])  # type: ignore[arg-type]
    before = desk_threads()
    timeline = TimelineService(accounts, PostCache(db))  # type: ignore[arg-type]
    assert timeline.refresh([a.id for a in ACCOUNTS]).errors_by_account == {}
    timeline.close()

    assert threads == [threading.current_thread().name] * (4 * len(ACCOUNTS))
    assert pools() == set()
    assert desk_threads() <= before  # the timeline made no executors of its own
