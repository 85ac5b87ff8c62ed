"""Quote controls on Mastodon 4.5 through Mastodon.py against the sandbox: forbid quotes of
the city's post, revoke a citizen's quote (final: it cannot be attached again)."""

from __future__ import annotations

from typing import Any

import pytest
from mastodon import Mastodon

from paris_desk.channels.mastodon import MastodonChannel, account_from_token
from paris_desk.core.errors import Rejected
from paris_desk.core.model import PostRequest
from paris_desk.core.threads import SupportsQuoteControl, SupportsThreadControl

Sandbox = Any


@pytest.fixture
def city(mastodon_sandbox: Sandbox) -> MastodonChannel:
    token = mastodon_sandbox.token_for("ville")
    return MastodonChannel(account_from_token(mastodon_sandbox.base_url, token), token)


@pytest.fixture
def citizen(mastodon_sandbox: Sandbox) -> Mastodon:
    return Mastodon(access_token=mastodon_sandbox.token_for("culture"),
                    api_base_url=mastodon_sandbox.base_url, version_check_mode="none")


def test_forbid_quotes_and_revoke_one(city: MastodonChannel, citizen: Mastodon) -> None:
    assert isinstance(city, SupportsQuoteControl)
    assert not isinstance(city, SupportsThreadControl)  # no hidden replies on Mastodon
    post = city.post(PostRequest("La piscine Pontoise rouvre lundi.", idempotency_key="k1"))
    quote = citizen.status_post("Enfin, les nuls", quoted_status_id=post.native_id)

    assert city.set_quotes_allowed(post, False).quotes_allowed is False
    seen = citizen.status(post.native_id)
    assert seen["quote_approval"]["automatic"] == [] and (
        seen["quote_approval"]["current_user"] == "denied")
    city.set_quotes_allowed(post, True)
    assert citizen.status(post.native_id)["quote_approval"]["automatic"] == ["public"]

    controls = city.detach_quote(post, quote["uri"])
    assert controls.detached_quotes == (quote["uri"],)
    assert citizen.status(quote["id"])["quote"]["state"] == "revoked"
    with pytest.raises(Rejected):
        city.detach_quote(post, quote["uri"], detached=False)  # final on Mastodon


def test_only_the_citys_own_posts(city: MastodonChannel, citizen: Mastodon) -> None:
    theirs = city.home_timeline(limit=40).items
    other = next(p for p in theirs if p.author.user_id != city.account.user_id)
    with pytest.raises(Rejected):
        city.set_quotes_allowed(other, False)
