"""Where one user's data lives: the database, logs, cache and settings of one profile.

The sandbox profile is a separate directory *and* a separate keychain service, so a trainee
working against the local sandbox servers never reads or overwrites a real account's token.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "paris-desk"
HOME_ENV = "PARIS_DESK_HOME"
KEYCHAIN_SERVICE = "paris-desk"
SANDBOX_KEYCHAIN_SERVICE = "paris-desk-sandbox"


@dataclass(frozen=True, slots=True)
class Profile:
    root: Path
    keychain_service: str = KEYCHAIN_SERVICE

    @property
    def db_path(self) -> Path:
        return self.root / "paris_desk.sqlite3"

    @property
    def log_dir(self) -> Path:
        return self.root / "logs"

    @property
    def cache_dir(self) -> Path:
        return self.root / "cache"

    @property
    def settings_path(self) -> Path:
        return self.root / "settings.json"

    @property
    def is_sandbox(self) -> bool:
        return self.keychain_service == SANDBOX_KEYCHAIN_SERVICE

    @classmethod
    def default(cls) -> Profile:
        """``$PARIS_DESK_HOME`` when set, else the platform's user data dir for paris-desk."""
        home = os.environ.get(HOME_ENV)
        root = Path(home) if home else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        return cls(root)

    @classmethod
    def sandbox(cls) -> Profile:
        """The training profile: ``<default root>/sandbox``, with its own keychain service."""
        return cls(cls.default().root / "sandbox", keychain_service=SANDBOX_KEYCHAIN_SERVICE)

    def ensure(self) -> Profile:
        """Create the profile's directories, readable by the user only (mode 0700)."""
        for path in (self.root, self.log_dir, self.cache_dir):
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
            path.chmod(0o700)  # mkdir's mode is filtered by the umask; chmod is not
        return self
