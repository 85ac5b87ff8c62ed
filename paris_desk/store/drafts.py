"""Drafts of the composer, and the named groups of target accounts.

A draft is saved whole (``codec`` JSON of ``core.model.Draft``) with a durable commit: the
composer saves on a one-second debounce through the task manager's database thread, so a crash
or ``kill -9`` loses at most the last second of typing. A draft that was published keeps its
``batch_id`` and stays here until every target is SENT (the composer then deletes it).

Target groups ("Tous les comptes Paris", "Culture") are named, ordered lists of account ids.
An id of a removed account stays in a group harmlessly: the composer ignores unknown ids.
"""

from __future__ import annotations

import builtins
import json
import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from paris_desk.core.model import Draft
from paris_desk.store import codec
from paris_desk.store.db import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TargetGroup:
    name: str
    account_ids: tuple[str, ...] = ()


def _us(moment: datetime) -> int:
    return int(moment.timestamp() * 1_000_000)


class DraftStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- drafts ------------------------------------------------------------------------------

    def save(self, draft: Draft) -> Draft:
        """Insert or replace ``draft`` (durably); returns it with ``updated_at`` set to now."""
        saved = replace(draft, updated_at=datetime.now(UTC))
        with self.db.transaction(durable=True):
            self.db.execute(
                "INSERT INTO drafts (id, updated_us, draft_json) VALUES (?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET updated_us = excluded.updated_us,"
                " draft_json = excluded.draft_json",
                (saved.id, _us(saved.updated_at or datetime.now(UTC)), codec.dumps(saved)),
            )
        return saved

    def get(self, draft_id: str) -> Draft | None:
        rows = self.db.execute("SELECT draft_json FROM drafts WHERE id = ?", (draft_id,))
        return self._decode(rows[0]["draft_json"], draft_id) if rows else None

    def list(self) -> builtins.list[Draft]:
        """Every readable draft, the most recently saved first."""
        rows = self.db.execute("SELECT id, draft_json FROM drafts ORDER BY updated_us DESC")
        drafts = (self._decode(row["draft_json"], row["id"]) for row in rows)
        return [draft for draft in drafts if draft is not None]

    def delete(self, draft_id: str) -> bool:
        with self.db.transaction(durable=True):
            rows = self.db.execute("DELETE FROM drafts WHERE id = ? RETURNING id", (draft_id,))
        return bool(rows)

    @staticmethod
    def _decode(text: str, draft_id: str) -> Draft | None:
        try:
            return codec.from_dict(Draft, json.loads(text))
        except (codec.CodecError, ValueError) as exc:
            log.warning("draft %s is unreadable and is skipped: %s", draft_id, exc)
            return None

    # -- target groups -----------------------------------------------------------------------

    def groups(self) -> builtins.list[TargetGroup]:
        rows = self.db.execute(
            "SELECT name, account_ids FROM target_groups ORDER BY position, name"
        )
        return [TargetGroup(row["name"], tuple(json.loads(row["account_ids"]))) for row in rows]

    def save_group(self, group: TargetGroup) -> TargetGroup:
        """Create the group (last in order) or replace the accounts of the group of that name."""
        name = " ".join(group.name.split())
        if not name:
            raise ValueError("a group needs a name")
        saved = TargetGroup(name, tuple(dict.fromkeys(group.account_ids)))
        with self.db.transaction(durable=True):
            self.db.execute(
                "INSERT INTO target_groups (name, account_ids, position) VALUES (?, ?,"
                " (SELECT COALESCE(MAX(position), -1) + 1 FROM target_groups))"
                " ON CONFLICT (name) DO UPDATE SET account_ids = excluded.account_ids",
                (saved.name, json.dumps(list(saved.account_ids))),
            )
        return saved

    def delete_group(self, name: str) -> bool:
        with self.db.transaction(durable=True):
            rows = self.db.execute(
                "DELETE FROM target_groups WHERE name = ? RETURNING name", (name,)
            )
        return bool(rows)
