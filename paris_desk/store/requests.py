"""What the user decided about strangers' mentions on networks that keep no such state
(Bluesky): per account and sender, accepted (into the inbox) or dismissed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from paris_desk.store.db import Database


class RequestDecisionStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def decide(self, account_id: str, author_id: str, accepted: bool) -> None:
        now = int(datetime.now(UTC).timestamp() * 1_000_000)
        self._db.execute(
            "INSERT INTO request_decisions (account_id, author_id, accepted, decided_us)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (account_id, author_id) DO UPDATE SET"
            " accepted = excluded.accepted, decided_us = excluded.decided_us",
            (account_id, author_id, int(accepted), now),
        )

    def decisions(self, account_ids: Sequence[str]) -> dict[tuple[str, str], bool]:
        """``(account_id, author_id) -> accepted`` for these accounts."""
        rows = self._db.execute("SELECT account_id, author_id, accepted FROM request_decisions")
        return {(r["account_id"], r["author_id"]): bool(r["accepted"])
                for r in rows if r["account_id"] in account_ids}
