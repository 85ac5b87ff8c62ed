"""The profile's SQLite database: one connection, WAL, numbered migrations, typed failures.

After qutebrowser's ``misc/sql.py``: failures the environment causes (disk full, database
locked by another process, corrupt file) become ``KnownStoreError`` with a ``code`` the UI turns
into a sentence; anything else is our bug (``StoreBugError``: bad SQL, constraint violated).

Durability. The connection runs ``journal_mode=WAL`` with ``synchronous=NORMAL``: a commit
survives a crash of the app but the last commits may be lost on power failure or OS crash (the
WAL is only fsynced at checkpoints). That is right for the posts cache (re-fetched anyway) and
cheap for its frequent batch writes. Writes that must survive power loss (an outbox row and its
idempotency key, committed *before* the network call; a saved draft) use
``transaction(durable=True)``, which runs that commit with ``synchronous=FULL``: SQLite then
fsyncs the WAL at commit, which also makes every earlier commit durable (one file, one fsync).

Threading: one connection per ``Database``, opened with ``check_same_thread=False`` and guarded
by a re-entrant lock: every statement and every transaction runs under it, so the threads of
one process (the window's writer thread, the outbox's senders, the timeline's cache writes)
take turns; between processes (the window and a ``paris-desk`` command on one profile)
SQLite's own lock does, with ``BUSY_TIMEOUT_MS``. A transaction opened inside another on the
same thread joins it (``transaction``).
"""

from __future__ import annotations

import enum
import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from paris_desk.core.errors import StoreError
from paris_desk.store.migrations import MIGRATIONS

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
Params = Sequence[Any] | dict[str, Any]


class StoreErrorCode(enum.StrEnum):
    DISK_FULL = "disk_full"
    LOCKED = "locked"  # another process holds the database longer than the busy timeout
    CORRUPT = "corrupt"  # damaged file, or not a database at all
    READ_ONLY = "read_only"  # no write permission on the file or directory
    IO = "io"  # the disk failed to read or write
    TOO_NEW = "too_new"  # written by a newer paris_desk: we must not touch it
    EMPTY = "empty"  # the file exists but holds 0 bytes: never silently taken as a new profile


class KnownStoreError(StoreError):
    """The environment's fault: tell the user (``code``), no crash report."""

    def __init__(self, code: StoreErrorCode, message: str = "") -> None:
        super().__init__(message or code.value)
        self.code = code


class StoreBugError(StoreError):
    """Our fault (bad SQL, violated constraint, misuse of the API): report it as a bug."""


_KNOWN_CODES: dict[int, StoreErrorCode] = {
    sqlite3.SQLITE_FULL: StoreErrorCode.DISK_FULL,
    sqlite3.SQLITE_BUSY: StoreErrorCode.LOCKED,
    sqlite3.SQLITE_LOCKED: StoreErrorCode.LOCKED,
    sqlite3.SQLITE_CORRUPT: StoreErrorCode.CORRUPT,
    sqlite3.SQLITE_NOTADB: StoreErrorCode.CORRUPT,
    sqlite3.SQLITE_READONLY: StoreErrorCode.READ_ONLY,
    sqlite3.SQLITE_PERM: StoreErrorCode.READ_ONLY,
    sqlite3.SQLITE_CANTOPEN: StoreErrorCode.READ_ONLY,
    sqlite3.SQLITE_IOERR: StoreErrorCode.IO,
}


def _refuse_empty(path: Path) -> None:
    """A database file of 0 bytes (an interrupted copy, a full disk, a truncation) is refused:
    opening it would silently start a new, empty profile. ``store.recovery`` sets it aside."""
    try:
        empty = path.is_file() and path.stat().st_size == 0
        wal = path.with_name(path.name + "-wal")
        empty = empty and not (wal.is_file() and wal.stat().st_size > 0)
    except OSError:
        return  # sqlite3 will say what is wrong
    if empty:
        raise KnownStoreError(StoreErrorCode.EMPTY, f"empty database file: {path}")


def corrupt_marker(path: Path) -> Path:
    """The file that says a query found ``path`` damaged (removed by ``store.recovery``)."""
    return path.with_name(path.name + ".corrupt")


def _refuse_marked(path: Path) -> None:
    if corrupt_marker(path).exists() and path.exists():
        raise KnownStoreError(
            StoreErrorCode.CORRUPT, f"{path.name} was found damaged by an earlier query"
        )


def make_private(path: Path) -> None:
    """The database and its WAL/SHM files readable by the user only (0600)."""
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if file.is_file() and file.stat().st_mode & 0o077:
                file.chmod(0o600)
        except OSError as exc:
            log.warning("cannot make %s private: %s", file.name, exc)


def translate(exc: sqlite3.Error) -> StoreError:
    """Sort one sqlite3 failure into known (environment) or bug (ours)."""
    code = getattr(exc, "sqlite_errorcode", None)
    known = _KNOWN_CODES.get(code & 0xFF) if isinstance(code, int) else None
    if known is not None:
        return KnownStoreError(known, f"{known.value}: {exc}")
    return StoreBugError(f"{type(exc).__name__}: {exc}")


