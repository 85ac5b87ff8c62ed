"""Where one user's data lives: the database, logs, cache and settings of one profile.

The sandbox profile is a separate directory *and* a separate keychain service, so a trainee
working against the local sandbox servers never reads or overwrites a real account's token.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import platformdirs

log = logging.getLogger(__name__)

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
        """Create the profile's directories and check what is on disk (:meth:`secure`).

        What paris_desk creates later is private from the start: the database and its WAL/SHM
        (``store.db``), the logs (``services.logging_setup``), the keychain id, cached images."""
        for path in (self.root, self.log_dir, self.cache_dir):
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.secure()
        return self

    def secure(self) -> list[Path]:
        """Directories 0700; the database, its WAL/SHM, logs, settings and keychain id 0600.

        Anything more open is fixed, with a warning (another user of the machine could have
        read the cache, drafts or logs). Returns the paths fixed. No-op outside POSIX."""
        if os.name != "posix":
            return []
        fixed = [d for d in self._directories() if _restrict(d, 0o700)]
        fixed += [f for f in self._private_files() if _restrict(f, 0o600)]
        return fixed

    def _directories(self) -> list[Path]:
        images = self.cache_dir / "images"
        return [self.root, self.log_dir, self.cache_dir, *([images] if images.is_dir() else [])]

    def _private_files(self) -> list[Path]:
        """Every file at the top of the profile (the database and its WAL/SHM, settings.ini,
        the keychain id, a damaged copy…) and every log."""
        files: list[Path] = []
        for directory in (self.root, self.log_dir):
            with contextlib.suppress(OSError):
                files += sorted(p for p in directory.iterdir() if p.is_file())
        return files


def _restrict(path: Path, mode: int) -> bool:
    """chmod ``path`` to ``mode`` if it grants more; True when it was changed."""
    try:
        current = stat.S_IMODE(path.lstat().st_mode)
        if stat.S_ISLNK(path.lstat().st_mode) or not current & ~mode & 0o777:
            return False
        path.chmod(mode)
    except FileNotFoundError:
        return False
    except OSError as exc:
        log.warning("cannot restrict %s to %o: %s", path, mode, exc)
        return False
    log.warning("%s was readable by others (mode %o): now %o", path, current, mode)
    return True
