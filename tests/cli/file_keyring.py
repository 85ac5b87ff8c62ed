"""A keychain several ``paris-desk`` processes of one test share: a real keyring backend
(priority 10, like an OS keychain) kept in a JSON file named by ``PARIS_DESK_TEST_KEYRING``.
A child process picks it with ``PYTHON_KEYRING_BACKEND=file_keyring.FileKeyring`` and this
directory on ``PYTHONPATH``. Writes hold an exclusive lock (Bluesky sessions rotate while
several processes run). Test use only: secrets in a plain file."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path

import keyring.backend
import keyring.errors

ENV = "PARIS_DESK_TEST_KEYRING"


class FileKeyring(keyring.backend.KeyringBackend):
    priority = 10  # type: ignore[assignment]

    @property
    def path(self) -> Path:
        return Path(os.environ[ENV])

    @contextlib.contextmanager
    def _items(self, write: bool) -> Iterator[dict[str, str]]:
        lock = self.path.with_suffix(".lock")
        with lock.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX if write else fcntl.LOCK_SH)
            items = json.loads(self.path.read_text()) if self.path.exists() else {}
            yield items
            if write:
                temporary = self.path.with_suffix(".tmp")
                temporary.write_text(json.dumps(items))
                temporary.replace(self.path)

    def get_password(self, service: str, username: str) -> str | None:
        with self._items(write=False) as items:
            return items.get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._items(write=True) as items:
            items[f"{service}\n{username}"] = password

    def delete_password(self, service: str, username: str) -> None:
        with self._items(write=True) as items:
            if items.pop(f"{service}\n{username}", None) is None:
                raise keyring.errors.PasswordDeleteError(username)