class Database:
    """``Database(path)`` opens (creating if needed) and migrates the database at ``path``."""

    def __init__(self, path: Path | str, migrations: Sequence[str] = MIGRATIONS) -> None:
        self.path = Path(path)
        _refuse_empty(self.path)
        _refuse_marked(self.path)
        self._lock = threading.RLock()
        self._in_transaction = False
        self._durable = False
        try:
            self._conn = sqlite3.connect(
                self.path,
                check_same_thread=False,
                isolation_level=None,  # autocommit; transaction() issues BEGIN itself
                timeout=BUSY_TIMEOUT_MS / 1000,  # sqlite3_busy_timeout
            )
        except sqlite3.Error as exc:
            raise self._translate(exc) from exc
        self._conn.row_factory = sqlite3.Row
        try:
            self._configure()
            self._migrate(migrations)
        except BaseException:
            self._conn.close()
            raise
        make_private(self.path)

    # -- queries ---------------------------------------------------------------------------

    def execute(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Run one statement (autocommitted unless inside ``transaction()``); all rows."""
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise self._translate(exc) from exc

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        with self._lock:
            try:
                self._conn.executemany(sql, rows)
            except sqlite3.Error as exc:
                raise self._translate(exc) from exc

    def scalar(self, sql: str, params: Params = ()) -> Any:
        rows = self.execute(sql, params)
        return rows[0][0] if rows else None

    @contextmanager
    def transaction(self, *, durable: bool = False) -> Iterator[Database]:
        """``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on any exception).

        Holds the lock for the whole block, so other threads wait. ``durable=True`` commits with
        ``synchronous=FULL`` (see the module docstring). A transaction opened inside another one
        on the same thread joins it: nothing is committed before the outermost block ends, so
        several stores' writes (a draft and its outbox jobs) commit together or not at all. The
        outer block decides durability: a durable inner block inside a non-durable outer one
        is a bug.
        """
        with self._lock:
            if self._in_transaction:
                if durable and not self._durable:
                    raise StoreBugError("a durable write inside a non-durable transaction")
                yield self
                return
            if durable:
                self.execute("PRAGMA synchronous = FULL")
            self.execute("BEGIN IMMEDIATE")
            self._in_transaction = True
            self._durable = durable
            try:
                yield self
            except BaseException:
                self._rollback()
                raise
            else:
                self._commit()
            finally:
                self._in_transaction = False
                self._durable = False
                if durable:
                    self.execute("PRAGMA synchronous = NORMAL")

    @property
    def user_version(self) -> int:
        return int(self.scalar("PRAGMA user_version"))

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- internals -------------------------------------------------------------------------

    def _translate(self, exc: sqlite3.Error) -> StoreError:
        """``translate``, and a damaged database is marked so that the next start says so
        (opening may succeed while some pages are unreadable: only a query finds them)."""
        error = translate(exc)
        if isinstance(error, KnownStoreError) and error.code is StoreErrorCode.CORRUPT:
            try:
                corrupt_marker(self.path).touch(mode=0o600)
            except OSError as mark_failed:
                log.warning("cannot mark %s as damaged: %s", self.path.name, mark_failed)
        return error

    def _commit(self) -> None:
        try:
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise self._translate(exc) from exc

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            try:
                self._conn.execute("ROLLBACK")
            except sqlite3.Error:
                log.exception("rollback failed")

    def _configure(self) -> None:
        mode = self.scalar("PRAGMA journal_mode = WAL")
        if str(mode).lower() != "wal":
            log.warning("SQLite refused WAL mode (journal_mode=%s) for %s", mode, self.path)
        self.execute("PRAGMA synchronous = NORMAL")
        self.execute("PRAGMA foreign_keys = ON")

    def _migrate(self, migrations: Sequence[str]) -> None:
        """Bring ``user_version`` up to ``len(migrations)``, one migration per transaction."""
        current = self.user_version
        if current > len(migrations):
            raise KnownStoreError(
                StoreErrorCode.TOO_NEW,
                f"database version {current} is newer than this paris_desk "
                f"(knows {len(migrations)})",
            )
        for number, script in enumerate(migrations[current:], start=current + 1):
            self._apply(number, script)

    def _apply(self, number: int, script: str) -> None:
        log.info("migrating %s to version %d", self.path.name, number)
        with self._lock:
            try:
                # executescript() commits any pending transaction first, so the script carries
                # its own BEGIN/COMMIT: the schema change and the version bump are atomic.
                self._conn.executescript(
                    f"BEGIN IMMEDIATE;\n{script}\n;PRAGMA user_version = {number};\nCOMMIT;"
                )
            except sqlite3.Error as exc:
                self._rollback()
                raise self._translate(exc) from exc
