"""The database: WAL, migrations, transactions, and how failures are sorted."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from paris_desk.core.errors import StoreError
from paris_desk.store.db import (
    Database,
    KnownStoreError,
    StoreBugError,
    StoreErrorCode,
)
from paris_desk.store.migrations import MIGRATIONS

SECRET_WORDS = ("token", "secret", "password", "session", "jwt", "credential")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "test.sqlite3")
    yield database
    database.close()


def test_new_database_is_migrated_to_the_latest_version(db: Database) -> None:
    assert db.user_version == len(MIGRATIONS)
    tables = {r["name"] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"accounts", "cached_posts"} <= tables


def test_wal_busy_timeout_and_foreign_keys_are_on(db: Database) -> None:
    assert db.scalar("PRAGMA journal_mode") == "wal"
    assert db.scalar("PRAGMA busy_timeout") == 5000
    assert db.scalar("PRAGMA foreign_keys") == 1
    assert db.scalar("PRAGMA synchronous") == 1  # NORMAL


def test_durable_transaction_commits_with_synchronous_full(db: Database) -> None:
    with db.transaction(durable=True):
        assert db.scalar("PRAGMA synchronous") == 2  # FULL: the WAL is fsynced at commit
    assert db.scalar("PRAGMA synchronous") == 1


def test_no_column_can_hold_a_secret(db: Database) -> None:
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'"):
        for column in db.execute(f"PRAGMA table_info({table})"):
            assert not any(word in column["name"].lower() for word in SECRET_WORDS), (
                table,
                column["name"],
            )


def test_reopening_runs_only_the_missing_migrations(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = Database(path, MIGRATIONS[:1])
    old.execute(
        "INSERT INTO accounts (id, network, handle, base_url) VALUES ('m:a', 'mastodon', 'a', 'u')"
    )
    assert old.user_version == 1
    old.close()

    new = Database(path)

    assert new.user_version == len(MIGRATIONS)
    assert new.scalar("SELECT handle FROM accounts WHERE id = 'm:a'") == "a"
    new.close()


def test_a_failing_migration_leaves_the_previous_version_intact(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    Database(path, MIGRATIONS[:1]).close()
    broken = (*MIGRATIONS[:1], "CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);")

    with pytest.raises(StoreBugError):
        Database(path, broken)

    again = Database(path, MIGRATIONS[:1])
    assert again.user_version == 1
    assert again.scalar("SELECT name FROM sqlite_master WHERE name = 'half'") is None
    again.close()


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    Database(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")

    with pytest.raises(KnownStoreError) as info:
        Database(path)

    assert info.value.code is StoreErrorCode.TOO_NEW


def test_transaction_rolls_back_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError), db.transaction():
        db.execute(
            "INSERT INTO accounts (id, network, handle, base_url) "
            "VALUES ('x', 'mastodon', 'x', 'u')"
        )
        raise RuntimeError("boom")

    assert db.scalar("SELECT COUNT(*) FROM accounts") == 0
    with db.transaction():  # the connection is usable again
        db.execute("SELECT 1")


def _insert(db: Database, account_id: str) -> None:
    db.execute(
        "INSERT INTO accounts (id, network, handle, base_url) VALUES (?, 'mastodon', ?, 'u')",
        (account_id, account_id),
    )


def test_an_inner_transaction_joins_the_outer_one(db: Database) -> None:
    with pytest.raises(RuntimeError), db.transaction(durable=True):
        with db.transaction(durable=True):
            _insert(db, "a")
        _insert(db, "b")
        raise RuntimeError("the outer block fails after the inner one ended")
    assert db.scalar("SELECT COUNT(*) FROM accounts") == 0  # the inner write went too

    with db.transaction(durable=True):
        with db.transaction():
            _insert(db, "a")
        _insert(db, "b")
    assert db.scalar("SELECT COUNT(*) FROM accounts") == 2


def test_a_durable_write_cannot_hide_in_a_non_durable_transaction(db: Database) -> None:
    with pytest.raises(StoreBugError), db.transaction(), db.transaction(durable=True):
        pass


def test_threads_can_share_the_database(db: Database) -> None:
    def insert(n: int) -> None:
        for i in range(20):
            with db.transaction():
                db.execute(
                    "INSERT INTO accounts (id, network, handle, base_url) "
                    "VALUES (?, 'mastodon', 'h', 'u')",
                    (f"{n}-{i}",),
                )

    threads = [threading.Thread(target=insert, args=(n,)) for n in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert db.scalar("SELECT COUNT(*) FROM accounts") == 100


def test_a_file_that_is_not_a_database_is_a_known_corruption(tmp_path: Path) -> None:
    path = tmp_path / "garbage.sqlite3"
    path.write_bytes(b"this is not an sqlite database" * 200)

    with pytest.raises(KnownStoreError) as info:
        Database(path)

    assert info.value.code is StoreErrorCode.CORRUPT
    assert isinstance(info.value, StoreError)


def test_another_process_holding_the_write_lock_is_a_known_error(db: Database) -> None:
    other = sqlite3.connect(db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    db.execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(KnownStoreError) as info, db.transaction():
            pass
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert info.value.code is StoreErrorCode.LOCKED


def test_bad_sql_is_a_bug_not_a_known_error(db: Database) -> None:
    with pytest.raises(StoreBugError):
        db.execute("SELECT * FROM no_such_table")


def test_a_full_disk_is_a_known_error(db: Database) -> None:
    pages = db.scalar("PRAGMA page_count")
    db.execute(f"PRAGMA max_page_count = {pages + 2}")  # the "disk" fills after two pages

    with pytest.raises(KnownStoreError) as info, db.transaction():
        db.executemany(
            "INSERT INTO accounts (id, network, handle, base_url) VALUES (?, 'mastodon', ?, 'u')",
            [(str(i), "x" * 500) for i in range(200)],
        )

    assert info.value.code is StoreErrorCode.DISK_FULL
    assert db.scalar("SELECT COUNT(*) FROM accounts") == 0
