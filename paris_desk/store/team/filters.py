"""The team's keyword filters (schema version 11): ``store.filters.FilterStore`` on the team's
database, so a filter added on one workstation applies on all (``Desk.filters``). The links
(which account's server holds which filter) are the team's too: the accounts are."""

from __future__ import annotations

import builtins
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from paris_desk.core.filters import Filter, FilterAction
from paris_desk.store.team.database import TeamDatabase


def _filter(row: dict[str, Any]) -> Filter:
    return Filter(id=row["id"], text=row["text"], regex=bool(row["regex"]),
                  accounts=tuple(json.loads(row["accounts"])),
                  action=FilterAction(row["action"]))


class TeamFilterStore:
    def __init__(self, db: TeamDatabase) -> None:
        self.db = db

    def list(self, *, removed: bool = False) -> builtins.list[Filter]:
        rows = self.db.execute(
            "SELECT id, text, regex, accounts, action FROM filters WHERE removed = %s"
            " ORDER BY created_us, id",
            (removed,))
        return [_filter(r) for r in rows]

    def get(self, filter_id: str) -> Filter | None:
        rows = self.db.execute(
            "SELECT id, text, regex, accounts, action FROM filters WHERE id = %s AND NOT removed",
            (filter_id,))
        return _filter(rows[0]) if rows else None

    def save(self, f: Filter) -> None:
        now = int(datetime.now(UTC).timestamp() * 1_000_000)
        self.db.execute(
            "INSERT INTO filters (id, text, regex, accounts, action, created_us)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET"
            " text = excluded.text, regex = excluded.regex, accounts = excluded.accounts,"
            " action = excluded.action",
            (f.id, f.text, f.regex, json.dumps(list(f.accounts)), f.action.value, now))

    def mark_removed(self, filter_id: str) -> bool:
        with self.db.transaction():
            rows = self.db.execute(
                "UPDATE filters SET removed = true WHERE id = %s AND NOT removed RETURNING id",
                (filter_id,))
            self.purge()
        return bool(rows)

    def purge(self) -> None:
        self.db.execute(
            "DELETE FROM filters WHERE removed AND id NOT IN (SELECT filter_id FROM filter_links)")

    def links(self, account_ids: Sequence[str] | None = None) -> dict[tuple[str, str], str]:
        rows = self.db.execute("SELECT filter_id, account_id, remote_id FROM filter_links")
        return {(r["filter_id"], r["account_id"]): r["remote_id"] for r in rows
                if account_ids is None or r["account_id"] in account_ids}

    def link(self, filter_id: str, account_id: str, remote_id: str) -> None:
        self.db.execute(
            "INSERT INTO filter_links (filter_id, account_id, remote_id) VALUES (%s, %s, %s)"
            " ON CONFLICT (filter_id, account_id) DO UPDATE SET remote_id = excluded.remote_id",
            (filter_id, account_id, remote_id))

    def unlink(self, filter_id: str, account_id: str) -> None:
        self.db.execute("DELETE FROM filter_links WHERE filter_id = %s AND account_id = %s",
                        (filter_id, account_id))
