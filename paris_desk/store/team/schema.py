"""The team schema's versions: plain SQL files in ``sql/``, ``NNNN_name.sql``, applied in order.

Why plain SQL and not Alembic: the schema is mostly what SQLAlchemy models cannot say (roles,
grants, row-level security policies, triggers), paris_desk has no ORM to autogenerate from,
and a city's DBA reviews and can apply a ``.sql`` file as it is. One file is one version,
applied in one transaction with its row in ``paris_desk.schema_version`` (PostgreSQL's DDL is
transactional: a version is there entirely or not at all), under an advisory lock so two
``team init`` never race.

``team init`` applies what is missing (``migrate``); every other start only checks
(``check``): a schema newer than this paris-desk is refused, never touched.
"""

from __future__ import annotations

import logging
import re
from importlib import resources

from paris_desk.store.team.database import TeamDatabase
from paris_desk.store.team.errors import (
    TeamNotInitialised,
    TeamSchemaTooNew,
    TeamSchemaTooOld,
)

log = logging.getLogger(__name__)

_FILE = re.compile(r"(\d{4})_[a-z0-9_]+\.sql")
_LOCK_KEY = 0x7061726973  # "paris": pg_advisory_xact_lock for migrations


def migrations() -> list[tuple[int, str]]:
    """``(version, sql)`` of every file in ``sql/``, numbered 1, 2, 3… without a gap."""
    found = []
    for entry in resources.files("paris_desk.store.team").joinpath("sql").iterdir():
        match = _FILE.fullmatch(entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    found.sort()
    if [number for number, _ in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"team migrations are not numbered 1..n: {[n for n, _ in found]}")
    return found


def known_version() -> int:
    return len(migrations())


def current_version(db: TeamDatabase) -> int:
    """The schema's version; 0 when there is no paris_desk schema this role can see."""
    visible = db.scalar(
        "SELECT has_schema_privilege(oid, 'USAGE') FROM pg_namespace WHERE nspname = 'paris_desk'"
    )
    if visible is None:
        return 0
    if not visible:
        raise TeamNotInitialised("this role is not a member of the team (no access to its schema)")
    return int(db.scalar("SELECT coalesce(max(version), 0) FROM paris_desk.schema_version"))


def check(db: TeamDatabase) -> int:
    """The schema's version when it is exactly the one this paris-desk knows; else raise."""
    found, known = current_version(db), known_version()
    if found == 0:
        raise TeamNotInitialised("no paris_desk schema in this database (run team init)")
    if found > known:
        raise TeamSchemaTooNew(found, known)
    if found < known:
        raise TeamSchemaTooOld(found, known)
    return found


def migrate(db: TeamDatabase) -> list[int]:
    """Apply the missing versions, each in its own transaction; the versions applied. A
    schema newer than this paris-desk is refused before anything is written."""
    applied = []
    for number, script in migrations():
        with db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
            current = current_version(db)
            if current > known_version():
                raise TeamSchemaTooNew(current, known_version())
            if number <= current:
                continue
            log.info("team schema: applying version %d", number)
            db.execute(script)  # type: ignore[arg-type]  # our own file, never user input
            db.execute("INSERT INTO paris_desk.schema_version (version) VALUES (%s)", (number,))
            applied.append(number)
    if not applied:  # nothing to apply: still refuse a newer schema
        check(db)
    return applied
