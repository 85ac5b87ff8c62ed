"""Test configuration shared by every tier.

Qt runs offscreen; the keychain is an in-memory backend (never the machine's real keychain);
every test gets its own profile directory through PARIS_DESK_HOME.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_ACCESSIBILITY", "1")

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import pytest


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A real keyring backend kept in a dict, with priority 10 like an OS keychain."""

    priority = 10  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}
        self.locked = False

    def _check(self) -> None:
        if self.locked:
            raise keyring.errors.KeyringLocked("keychain locked (test)")

    def get_password(self, service: str, username: str) -> str | None:
        self._check()
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._check()
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._check()
        try:
            del self.items[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError(username) from None


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def profile_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "profile"
    home.mkdir()
    monkeypatch.setenv("PARIS_DESK_HOME", str(home))
    return home


@pytest.fixture
def mastodon_sandbox() -> Iterator[object]:
    """A fresh Mastodon sandbox server on 127.0.0.1 (seeded, deterministic)."""
    from paris_desk.sandbox.mastodon import MastodonSandbox

    server = MastodonSandbox(port=0, seed=1).start()
    yield server
    server.stop()


@pytest.fixture
def bluesky_sandbox() -> Iterator[object]:
    """A fresh Bluesky sandbox server (PDS + AppView views) on 127.0.0.1."""
    from paris_desk.sandbox.bluesky import BlueskySandbox

    server = BlueskySandbox(port=0, seed=1).start()
    yield server
    server.stop()
