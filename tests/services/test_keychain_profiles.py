"""Attack: two profiles (PARIS_DESK_HOME) holding the same handle on two different servers.

Before issue 13 both profiles stored the secret under ``account:<id>``: adding the handle in
profile B overwrote A's secret (A's posts then went to B's server), and removing it in B broke A.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from paris_desk.core.errors import AuthExpired
from paris_desk.core.model import Account, PostRequest
from paris_desk.core.tid import next_tid
from paris_desk.services.accounts import AccountService
from paris_desk.store.keychain import NAMESPACE_FILE, account_key
from paris_desk.store.profile import Profile


@pytest.fixture
def second_bluesky() -> Iterator[Any]:
    """Another Bluesky sandbox with the same seed: the same handles, another server."""
    from paris_desk.sandbox.bluesky import BlueskySandbox

    server = BlueskySandbox(port=0, seed=1).start()
    yield server
    server.stop()


def open_profile(root: Path) -> AccountService:
    return AccountService(Profile(root))


def add(service: AccountService, server: Any) -> Account:
    who = server.accounts[0]
    return service.add_bluesky(who["handle"], who["password"], service=server.base_url)


def posts_received(server: Any) -> int:
    return sum(1 for r in server.requests if r.method == "POST" and "createRecord" in r.path)


def publish(service: AccountService, account: Account) -> None:
    channel = service.channel(account.id)
    channel.post(PostRequest("Travaux rue de Rivoli : circulation rétablie.", next_tid()))


def test_same_handle_in_two_profiles_keeps_each_profile_on_its_own_server(
    tmp_path: Path, bluesky_sandbox: Any, second_bluesky: Any, memory_keyring: Any
) -> None:
    a = open_profile(tmp_path / "a")
    account_a = add(a, bluesky_sandbox)
    b = open_profile(tmp_path / "b")
    account_b = add(b, second_bluesky)  # the attack: the same handle, another server
    assert account_a.id == account_b.id

    a.close()
    a = open_profile(tmp_path / "a")  # a fresh start of A: its secret read from the keychain
    publish(a, account_a)
    assert (posts_received(bluesky_sandbox), posts_received(second_bluesky)) == (1, 0)
    names = {user for (_service, user) in memory_keyring.items}
    assert len(names) == 2
    assert all(name.startswith("profile:") for name in names)

    b.remove(account_b.id)  # removing the account in B leaves A intact
    b.close()
    a.close()
    a = open_profile(tmp_path / "a")
    assert a.channel(account_a.id).verify().id == account_a.id
    publish(a, account_a)
    assert (posts_received(bluesky_sandbox), posts_received(second_bluesky)) == (2, 0)
    a.close()


def test_a_secret_stored_before_namespacing_is_moved_in_once(
    tmp_path: Path, bluesky_sandbox: Any, memory_keyring: Any
) -> None:
    service = open_profile(tmp_path / "a")
    account = add(service, bluesky_sandbox)
    service.close()
    # Put the profile back as an older paris_desk left it: one bare, shared entry.
    ((key, secret),) = list(memory_keyring.items.items())
    memory_keyring.items = {(key[0], account_key(account.id)): secret}
    (tmp_path / "a" / NAMESPACE_FILE).unlink()

    service = open_profile(tmp_path / "a")  # the start migrates
    assert service.channel(account.id).verify().id == account.id
    ours = service.keychain.entry_name(account_key(account.id))
    assert ours.startswith("profile:")
    assert memory_keyring.items[(key[0], ours)]

    service.remove(account.id)  # the shared copy held the secret just revoked: deleted too
    assert memory_keyring.items == {}
    service.close()


def test_a_profile_that_migrated_does_not_take_the_shared_entry_again(
    tmp_path: Path, bluesky_sandbox: Any, memory_keyring: Any
) -> None:
    service = open_profile(tmp_path / "a")
    account = add(service, bluesky_sandbox)
    service.keychain.delete(account_key(account.id))  # the user deleted it in the OS manager
    service.close()
    memory_keyring.items[("paris-desk", account_key(account.id))] = "another profile's secret"

    service = open_profile(tmp_path / "a")
    with pytest.raises(AuthExpired):
        service.channel(account.id)
    service.close()


def test_a_locked_keychain_postpones_the_migration_to_the_next_start(
    tmp_path: Path, bluesky_sandbox: Any, memory_keyring: Any
) -> None:
    service = open_profile(tmp_path / "a")
    account = add(service, bluesky_sandbox)
    service.close()
    ((key, secret),) = list(memory_keyring.items.items())
    memory_keyring.items = {(key[0], account_key(account.id)): secret}
    (tmp_path / "a" / NAMESPACE_FILE).unlink()

    memory_keyring.locked = True
    open_profile(tmp_path / "a").close()  # starts; the migration waits
    memory_keyring.locked = False
    assert list(memory_keyring.items) == [(key[0], account_key(account.id))]

    service = open_profile(tmp_path / "a")
    assert service.channel(account.id).verify().id == account.id
    service.close()
