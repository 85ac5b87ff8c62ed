"""Keyword filters of the profile, and where each one is stored on the accounts' servers.

A filter row is the user's filter (``core.filters.Filter``). A link row says that one account's
server holds it, under the adapter's ``remote_id``. Removing a filter whose server copies could
not all be deleted yet keeps the row with ``removed = 1`` (invisible) until a later sync
deletes the rest: a filter never silently comes back from a server.
"""

from __future__ import annotations

import builtins
import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

from paris_desk.core.filters import Filter, FilterAction
from paris_desk.store.db import Database


def _filter(row: sqlite3.Row) -> Filter:
    return Filter(
        id=row["id"],
        text=row["text"],
        regex=bool(row["regex"]),
        accounts=tuple(json.loads(row["accounts"])),
        action=FilterAction(row["action"]),
    )


class FilterStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def list(self, *, removed: bool = False) -> builtins.list[Filter]:
        """The filters, oldest first (``removed``: those waiting for a server deletion)."""
        rows = self._db.execute(
            "SELECT id, text, regex, accounts, action FROM filters WHERE removed = ?"
            " ORDER BY created_us, id",
            (int(removed),),
        )
        return [_filter(r) for r in rows]

    def get(self, filter_id: str) -> Filter | None:
        rows = self._db.execute(
            "SELECT id, text, regex, accounts, action FROM filters WHERE id = ? AND removed = 0",
            (filter_id,),
        )
        return _filter(rows[0]) if rows else None

    def save(self, f: Filter) -> None:
        """Insert ``f`` or update it in place (same id)."""
        now = int(datetime.now(UTC).timestamp() * 1_000_000)
        self._db.execute(
            "INSERT INTO filters (id, text, regex, accounts, action, created_us)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET text = excluded.text,"
            " regex = excluded.regex, accounts = excluded.accounts, action = excluded.action",
            (f.id, f.text, int(f.regex), json.dumps(list(f.accounts)), f.action.value, now),
        )

    def mark_removed(self, filter_id: str) -> bool:
        """Hide it; the row stays while links remain. False when there was no such filter."""
        with self._db.transaction():
            rows = self._db.execute(
                "UPDATE filters SET removed = 1 WHERE id = ? AND removed = 0 RETURNING id",
                (filter_id,),
            )
            self.purge()
        return bool(rows)

    def purge(self) -> None:
        """Forget removed filters that no server holds any more."""
        self._db.execute(
            "DELETE FROM filters WHERE removed = 1 AND id NOT IN"
            " (SELECT filter_id FROM filter_links)"
        )

    # -- links -------------------------------------------------------------------------------
    def links(self, account_ids: Sequence[str] | None = None) -> dict[tuple[str, str], str]:
        """``(filter_id, account_id) -> remote_id``, for these accounts (None: all)."""
        rows = self._db.execute("SELECT filter_id, account_id, remote_id FROM filter_links")
        return {
            (r["filter_id"], r["account_id"]): r["remote_id"]
            for r in rows
            if account_ids is None or r["account_id"] in account_ids
        }

    def link(self, filter_id: str, account_id: str, remote_id: str) -> None:
        self._db.execute(
            "INSERT INTO filter_links (filter_id, account_id, remote_id) VALUES (?, ?, ?)"
            " ON CONFLICT (filter_id, account_id) DO UPDATE SET remote_id = excluded.remote_id",
            (filter_id, account_id, remote_id),
        )

    def unlink(self, filter_id: str, account_id: str) -> None:
        self._db.execute(
            "DELETE FROM filter_links WHERE filter_id = ? AND account_id = ?",
            (filter_id, account_id),
        )
