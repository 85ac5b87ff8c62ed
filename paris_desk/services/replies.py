"""Saved replies (issue 15): kept in the profile (in team mode, the team's database), filled
for the post being answered. Blocking and Qt-free; the window's reply box inserts them with a
shortcut."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from paris_desk.core.replies import MAX_TITLE, SavedReply, render

if TYPE_CHECKING:
    from paris_desk.core.model import Account, Author
    from paris_desk.store.replies import SavedReplyStore
    from paris_desk.store.team.replies import TeamSavedReplyStore


class SavedReplies:
    def __init__(self, store: SavedReplyStore | TeamSavedReplyStore) -> None:
        self._store = store

    def list(self) -> list[SavedReply]:
        return self._store.list()

    def save(self, title: str, text: str, reply_id: str = "") -> SavedReply:
        """Add a saved reply (or change the one with ``reply_id``); ``ValueError`` when the
        text is empty. An empty title takes the text's first words."""
        text = text.strip()
        if not text:
            raise ValueError("empty saved reply")
        title = (title.strip() or text.splitlines()[0])[:MAX_TITLE]
        reply = SavedReply(reply_id or uuid.uuid4().hex[:12], title, text)
        self._store.save(reply)
        return reply

    def remove(self, reply_id: str) -> bool:
        return self._store.remove(reply_id)

    @staticmethod
    def fill(reply: SavedReply, author: Author, account: Account | None) -> str:
        return render(reply.text, author, account)
