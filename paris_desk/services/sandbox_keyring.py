"""An in-memory keychain for the sandbox profile, used only when the machine has no OS keychain.

The sandbox's credentials are throwaway by design (``paris-desk sandbox serve`` prints them),
and they are re-added at every start because the sandbox ports change. They live in this
process's memory and nowhere else. The backend refuses every other keychain service, so a real
account's secret can never land here: adding a real account still fails with
``KeychainUnavailable``, as it must without an OS keychain.
"""

from __future__ import annotations

import logging
import threading

import keyring
import keyring.backend
import keyring.errors

from paris_desk.core.errors import KeychainUnavailable
from paris_desk.store.keychain import Keychain
from paris_desk.store.profile import SANDBOX_KEYCHAIN_SERVICE

log = logging.getLogger(__name__)


class SandboxKeyring(keyring.backend.KeyringBackend):
    """Secrets of the sandbox keychain service, in a dict guarded by a lock."""

    priority = 1  # "recommended", so store.keychain accepts it

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._items: dict[str, str] = {}
        self._lock = threading.Lock()

    def _check(self, service: str) -> None:
        if service != SANDBOX_KEYCHAIN_SERVICE:
            raise keyring.errors.NoKeyringError(
                "no OS keychain: the in-memory sandbox keychain holds sandbox secrets only"
            )

    def get_password(self, service: str, username: str) -> str | None:
        self._check(service)
        with self._lock:
            return self._items.get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self._check(service)
        with self._lock:
            self._items[username] = password

    def delete_password(self, service: str, username: str) -> None:
        self._check(service)
        with self._lock:
            if self._items.pop(username, None) is None:
                raise keyring.errors.PasswordDeleteError(username)


def system_keychain_available() -> bool:
    """True when an OS keychain can hold real credentials (no prompt, no I/O).

    Ask before ``install()``: afterwards the sandbox backend answers (for its service only).
    """
    try:
        Keychain().check()
    except KeychainUnavailable:
        return False
    return True


def install() -> None:
    """Make ``SandboxKeyring`` the process's keyring backend (call only when
    ``system_keychain_available()`` was False, before any sandbox account is added)."""
    keyring.set_keyring(SandboxKeyring())
    log.info("no OS keychain: sandbox credentials are kept in memory only")
