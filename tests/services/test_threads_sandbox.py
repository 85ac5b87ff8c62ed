"""ThreadGuard on the Desk over both sandboxes: the city hides an insult under its own
Bluesky post and forbids quotes; on Mastodon it forbids quotes, and hiding a reply says
"unsupported"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from paris_desk.channels import bluesky as bsky
from paris_desk.core.errors import Rejected
from paris_desk.core.model import Network, PostRequest
from paris_desk.core.threads import ThreadControls
from paris_desk.core.tid import next_tid
from paris_desk.services.accounts import AccountService
from paris_desk.services.desk import Desk
from paris_desk.services.threads import UNSUPPORTED
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


def account(desk: Desk, network: Network) -> str:
    return next(a.id for a in desk.accounts.list() if a.network is network)


def test_the_city_protects_its_bluesky_thread(desk: Desk, bluesky_sandbox: Any) -> None:
    city = account(desk, Network.BLUESKY)
    root = desk.accounts.channel(city).post(PostRequest("Piscine Pontoise : point d'étape.",
                                                        idempotency_key=next_tid()))
    author = bluesky_sandbox.authors[3]
    login, secret = bsky.login(author["handle"], author["password"],
                               service=bluesky_sandbox.base_url)
    insult = bsky.restore(login, secret, lambda s: None).post(
        PostRequest("Bande d'incapables", reply_to=root, idempotency_key=next_tid()))

    assert desk.threads.supports(city)
    assert desk.threads.hide_reply(city, insult).hidden_replies == (insult.uri,)
    controls = desk.threads.set_quotes_allowed(city, root, False)
    assert controls == ThreadControls(hidden_replies=(insult.uri,), quotes_allowed=False)
    assert desk.threads.controls(city, root) == controls


def test_mastodon_controls_quotes_only(desk: Desk) -> None:
    city = account(desk, Network.MASTODON)
    assert not desk.threads.supports(city) and desk.threads.supports_quotes(city)
    post = desk.accounts.channel(city).post(PostRequest("Piscine : point d'étape.",
                                                        idempotency_key="q1"))
    assert desk.threads.set_quotes_allowed(city, post, False).quotes_allowed is False
    with pytest.raises(Rejected, match=UNSUPPORTED):
        desk.threads.hide_reply(city, post)
