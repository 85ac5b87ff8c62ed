"""The user's preferences, in ``settings.ini`` in the profile (QSettings, INI format).

``Settings`` is a typed wrapper: each preference is a property that reads the file's text
value back into its type (an INI file read by a new process gives strings only: ``"true"``,
``"120"``, ``"a, b"``) and falls back to its default when the value is missing or not one we
know (a hand-edited file). Setting a new value writes it at once and emits ``changed`` with
the preference's name, so the views that follow it (timeline timer, tray, composer, theme)
apply it while the app runs.

The settings live in the user's real profile, shared by the sandbox mode, like the language
did before in ``settings.json`` (migrated on first open).
"""

from __future__ import annotations

import enum
import json
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, QSettings, Signal

from paris_desk.channels.transport import ProxyMode, normalize_proxy_url
from paris_desk.core.model import NotificationKind, Visibility

log = logging.getLogger(__name__)

FILE_NAME = "settings.ini"
LEGACY_FILE_NAME = "settings.json"  # the language choice, before QSettings

UI_LANGUAGES = ("fr", "en")
REFRESH_CHOICES = (0, 60, 120, 300, 900)  # seconds; 0: never (the timeline's menu offers these)
DEFAULT_REFRESH_S = 120
NOTIFIABLE = (
    NotificationKind.MENTION,
    NotificationKind.REPLY,
    NotificationKind.QUOTE,
    NotificationKind.FOLLOW,
    NotificationKind.LIKE,
    NotificationKind.REPOST,
)
DEFAULT_NOTIFIED = frozenset(
    {NotificationKind.MENTION, NotificationKind.REPLY, NotificationKind.QUOTE}
)
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
E = TypeVar("E", bound=enum.StrEnum)


