"""The keychain wrapper: only a real OS keychain is accepted, errors are typed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
import pytest

from paris_desk.core.errors import KeychainError, KeychainLocked, KeychainUnavailable
from paris_desk.store.keychain import Keychain
from paris_desk.store.redaction import redact


class PlaintextFileKeyring(keyring.backend.KeyringBackend):
    """Behaves like keyrings.alt's PlaintextKeyring: secrets in a file, priority 0.5."""

    priority = 0.5
    path: Path

    def get_password(self, service: str, username: str) -> str | None:
        for line in self.path.read_text().splitlines() if self.path.exists() else []:
            s, u, p = line.split("\t")
            if (s, u) == (service, username):
                return p
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        with self.path.open("a") as f:
            f.write(f"{service}\t{username}\t{password}\n")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError(username)


class BrokenKeyring(keyring.backend.KeyringBackend):
    """A real keychain whose D-Bus call fails."""

    priority = 5

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringError("D-Bus: no reply")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("D-Bus: no reply")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringError("D-Bus: no reply")


UseBackend = Callable[[keyring.backend.KeyringBackend], None]


@pytest.fixture
def use_backend() -> Iterator[UseBackend]:
    previous = keyring.get_keyring()

    def use(backend: keyring.backend.KeyringBackend) -> None:
        keyring.set_keyring(backend)

    yield use
    keyring.set_keyring(previous)


def test_secrets_round_trip_in_the_os_keychain(memory_keyring: Any) -> None:
    chain = Keychain()

    chain.set("account:mastodon:@ville@paris.social", "tok-123456")

    assert chain.get("account:mastodon:@ville@paris.social") == "tok-123456"
    assert memory_keyring.items == {
        ("paris-desk", "account:mastodon:@ville@paris.social"): "tok-123456"
    }
    chain.delete("account:mastodon:@ville@paris.social")
    assert chain.get("account:mastodon:@ville@paris.social") is None


def test_deleting_a_missing_key_is_fine() -> None:
    Keychain().delete("account:nobody")


def test_services_are_separate() -> None:
    Keychain("paris-desk").set("account:x", "real-secret")

    assert Keychain("paris-desk-sandbox").get("account:x") is None


def test_no_keychain_is_refused(use_backend: UseBackend) -> None:
    use_backend(keyring.backends.fail.Keyring())
    chain = Keychain()

    with pytest.raises(KeychainUnavailable):
        chain.check()
    with pytest.raises(KeychainUnavailable):
        chain.set("account:x", "secret")
    with pytest.raises(KeychainUnavailable):
        chain.get("account:x")


def test_null_keychain_is_refused(use_backend: UseBackend) -> None:
    use_backend(keyring.backends.null.Keyring())

    with pytest.raises(KeychainUnavailable):
        Keychain().check()


def test_plaintext_file_backend_is_refused_and_never_written(
    use_backend: UseBackend, tmp_path: Path
) -> None:
    backend = PlaintextFileKeyring()
    backend.path = tmp_path / "keyring_pass.cfg"
    use_backend(backend)
    chain = Keychain()

    with pytest.raises(KeychainUnavailable):
        chain.check()
    with pytest.raises(KeychainUnavailable):
        chain.set("account:x", "secret-value")

    assert not backend.path.exists()
    assert "PlaintextFileKeyring" in chain.backend_name()


def chain_of(*backends: keyring.backend.KeyringBackend) -> keyring.backend.KeyringBackend:
    """What keyring picks when several backends are installed (e.g. keyrings.alt beside the
    Secret Service): a ChainerBackend, here over the given backends."""

    class Chain(keyring.backends.chainer.ChainerBackend):
        pass

    Chain.backends = list(backends)  # type: ignore[assignment,method-assign]
    return Chain()


def test_a_chain_uses_its_real_keychain_and_never_the_plaintext_file(
    use_backend: UseBackend, memory_keyring: Any, tmp_path: Path
) -> None:
    plaintext = PlaintextFileKeyring()
    plaintext.path = tmp_path / "keyring_pass.cfg"
    plaintext.set_password("paris-desk", "account:x", "stale-plaintext")
    use_backend(chain_of(memory_keyring, plaintext))
    chain = Keychain()

    assert chain.get("account:x") is None
    chain.set("account:x", "fresh")
    assert memory_keyring.items[("paris-desk", "account:x")] == "fresh"
    assert "fresh" not in plaintext.path.read_text()


def test_a_chain_of_plaintext_backends_only_is_refused(
    use_backend: UseBackend, tmp_path: Path
) -> None:
    plaintext = PlaintextFileKeyring()
    plaintext.path = tmp_path / "keyring_pass.cfg"
    use_backend(chain_of(plaintext, PlaintextFileKeyring()))

    with pytest.raises(KeychainUnavailable):
        Keychain().check()


def test_locked_keychain_raises_keychain_locked(memory_keyring: Any) -> None:
    Keychain().set("account:x", "secret")
    memory_keyring.locked = True
    chain = Keychain()

    chain.check()  # the backend is fine; it is the access that fails
    for call in (
        lambda: chain.get("account:x"),
        lambda: chain.set("account:x", "other"),
        lambda: chain.delete("account:x"),
        chain.verify_access,
    ):
        with pytest.raises(KeychainLocked):
            call()


def test_other_backend_failures_are_keychain_errors(use_backend: UseBackend) -> None:
    use_backend(BrokenKeyring())
    chain = Keychain()

    with pytest.raises(KeychainError):
        chain.get("account:x")
    with pytest.raises(KeychainError):
        chain.set("account:x", "value")
    with pytest.raises(KeychainError):
        chain.delete("account:x")


def test_every_secret_read_or_written_is_masked_in_logs(memory_keyring: Any) -> None:
    chain = Keychain()
    chain.set("account:a", "written-secret-42")
    memory_keyring.items[("paris-desk", "account:b")] = "read-secret-99"
    chain.get("account:b")

    assert redact("sent written-secret-42 and read-secret-99") == "sent *** and ***"


def test_backend_name_names_the_backend() -> None:
    assert "MemoryKeyring" in Keychain().backend_name()
