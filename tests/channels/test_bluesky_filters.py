"""Muted words through the atproto SDK against the sandbox: written into the preferences with
every other preference kept, and words muted in another app read back."""

from __future__ import annotations

import json
from typing import Any

import pytest
from atproto import Client, models

from paris_desk.channels import bluesky
from paris_desk.core.filters import FilterAction, SupportsFilterSync

MUTED = "app.bsky.actor.defs#mutedWordsPref"


@pytest.fixture
def ville(bluesky_sandbox: Any) -> dict[str, str]:
    account: dict[str, str] = bluesky_sandbox.accounts[0]
    return account


@pytest.fixture
def channel(bluesky_sandbox: Any, ville: dict[str, str]) -> bluesky.BlueskyChannel:
    account, secret = bluesky.login(ville["handle"], ville["password"],
                                    service=bluesky_sandbox.base_url)
    return bluesky.restore(account, secret, lambda s: None)


@pytest.fixture
def phone(bluesky_sandbox: Any, ville: dict[str, str]) -> Client:
    client = Client(base_url=bluesky_sandbox.base_url)
    client.login(ville["handle"], ville["password"])
    return client


def others(prefs: list[dict[str, Any]]) -> list[str]:
    """The preferences other than muted words, in a comparable form (the PDS keeps those a
    session may not write before the rest, so the order may change)."""
    return sorted(json.dumps(p, sort_keys=True) for p in prefs if p["$type"] != MUTED)


def test_add_and_remove_keep_the_other_preferences(
    channel: bluesky.BlueskyChannel, bluesky_sandbox: Any, ville: dict[str, str]
) -> None:
    assert isinstance(channel, SupportsFilterSync)
    before = bluesky_sandbox.preferences(ville["did"])
    assert channel.server_filters() == []

    made = channel.add_server_filter("insulte", FilterAction.WARN)
    after = bluesky_sandbox.preferences(ville["did"])
    assert others(after) == others(before)  # saved feeds, adult content, personal details kept
    [muted] = [p for p in after if p["$type"] == MUTED]
    [word] = muted["items"]
    assert (word["value"], word["targets"], word["id"]) == (
        "insulte", ["content", "tag"], made.remote_id)
    # A muted word has no action: whatever made it, it reads back as "hide".
    assert [(r.remote_id, r.text, r.action) for r in channel.server_filters()] == [
        (made.remote_id, "insulte", FilterAction.HIDE)]

    channel.remove_server_filter(made.remote_id)
    channel.remove_server_filter(made.remote_id)  # idempotent
    assert channel.server_filters() == []
    assert others(bluesky_sandbox.preferences(ville["did"])) == others(before)


def test_words_muted_in_another_app_come_in(
    channel: bluesky.BlueskyChannel, phone: Client
) -> None:
    prefs = phone.app.bsky.actor.get_preferences().preferences
    words = [models.AppBskyActorDefs.MutedWord(value="grève", targets=["tag"]),
             models.AppBskyActorDefs.MutedWord(value="spam", targets=["content"], id="3abc"),
             models.AppBskyActorDefs.MutedWord(value="hier", targets=["content"], id="3old",
                                               expires_at="2020-01-01T00:00:00.000Z")]
    phone.app.bsky.actor.put_preferences(models.AppBskyActorPutPreferences.Data(
        preferences=[*prefs, models.AppBskyActorDefs.MutedWordsPref(items=words)]))

    held = channel.server_filters()  # the expired word is not in force
    assert [(r.remote_id, r.text, r.action) for r in held] == [
        ("value:grève", "grève", FilterAction.HIDE), ("3abc", "spam", FilterAction.HIDE)]
    channel.remove_server_filter("value:grève")
    [muted] = [p for p in phone.app.bsky.actor.get_preferences().preferences
               if isinstance(p, models.AppBskyActorDefs.MutedWordsPref)]
    assert [w.value for w in muted.items] == ["spam", "hier"]  # kept as it was
