"""The team's saved replies (schema version 11): ``store.replies.SavedReplyStore`` on the
team's database, so every member is offered the same ones (``Desk.saved_replies``)."""

from __future__ import annotations

import builtins
from datetime import UTC, datetime

from paris_desk.core.replies import SavedReply
from paris_desk.store.team.database import TeamDatabase


class TeamSavedReplyStore:
    def __init__(self, db: TeamDatabase) -> None:
        self.db = db

    def list(self) -> builtins.list[SavedReply]:
        rows = self.db.execute(
            "SELECT id, title, text FROM saved_replies ORDER BY position, created_us, id")
        return [SavedReply(r["id"], r["title"], r["text"]) for r in rows]

    def save(self, reply: SavedReply) -> None:
        """Insert at the end, or update in place (same id)."""
        now = int(datetime.now(UTC).timestamp() * 1_000_000)
        with self.db.transaction():
            position = self.db.scalar(
                "SELECT COALESCE(MAX(position), -1) + 1 FROM saved_replies")
            self.db.execute(
                "INSERT INTO saved_replies (id, title, text, position, created_us)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE"
                " SET title = excluded.title, text = excluded.text",
                (reply.id, reply.title, reply.text, position, now))

    def remove(self, reply_id: str) -> bool:
        rows = self.db.execute("DELETE FROM saved_replies WHERE id = %s RETURNING id",
                               (reply_id,))
        return bool(rows)
