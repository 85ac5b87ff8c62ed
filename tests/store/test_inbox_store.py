"""The inbox tables: notifications cached per account, handled and read state kept by us."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from paris_desk.core.model import Account, Author, Network, Notification, NotificationKind
from paris_desk.store.accounts import AccountStore
from paris_desk.store.db import Database
from paris_desk.store.inbox import Handled, Handling, InboxStore
from paris_desk.store.migrations import MIGRATIONS

A = "mastodon:@a@paris.social"
B = "bluesky:b.paris.example"
T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def account(account_id: str) -> Account:
    network = Network(account_id.split(":", 1)[0])
    return Account(account_id, network, account_id.split(":", 1)[1], "https://x")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "inbox.sqlite3")
    for account_id in (A, B):
        AccountStore(database).upsert(account(account_id))
    yield database
    database.close()


def note(n: int, account_id: str = A, minutes: int | None = None, unread: bool = True,
         kind: NotificationKind = NotificationKind.MENTION) -> Notification:
    return Notification(
        id=f"n{n}", account_id=account_id, kind=kind,
        author=Author(handle=f"@citoyen{n}@example.org", user_id=str(n)),
        created_at=T0 + timedelta(minutes=n if minutes is None else minutes),
        unread=unread,
    )


def test_saved_notifications_load_newest_first_per_account(db: Database) -> None:
    store = InboxStore(db)

    assert store.save(A, [note(1), note(3), note(2)]) == 3
    assert store.save(B, [note(9, B)]) == 1

    assert [n.id for n in store.load([A])] == ["n3", "n2", "n1"]
    assert [n.id for n in store.load([A, B])] == ["n3", "n2", "n1", "n9"]
    assert [n.id for n in store.load([A], limit_per_account=2)] == ["n3", "n2"]
    assert store.load([A])[0] == note(3)  # exact round trip
    assert store.known(A, ["n1", "n7", "n9"]) == {"n1"}
    assert store.newest(A) == note(3)


def test_a_second_fetch_updates_rather_than_duplicates(db: Database) -> None:
    store = InboxStore(db)
    store.save(A, [note(1), note(2)])

    store.save(A, [note(2, unread=False)])

    assert [(n.id, n.unread) for n in store.load([A])] == [("n2", False), ("n1", True)]


def test_an_account_removed_meanwhile_stores_nothing(db: Database) -> None:
    store = InboxStore(db)

    assert store.save("mastodon:@gone@x", [note(1, "mastodon:@gone@x")]) == 0
    store.set_handled([("mastodon:@gone@x", "n1")], Handling.DISMISSED, T0)

    assert store.load(["mastodon:@gone@x"]) == []
    assert store.handled(["mastodon:@gone@x"]) == {}


def test_old_notifications_are_pruned_per_account(db: Database) -> None:
    store = InboxStore(db, keep_per_account=3)

    store.save(A, [note(n) for n in range(6)])
    store.save(B, [note(9, B)])

    assert [n.id for n in store.load([A])] == ["n5", "n4", "n3"]
    assert len(store.load([B])) == 1


def test_mark_read_until_a_notification(db: Database) -> None:
    store = InboxStore(db)
    store.save(A, [note(1), note(2), note(3)])

    assert store.has_server_unread(A)
    store.mark_read_until(A, note(2))

    assert [(n.id, n.unread) for n in store.load([A])] == [
        ("n3", True), ("n2", False), ("n1", False)]
    store.mark_read_until(A, note(3))
    assert not store.has_server_unread(A)


def test_the_users_read_state_wins_over_the_servers_until_cleared(db: Database) -> None:
    store = InboxStore(db)
    store.save(A, [note(1, unread=False), note(2, unread=True)])

    store.set_unread([(A, "n1")], True)
    store.set_unread([(A, "n2")], False)
    store.save(A, [note(1, unread=False), note(2, unread=True)])  # a refresh

    assert [(n.id, n.unread) for n in store.load([A])] == [("n2", False), ("n1", True)]
    store.set_unread([(A, "n1"), (A, "n2")], None)
    assert [(n.id, n.unread) for n in store.load([A])] == [("n2", True), ("n1", False)]


def test_handled_state_with_time_and_reply(db: Database) -> None:
    store = InboxStore(db)
    store.save(A, [note(1), note(2)])
    when = datetime(2026, 6, 1, 13, 5, 7, 123456, tzinfo=UTC)

    store.set_handled([(A, "n1")], Handling.ANSWERED, when, "https://x/statuses/77")
    store.set_handled([(A, "n2")], Handling.DISMISSED, when)
    store.set_unread([(A, "n2")], True)  # a second kind of state on the same row

    assert store.handled([A]) == {
        (A, "n1"): Handled(Handling.ANSWERED, when, "https://x/statuses/77"),
        (A, "n2"): Handled(Handling.DISMISSED, when),
    }
    store.clear_handled([(A, "n2")])
    assert list(store.handled([A, B])) == [(A, "n1")]
    assert store.load([A])[0].unread


def test_handled_state_outlives_the_cache_and_goes_with_the_account(db: Database) -> None:
    store = InboxStore(db, keep_per_account=1)
    store.save(A, [note(1)])
    store.set_handled([(A, "n1")], Handling.DISMISSED, T0)

    store.save(A, [note(2)])  # n1 pruned from the cache

    assert (A, "n1") in store.handled([A])
    AccountStore(db).remove(A)
    assert store.handled([A]) == {}
    assert store.load([A]) == []


def test_migration_from_version_3_keeps_existing_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = Database(path, MIGRATIONS[:3])
    AccountStore(old).upsert(account(A))
    old.close()

    db = Database(path)
    try:
        assert db.user_version == len(MIGRATIONS)
        assert [a.id for a in AccountStore(db).list()] == [A]
        assert InboxStore(db).save(A, [note(1)]) == 1
    finally:
        db.close()
