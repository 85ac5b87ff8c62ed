"""Publishing, over HTTP against the Bluesky sandbox: the stored records are checked byte for
byte (facet offsets, blobs, reply refs, threadgates) and retries never make a second post."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from paris_desk.channels import bluesky
from paris_desk.core.errors import RateLimited, Rejected, ServerError, Unreachable
from paris_desk.core.model import Account, Post, PostRequest, PreparedMedia
from paris_desk.core.tid import next_tid
from paris_desk.sandbox.corpus import png_image
from paris_desk.sandbox.http import Fault

POST = "app.bsky.feed.post"
THREADGATE = "app.bsky.feed.threadgate"
WHEN = datetime(2026, 6, 21, 16, 30, 0, 250000, tzinfo=UTC)


@pytest.fixture
def ville(bluesky_sandbox: Any) -> dict[str, str]:
    account: dict[str, str] = bluesky_sandbox.accounts[0]
    return account


@pytest.fixture
def culture(bluesky_sandbox: Any) -> dict[str, str]:
    account: dict[str, str] = bluesky_sandbox.accounts[1]
    return account


@pytest.fixture
def signed_in(bluesky_sandbox: Any, ville: dict[str, str]) -> tuple[Account, str]:
    return bluesky.login(ville["handle"], ville["password"], service=bluesky_sandbox.base_url)


@pytest.fixture
def channel(signed_in: tuple[Account, str]) -> bluesky.BlueskyChannel:
    return bluesky.restore(*signed_in, lambda s: None)


def request(text: str, **kw: Any) -> PostRequest:
    return PostRequest(text=text, idempotency_key=next_tid(), created_at=WHEN, **kw)


def stored(server: Any, did: str, req: PostRequest, collection: str = POST) -> dict[str, Any]:
    record: dict[str, Any] = server.records(did, collection)[req.idempotency_key]
    return record


def bare(value: Any) -> Any:
    """``value`` without "$type" keys: the SDK types every object, the official app only unions
    (both are valid records); tests compare the data, and check union types on their own."""
    if isinstance(value, dict):
        return {k: bare(v) for k, v in value.items() if k != "$type"}
    if isinstance(value, list):
        return [bare(v) for v in value]
    return value


def span(text: str, part: str) -> dict[str, int]:
    data, needle = text.encode("utf-8"), part.encode("utf-8")
    start = data.index(needle)
    return {"byteStart": start, "byteEnd": start + len(needle)}


def test_post_with_facets_on_accented_text(bluesky_sandbox: Any, channel: Any,
                                           ville: dict[str, str],
                                           culture: dict[str, str]) -> None:
    text = (f"Fête de la musique à République 🎶 avec @{culture['handle']} : "
            "https://www.paris.fr/fete #FêteDeLaMusique")
    req = request(text)
    post = channel.post(req)
    record = stored(bluesky_sandbox, ville["did"], req)
    assert record["text"] == text
    assert record["createdAt"] == "2026-06-21T16:30:00.250Z"
    assert record["langs"] == ["fr"]
    assert [f["features"][0]["$type"] for f in record["facets"]] == [
        "app.bsky.richtext.facet#mention", "app.bsky.richtext.facet#link",
        "app.bsky.richtext.facet#tag"]
    assert [(f["index"], f["features"][0]) for f in bare(record["facets"])] == [
        (span(text, "@" + culture["handle"]), {"did": culture["did"]}),
        (span(text, "https://www.paris.fr/fete"), {"uri": "https://www.paris.fr/fete"}),
        (span(text, "#FêteDeLaMusique"), {"tag": "FêteDeLaMusique"}),
    ]
    uri = f"at://{ville['did']}/{POST}/{req.idempotency_key}"
    assert (post.uri, post.cid) == (uri, bluesky_sandbox.stored_record(uri).cid)
    assert post.url == f"https://bsky.app/profile/{ville['handle']}/post/{req.idempotency_key}"
    assert [s.kind for s in post.spans if s.link] == ["mention", "link", "tag"]
    assert post.author.user_id == ville["did"] and post.text == text


def test_unknown_mention_is_left_as_text(bluesky_sandbox: Any, channel: Any,
                                         ville: dict[str, str]) -> None:
    text = "Merci @personne.sandbox.test et #Bravo"
    req = request(text)
    channel.post(req)
    record = stored(bluesky_sandbox, ville["did"], req)
    assert record["text"] == text
    assert [f["features"][0]["$type"] for f in record["facets"]] == [
        "app.bsky.richtext.facet#tag"]


def test_image_with_alt_and_aspect_ratio(bluesky_sandbox: Any, channel: Any,
                                         ville: dict[str, str]) -> None:
    data = png_image(640, 360, seed=7)
    req = request("Le parvis ce matin", media=(
        PreparedMedia(data=data, mime_type="image/png", alt="Parvis de l'Hôtel de Ville"),))
    post = channel.post(req)
    (image,) = bare(stored(bluesky_sandbox, ville["did"], req)["embed"]["images"])
    assert image["alt"] == "Parvis de l'Hôtel de Ville"
    assert image["aspectRatio"] == {"width": 640, "height": 360}
    assert image["image"]["mimeType"] == "image/png" and image["image"]["size"] == len(data)
    assert image["image"]["ref"]["$link"].startswith("bafkrei")
    assert bluesky_sandbox.blob(image["image"]["ref"]["$link"]) == data
    (media,) = post.media
    assert (media.alt, media.width, media.height) == ("Parvis de l'Hôtel de Ville", 640, 360)
    assert httpx.get(media.url).content == data


def test_reply_in_a_thread_points_at_root_and_parent(bluesky_sandbox: Any, channel: Any,
                                                     ville: dict[str, str]) -> None:
    timeline = channel.home_timeline(limit=100).items
    parent = next(p for p in timeline if p.reply_to_uri and p.reply_root_uri != p.reply_to_uri)
    req = request("Réponse au fil", reply_to=parent)
    post = channel.post(req)
    reply = bare(stored(bluesky_sandbox, ville["did"], req)["reply"])
    assert reply["parent"] == {"uri": parent.uri, "cid": parent.cid}
    assert reply["root"] == {"uri": parent.reply_root_uri, "cid": parent.reply_root_cid}
    assert (post.reply_to_uri, post.reply_to_handle) == (parent.uri, parent.author.handle)
    assert post.uri in [p.uri for p in channel.thread(parent).replies]


def test_reply_to_a_post_known_only_by_uri(bluesky_sandbox: Any, channel: Any,
                                           ville: dict[str, str]) -> None:
    parent = next(p for p in channel.home_timeline(limit=50).items if not p.reply_to_uri)
    known = Post(uri=parent.uri, native_id=parent.uri, network=parent.network,
                 author=parent.author, created_at=parent.created_at)
    req = request("Bonne question", reply_to=known)
    channel.post(req)
    reply = bare(stored(bluesky_sandbox, ville["did"], req)["reply"])
    assert reply["root"] == reply["parent"] == {"uri": parent.uri, "cid": parent.cid}


def test_quote_with_image(bluesky_sandbox: Any, channel: Any, ville: dict[str, str]) -> None:
    quoted = channel.home_timeline(limit=10).items[0]
    req = request("À lire", quote=quoted, media=(
        PreparedMedia(data=png_image(100, 100, seed=1), mime_type="image/png", alt=""),))
    post = channel.post(req)
    embed = stored(bluesky_sandbox, ville["did"], req)["embed"]
    assert embed["$type"] == "app.bsky.embed.recordWithMedia"
    assert embed["media"]["$type"] == "app.bsky.embed.images"
    assert bare(embed["record"]["record"]) == {"uri": quoted.uri, "cid": quoted.cid}
    assert embed["media"]["images"][0]["alt"] == ""
    assert post.quote == quoted


def test_content_warning_without_media_prefixes_the_text(bluesky_sandbox: Any, channel: Any,
                                                         ville: dict[str, str]) -> None:
    req = request("Circulation coupée #Trafic", content_warning="accident grave")
    post = channel.post(req)
    record = stored(bluesky_sandbox, ville["did"], req)
    assert record["text"] == "⚠️ CW: accident grave\nCirculation coupée #Trafic"
    assert "labels" not in record
    assert bare(record["facets"][0]["index"]) == span(record["text"], "#Trafic")
    assert (post.content_warning, post.text) == ("accident grave", "Circulation coupée #Trafic")


def test_content_warning_with_media_is_a_self_label(bluesky_sandbox: Any, channel: Any,
                                                    ville: dict[str, str]) -> None:
    req = request("L'incendie d'hier", content_warning="images difficiles", media=(
        PreparedMedia(data=png_image(64, 48, seed=3), mime_type="image/png", alt="Façade"),))
    channel.post(req)
    record = stored(bluesky_sandbox, ville["did"], req)
    assert record["text"] == "L'incendie d'hier"
    assert record["labels"]["$type"] == "com.atproto.label.defs#selfLabels"
    assert bare(record["labels"]["values"]) == [{"val": "graphic-media"}]


def test_threadgate_record_at_the_post_rkey(bluesky_sandbox: Any, channel: Any,
                                            ville: dict[str, str]) -> None:
    req = request("Consultation : répondez seulement si mentionné", reply_gate="mentioned")
    post = channel.post(req)
    gate = stored(bluesky_sandbox, ville["did"], req, THREADGATE)
    assert gate["post"] == post.uri
    assert [rule["$type"] for rule in gate["allow"]] == ["app.bsky.feed.threadgate#mentionRule"]
    nobody = request("Aucune réponse", reply_gate="nobody")
    channel.post(nobody)
    assert stored(bluesky_sandbox, ville["did"], nobody, THREADGATE)["allow"] == []
    everyone = request("Ouvert à tous")
    channel.post(everyone)
    assert everyone.idempotency_key not in bluesky_sandbox.records(ville["did"], THREADGATE)


def test_dropped_connection_after_commit_makes_no_duplicate(bluesky_sandbox: Any, channel: Any,
                                                           ville: dict[str, str]) -> None:
    req = request("Annonce importante", reply_gate="followers")
    bluesky_sandbox.add_fault(Fault(kind="drop_after_commit", method="POST",
                                    path="createRecord", count=1))
    first = channel.post(req)
    again = channel.post(req)  # the outbox's retry with the same key
    assert (again.uri, again.cid) == (first.uri, first.cid)
    posts = bluesky_sandbox.records(ville["did"], POST)
    assert [k for k, r in posts.items() if r["text"] == "Annonce importante"] == [
        req.idempotency_key]
    assert stored(bluesky_sandbox, ville["did"], req, THREADGATE)["post"] == first.uri
    assert channel.find_sent(req).cid == first.cid


def test_server_error_before_commit_is_retryable(bluesky_sandbox: Any, channel: Any,
                                                 ville: dict[str, str]) -> None:
    req = request("Deuxième essai")
    bluesky_sandbox.add_fault(Fault(kind="500", method="POST", path="createRecord"))
    with pytest.raises(ServerError):
        channel.post(req)
    assert channel.find_sent(req) is None
    post = channel.post(req)
    assert post.uri.endswith("/" + req.idempotency_key)
    assert channel.find_sent(req).cid == post.cid


def test_timeout_is_unreachable_maybe_applied(bluesky_sandbox: Any,
                                              signed_in: tuple[Account, str],
                                              ville: dict[str, str]) -> None:
    channel = bluesky.restore(*signed_in, lambda s: None, timeout=1.0)
    req = request("Message lent")
    bluesky_sandbox.add_fault(Fault(kind="hang", method="POST", path="createRecord",
                                    hang_seconds=3))
    with pytest.raises(Unreachable) as caught:
        channel.post(req)
    assert caught.value.maybe_applied and caught.value.retryable
    assert req.idempotency_key not in bluesky_sandbox.records(ville["did"], POST)
    assert channel.post(req).uri.endswith("/" + req.idempotency_key)


def test_rate_limited_post(bluesky_sandbox: Any, channel: Any, ville: dict[str, str]) -> None:
    req = request("Trop vite")
    bluesky_sandbox.add_fault(Fault(kind="429", method="POST", path="createRecord",
                                    retry_after=30))
    with pytest.raises(RateLimited) as caught:
        channel.post(req)
    assert caught.value.retry_after == pytest.approx(30, abs=1)
    assert req.idempotency_key not in bluesky_sandbox.records(ville["did"], POST)


def test_too_long_text_is_rejected(bluesky_sandbox: Any, channel: Any,
                                   ville: dict[str, str]) -> None:
    req = request("é" * 301)
    with pytest.raises(Rejected):
        channel.post(req)
    assert req.idempotency_key not in bluesky_sandbox.records(ville["did"], POST)


def test_key_must_be_a_tid(bluesky_sandbox: Any, channel: Any) -> None:
    before = len(bluesky_sandbox.requests)
    with pytest.raises(Rejected, match="TID"):
        channel.post(replace(request("x"), idempotency_key="pas-un-tid"))
    assert len(bluesky_sandbox.requests) == before


def test_too_many_images(channel: Any) -> None:
    image = PreparedMedia(data=png_image(10, 10, seed=1), mime_type="image/png", alt="")
    with pytest.raises(Rejected):
        channel.post(request("cinq images", media=(image,) * 5))


def test_post_after_the_access_token_expired(bluesky_sandbox: Any,
                                             signed_in: tuple[Account, str],
                                             ville: dict[str, str]) -> None:
    saved: list[str] = []
    channel = bluesky.restore(*signed_in, saved.append)
    bluesky_sandbox.expire_access_tokens()
    req = request("Après expiration")
    channel.post(req)
    assert len(saved) == 1
    assert req.idempotency_key in bluesky_sandbox.records(ville["did"], POST)
