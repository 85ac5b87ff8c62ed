"""FilterService's reconciliation, over an in-memory stand-in for a server's filter list (our
own ``SupportsFilterSync`` protocol; the real adapters are tested against the sandboxes)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from paris_desk.core.errors import Unreachable
from paris_desk.core.filters import FilterAction, RemoteFilter
from paris_desk.core.model import Account, Author, Network, Post
from paris_desk.services.filters import UNSUPPORTED, FilterService
from paris_desk.store.accounts import AccountStore
from paris_desk.store.db import Database
from paris_desk.store.filters import FilterStore

M = Account(id="mastodon:ville", network=Network.MASTODON, handle="ville", base_url="http://m")
B = Account(id="bluesky:ville", network=Network.BLUESKY, handle="ville", base_url="http://b")


class FakeServer:
    def __init__(self, account: Account) -> None:
        self.account = account
        self.held: dict[str, RemoteFilter] = {}
        self.down = False
        self._n = 0

    def server_filters(self) -> list[RemoteFilter]:
        self._check()
        return list(self.held.values())

    def add_server_filter(self, text: str, action: FilterAction) -> RemoteFilter:
        self._check()
        self._n += 1
        made = RemoteFilter(f"r{self._n}", text, action)
        self.held[made.remote_id] = made
        return made

    def remove_server_filter(self, remote_id: str) -> None:
        self._check()
        self.held.pop(remote_id, None)

    def _check(self) -> None:
        if self.down:
            raise Unreachable("down", account_id=self.account.id, network="x")


class Plain:
    """An adapter without server filters."""

    def __init__(self, account: Account) -> None:
        self.account = account


class Accounts:
    def __init__(self, channels: dict[str, object]) -> None:
        self.channels = channels

    def list(self) -> list[Account]:
        return [c.account for c in self.channels.values()]  # type: ignore[attr-defined]

    def channel(self, account_id: str) -> object:
        return self.channels[account_id]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "p.sqlite3")
    for account in (M, B):
        AccountStore(database).upsert(account)
    yield database
    database.close()


@pytest.fixture
def servers() -> dict[str, FakeServer]:
    return {M.id: FakeServer(M), B.id: FakeServer(B)}


@pytest.fixture
def service(db: Database, servers: dict[str, FakeServer]) -> FilterService:
    return FilterService(Accounts(dict(servers)), FilterStore(db))  # type: ignore[arg-type]


def texts(server: FakeServer) -> list[str]:
    return sorted(r.text for r in server.held.values())


def test_add_then_sync_puts_word_filters_on_every_server(
    service: FilterService, servers: dict[str, FakeServer]
) -> None:
    word = service.add(" nul ", action=FilterAction.HIDE)
    regex = service.add(r"idio(t|te)", regex=True)
    mine = service.add("travaux", accounts=[M.id])
    states = {s.filter.id: s.synced for s in service.states()}
    assert states[word.id] == {M.id: False, B.id: False}

    assert service.sync() == {}
    assert texts(servers[M.id]) == ["nul", "travaux"]
    assert texts(servers[B.id]) == ["nul"]
    states = {s.filter.id: s.synced for s in service.states()}
    assert states[word.id] == {M.id: True, B.id: True}
    assert states[regex.id] == {M.id: UNSUPPORTED, B.id: UNSUPPORTED}
    assert states[mine.id] == {M.id: True}
    assert service.sync() == {}  # nothing doubled
    assert texts(servers[M.id]) == ["nul", "travaux"]


def test_server_filters_show_up_and_join_the_same_word(
    service: FilterService, servers: dict[str, FakeServer]
) -> None:
    servers[M.id].add_server_filter("Grève", FilterAction.WARN)
    servers[B.id].add_server_filter("greve", FilterAction.WARN)
    servers[B.id].add_server_filter("insulte", FilterAction.HIDE)
    assert service.sync() == {}
    listed = {(f.text.casefold(), f.accounts, f.action) for f in service.list()}
    assert listed == {("grève", (M.id, B.id), FilterAction.WARN),
                      ("insulte", (B.id,), FilterAction.HIDE)}
    assert all(all(v is True for v in s.synced.values()) for s in service.states())
    assert texts(servers[M.id]) == ["Grève"]  # nothing pushed back across accounts


def test_remove_deletes_server_copies_and_waits_for_an_unreachable_one(
    service: FilterService, servers: dict[str, FakeServer]
) -> None:
    word = service.add("nul")
    service.sync()
    servers[B.id].down = True
    assert service.remove(word.id)
    assert service.list() == []
    failures = service.sync()
    assert set(failures) == {B.id}
    assert texts(servers[M.id]) == []
    assert texts(servers[B.id]) == ["nul"]
    servers[B.id].down = False
    assert service.sync() == {}
    assert texts(servers[B.id]) == []
    assert service.list() == []  # never taken back in from the server


def test_a_filter_deleted_elsewhere_is_made_again(
    service: FilterService, servers: dict[str, FakeServer]
) -> None:
    service.add("nul")
    service.sync()
    servers[M.id].held.clear()
    service.sync()
    assert texts(servers[M.id]) == ["nul"]
    assert len(service.list()) == 1


def test_unsupported_network_and_verdicts(db: Database) -> None:
    service = FilterService(Accounts({M.id: Plain(M)}), FilterStore(db))  # type: ignore[arg-type]
    f = service.add("nul", action=FilterAction.HIDE)
    assert service.sync() == {}
    assert service.states()[0].synced == {M.id: UNSUPPORTED}
    post = Post(uri="u", native_id="1", network=Network.MASTODON, author=Author(handle="x"),
                created_at=datetime(2026, 6, 1, tzinfo=UTC), text="C'est NUL", seen_by=(M.id,))
    assert service.judge_posts([post])[0].filter_id == f.id
    assert service.judge(post, (B.id,)) is not None  # every account
    service.remove(f.id)
    assert service.judge_posts([post]) == [None]


def test_the_matcher_sees_a_change_another_process_made(tmp_path: Path) -> None:
    """The window's matcher is read again at each refresh: a filter added by the CLI (or, in
    team mode, on a colleague's workstation) applies without restarting the window."""
    window_db, cli_db = Database(tmp_path / "p.sqlite3"), Database(tmp_path / "p.sqlite3")
    try:
        AccountStore(window_db).upsert(M)
        window = FilterService(Accounts({M.id: Plain(M)}), FilterStore(window_db))  # type: ignore[arg-type]
        cli = FilterService(Accounts({M.id: Plain(M)}), FilterStore(cli_db))  # type: ignore[arg-type]
        post = Post(uri="u", native_id="1", network=Network.MASTODON, author=Author(handle="x"),
                    created_at=datetime(2026, 6, 1, tzinfo=UTC), text="Travaux rue X",
                    seen_by=(M.id,))
        first = window.matcher()
        assert first.verdict(post, (M.id,)) is None
        assert window.matcher() is first  # unchanged filters: the compiled matcher is kept
        made = cli.add("travaux", action=FilterAction.HIDE)
        verdict = window.matcher().verdict(post, (M.id,))
        assert verdict is not None and verdict.filter_id == made.id
        assert window.judge(post, (M.id,)) is not None
        cli.remove(made.id)
        assert window.judge_posts([post]) == [None]
    finally:
        window_db.close()
        cli_db.close()
