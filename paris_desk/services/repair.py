"""The profile's database is damaged or empty: say so, and rebuild it on request.

The one use case behind ``paris-desk profile repair`` and the window's start-up offer: the
damaged file is moved aside (never deleted), a new database is made, and what can still be read
(accounts, drafts, outbox, triage, filters) is copied back; the caches (posts, notifications)
are fetched again from the servers (``store.recovery``).
"""

from __future__ import annotations

import logging

from paris_desk.core.errors import StoreError
from paris_desk.store.db import Database, KnownStoreError, StoreErrorCode
from paris_desk.store.profile import Profile
from paris_desk.store.recovery import Rebuilt, rebuild

log = logging.getLogger(__name__)

REPAIRABLE = frozenset({StoreErrorCode.CORRUPT, StoreErrorCode.EMPTY})

__all__ = ["REPAIRABLE", "Rebuilt", "check", "is_repairable", "repair"]


def is_repairable(exc: BaseException) -> bool:
    return isinstance(exc, KnownStoreError) and exc.code in REPAIRABLE


def check(profile: Profile) -> StoreError | None:
    """None when the database opens and SQLite's ``quick_check`` finds it sound (or it does not
    exist yet); else the error that says what is wrong."""
    if not profile.db_path.exists():
        return None
    try:
        db = Database(profile.db_path)
    except StoreError as exc:
        return exc
    try:
        verdict = db.scalar("PRAGMA quick_check")
    except StoreError as exc:
        return exc
    finally:
        db.close()
    if verdict != "ok":
        return KnownStoreError(StoreErrorCode.CORRUPT, f"quick_check: {str(verdict)[:200]}")
    return None


def repair(profile: Profile) -> Rebuilt:
    """Move the database aside and rebuild it (see the module docstring)."""
    profile.ensure()
    result = rebuild(profile.db_path)
    profile.secure()
    return result
