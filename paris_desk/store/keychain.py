"""The OS keychain, through ``keyring``: the only place a token, password or session is kept.

Only a *recommended* backend is used (priority ≥ 1: macOS Keychain, Windows Credential Locker,
Secret Service, KWallet). With none, every call raises ``KeychainUnavailable``; we never fall
back to keyrings.alt's plaintext or "encrypted" files (API_NOTES §0.6, §3.3). When keyring
picked its chainer, we use the best recommended backend of the chain directly, so a secret is
never read from a plaintext file chained behind the real keychain.

Keys: ``account:<account id>`` for an account's secret, ``app:<mastodon base_url>`` for a
Mastodon app's client credentials. Every secret read or written is registered for redaction.

One keychain per profile: a ``Keychain`` built with a ``namespace`` (the profile's random id,
:func:`profile_namespace`) stores ``key`` as ``profile:<namespace>/<key>``, so two profiles
(``PARIS_DESK_HOME``) holding the same account never read, overwrite or delete each other's
secret. Entries written before namespacing (bare ``key``) are copied in once per profile by
``services.accounts`` (:meth:`Keychain.get_legacy`).
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.chainer
import keyring.core
import keyring.errors

from paris_desk.core.errors import KeychainError, KeychainLocked, KeychainUnavailable
from paris_desk.store.profile import KEYCHAIN_SERVICE
from paris_desk.store.redaction import register_secret

log = logging.getLogger(__name__)

_REFUSED_MODULE_PREFIXES = ("keyrings.alt", "keyring.backends.fail", "keyring.backends.null")
_PROBE_KEY = "probe"
NAMESPACE_FILE = "keychain.json"


def account_key(account_id: str) -> str:
    return f"account:{account_id}"


def app_key(base_url: str) -> str:
    return f"app:{base_url}"


def profile_namespace(root: Path) -> str:
    """The random id that names this profile's keychain entries, created on first use in
    ``<root>/keychain.json`` (mode 0600). Moving the folder keeps it; a new folder gets a new
    one. A copied folder shares it: copy a profile only to move it."""
    state = read_namespace_state(root)
    namespace = state.get("namespace")
    if isinstance(namespace, str) and namespace:
        return namespace
    namespace = uuid.uuid4().hex
    write_namespace_state(root, {**state, "namespace": namespace})
    return namespace


def read_namespace_state(root: Path) -> dict[str, object]:
    try:
        data = json.loads((root / NAMESPACE_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        # Unreadable: a new namespace; the account secrets then look absent ("sign in again"),
        # which is safe, never another profile's secrets.
        log.warning("keychain: %s unreadable (%s); starting a new namespace", NAMESPACE_FILE, exc)
        return {}
    return data if isinstance(data, dict) else {}


def write_namespace_state(root: Path, state: dict[str, object]) -> None:
    """Replace ``<root>/keychain.json`` atomically, readable by the user only."""
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = root / (NAMESPACE_FILE + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        json.dump(state, stream)
        stream.flush()
        os.fsync(stream.fileno())
    tmp.replace(root / NAMESPACE_FILE)


def _usable(backend: keyring.backend.KeyringBackend) -> bool:
    module = type(backend).__module__
    return keyring.core.recommended(backend) and not module.startswith(_REFUSED_MODULE_PREFIXES)


def _name(backend: keyring.backend.KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__} (priority {backend.priority})"


class Keychain:
    def __init__(self, service: str = KEYCHAIN_SERVICE, namespace: str = "") -> None:
        self.service = service
        self.namespace = namespace

    def entry_name(self, key: str) -> str:
        """The user name under which ``key`` is stored in the OS keychain."""
        return f"profile:{self.namespace}/{key}" if self.namespace else key

    # -- diagnostics -----------------------------------------------------------------------

    def backend_name(self) -> str:
        """The backend keyring chose, for the diagnostics page (never raises)."""
        backend = keyring.get_keyring()
        if isinstance(backend, keyring.backends.chainer.ChainerBackend):
            chained = ", ".join(_name(b) for b in backend.backends)
            return f"{_name(backend)} [{chained}]"
        return _name(backend)

    def check(self) -> None:
        """Raise ``KeychainUnavailable`` unless an OS keychain is usable. No prompt, no I/O."""
        self._backend()

    def verify_access(self) -> None:
        """``check()``, then one read, so a locked keychain (``KeychainLocked``) shows up before
        a sign-in spends a network round trip. May make the OS ask the user to unlock it."""
        self.get(_PROBE_KEY)

    # -- secrets ---------------------------------------------------------------------------

    def get(self, key: str) -> str | None:
        return self._get(self.entry_name(key))

    def get_legacy(self, key: str) -> str | None:
        """``key`` as stored before namespacing (shared by every profile of this service)."""
        return self._get(key) if self.namespace else None

    def delete_legacy(self, key: str) -> None:
        if self.namespace:
            self._delete(key)

    def set(self, key: str, value: str) -> None:
        register_secret(value)
        backend = self._backend()
        try:
            backend.set_password(self.service, self.entry_name(key), value)
        except (keyring.errors.KeyringError, OSError) as exc:
            raise _translate(exc, "write", key) from exc
        log.debug("keychain: stored %s", key)

    def delete(self, key: str) -> None:
        """Remove ``key``; a key that is not there is fine."""
        self._delete(self.entry_name(key))

    def _get(self, key: str) -> str | None:
        backend = self._backend()
        try:
            value = backend.get_password(self.service, key)
        except (keyring.errors.KeyringError, OSError) as exc:
            raise _translate(exc, "read", key) from exc
        register_secret(value)
        return value

    def _delete(self, key: str) -> None:
        backend = self._backend()
        try:
            backend.delete_password(self.service, key)
        except keyring.errors.PasswordDeleteError:
            log.debug("keychain: %s was not stored", key)
            return
        except (keyring.errors.KeyringError, OSError) as exc:
            raise _translate(exc, "delete", key) from exc
        log.debug("keychain: deleted %s", key)

    def _backend(self) -> keyring.backend.KeyringBackend:
        chosen: keyring.backend.KeyringBackend = keyring.get_keyring()
        if isinstance(chosen, keyring.backends.chainer.ChainerBackend):
            usable: list[keyring.backend.KeyringBackend] = [
                b for b in chosen.backends if _usable(b)
            ]
            if usable:
                return usable[0]  # the chain is sorted by priority, best first
        elif _usable(chosen):
            return chosen
        raise KeychainUnavailable(f"no usable OS keychain (keyring chose {self.backend_name()})")


def _translate(exc: Exception, action: str, key: str) -> KeychainError:
    log.info("keychain: %s of %s failed: %s", action, key, type(exc).__name__)
    if isinstance(exc, keyring.errors.KeyringLocked):
        return KeychainLocked(f"keychain locked ({action} {key})")
    if isinstance(exc, keyring.errors.NoKeyringError):
        return KeychainUnavailable(f"no keychain ({action} {key})")
    return KeychainError(f"keychain {action} of {key} failed: {exc}")
