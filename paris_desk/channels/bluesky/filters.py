"""Keyword filters on Bluesky: muted words (``SupportsFilterSync`` for ``BlueskyChannel``).

Muted words live in the account's preferences, ``app.bsky.actor.defs#mutedWordsPref``, read
with ``app.bsky.actor.getPreferences`` and written back whole with ``putPreferences``. Every
other preference (saved feeds, content settings, items of types this SDK does not know) is
sent back as it was read. Between the read and the write another app may change them: the
window is one round trip, as in the official app.

A muted word has no action: the official app hides what it matches in feeds and collapses it
in threads, so a word made elsewhere comes in as ``hide``. Words are written as social-app
does: targets content and tags, for every author, with a TID as ``id``. ``remote_id`` is that
id (or ``value:<word>`` for an old word written without one).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from paris_desk.core.filters import FilterAction, RemoteFilter
from paris_desk.core.tid import next_tid

if TYPE_CHECKING:
    from .session import SessionCaller

GET = "app.bsky.actor.getPreferences"
PUT = "app.bsky.actor.putPreferences"
MUTED_WORDS = "app.bsky.actor.defs#mutedWordsPref"
TARGETS = ["content", "tag"]

Pref = dict[str, Any]


def _expired(word: Pref) -> bool:
    expires = word.get("expiresAt")
    if not isinstance(expires, str):
        return False
    try:
        moment = datetime.fromisoformat(expires.replace("Z", "+00:00"))
    except ValueError:
        return False
    return moment.astimezone(UTC) <= datetime.now(UTC)


def _remote_id(word: Pref) -> str:
    return str(word.get("id") or f"value:{word.get('value', '')}")


class BlueskyFilters:
    """Mixed into ``BlueskyChannel``, whose ``_api`` it uses (plain XRPC). Preferences are
    read and written as the JSON the server sent (the SDK's models would add ``$type`` to
    nested items), so what this app does not touch goes back byte for byte."""

    _api: SessionCaller

    def server_filters(self) -> list[RemoteFilter]:
        """The muted words in force (an expired one, ``expiresAt`` past, is left out)."""
        _, words = self._muted_words()
        return [RemoteFilter(_remote_id(w), str(w.get("value", "")), FilterAction.HIDE)
                for w in words if w.get("value") and not _expired(w)]

    def add_server_filter(self, text: str, action: FilterAction) -> RemoteFilter:
        prefs, words = self._muted_words()
        word = {"value": text, "targets": TARGETS, "actorTarget": "all", "id": next_tid()}
        self._put(prefs, [*words, word])
        return RemoteFilter(_remote_id(word), text, action)

    def remove_server_filter(self, remote_id: str) -> None:
        prefs, words = self._muted_words()
        kept = [w for w in words if _remote_id(w) != remote_id]
        if len(kept) != len(words):
            self._put(prefs, kept)

    # -- helpers -----------------------------------------------------------------------------
    def _muted_words(self) -> tuple[list[Pref], list[Pref]]:
        """Every preference as read, and the muted words among them."""
        answer = self._api.query(GET)
        content = answer if isinstance(answer, dict) else {}
        prefs = [p for p in content.get("preferences") or () if isinstance(p, dict)]
        words = [w for p in prefs if p.get("$type") == MUTED_WORDS
                 for w in p.get("items") or () if isinstance(w, dict)]
        return prefs, words

    def _put(self, prefs: list[Pref], words: list[Pref]) -> None:
        others = [p for p in prefs if p.get("$type") != MUTED_WORDS]
        muted = {"$type": MUTED_WORDS, "items": words}
        self._api.procedure(PUT, {"preferences": [*others, muted]})
