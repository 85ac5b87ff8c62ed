"""One connection to the team's PostgreSQL database, shaped like ``store.db.Database``.

``execute``/``scalar``/``transaction`` mirror the SQLite wrapper, so a store written for the
team (``store.team.outbox``) reads like its local twin: ``%s`` placeholders instead of ``?``,
rows as dicts. Statements run in autocommit unless inside ``transaction()``; a transaction
opened inside another on the same thread joins it (like ``Database.transaction``). Every
statement holds a re-entrant lock, so the threads of one process (the outbox's senders) take
turns on the one connection; between processes and hosts PostgreSQL's row locks do.

``durable`` is accepted for the same signature and changes nothing: a PostgreSQL commit is
flushed to the server's WAL before it returns (``synchronous_commit = on``, the default).

The connection sets ``search_path`` to the schema ``paris_desk`` and names itself
``paris-desk`` (``application_name``: the DBA sees who is connected). Failures leave as
``store.team.errors`` types (``translate``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from paris_desk.store.team.errors import (
    TeamAuthFailed,
    TeamConflict,
    TeamError,
    TeamNotInitialised,
    TeamRefused,
    TeamUnreachable,
)
from paris_desk.store.team.tls import secured

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10
SCHEMA = "paris_desk"
Params = Sequence[Any] | dict[str, Any]

_AUTH_STATES = {"28P01", "28000"}  # invalid_password, invalid_authorization_specification
_MISSING_STATES = {"42P01", "3F000"}  # undefined_table, invalid_schema_name
_CONFLICT_STATES = {"23505", "42710"}  # unique_violation, duplicate_object


def translate(exc: Exception) -> TeamError:
    """Sort one psycopg failure by what the user can do about it."""
    import psycopg

    state = getattr(exc, "sqlstate", None) or ""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if state in _AUTH_STATES or "password authentication failed" in text:
        return TeamAuthFailed(text)
    if state == "42501":  # insufficient_privilege: grants, row-level security, our triggers
        return TeamRefused(text)
    if state in _MISSING_STATES:
        return TeamNotInitialised(text)
    if state in _CONFLICT_STATES:
        return TeamConflict(text)
    if isinstance(exc, psycopg.OperationalError):
        return TeamUnreachable(text)
    return TeamError(f"{type(exc).__name__}: {text}")


def connect(conninfo: str, password: str | None = None, *, allow_unverified: bool = False
            ) -> psycopg.Connection[dict[str, Any]]:
    """Open an autocommit connection (``password`` added to ``conninfo`` when given). A server
    on another machine is reached with ``sslmode=verify-full`` unless ``allow_unverified``
    lets an explicit weaker mode through (``store.team.tls``: ``TeamInsecure``)."""
    import psycopg
    from psycopg.rows import dict_row

    try:
        conninfo = secured(conninfo, allow_unverified=allow_unverified)
    except ValueError as exc:
        raise TeamError(f"invalid connection string: {exc}") from exc

    extra: dict[str, Any] = {"application_name": "paris-desk",
                             "connect_timeout": CONNECT_TIMEOUT_S}
    if password is not None:
        extra["password"] = password
    try:
        conn = psycopg.connect(conninfo, autocommit=True, row_factory=dict_row, **extra)
    except psycopg.Error as exc:
        raise translate(exc) from exc
    try:
        conn.execute(f"SET search_path = {SCHEMA}")
    except psycopg.Error as exc:
        conn.close()
        raise translate(exc) from exc
    return conn


class TeamDatabase:
    """``TeamDatabase(conninfo, password)`` connects; ``close()`` disconnects.

    ``lazy=True`` connects at the first statement instead (the window builds its stores on
    the GUI thread and must not wait for a server there); ``on_connect(db)`` runs on every
    new connection (the schema check): when it raises, that connection is dropped.

    A connection the server or the network broke (server restarted, idle connection cut by a
    firewall) fails the statement that finds it broken (``TeamUnreachable``: it may or may not
    have run, so it is never run again here); the next statement opens a new connection.
    ``on_reconnect`` callbacks hear of it (what the old session held, e.g. advisory locks, is
    gone). ``allow_unverified``: see ``connect``."""

    def __init__(self, conninfo: str, password: str | None = None, *, lazy: bool = False,
                 on_connect: Callable[[TeamDatabase], object] | None = None,
                 allow_unverified: bool = False) -> None:
        self._conninfo = conninfo
        self._password = password
        self._allow_unverified = allow_unverified
        self._on_connect = on_connect
        self._lock = threading.RLock()
        self._in_transaction = False
        self._closed = False
        self._conn: psycopg.Connection[dict[str, Any]] | None = None
        self.on_reconnect: list[Callable[[], None]] = []
        if not lazy:
            self._live()

    @property
    def conn(self) -> psycopg.Connection[dict[str, Any]]:
        """The connection (opened now if it is not yet)."""
        with self._lock:
            self._live()
            assert self._conn is not None  # noqa: S101 - _live opened it or raised
            return self._conn

    def _live(self) -> None:
        """Open the connection, or a new one in place of a broken one (outside a transaction
        only)."""
        if self._closed or self._in_transaction:
            return
        if self._conn is not None and not self._conn.broken:
            return
        again = self._conn is not None
        if again:
            log.info("team: connection lost; reconnecting")
        self._conn = connect(self._conninfo, self._password,
                             allow_unverified=self._allow_unverified)
        if self._on_connect is not None:
            try:
                self._on_connect(self)
            except BaseException:
                self._conn.close()
                self._conn = None
                raise
        if again:
            for callback in self.on_reconnect:
                callback()

    @property
    def server(self) -> str:
        info = self.conn.info
        return f"{info.host}:{info.port}"

    @property
    def database(self) -> str:
        return str(self.conn.info.dbname)

    def execute(self, sql: Any, params: Params | None = None) -> list[dict[str, Any]]:
        """Run one statement; its rows (``[]`` for a statement that returns none)."""
        import psycopg

        with self._lock:
            try:
                cursor = self.conn.execute(sql, params)
                return cursor.fetchall() if cursor.description is not None else []
            except psycopg.Error as exc:
                raise translate(exc) from exc

    def executemany(self, sql: Any, rows: Sequence[Params]) -> None:
        import psycopg

        if not rows:
            return
        with self._lock:
            try:
                with self.conn.cursor() as cursor:
                    cursor.executemany(sql, rows)
            except psycopg.Error as exc:
                raise translate(exc) from exc

    def scalar(self, sql: Any, params: Params | None = None) -> Any:
        rows = self.execute(sql, params)
        return next(iter(rows[0].values())) if rows else None

    @contextmanager
    def transaction(self, *, durable: bool = False) -> Iterator[TeamDatabase]:
        """``BEGIN`` … ``COMMIT`` (``ROLLBACK`` on any exception); an inner block joins the
        outer one. Holds the lock for the whole block."""
        import psycopg

        with self._lock:
            if self._in_transaction:
                yield self
                return
            conn = self.conn  # opened (or reopened) before the transaction starts
            self._in_transaction = True
            try:
                with conn.transaction():
                    yield self
            except psycopg.Error as exc:
                raise translate(exc) from exc
            finally:
                self._in_transaction = False

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._conn is not None:
                self._conn.close()


def without_credentials(conninfo: str) -> str:
    """``conninfo`` (URI or ``key=value``) without its user and password: what a profile
    keeps on disk. Raises ``ValueError`` when it cannot be parsed."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    try:
        params = conninfo_to_dict(conninfo)
    except psycopg.ProgrammingError as exc:
        raise ValueError(str(exc)) from exc
    params.pop("password", None)
    params.pop("user", None)
    return make_conninfo(**params)  # type: ignore[arg-type]


def with_user(conninfo: str, user: str) -> str:
    from psycopg.conninfo import make_conninfo

    return make_conninfo(conninfo, user=user)
