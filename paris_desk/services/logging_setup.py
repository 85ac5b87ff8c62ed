"""Logging for the app and the CLI: a rotating file in the profile, a RAM ring buffer for the
diagnostics page, and a redacting filter on both as a second net under "never log a secret".

Modules log with ``logging.getLogger(__name__)``; accounts as ``handle@server``, requests as
method, path, status and ms. The filter masks what slips through anyway (see
``paris_desk.store.redaction``), including secrets registered at run time by the keychain.
"""

from __future__ import annotations

import collections
import logging
import logging.handlers
import os
import threading
from typing import Any

from paris_desk.store.profile import Profile
from paris_desk.store.redaction import redact, register_secret

__all__ = ["RedactingFilter", "RingBufferHandler", "register_secret", "setup_logging"]

LOG_FILE_NAME = "paris-desk.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
RING_SIZE = 500
FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"

_installed: list[logging.Handler] = []
_previous_level: list[int] = []  # the root level before the first setup_logging
_install_lock = threading.Lock()


class RedactingFilter(logging.Filter):
    """Rewrites each record with its secrets masked: message, arguments, traceback, stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_paris_desk_redacted", False):
            return True
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        record._paris_desk_redacted = True
        return True


class RingBufferHandler(logging.Handler):
    """Keeps the last ``capacity`` formatted records in memory (qutebrowser's RAMHandler)."""

    def __init__(self, capacity: int = RING_SIZE) -> None:
        super().__init__()
        self._lines: collections.deque[str] = collections.deque(maxlen=capacity)
        self._lines_lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:  # noqa: BLE001 - logging must never raise; same as logging.Handler
            self.handleError(record)
            return
        with self._lines_lock:
            self._lines.append(line)

    def lines(self) -> list[str]:
        with self._lines_lock:
            return list(self._lines)

    def dump(self) -> str:
        return "\n".join(self.lines())


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Each log file, the rotated ones included, is created readable by the user only."""

    def _open(self) -> Any:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: PTH123


def setup_logging(profile: Profile, level: int | str = logging.INFO) -> RingBufferHandler:
    """Install the file and ring-buffer handlers on the root logger (replacing ours from an
    earlier call). Returns the ring buffer, for the diagnostics page and crash reports."""
    profile.ensure()
    formatter = logging.Formatter(FORMAT)
    redactor = RedactingFilter()
    file_handler = PrivateRotatingFileHandler(
        profile.log_dir / LOG_FILE_NAME,
        maxBytes=MAX_BYTES,
        backupCount=BACKUP_COUNT,
        encoding="utf-8",
    )
    ring = RingBufferHandler()
    root = logging.getLogger()
    with _install_lock:
        for old in _installed:
            root.removeHandler(old)
            old.close()
        _installed.clear()
        if not _previous_level:
            _previous_level.append(root.level)
        for handler in (file_handler, ring):
            handler.setFormatter(formatter)
            handler.addFilter(redactor)
            root.addHandler(handler)
            _installed.append(handler)
    root.setLevel(level)
    logging.getLogger(__name__).debug("logging to %s", file_handler.baseFilename)
    return ring


def ring_buffer() -> RingBufferHandler | None:
    """The ring buffer installed by ``setup_logging``, if any."""
    with _install_lock:
        return next((h for h in _installed if isinstance(h, RingBufferHandler)), None)


def teardown_logging() -> None:
    """Remove and close the handlers ``setup_logging`` installed and restore the root level
    (tests, the end of a CLI command)."""
    root = logging.getLogger()
    with _install_lock:
        for handler in _installed:
            root.removeHandler(handler)
            handler.close()
        _installed.clear()
        if _previous_level:
            root.setLevel(_previous_level.pop())
