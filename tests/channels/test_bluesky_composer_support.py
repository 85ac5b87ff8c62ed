"""What the composer needs from the Bluesky adapter, over HTTP against the sandbox: a link card
sent as ``app.bsky.embed.external`` with its thumbnail blob, and handles resolved to DIDs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from paris_desk.channels import bluesky
from paris_desk.core.model import LinkCard, PostRequest, PreparedMedia
from paris_desk.core.tid import next_tid
from paris_desk.sandbox.corpus import png_image

POST = "app.bsky.feed.post"
WHEN = datetime(2026, 6, 21, 16, 30, tzinfo=UTC)
CARD = LinkCard(url="https://www.paris.fr/fete", title="Fête de la musique",
                description="Le programme du 21 juin", image_url="https://www.paris.fr/a.jpg")


@pytest.fixture
def channel(bluesky_sandbox: Any) -> bluesky.BlueskyChannel:
    ville = bluesky_sandbox.accounts[0]
    account, secret = bluesky.login(ville["handle"], ville["password"],
                                    service=bluesky_sandbox.base_url)
    return bluesky.restore(account, secret, lambda s: None)


def request(text: str, **kw: Any) -> PostRequest:
    return PostRequest(text=text, idempotency_key=next_tid(), created_at=WHEN, **kw)


def test_link_card_with_thumbnail_is_an_external_embed(bluesky_sandbox: Any,
                                                       channel: Any) -> None:
    thumb = PreparedMedia(png_image(8, 8, 1), "image/png", alt="", width=8, height=8)
    req = request("Tout le programme : https://www.paris.fr/fete", link_card=CARD,
                  link_card_thumb=thumb)
    channel.post(req)
    did = bluesky_sandbox.accounts[0]["did"]
    record = bluesky_sandbox.records(did, POST)[req.idempotency_key]
    embed = record["embed"]
    assert embed["$type"] == "app.bsky.embed.external"
    external = embed["external"]
    assert (external["uri"], external["title"], external["description"]) == (
        CARD.url, CARD.title, CARD.description)
    cid = external["thumb"]["ref"]["$link"]
    assert bluesky_sandbox.blob(cid) == thumb.data


def test_link_card_without_thumbnail(bluesky_sandbox: Any, channel: Any) -> None:
    req = request("https://www.paris.fr/fete", link_card=CARD)
    channel.post(req)
    record = bluesky_sandbox.records(bluesky_sandbox.accounts[0]["did"], POST)
    external = record[req.idempotency_key]["embed"]["external"]
    assert "thumb" not in external and external["title"] == CARD.title


def test_images_win_over_the_link_card(bluesky_sandbox: Any, channel: Any) -> None:
    image = PreparedMedia(png_image(8, 8, 1), "image/png", "Affiche du concert", 8, 8)
    req = request("https://www.paris.fr/fete", media=(image,), link_card=CARD)
    channel.post(req)
    record = bluesky_sandbox.records(bluesky_sandbox.accounts[0]["did"], POST)
    assert record[req.idempotency_key]["embed"]["$type"] == "app.bsky.embed.images"


def test_resolve_handle(bluesky_sandbox: Any, channel: Any) -> None:
    culture = bluesky_sandbox.accounts[1]
    assert channel.resolve_handle("@" + culture["handle"].upper()) == culture["did"]
    assert channel.resolve_handle("personne.sandbox.test") is None
    assert channel.resolve_handle("inconnu.example.com") is None
