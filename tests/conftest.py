"""Test configuration shared by every tier.

Qt runs offscreen; the keychain is an in-memory backend (never the machine's real keychain);
every test gets its own profile directory through PARIS_DESK_HOME.

No test times anything (tests/test_house_rules.py checks it): a test that protects "in
parallel" or "gives up at its deadline" asserts what the servers saw, through ``RequestGate``
(the ``request_gate`` fixture); timeouts are only guards against hanging, ``HANG_GUARD_S``.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_ACCESSIBILITY", "1")

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Self

import keyring
import keyring.backend
import keyring.errors
import pytest

HANG_GUARD_S = 30.0
"""How long a test waits for something that normally takes milliseconds before calling it hung."""


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
def no_registered_secrets() -> Iterator[None]:
    """Every secret the keychain sees is masked in the logs from then on, process-wide: a test
    that stored "fresh" would turn another test's "refreshed" into "re***ed". Each test starts
    and ends with none."""
    from paris_desk.store.redaction import forget_registered_secrets

    forget_registered_secrets()
    yield
    forget_registered_secrets()


@pytest.fixture(autouse=True)
def profile_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "profile"
    home.mkdir()
    monkeypatch.setenv("PARIS_DESK_HOME", str(home))
    return home


@contextlib.contextmanager
def serving(server: Any) -> Iterator[Any]:
    """Start a sandbox server; at the end stop it and hang up on the connections its clients
    kept open (HTTP keep-alive), so that no handler thread outlives the test."""
    httpd = server._httpd
    accepted: list[socket.socket] = []
    get_request = httpd.get_request

    def recording() -> tuple[socket.socket, Any]:
        connection, address = get_request()
        accepted.append(connection)
        return connection, address

    httpd.get_request = recording
    server.start()
    try:
        yield server
    finally:
        server.stop()
        for connection in accepted:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def mastodon_sandbox() -> Iterator[object]:
    """A fresh Mastodon sandbox server on 127.0.0.1 (seeded, deterministic)."""
    from paris_desk.sandbox.mastodon import MastodonSandbox

    with serving(MastodonSandbox(port=0, seed=1)) as server:
        yield server


@pytest.fixture
def bluesky_sandbox() -> Iterator[object]:
    """A fresh Bluesky sandbox server (PDS + AppView views) on 127.0.0.1."""
    from paris_desk.sandbox.bluesky import BlueskySandbox

    with serving(BlueskySandbox(port=0, seed=1)) as server:
        yield server


class RequestGate:
    """Watches and holds the requests a sandbox server handles: wraps the servers' ``dispatch``
    (after the latency knob, before the server's lock), for the requests matching ``method`` and
    the ``path`` regex (searched).

    - ``peak``: the most matching requests being handled at once; ``seen``: how many came.
    - ``together=n``: each matching request waits there until n of them are in at once, then
      all go on. A client that sends n requests in parallel passes straight through; one that
      sends them one after the other is held until ``guard`` seconds (a hang guard, never
      reached when all is well) and leaves ``peak`` below n.
    - ``together=None``: matching requests wait until ``release()`` (or the guard): a test can
      check that a client gave up on a request the server still holds.

    On exit every held request is let go and the gate waits (``guard``) until the server has
    finished with them, so no handler thread outlives the test.
    """

    def __init__(self, *servers: Any, method: str = "", path: str = "",
                 together: int | None = None, guard: float = HANG_GUARD_S) -> None:
        self.servers = servers
        self.method = method.upper()
        self.path = re.compile(path)
        self.together = together
        self.guard = guard
        self.peak = 0
        self.seen = 0
        self.active = 0
        self.waiting = 0
        self.released = False
        self._cond = threading.Condition()

    def matches(self, method: str, path: str) -> bool:
        return (not self.method or method == self.method) and self.path.search(path) is not None

    def __enter__(self) -> Self:
        for server in self.servers:
            server.dispatch = self._wrap(type(server).dispatch.__get__(server))
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
        with self._cond:
            self._cond.wait_for(lambda: self.active == 0, timeout=self.guard)
        for server in self.servers:
            del server.dispatch

    def release(self) -> None:
        with self._cond:
            self.released = True
            self._cond.notify_all()

    def wait_held(self, count: int = 1) -> bool:
        """Block until ``count`` matching requests are being held (False after the guard)."""
        with self._cond:
            return self._cond.wait_for(lambda: self.waiting >= count, timeout=self.guard)

    def _open(self) -> bool:
        if self.together is None:
            return self.released
        return self.released or self.peak >= self.together

    def _wrap(self, dispatch: Callable[[Any], Any]) -> Callable[[Any], Any]:
        def gated(req: Any) -> Any:
            if not self.matches(req.method, req.path):
                return dispatch(req)
            with self._cond:
                self.seen += 1
                self.active += 1
                self.peak = max(self.peak, self.active)
                self.waiting += 1
                self._cond.notify_all()
                self._cond.wait_for(self._open, timeout=self.guard)
                self.waiting -= 1
            try:
                return dispatch(req)
            finally:
                with self._cond:
                    self.active -= 1
                    self._cond.notify_all()

        return gated


@pytest.fixture
def request_gate() -> Callable[..., RequestGate]:
    """``request_gate(*servers, method=..., path=..., together=n)``: a ``RequestGate``."""
    return RequestGate
