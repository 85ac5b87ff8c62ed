"""The account registry: order, updates in place, removal (with its cached posts)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from paris_desk.core.errors import UnknownAccount
from paris_desk.core.model import Account, Network
from paris_desk.store.accounts import AccountStore
from paris_desk.store.db import Database


def account(name: str, network: Network = Network.MASTODON, **kw: object) -> Account:
    handle = f"@{name}@paris.social" if network is Network.MASTODON else f"{name}.bsky.social"
    return Account(
        id=Account.make_id(network, handle),
        network=network,
        handle=handle,
        base_url="https://paris.social",
        **kw,  # type: ignore[arg-type]
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[AccountStore]:
    db = Database(tmp_path / "accounts.sqlite3")
    yield AccountStore(db)
    db.close()


def ids(accounts: list[Account]) -> list[str]:
    return [a.id for a in accounts]


def test_new_accounts_are_listed_in_the_order_they_were_added(store: AccountStore) -> None:
    a, b, c = account("a"), account("b", Network.BLUESKY), account("c")
    for x in (a, b, c):
        store.upsert(x)

    assert ids(store.list()) == [a.id, b.id, c.id]
    assert [x.position for x in store.list()] == [0, 1, 2]


def test_every_field_is_kept(store: AccountStore) -> None:
    original = account(
        "ville", user_id="109", display_name="Ville", label="Presse", color="#ff0000"
    )

    saved = store.upsert(original)

    assert saved == original
    assert store.get(original.id) == original


def test_updating_keeps_the_position(store: AccountStore) -> None:
    a, b = account("a"), account("b")
    store.upsert(a)
    store.upsert(b)

    store.upsert(replace(a, label="Culture", position=7))

    assert ids(store.list()) == [a.id, b.id]
    assert store.get(a.id).label == "Culture"
    assert store.get(a.id).position == 0


def test_reorder_puts_the_named_accounts_first(store: AccountStore) -> None:
    a, b, c = account("a"), account("b"), account("c")
    for x in (a, b, c):
        store.upsert(x)

    assert ids(store.reorder([c.id, a.id, b.id])) == [c.id, a.id, b.id]
    assert ids(store.reorder([b.id])) == [b.id, c.id, a.id]
    assert ids(store.list()) == [b.id, c.id, a.id]


def test_reorder_with_an_unknown_id_changes_nothing(store: AccountStore) -> None:
    a, b = account("a"), account("b")
    store.upsert(a)
    store.upsert(b)

    with pytest.raises(UnknownAccount):
        store.reorder([b.id, "mastodon:@ghost@paris.social"])

    assert ids(store.list()) == [a.id, b.id]


def test_remove_forgets_the_account(store: AccountStore) -> None:
    a, b = account("a"), account("b")
    store.upsert(a)
    store.upsert(b)

    store.remove(a.id)

    assert ids(store.list()) == [b.id]
    assert store.find(a.id) is None
    with pytest.raises(UnknownAccount):
        store.get(a.id)
    with pytest.raises(UnknownAccount):
        store.remove(a.id)


def test_an_account_added_after_a_removal_goes_last(store: AccountStore) -> None:
    a, b, c = account("a"), account("b"), account("c")
    store.upsert(a)
    store.upsert(b)
    store.remove(a.id)
    store.upsert(c)

    assert ids(store.list()) == [b.id, c.id]
