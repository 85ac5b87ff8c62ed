"""AccountService with Bluesky, over HTTP against the Bluesky sandbox."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from typing import Any

import keyring
import keyring.backends.fail
import pytest

from paris_desk.core.errors import (
    AuthExpired,
    AuthFactorRequired,
    BadCredentials,
    KeychainLocked,
    KeychainUnavailable,
    UnknownAccount,
    Unreachable,
)
from paris_desk.core.model import Network
from paris_desk.services.accounts import AccountService, AmbiguousAccount
from paris_desk.store.db import KnownStoreError, StoreErrorCode
from paris_desk.store.profile import Profile


@pytest.fixture
def service() -> Iterator[AccountService]:
    svc = AccountService(Profile.default())
    yield svc
    svc.close()


def add(service: AccountService, server: Any, n: int = 0, **kw: Any) -> Any:
    who = server.accounts[n]
    return service.add_bluesky(who["handle"], who["password"], service=server.base_url, **kw)


def secrets_in(keychain: Any) -> dict[str, str]:
    """The entries by key, without this profile's namespace prefix (``profile:<id>/``)."""
    return {user.partition("/")[2]: value for (_service, user), value in keychain.items.items()}


def assert_nothing_saved(service: AccountService, keychain: Any) -> None:
    assert service.list() == []
    assert not [k for k in secrets_in(keychain) if k.startswith("account:")]


def test_adding_an_account_stores_the_session_in_the_keychain_only(
    service: AccountService, bluesky_sandbox: Any, memory_keyring: Any
) -> None:
    who = bluesky_sandbox.accounts[0]

    account = add(service, bluesky_sandbox, label="Presse", color="#ff0000")

    assert account.id == f"bluesky:{who['handle']}"
    assert account.network is Network.BLUESKY
    assert (account.handle, account.user_id) == (who["handle"], who["did"])
    assert (account.label, account.color) == ("Presse", "#ff0000")
    assert service.list() == [account]
    secret = secrets_in(memory_keyring)[f"account:{account.id}"]
    assert who["did"] in secret
    assert secret.encode() not in service.profile.db_path.read_bytes()


