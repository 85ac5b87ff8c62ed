"""Filters in the profile database: migration 7, rows, links, removal that waits for servers."""

from __future__ import annotations

from pathlib import Path

from paris_desk.core.filters import Filter, FilterAction
from paris_desk.core.model import Account, Network
from paris_desk.store.accounts import AccountStore
from paris_desk.store.db import Database
from paris_desk.store.filters import FilterStore
from paris_desk.store.migrations import MIGRATIONS

ACCOUNT = Account(id="mastodon:ville", network=Network.MASTODON, handle="ville",
                  base_url="http://127.0.0.1:1")


def test_migration_7_keeps_a_version_6_profile(tmp_path: Path) -> None:
    old = Database(tmp_path / "p.sqlite3", MIGRATIONS[:6])
    AccountStore(old).upsert(ACCOUNT)
    old.close()
    db = Database(tmp_path / "p.sqlite3")
    assert db.user_version >= 7
    assert [a.id for a in AccountStore(db).list()] == [ACCOUNT.id]
    assert FilterStore(db).list() == []
    db.close()


def test_filters_and_links(tmp_path: Path) -> None:
    db = Database(tmp_path / "p.sqlite3")
    AccountStore(db).upsert(ACCOUNT)
    store = FilterStore(db)
    word = Filter("a", "nul", accounts=(ACCOUNT.id,), action=FilterAction.HIDE)
    regex = Filter("b", r"idio(t|te)", regex=True)
    store.save(word)
    store.save(regex)
    assert store.list() == [word, regex]
    assert store.get("a") == word
    store.link("a", ACCOUNT.id, "12/34")
    assert store.links() == {("a", ACCOUNT.id): "12/34"}
    assert store.links(["other"]) == {}

    assert store.mark_removed("a")  # still on a server: kept, hidden
    assert store.list() == [regex]
    assert store.list(removed=True) == [word]
    assert store.get("a") is None
    assert not store.mark_removed("a")
    store.unlink("a", ACCOUNT.id)
    store.purge()
    assert store.list(removed=True) == []
    assert store.mark_removed("b")  # on no server: gone at once
    assert store.list(removed=True) == []
    db.close()
