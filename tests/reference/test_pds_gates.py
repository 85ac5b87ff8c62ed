"""Thread protection on the official PDS (@atproto/pds 0.5.35): the threadgate's
``hiddenReplies`` and the postgate's rules written by ``BlueskyChannel`` read back with the
unmodified atproto SDK, at the post's rkey, and an emptied gate is deleted."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from atproto import Client, models
from atproto_client import exceptions as exc

from paris_desk.channels import bluesky
from paris_desk.core.model import Author, Network, Post
from paris_desk.core.threads import ReplyGate

pytestmark = pytest.mark.reference


def login(reference_pds: Any, prefix: str) -> tuple[Client, str, str, str]:
    handle, password, did = reference_pds.create_account(prefix)
    client = Client(base_url=reference_pds.url)
    client.login(handle, password, fetch_bsky_profile=False)
    return client, handle, password, did


def record(text: str, **fields: Any) -> models.AppBskyFeedPost.Record:
    return models.AppBskyFeedPost.Record(
        text=text, created_at=datetime.now(UTC).isoformat().replace("+00:00", "Z"), **fields)


def as_post(uri: str, root: str = "") -> Post:
    return Post(uri=uri, native_id=uri, network=Network.BLUESKY, author=Author(handle=""),
                created_at=datetime.now(UTC), reply_root_uri=root, reply_to_uri=root)


def test_gates_read_back_with_the_sdk(reference_pds: Any) -> None:
    city, handle, password, city_did = login(reference_pds, "gates")
    citizen, _, _, citizen_did = login(reference_pds, "citizen")
    root = city.app.bsky.feed.post.create(city_did, record("Travaux de la piscine Pontoise."))
    ref = models.create_strong_ref(root)
    insult = citizen.app.bsky.feed.post.create(citizen_did, record(
        "Bande d'incapables", reply=models.AppBskyFeedPost.ReplyRef(root=ref, parent=ref)))
    quote = citizen.app.bsky.feed.post.create(citizen_did, record(
        "Il était temps", embed=models.AppBskyEmbedRecord.Main(record=ref)))
    app_password = reference_pds.create_app_password(handle, password, name="paris_desk")
    account, secret = bluesky.login(handle, app_password, service=reference_pds.url)
    channel = bluesky.restore(account, secret, lambda s: None)
    rkey = root.uri.rsplit("/", 1)[-1]

    channel.hide_reply(as_post(insult.uri, root.uri))
    channel.set_reply_gate(as_post(root.uri), ReplyGate.MENTIONED)
    channel.set_quotes_allowed(as_post(root.uri), False)
    channel.detach_quote(as_post(root.uri), quote.uri)

    gate = city.app.bsky.feed.threadgate.get(city_did, rkey).value
    assert gate.post == root.uri and gate.hidden_replies == [insult.uri]
    assert [type(rule).__name__ for rule in gate.allow or []] == ["MentionRule"]
    postgate = city.app.bsky.feed.postgate.get(city_did, rkey).value
    assert postgate.post == root.uri and postgate.detached_embedding_uris == [quote.uri]
    assert [type(rule).__name__ for rule in postgate.embedding_rules or []] == ["DisableRule"]

    channel.set_reply_gate(as_post(root.uri), ReplyGate.EVERYONE)
    channel.hide_reply(as_post(insult.uri, root.uri), hidden=False)
    with pytest.raises(exc.BadRequestError):  # RecordNotFound: the empty gate is gone
        city.app.bsky.feed.threadgate.get(city_did, rkey)
