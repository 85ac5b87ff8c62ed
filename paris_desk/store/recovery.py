"""A damaged or empty database: move it aside and start a new one, keeping what can be read.

``rebuild(db_path)`` renames the database and its ``-wal``/``-shm`` files to
``<name>.damaged-<UTC time>``, creates a fresh database (all migrations), then copies from the
damaged copy, table by table and row by row, whatever SQLite can still read: the accounts, the
drafts, the outbox jobs and their media, the target groups, the inbox triage state, the filters…
Every table except the caches, which the app fetches again from the servers (posts,
notifications). A table that cannot be read, or stops being readable half-way, keeps the rows
read before the damage. Nothing is ever deleted: the damaged file stays beside the new one.

Secrets are not concerned: they live in the OS keychain, under the profile's namespace.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from paris_desk.store.db import Database, corrupt_marker

log = logging.getLogger(__name__)

CACHE_TABLES = frozenset({"cached_posts", "inbox_notifications"})  # fetched again from servers
SIDE_FILES = ("-wal", "-shm")


@dataclass
class Rebuilt:
    """What ``rebuild`` did: where the damaged files went, rows kept per table, tables (or
    their end) lost to the damage."""

    moved_to: Path
    kept: dict[str, int] = field(default_factory=dict)
    damaged: list[str] = field(default_factory=list)


def rebuild(db_path: Path, *, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> Rebuilt:
    aside = _move_aside(db_path, now().strftime("%Y%m%dT%H%M%SZ"))
    Database(db_path).close()  # a fresh database at the current schema
    result = Rebuilt(moved_to=aside)
    try:
        source = _open_read_only(aside)
    except sqlite3.Error as exc:
        log.warning("recovery: the damaged database cannot be opened (%s)", exc)
        result.damaged.append("*")
        return result
    target = sqlite3.connect(db_path, isolation_level=None)
    try:
        target.execute("PRAGMA foreign_keys = OFF")  # rows come table by table, parents later
        target.execute("BEGIN IMMEDIATE")
        for table in _tables(source, result):
            if table in CACHE_TABLES:
                continue
            _copy(source, target, table, result)
        target.execute("COMMIT")
    finally:
        target.close()
        source.close()
    log.warning("recovery: database moved to %s; kept %s; damaged: %s",
                aside.name, result.kept, result.damaged or "none")
    return result


def _move_aside(db_path: Path, stamp: str) -> Path:
    aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    db_path.replace(aside)
    corrupt_marker(db_path).unlink(missing_ok=True)  # the new database starts sound
    for suffix in SIDE_FILES:
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            side.replace(aside.with_name(aside.name + suffix))
    return aside


def _open_read_only(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return conn


def _tables(source: sqlite3.Connection, result: Rebuilt) -> list[str]:
    try:
        rows = source.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    except sqlite3.Error as exc:
        log.warning("recovery: the list of tables is unreadable (%s)", exc)
        result.damaged.append("*")
        return []
    return [str(row[0]) for row in rows]


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [str(row[1]) for row in conn.execute(f'PRAGMA table_info("{table}")')]


def _copy(source: sqlite3.Connection, target: sqlite3.Connection, table: str,
          result: Rebuilt) -> None:
    """Copy the rows of ``table`` that can be read, in the columns both schemas have."""
    wanted = set(_columns(target, table))
    try:
        columns = [c for c in _columns(source, table) if c in wanted]
    except sqlite3.Error:
        columns = []
    if not columns:
        if wanted:
            result.damaged.append(table)
        return
    names = ", ".join(f'"{c}"' for c in columns)
    insert = (f'INSERT OR IGNORE INTO "{table}" ({names}) '  # noqa: S608 - names from the schema
              f"VALUES ({', '.join('?' for _ in columns)})")
    kept = 0
    try:
        for row in source.execute(f'SELECT {names} FROM "{table}"'):  # noqa: S608 - idem
            kept += target.execute(insert, tuple(row)).rowcount
    except sqlite3.DatabaseError as exc:
        log.warning("recovery: %s readable up to row %d only (%s)", table, kept, exc)
        result.damaged.append(table)
    result.kept[table] = kept
