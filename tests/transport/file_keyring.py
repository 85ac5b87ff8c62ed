"""A keyring backend for ``paris-desk`` run as a subprocess in tests: a JSON file named by
``PARIS_DESK_TEST_KEYRING`` (in the test's tmp folder), priority 10 like an OS keychain.

Chosen with ``PYTHON_KEYRING_BACKEND=file_keyring.FileKeyring`` and this folder on
``PYTHONPATH``: keyring's own way to name a backend, so ``paris_desk`` runs unchanged.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring.backend
import keyring.errors


class FileKeyring(keyring.backend.KeyringBackend):
    priority = 10  # type: ignore[assignment]

    @property
    def _path(self) -> Path:
        return Path(os.environ["PARIS_DESK_TEST_KEYRING"])

    def _load(self) -> dict[str, str]:
        try:
            return dict(json.loads(self._path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        items = self._load()
        items[f"{service}\n{username}"] = password
        self._path.write_text(json.dumps(items), encoding="utf-8")

    def delete_password(self, service: str, username: str) -> None:
        items = self._load()
        if items.pop(f"{service}\n{username}", None) is None:
            raise keyring.errors.PasswordDeleteError(username)
        self._path.write_text(json.dumps(items), encoding="utf-8")
