"""FilterService over both sandboxes through the real clients: a filter added in the app
reaches both servers, and filters made on a phone show up in the app."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from atproto import Client, models
from mastodon import Mastodon

from paris_desk.core.filters import FilterAction
from paris_desk.core.model import Network
from paris_desk.services.accounts import AccountService
from paris_desk.services.desk import Desk
from paris_desk.store.profile import Profile


@pytest.fixture
def desk(mastodon_sandbox: Any, bluesky_sandbox: Any) -> Iterator[Desk]:
    accounts = AccountService(Profile.default())
    accounts.add_mastodon_token(mastodon_sandbox.base_url, mastodon_sandbox.token_for("ville"))
    who = bluesky_sandbox.accounts[0]
    accounts.add_bluesky(who["handle"], who["password"], service=bluesky_sandbox.base_url)
    desk = Desk(accounts)
    yield desk
    desk.close()


def ids(desk: Desk, network: Network) -> str:
    return next(a.id for a in desk.accounts.list() if a.network is network)


def test_a_filter_reaches_both_servers_and_phone_filters_come_in(
    desk: Desk, mastodon_sandbox: Any, bluesky_sandbox: Any
) -> None:
    phone_m = Mastodon(access_token=mastodon_sandbox.token_for("ville"),
                       api_base_url=mastodon_sandbox.base_url, version_check_mode="none")
    phone_m.create_filter_v2("Foot", ["home"], "hide", keywords_attributes=[{"keyword": "foot"}])
    who = bluesky_sandbox.accounts[0]
    phone_b = Client(base_url=bluesky_sandbox.base_url)
    phone_b.login(who["handle"], who["password"])
    prefs = phone_b.app.bsky.actor.get_preferences().preferences
    phone_b.app.bsky.actor.put_preferences(models.AppBskyActorPutPreferences.Data(
        preferences=[*prefs, models.AppBskyActorDefs.MutedWordsPref(items=[
            models.AppBskyActorDefs.MutedWord(value="foot", targets=["content"])])]))

    made = desk.filters.add("insulte", action=FilterAction.HIDE)
    assert desk.filters.sync() == {}

    assert {f["title"] for f in phone_m.filters_v2()} == {"Foot", "insulte"}
    [muted] = [p for p in phone_b.app.bsky.actor.get_preferences().preferences
               if isinstance(p, models.AppBskyActorDefs.MutedWordsPref)]
    assert sorted(w.value for w in muted.items) == ["foot", "insulte"]
    listed = {(f.text, f.action, f.accounts) for f in desk.filters.list()}
    both = (ids(desk, Network.MASTODON), ids(desk, Network.BLUESKY))
    assert listed == {("insulte", FilterAction.HIDE, ()), ("foot", FilterAction.HIDE, both)}
    states = desk.filters.states()
    assert all(v is True for s in states for v in s.synced.values())

    assert desk.filters.remove(made.id)
    assert desk.filters.sync() == {}
    assert {f["title"] for f in phone_m.filters_v2()} == {"Foot"}
