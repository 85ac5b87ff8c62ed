"""The team's inbox triage (schema version 3): which member takes care of which item.

An item is ``(account id, notification id)``; its text id is ``"<account id>/<notification
id>"`` (``item_id``), what ``paris-desk inbox --json`` prints. Assigning writes the
assignment and an audit row in one transaction; the assigner is the database role.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from paris_desk.store.team.database import TeamDatabase

ItemKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Assignment:
    assigned_to: str
    assigned_by: str
    assigned_at: datetime


def item_id(key: ItemKey) -> str:
    return f"{key[0]}/{key[1]}"


def parse_item_id(text: str) -> ItemKey:
    """``"<account id>/<notification id>"`` (an account id holds no "/"); ``ValueError``."""
    account, sep, notification = text.partition("/")
    if not sep or not account or not notification:
        raise ValueError(text)
    return account, notification


class TriageStore:
    def __init__(self, db: TeamDatabase) -> None:
        self.db = db

    def assign(self, key: ItemKey, to: str, *, url: str = "", workstation: str = "") -> None:
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO inbox_triage (account_id, item_id, assigned_to, assigned_by,"
                " assigned_at) VALUES (%s, %s, %s, current_user, now())"
                " ON CONFLICT (account_id, item_id) DO UPDATE SET assigned_to ="
                " excluded.assigned_to, assigned_by = current_user, assigned_at = now()",
                (key[0], key[1], to))
            self.db.execute(
                "INSERT INTO audit_log (workstation, account, action, url, detail)"
                " VALUES (%s, %s, 'assign', %s, %s)",
                (workstation, key[0], url, f"{item_id(key)} to {to}"))

    def unassign(self, key: ItemKey, *, url: str = "", workstation: str = "") -> bool:
        """Nobody takes care of the item any more; False when nobody did."""
        with self.db.transaction():
            rows = self.db.execute(
                "UPDATE inbox_triage SET assigned_to = NULL, assigned_by = current_user,"
                " assigned_at = now() WHERE account_id = %s AND item_id = %s"
                " AND assigned_to IS NOT NULL RETURNING assigned_to",
                (key[0], key[1]))
            if rows:
                self.db.execute(
                    "INSERT INTO audit_log (workstation, account, action, url, detail)"
                    " VALUES (%s, %s, 'assign', %s, %s)",
                    (workstation, key[0], url, f"{item_id(key)} to nobody"))
        return bool(rows)

    def assigned_to(self, user: str) -> set[ItemKey]:
        rows = self.db.execute(
            "SELECT account_id, item_id FROM inbox_triage WHERE assigned_to = %s", (user,))
        return {(r["account_id"], r["item_id"]) for r in rows}

    def assignments(self, keys: list[ItemKey]) -> dict[ItemKey, Assignment]:
        if not keys:
            return {}
        rows = self.db.execute(
            "SELECT t.* FROM inbox_triage t JOIN unnest(%s::text[], %s::text[]) AS k(a, i)"
            " ON t.account_id = k.a AND t.item_id = k.i WHERE t.assigned_to IS NOT NULL",
            ([k[0] for k in keys], [k[1] for k in keys]))
        return {(r["account_id"], r["item_id"]): Assignment(
            r["assigned_to"], r["assigned_by"], r["assigned_at"]) for r in rows}
