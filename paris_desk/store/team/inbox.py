"""The inbox in team mode: notifications cached on this workstation, handling shared.

``TeamInboxStore`` is ``store.inbox.InboxStore`` (the same interface, the same local cache of
notifications and read state) except for what the team shares (schema version 9): whether an
item was handled, how, by whom and when live in the team's ``inbox_triage``, so "traité par
Marie à 10:42" is on every screen (announced by NOTIFY). The member is the database role,
signed by a trigger; each change is audited ("handle"). Assignments (``store.team.triage``
writes them) are read here too, for the rows' "Assigné à Marie".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from paris_desk.store.db import Database
from paris_desk.store.inbox import (
    KEEP_PER_ACCOUNT,
    Assigned,
    Handled,
    Handling,
    InboxStore,
    ItemKey,
)
from paris_desk.store.team.database import TeamDatabase


class TeamInboxStore(InboxStore):
    def __init__(self, db: Database, team: TeamDatabase, *, workstation: str = "",
                 keep_per_account: int = KEEP_PER_ACCOUNT) -> None:
        super().__init__(db, keep_per_account)
        self._team = team
        self._workstation = workstation

    def set_handled(self, keys: Iterable[ItemKey], how: Handling, at: datetime,
                    reply_uri: str = "") -> None:
        keys = list(keys)
        if not keys:
            return
        with self._team.transaction():
            self._team.executemany(
                "INSERT INTO inbox_triage (account_id, item_id, handled, handled_at, reply_uri)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (account_id, item_id) DO UPDATE SET"
                " handled = excluded.handled, handled_at = excluded.handled_at,"
                " reply_uri = excluded.reply_uri",
                [(a, n, how.value, at, reply_uri) for a, n in keys])
            self._audit(keys, how.value)

    def clear_handled(self, keys: Iterable[ItemKey]) -> None:
        keys = list(keys)
        if not keys:
            return
        with self._team.transaction():
            self._team.executemany(
                "UPDATE inbox_triage SET handled = '', handled_at = NULL, reply_uri = ''"
                " WHERE account_id = %s AND item_id = %s", keys)
            self._audit(keys, "not handled")

    def handled(self, account_ids: Sequence[str]) -> dict[ItemKey, Handled]:
        if not account_ids:
            return {}
        rows = self._team.execute(
            "SELECT account_id, item_id, handled, handled_at, reply_uri, handled_by"
            " FROM inbox_triage WHERE handled <> '' AND account_id = ANY(%s)",
            (list(account_ids),))
        return {(r["account_id"], r["item_id"]): Handled(
            Handling(r["handled"]), r["handled_at"], r["reply_uri"], r["handled_by"] or "")
            for r in rows}

    def assignments(self, account_ids: Sequence[str]) -> dict[ItemKey, Assigned]:
        """Who takes care of which item (``paris-desk assign``, the inbox's "Assign to…")."""
        if not account_ids:
            return {}
        rows = self._team.execute(
            "SELECT account_id, item_id, assigned_to, assigned_by, assigned_at"
            " FROM inbox_triage WHERE assigned_to IS NOT NULL AND account_id = ANY(%s)",
            (list(account_ids),))
        return {(r["account_id"], r["item_id"]): Assigned(
            r["assigned_to"], r["assigned_by"] or "", r["assigned_at"]) for r in rows}

    def _audit(self, keys: list[ItemKey], what: str) -> None:
        self._team.execute(
            "INSERT INTO audit_log (workstation, account, action, detail)"
            " VALUES (%s, %s, 'handle', %s)",
            (self._workstation, ", ".join(sorted({a for a, _ in keys})),
             f"{what}: " + ", ".join(f"{a}/{n}" for a, n in keys)))
