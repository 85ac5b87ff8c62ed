"""Without an OS keychain, sandbox secrets live in memory, and only sandbox secrets do."""

from __future__ import annotations

import keyring
import keyring.backends.fail
import pytest

from paris_desk.core.errors import KeychainUnavailable
from paris_desk.services import sandbox_keyring
from paris_desk.store.keychain import Keychain
from paris_desk.store.profile import KEYCHAIN_SERVICE, SANDBOX_KEYCHAIN_SERVICE


@pytest.fixture
def no_keychain() -> None:
    """The machine has no OS keychain (the conftest restores its backend afterwards)."""
    keyring.set_keyring(keyring.backends.fail.Keyring())


def test_with_an_os_keychain_it_is_available(memory_keyring: object) -> None:
    assert sandbox_keyring.system_keychain_available()


def test_without_one_sandbox_secrets_go_to_memory_and_real_ones_are_refused(
    no_keychain: None,
) -> None:
    assert not sandbox_keyring.system_keychain_available()
    with pytest.raises(KeychainUnavailable):
        Keychain(SANDBOX_KEYCHAIN_SERVICE).set("account:x", "throwaway")

    sandbox_keyring.install()

    sandbox = Keychain(SANDBOX_KEYCHAIN_SERVICE)
    sandbox.set("account:bluesky:alice.sandbox", "throwaway")
    assert sandbox.get("account:bluesky:alice.sandbox") == "throwaway"
    sandbox.delete("account:bluesky:alice.sandbox")
    assert sandbox.get("account:bluesky:alice.sandbox") is None
    with pytest.raises(KeychainUnavailable):
        Keychain(KEYCHAIN_SERVICE).set("account:mastodon:@ville@paris.social", "real token")
    with pytest.raises(KeychainUnavailable):
        Keychain(KEYCHAIN_SERVICE).get("account:mastodon:@ville@paris.social")