def test_the_channel_is_restored_from_the_keychain_once(
    service: AccountService, bluesky_sandbox: Any
) -> None:
    account = add(service, bluesky_sandbox)
    channels: list[object] = []

    def get() -> None:
        channels.append(service.channel(account.id))

    threads = [threading.Thread(target=get) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len({id(c) for c in channels}) == 1
    assert service.channel(account.id).home_timeline(limit=5).items


def test_a_new_service_restores_the_account_from_disk_and_keychain(
    service: AccountService, bluesky_sandbox: Any
) -> None:
    account = add(service, bluesky_sandbox)
    service.close()

    again = AccountService(Profile.default())
    try:
        assert again.list() == [account]
        assert again.channel(account.id).home_timeline(limit=5).items
    finally:
        again.close()


def test_a_refreshed_session_is_written_back_to_the_keychain(
    service: AccountService, bluesky_sandbox: Any, memory_keyring: Any
) -> None:
    account = add(service, bluesky_sandbox)
    key = f"account:{account.id}"
    before = secrets_in(memory_keyring)[key]
    bluesky_sandbox.expire_access_tokens()

    service.channel(account.id).home_timeline(limit=5)

    assert secrets_in(memory_keyring)[key] != before


def test_wrong_password_saves_nothing(
    service: AccountService, bluesky_sandbox: Any, memory_keyring: Any
) -> None:
    with pytest.raises(BadCredentials):
        service.add_bluesky(
            bluesky_sandbox.accounts[0]["handle"], "nope-nope", service=bluesky_sandbox.base_url
        )

    assert_nothing_saved(service, memory_keyring)


def test_email_code_is_asked_then_accepted(
    service: AccountService, bluesky_sandbox: Any, memory_keyring: Any
) -> None:
    who = bluesky_sandbox.accounts[0]
    bluesky_sandbox.require_auth_factor(who["handle"], "CODE-1234")

    with pytest.raises(AuthFactorRequired):
        service.add_bluesky(who["handle"], who["main_password"], service=bluesky_sandbox.base_url)
    assert_nothing_saved(service, memory_keyring)

    account = service.add_bluesky(
        who["handle"],
        who["main_password"],
        service=bluesky_sandbox.base_url,
        auth_factor_token="CODE-1234",
    )
    assert service.list() == [account]


def test_unreachable_server_saves_nothing(service: AccountService, memory_keyring: Any) -> None:
    with pytest.raises(Unreachable):
        service.add_bluesky("ville.sandbox.test", "x", service="http://127.0.0.1:9")

    assert_nothing_saved(service, memory_keyring)


def test_locked_keychain_fails_before_any_network_call(
    service: AccountService, bluesky_sandbox: Any, memory_keyring: Any
) -> None:
    memory_keyring.locked = True

    with pytest.raises(KeychainLocked):
        add(service, bluesky_sandbox)

    assert bluesky_sandbox.requests == []
    memory_keyring.locked = False
    assert_nothing_saved(service, memory_keyring)


def test_no_keychain_fails_before_any_network_call(
    service: AccountService, bluesky_sandbox: Any
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        with pytest.raises(KeychainUnavailable):
            add(service, bluesky_sandbox)
    finally:
        keyring.set_keyring(previous)

    assert bluesky_sandbox.requests == []
    assert service.list() == []


def test_if_the_row_cannot_be_written_the_secret_is_rolled_back(
    service: AccountService, bluesky_sandbox: Any, memory_keyring: Any
) -> None:
    service.db.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(service.profile.db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the database
    try:
        with pytest.raises(KnownStoreError) as info:
            add(service, bluesky_sandbox)
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert info.value.code is StoreErrorCode.LOCKED
    assert_nothing_saved(service, memory_keyring)


def test_a_failed_reauthentication_keeps_the_previous_secret(
    service: AccountService, bluesky_sandbox: Any, memory_keyring: Any
) -> None:
    account = add(service, bluesky_sandbox)
    key = f"account:{account.id}"
    before = secrets_in(memory_keyring)[key]
    service.db.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(service.profile.db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(KnownStoreError):
            add(service, bluesky_sandbox)
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert secrets_in(memory_keyring)[key] == before
    assert service.list() == [account]


def test_adding_again_replaces_the_secret_and_keeps_label_color_and_place(
    service: AccountService, bluesky_sandbox: Any, memory_keyring: Any
) -> None:
    first = add(service, bluesky_sandbox, 0, label="Presse", color="#123456")
    second = add(service, bluesky_sandbox, 1)
    key = f"account:{first.id}"
    old_secret = secrets_in(memory_keyring)[key]
    old_channel = service.channel(first.id)

    again = add(service, bluesky_sandbox, 0)

    assert [a.id for a in service.list()] == [first.id, second.id]
    assert (again.label, again.color, again.position) == ("Presse", "#123456", 0)
    assert secrets_in(memory_keyring)[key] != old_secret
    assert service.channel(first.id) is not old_channel


def test_a_missing_secret_means_the_session_expired(
    service: AccountService, bluesky_sandbox: Any, memory_keyring: Any
) -> None:
    account = add(service, bluesky_sandbox)
    memory_keyring.items.clear()  # e.g. the user deleted it in the OS keychain manager

    with pytest.raises(AuthExpired) as info:
        service.channel(account.id)

    assert info.value.account_id == account.id


def test_remove_deletes_secret_row_and_channel(
    service: AccountService, bluesky_sandbox: Any, memory_keyring: Any
) -> None:
    account = add(service, bluesky_sandbox)
    kept = add(service, bluesky_sandbox, 1)
    service.channel(account.id)

    service.remove(account.id)

    assert service.list() == [kept]
    assert f"account:{account.id}" not in secrets_in(memory_keyring)
    assert f"account:{kept.id}" in secrets_in(memory_keyring)
    with pytest.raises(UnknownAccount):
        service.channel(account.id)
    with pytest.raises(UnknownAccount):
        service.remove(account.id)


def test_remove_with_a_locked_keychain_keeps_the_account(
    service: AccountService, bluesky_sandbox: Any, memory_keyring: Any
) -> None:
    account = add(service, bluesky_sandbox)
    memory_keyring.locked = True

    with pytest.raises(KeychainLocked):
        service.remove(account.id)

    memory_keyring.locked = False
    assert service.list() == [account]
    assert f"account:{account.id}" in secrets_in(memory_keyring)


def test_update_and_reorder(service: AccountService, bluesky_sandbox: Any) -> None:
    a = add(service, bluesky_sandbox, 0)
    b = add(service, bluesky_sandbox, 1)

    updated = service.update(a.id, label="Culture", color="#00ff00")
    service.reorder([b.id, a.id])

    assert (updated.label, updated.color) == ("Culture", "#00ff00")
    assert [x.id for x in service.list()] == [b.id, a.id]
    assert service.update(a.id, label="Autre").color == "#00ff00"


def test_accounts_are_found_by_id_or_handle_suffix(
    service: AccountService, bluesky_sandbox: Any
) -> None:
    a = add(service, bluesky_sandbox, 0)
    b = add(service, bluesky_sandbox, 1)

    assert service.resolve(a.id) == a
    assert service.resolve(a.handle) == a
    assert service.resolve("@" + b.handle) == b
    assert service.resolve(b.handle.split(".")[0] + ".sandbox.test") == b
    with pytest.raises(AmbiguousAccount):
        service.resolve("sandbox.test")
    with pytest.raises(UnknownAccount):
        service.resolve("nobody.example")
