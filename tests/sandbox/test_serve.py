"""Extra city-like accounts on both sandboxes (``add_account``, ``start_sandboxes(accounts=N)``):
real sign-ins and full home timelines, over HTTP with the real SDK or plain XRPC."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from mastodon import Mastodon

from paris_desk.sandbox.serve import start_sandboxes


def test_a_mastodon_account_added_signs_in_and_reads_a_full_home(mastodon_sandbox: Any) -> None:
    entry = mastodon_sandbox.add_account("quartier3", "Conseil de quartier 3")

    assert mastodon_sandbox.accounts[-1] == entry
    m = Mastodon(api_base_url=mastodon_sandbox.base_url, access_token=entry["access_token"],
                 ratelimit_method="throw", request_timeout=10)
    assert m.account_verify_credentials().acct == "quartier3"
    home = m.timeline_home(limit=40)
    assert len(home) == 40
    city = mastodon_sandbox.token_for("ville")
    assert entry["access_token"] != city and len(entry["access_token"]) >= 32
    with pytest.raises(ValueError, match="exists"):
        mastodon_sandbox.add_account("quartier3", "Encore")


def test_a_bluesky_account_added_signs_in_with_its_app_password(bluesky_sandbox: Any) -> None:
    entry = bluesky_sandbox.add_account("quartier3", "Conseil de quartier 3")

    assert bluesky_sandbox.accounts[-1] == entry
    assert entry["handle"] == "quartier3.sandbox.test"
    xrpc = f"{bluesky_sandbox.base_url}/xrpc"
    session = requests.post(f"{xrpc}/com.atproto.server.createSession", timeout=10, json={
        "identifier": entry["handle"], "password": entry["password"]})
    assert session.ok, session.text
    token = session.json()["accessJwt"]
    feed = requests.get(f"{xrpc}/app.bsky.feed.getTimeline", params={"limit": 30}, timeout=10,
                        headers={"Authorization": f"Bearer {token}"})
    assert feed.ok, feed.text
    assert len(feed.json()["feed"]) == 30
    with pytest.raises(ValueError, match="exists"):
        bluesky_sandbox.add_account("quartier3", "Encore")


def test_start_sandboxes_tops_each_network_up_keeping_the_city_accounts_first() -> None:
    boxes = start_sandboxes(seed=1, accounts=4)
    try:
        described = boxes.describe()
    finally:
        boxes.stop()

    mastodon = [a["acct"] for a in described["mastodon"]["accounts"]]
    bluesky = [a["handle"] for a in described["bluesky"]["accounts"]]
    assert mastodon == ["ville", "culture", "quartier3", "quartier4"]
    assert bluesky == [f"{name}.sandbox.test" for name in mastodon]
    assert set(described["mastodon"]["accounts"][0]) == {"acct", "access_token"}
    assert set(described["bluesky"]["accounts"][0]) == {"handle", "password"}
