"""The sandbox's filters v2 and preferences answer errors as the real servers do."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

Sandbox = Any


@pytest.fixture
def mastodon(mastodon_sandbox: Sandbox) -> httpx.Client:
    token = mastodon_sandbox.token_for("ville")
    return httpx.Client(base_url=mastodon_sandbox.base_url,
                        headers={"Authorization": f"Bearer {token}"})


def test_mastodon_filter_validation_and_ownership(mastodon: httpx.Client,
                                                  mastodon_sandbox: Sandbox) -> None:
    r = mastodon.post("/api/v2/filters", json={"title": "", "context": []})
    assert (r.status_code, r.json()["error"]) == (
        422, "Validation failed: Title can't be blank, Context can't be blank")
    r = mastodon.post("/api/v2/filters", json={"title": "x", "context": ["nowhere"]})
    assert r.status_code == 422 and "invalid context" in r.json()["error"]
    r = mastodon.post("/api/v2/filters", json={"title": "x", "context": ["home"]})
    assert r.status_code == 200 and r.json()["filter_action"] == "warn"
    filter_id = r.json()["id"]
    r = mastodon.post(f"/api/v2/filters/{filter_id}/keywords", data={"keyword": "nul"})
    assert r.json()["whole_word"] is True
    other = mastodon_sandbox.token_for("culture")
    r = httpx.get(f"{mastodon_sandbox.base_url}/api/v2/filters/{filter_id}",
                  headers={"Authorization": f"Bearer {other}"})
    assert (r.status_code, r.json()) == (404, {"error": "Record not found"})
    assert mastodon.delete(f"/api/v2/filters/{filter_id}").json() == {}
    assert mastodon.delete(f"/api/v2/filters/{filter_id}").status_code == 404


def test_bluesky_put_preferences_checks(bluesky_sandbox: Sandbox) -> None:
    who = bluesky_sandbox.accounts[0]
    login = httpx.post(f"{bluesky_sandbox.base_url}/xrpc/com.atproto.server.createSession",
                       json={"identifier": who["handle"], "password": who["password"]})
    client = httpx.Client(base_url=bluesky_sandbox.base_url, headers={
        "Authorization": f"Bearer {login.json()['accessJwt']}"})
    put = "/xrpc/app.bsky.actor.putPreferences"
    cases = [
        ([{"enabled": True}], "Preference is missing a $type"),
        ([{"$type": "com.example.pref"}], "Some preferences are not in the app.bsky namespace"),
        ([{"$type": "app.bsky.actor.defs#personalDetailsPref"}],
         "Do not have authorization to set preferences."),  # an app password
    ]
    for prefs, message in cases:
        r = client.post(put, json={"preferences": prefs})
        assert (r.status_code, r.json()["message"]) == (400, message)
    got = client.get("/xrpc/app.bsky.actor.getPreferences").json()["preferences"]
    assert "app.bsky.actor.defs#personalDetailsPref" not in {p["$type"] for p in got}
    assert client.post(put, json={"preferences": []}).status_code == 200
    kept = bluesky_sandbox.preferences(who["did"])  # what the app password could not see
    assert [p["$type"] for p in kept] == ["app.bsky.actor.defs#personalDetailsPref"]