class Theme(enum.StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


class ThreadSplit(enum.StrEnum):
    """What the composer does with a text over an account's limit."""

    ASK = "ask"  # offer "Split into a thread"; the user decides
    SPLIT = "split"  # split into a numbered thread without asking
    NEVER = "never"  # never split: the text must be shortened


# Keys in the INI file (group/name). Renaming one loses the users' choice: add a migration.
REFRESH_KEY = "timeline/refresh_seconds"
CONFIRM_SHARES_KEY = "timeline/confirm_shares"
NOTIFY_GROUP = "notifications"
LANGUAGE_KEY = "composer/language"
VISIBILITY_KEY = "composer/visibility"
TARGETS_KEY = "composer/targets"
THREAD_KEY = "composer/thread_split"
THEME_KEY = "appearance/theme"
UI_LANGUAGE_KEY = "interface/language"
WELCOME_KEY = "first_run/welcome_seen"
PROXY_MODE_KEY = "network/proxy_mode"
PROXY_URL_KEY = "network/proxy_url"


class Settings(QObject):
    """Typed access to ``<profile>/settings.ini``. Create and use it on the GUI thread."""

    changed = Signal(str)  # the key that changed (one of the *_KEY constants, or NOTIFY_GROUP)

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)

    @classmethod
    def open(cls, profile_root: Path, parent: QObject | None = None) -> Settings:
        """The settings of the profile at ``profile_root``; migrates the old ``settings.json``
        language choice the first time."""
        settings = cls(profile_root / FILE_NAME, parent)
        settings._migrate_legacy(profile_root / LEGACY_FILE_NAME)
        return settings

    # -- timeline ----------------------------------------------------------------------------

    @property
    def refresh_interval(self) -> int:
        """Seconds between automatic timeline refreshes; 0 means never."""
        value = _as_int(self._qs.value(REFRESH_KEY))
        return value if value in REFRESH_CHOICES else DEFAULT_REFRESH_S

    @property
    def confirm_shares(self) -> bool:
        """Ask before a share (boost, repost), naming the account; on unless turned off."""
        return _as_bool(self._qs.value(CONFIRM_SHARES_KEY)) is not False

    def set_confirm_shares(self, confirm: bool) -> None:
        self._set(CONFIRM_SHARES_KEY, bool(confirm), self.confirm_shares)

    def set_refresh_interval(self, seconds: int) -> None:
        if seconds not in REFRESH_CHOICES:
            raise ValueError(f"refresh interval {seconds!r} is not one of {REFRESH_CHOICES}")
        self._set(REFRESH_KEY, seconds, self.refresh_interval)

    # -- desktop notifications ---------------------------------------------------------------

    def notifies(self, kind: NotificationKind) -> bool:
        """Whether a desktop notification is shown for a new ``kind`` notification."""
        if kind not in NOTIFIABLE:
            return False
        value = _as_bool(self._qs.value(f"{NOTIFY_GROUP}/{kind.value}"))
        return kind in DEFAULT_NOTIFIED if value is None else value

    def notified_kinds(self) -> frozenset[NotificationKind]:
        return frozenset(kind for kind in NOTIFIABLE if self.notifies(kind))

    def set_notified_kinds(self, kinds: Iterable[NotificationKind]) -> None:
        wanted = frozenset(kinds)
        if wanted == self.notified_kinds():
            return
        for kind in NOTIFIABLE:
            self._qs.setValue(f"{NOTIFY_GROUP}/{kind.value}", kind in wanted)
        self._written(NOTIFY_GROUP)

    # -- composer ----------------------------------------------------------------------------

    @property
    def default_language(self) -> str:
        """The language a new post is marked with (ISO 639 code)."""
        value = self._qs.value(LANGUAGE_KEY)
        if isinstance(value, str) and _LANGUAGE_CODE.fullmatch(value):
            return value
        return "fr"

    def set_default_language(self, code: str) -> None:
        if not _LANGUAGE_CODE.fullmatch(code):
            raise ValueError(f"not a language code: {code!r}")
        self._set(LANGUAGE_KEY, code, self.default_language)

    @property
    def default_visibility(self) -> Visibility:
        return _as_enum(Visibility, self._qs.value(VISIBILITY_KEY), Visibility.PUBLIC)

    def set_default_visibility(self, visibility: Visibility) -> None:
        self._set(VISIBILITY_KEY, Visibility(visibility).value, self.default_visibility.value)

    @property
    def default_targets(self) -> tuple[str, ...]:
        """The account ids checked in a new composer."""
        return _as_list(self._qs.value(TARGETS_KEY))

    def set_default_targets(self, account_ids: Iterable[str]) -> None:
        ids = tuple(dict.fromkeys(account_ids))
        if ids != self.default_targets:
            self._qs.setValue(TARGETS_KEY, list(ids))
            self._written(TARGETS_KEY)

    @property
    def thread_split(self) -> ThreadSplit:
        return _as_enum(ThreadSplit, self._qs.value(THREAD_KEY), ThreadSplit.ASK)

    def set_thread_split(self, behaviour: ThreadSplit) -> None:
        self._set(THREAD_KEY, ThreadSplit(behaviour).value, self.thread_split.value)

    # -- interface ---------------------------------------------------------------------------

    @property
    def theme(self) -> Theme:
        return _as_enum(Theme, self._qs.value(THEME_KEY), Theme.SYSTEM)

    def set_theme(self, theme: Theme) -> None:
        self._set(THEME_KEY, Theme(theme).value, self.theme.value)

    @property
    def ui_language(self) -> str | None:
        """"fr" or "en" when chosen; None: follow the system."""
        value = self._qs.value(UI_LANGUAGE_KEY)
        return value if value in UI_LANGUAGES else None

    def set_ui_language(self, language: str | None) -> None:
        """Takes effect at the next start (Qt translators are installed before any widget)."""
        if language is not None and language not in UI_LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        if language == self.ui_language:
            return
        if language is None:
            self._qs.remove(UI_LANGUAGE_KEY)
        else:
            self._qs.setValue(UI_LANGUAGE_KEY, language)
        self._written(UI_LANGUAGE_KEY)

    # -- network -----------------------------------------------------------------------------

    @property
    def proxy_mode(self) -> ProxyMode:
        """System (the default: the OS and the environment decide), none, or manual."""
        return _as_enum(ProxyMode, self._qs.value(PROXY_MODE_KEY), ProxyMode.SYSTEM)

    @property
    def proxy_url(self) -> str:
        """The manual proxy's address (``http://host:port``), never with credentials."""
        value = self._qs.value(PROXY_URL_KEY)
        return value if isinstance(value, str) and _valid_proxy(value) else ""

    @staticmethod
    def check_proxy_url(text: str) -> bool:
        """True when ``text`` is an address ``set_proxy`` accepts for a manual proxy."""
        return bool(text.strip()) and _valid_proxy(normalize_proxy_url(text))

    def set_proxy(self, mode: ProxyMode, url: str = "") -> None:
        """Raises ValueError for an address that is not ``[http://]host:port``, or that holds a
        user or password: settings.ini is plain text, credentials go to no file."""
        mode = ProxyMode(mode)
        url = normalize_proxy_url(url) if url.strip() else ""
        if url and not _valid_proxy(url):
            raise ValueError(f"not a proxy address without credentials: {url!r}")
        if mode is ProxyMode.MANUAL and not url:
            raise ValueError("a manual proxy needs an address")
        if (mode, url) == (self.proxy_mode, self.proxy_url):
            return
        self._qs.setValue(PROXY_MODE_KEY, mode.value)
        self._qs.setValue(PROXY_URL_KEY, url)
        self._written(PROXY_MODE_KEY)

    @property
    def welcome_seen(self) -> bool:
        return _as_bool(self._qs.value(WELCOME_KEY)) is True

    def set_welcome_seen(self, seen: bool = True) -> None:
        self._set(WELCOME_KEY, bool(seen), self.welcome_seen)

    # -- internals ---------------------------------------------------------------------------

    def sync(self) -> None:
        """Write pending changes to disk now (setters already do)."""
        self._qs.sync()

    def _set(self, key: str, value: object, current: object) -> None:
        if value == current:
            return
        self._qs.setValue(key, value)
        self._written(key)

    def _written(self, key: str) -> None:
        self._qs.sync()
        if self._qs.status() != QSettings.Status.NoError:
            log.warning("could not write %s (%s)", self.path, self._qs.status().name)
        self.changed.emit(key)

    def _migrate_legacy(self, legacy: Path) -> None:
        """Move the language saved in ``settings.json`` (before QSettings) into the INI file,
        then drop it from the JSON file (deleted once empty)."""
        try:
            data = json.loads(legacy.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            log.info("ignoring unreadable %s: %s", legacy.name, exc)
            return
        if not isinstance(data, dict) or "language" not in data:
            return
        language = data.pop("language")
        if self.ui_language is None and language in UI_LANGUAGES:
            self._qs.setValue(UI_LANGUAGE_KEY, language)
            self._qs.sync()
        try:
            if data:
                legacy.write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
            else:
                legacy.unlink()
        except OSError as exc:
            log.info("could not tidy %s after migrating it: %s", legacy.name, exc)
            return
        log.info("migrated the language choice from %s to %s", legacy.name, self.path.name)


def _as_int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def _as_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    return None


def _as_list(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value if str(v))
    return ()


def _as_enum(kind: type[E], value: object, default: E) -> E:
    try:
        return kind(str(value))
    except ValueError:
        return default


def _valid_proxy(url: str) -> bool:
    """``http(s)://host:port`` with no user, password, path or query."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and "@" not in parts.netloc
        and port is not None
        and parts.path in ("", "/")
        and not parts.query
    )
