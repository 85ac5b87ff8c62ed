"""Account preferences, as the PDS keeps them: ``app.bsky.actor.getPreferences`` and
``putPreferences`` (atproto ``packages/pds/src/api/app/bsky/actor/{get,put}Preferences.ts`` and
``actor-store/preference/{reader,transactor}.ts``).

- The list is opaque to the PDS except for ``$type``: every item needs one (else 400 "Preference
  is missing a $type"), in the ``app.bsky`` namespace (else 400 "Some preferences are not in the
  app.bsky namespace").
- ``putPreferences`` replaces the whole list, except what the session may not see: an app
  password neither reads nor writes ``personalDetailsPref`` (400 "Do not have authorization to
  set preferences."), and the stored one is kept.
- Muted words (``mutedWordsPref``) are checked against the lexicon: ``value`` (at most 10,000
  characters) and ``targets`` (``content``/``tag``, open) are required.

Each city account starts with the preferences the official app writes at sign-up (saved feeds,
adult content off), so a client that drops them is caught.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from paris_desk.sandbox.bluesky.tokens import APP_PASS_SCOPE
from paris_desk.sandbox.bluesky.xrpc import body, invalid
from paris_desk.sandbox.http import Request, Response

if TYPE_CHECKING:
    from paris_desk.sandbox.bluesky.server import BlueskySandbox

PERSONAL = "app.bsky.actor.defs#personalDetailsPref"
MUTED_WORDS = "app.bsky.actor.defs#mutedWordsPref"
MAX_MUTED_WORD = 10_000


def initial() -> list[dict[str, Any]]:
    return [
        {"$type": "app.bsky.actor.defs#savedFeedsPrefV2", "items": [
            {"type": "timeline", "value": "following", "pinned": True, "id": "3l6ovcmm2vd2j"},
        ]},
        {"$type": "app.bsky.actor.defs#adultContentPref", "enabled": False},
        {"$type": PERSONAL, "birthDate": "1990-01-01T00:00:00.000Z"},
    ]


class Preferences:
    def __init__(self, server: BlueskySandbox) -> None:
        self.server = server
        self.stored: dict[str, list[dict[str, Any]]] = {}

    def routes(self) -> list[tuple[str, str, Callable[[Request], Response]]]:
        return [
            ("GET", "app.bsky.actor.getPreferences", self.get_preferences),
            ("POST", "app.bsky.actor.putPreferences", self.put_preferences),
        ]

    def of(self, did: str) -> list[dict[str, Any]]:
        return self.stored.setdefault(did, initial())

    def get_preferences(self, req: Request) -> Response:
        creds = self.server.authenticate(req)
        visible = [p for p in self.of(creds.did) if _allowed(p["$type"], creds.scope)]
        return Response(200, {"preferences": copy.deepcopy(visible)})

    def put_preferences(self, req: Request) -> Response:
        creds = self.server.authenticate(req)
        prefs = body(req).get("preferences")
        if not isinstance(prefs, list):
            raise invalid('Input must have the property "preferences"')
        for pref in prefs:
            _check(pref)
        if not all(_allowed(p["$type"], creds.scope) for p in prefs):
            raise invalid("Do not have authorization to set preferences.")
        kept = [p for p in self.of(creds.did) if not _allowed(p["$type"], creds.scope)]
        self.stored[creds.did] = kept + copy.deepcopy(prefs)
        return Response(200, None)


def _allowed(pref_type: str, scope: str) -> bool:
    return pref_type != PERSONAL or scope != APP_PASS_SCOPE


def _check(pref: Any) -> None:
    if not isinstance(pref, dict) or not isinstance(pref.get("$type"), str):
        raise invalid("Preference is missing a $type")
    if not pref["$type"].startswith("app.bsky."):
        raise invalid("Some preferences are not in the app.bsky namespace")
    if pref["$type"] != MUTED_WORDS:
        return
    items = pref.get("items")
    if not isinstance(items, list):
        raise invalid('Input/preferences/0 must have the property "items"')
    for i, word in enumerate(items):
        where = f"Input/preferences/mutedWordsPref/items/{i}"
        if not isinstance(word, dict) or not isinstance(word.get("value"), str):
            raise invalid(f'{where} must have the property "value"')
        if len(word["value"]) > MAX_MUTED_WORD:
            raise invalid(f"{where}/value must not be longer than {MAX_MUTED_WORD} characters")
        if not isinstance(word.get("targets"), list):
            raise invalid(f'{where} must have the property "targets"')
