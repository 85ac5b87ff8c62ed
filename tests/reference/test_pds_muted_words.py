"""Muted words on the official PDS (@atproto/pds 0.5.35): what ``BlueskyChannel`` writes reads
back with the unmodified atproto SDK, every other preference intact, and words muted by
another app come in."""

from __future__ import annotations

import json
from typing import Any

import pytest
from atproto import Client, models

from paris_desk.channels import bluesky
from paris_desk.core.filters import FilterAction

pytestmark = pytest.mark.reference

MUTED = "app.bsky.actor.defs#mutedWordsPref"


def raw(reference_pds: Any, token: str) -> list[dict[str, Any]]:
    answer = reference_pds.xrpc("app.bsky.actor.getPreferences", auth=token)
    assert answer.status_code == 200, answer.text
    prefs: list[dict[str, Any]] = answer.json()["preferences"]
    return prefs


def others(prefs: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(p, sort_keys=True) for p in prefs if p["$type"] != MUTED)


def test_muted_words_round_trip_on_the_official_pds(reference_pds: Any) -> None:
    handle, password, _ = reference_pds.create_account("filters")
    phone = Client(base_url=reference_pds.url)
    phone.login(handle, password, fetch_bsky_profile=False)  # the main password, as the
    # official app signs in
    session = reference_pds.xrpc("com.atproto.server.createSession",
                                 json_body={"identifier": handle, "password": password})
    token = session.json()["accessJwt"]
    seed = [
        {"$type": "app.bsky.actor.defs#savedFeedsPrefV2", "items": [
            {"type": "timeline", "value": "following", "pinned": True, "id": "3l6ovcmm2vd2j"}]},
        {"$type": "app.bsky.actor.defs#adultContentPref", "enabled": False},
        {"$type": "app.bsky.actor.defs#personalDetailsPref",
         "birthDate": "1990-01-01T00:00:00.000Z"},
        {"$type": MUTED, "items": [{"value": "foot", "targets": ["content"]}]},
    ]
    put = reference_pds.xrpc("app.bsky.actor.putPreferences", json_body={"preferences": seed},
                             auth=token)
    assert put.status_code == 200, put.text
    before = raw(reference_pds, token)

    app_password = reference_pds.create_app_password(handle, password, name="paris_desk")
    account, secret = bluesky.login(handle, app_password, service=reference_pds.url)
    channel = bluesky.restore(account, secret, lambda s: None)
    assert [(r.remote_id, r.text) for r in channel.server_filters()] == [("value:foot", "foot")]

    made = channel.add_server_filter("insulte", FilterAction.HIDE)

    prefs = phone.app.bsky.actor.get_preferences().preferences
    [muted] = [p for p in prefs if isinstance(p, models.AppBskyActorDefs.MutedWordsPref)]
    assert [(w.value, w.targets, w.id) for w in muted.items] == [
        ("foot", ["content"], None), ("insulte", ["content", "tag"], made.remote_id)]
    after = raw(reference_pds, token)
    assert others(after) == others(before)  # personal details too, which an app password
    # can neither read nor write

    channel.remove_server_filter("value:foot")
    prefs = phone.app.bsky.actor.get_preferences().preferences
    [muted] = [p for p in prefs if isinstance(p, models.AppBskyActorDefs.MutedWordsPref)]
    assert [w.value for w in muted.items] == ["insulte"]
    assert others(raw(reference_pds, token)) == others(before)
