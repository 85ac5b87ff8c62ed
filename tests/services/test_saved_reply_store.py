"""Saved replies: kept in the profile (migration 8), placeholders filled for the post."""

from __future__ import annotations

from pathlib import Path

import pytest

from paris_desk.core.model import Account, Author, Network
from paris_desk.core.replies import render
from paris_desk.services.replies import SavedReplies
from paris_desk.store.db import Database
from paris_desk.store.migrations import MIGRATIONS
from paris_desk.store.replies import SavedReplyStore

CITY = Account(id="mastodon:ville", network=Network.MASTODON, handle="@ville@paris.social",
               base_url="https://paris.social", display_name="Ville de Paris", label="Mairie")


def test_placeholders() -> None:
    marie = Author(handle="@marie@exemple.fr", display_name="Marie Curie")
    text = "Bonjour {auteur} ({pseudo}), {compte} vous répond. {inconnu} {auteur"
    assert render(text, marie, CITY) == (
        "Bonjour Marie Curie (@marie@exemple.fr), Mairie vous répond. {inconnu} {auteur")
    bob = Author(handle="bob.bsky.social")
    assert render("{auteur} {pseudo} {compte}", bob) == "bob.bsky.social @bob.bsky.social "


def test_kept_in_order_updated_and_removed(tmp_path: Path) -> None:
    old = Database(tmp_path / "p.sqlite3", MIGRATIONS[:7])
    old.close()
    db = Database(tmp_path / "p.sqlite3")
    assert db.user_version >= 8
    replies = SavedReplies(SavedReplyStore(db))
    pools = replies.save("Piscines", "Bonjour {auteur}, les horaires des piscines : paris.fr")
    works = replies.save("", "Les travaux finissent en juin.\nMerci de votre patience.")
    assert [r.title for r in replies.list()] == ["Piscines", "Les travaux finissent en juin."]
    replies.save("Piscines (été)", pools.text, reply_id=pools.id)
    assert [r.title for r in replies.list()] == ["Piscines (été)", works.title]
    with pytest.raises(ValueError):
        replies.save("Vide", "   ")
    assert replies.remove(works.id) and not replies.remove(works.id)
    filled = replies.fill(replies.list()[0], Author("@marie@exemple.fr", "Marie"), CITY)
    assert filled == "Bonjour Marie, les horaires des piscines : paris.fr"
    db.close()
