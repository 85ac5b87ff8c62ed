"""Notification requests through Mastodon.py against the sandbox: a private mention from an
account the city does not follow is kept out of the notifications and listed as a request;
accepting lets it (and the next ones) in, dismissing drops the request."""

from __future__ import annotations

from typing import Any

import pytest
from mastodon import Mastodon

from paris_desk.channels.mastodon import MastodonChannel, account_from_token
from paris_desk.core.requests import SupportsRequests

Sandbox = Any


@pytest.fixture
def city(mastodon_sandbox: Sandbox) -> MastodonChannel:
    token = mastodon_sandbox.token_for("ville")
    return MastodonChannel(account_from_token(mastodon_sandbox.base_url, token), token)


def stranger(sandbox: Sandbox, name: str) -> Mastodon:
    """A new local account the city does not follow."""
    entry = sandbox.add_account(name, name.capitalize())
    with sandbox.lock:  # add_account makes it follow and be followed by everyone
        city_user = sandbox.users[sandbox.account_id("ville")]
        city_user.following.discard(entry["id"])
    return Mastodon(access_token=entry["access_token"], api_base_url=sandbox.base_url,
                    version_check_mode="none")


def texts(city: MastodonChannel) -> list[str]:
    return [n.post.text for n in city.notifications(limit=80).items if n.post is not None]


def test_private_mentions_from_strangers_become_requests(
    city: MastodonChannel, mastodon_sandbox: Sandbox
) -> None:
    assert isinstance(city, SupportsRequests)
    assert city.mention_requests() == []
    karim = stranger(mastodon_sandbox, "karim")
    lea = stranger(mastodon_sandbox, "lea")
    karim.status_post("@ville Bonjour, mon dossier de logement ?", visibility="direct")
    karim.status_post("@ville Je relance pour le logement", visibility="direct")
    lea.status_post("@ville vous êtes nuls", visibility="direct")
    lea.status_post("@ville question publique sur la piscine")  # public: not filtered

    assert not any("logement" in t or "nuls" in t for t in texts(city))
    assert any("piscine" in t for t in texts(city))
    requests = {r.author.handle.split("@")[1]: r for r in city.mention_requests()}
    assert set(requests) == {"karim", "lea"}
    assert requests["karim"].count == 2 and "relance" in requests["karim"].last_post.text
    shown = city.request_notifications(requests["karim"])  # "voir le fil"
    assert [n.post.text.split(" ", 1)[1] for n in shown if n.post] == [
        "Je relance pour le logement", "Bonjour, mon dossier de logement ?"]

    city.accept_request(requests["karim"])
    city.dismiss_request(requests["lea"])
    assert city.mention_requests() == []
    assert sum("logement" in t for t in texts(city)) == 2  # accepted: in the list now
    assert not any("nuls" in t for t in texts(city))  # dismissed: still filtered
    karim.status_post("@ville Merci !", visibility="direct")
    assert any(t.endswith("Merci !") for t in texts(city))  # and from now on
