"""Protecting the city's threads on Bluesky after publishing, through the atproto SDK against
the sandbox (its repository is the server's state): hide a reply, change who may reply,
forbid and detach quotes; the records are kept at the post's rkey and deleted when empty."""

from __future__ import annotations

from typing import Any

import pytest
from atproto import Client, models

from paris_desk.channels import bluesky
from paris_desk.channels.bluesky.convert import rkey_of
from paris_desk.core.errors import Rejected
from paris_desk.core.model import Post, PostRequest
from paris_desk.core.threads import ReplyGate, SupportsThreadControl, ThreadControls
from paris_desk.core.tid import next_tid

THREADGATE = "app.bsky.feed.threadgate"
POSTGATE = "app.bsky.feed.postgate"


def channel_for(sandbox: Any, who: dict[str, str]) -> bluesky.BlueskyChannel:
    account, secret = bluesky.login(who["handle"], who["password"], service=sandbox.base_url)
    return bluesky.restore(account, secret, lambda s: None)


@pytest.fixture
def city(bluesky_sandbox: Any) -> bluesky.BlueskyChannel:
    return channel_for(bluesky_sandbox, bluesky_sandbox.accounts[0])


@pytest.fixture
def citizen(bluesky_sandbox: Any) -> bluesky.BlueskyChannel:
    return channel_for(bluesky_sandbox, bluesky_sandbox.authors[3])


def publish(channel: bluesky.BlueskyChannel, text: str, **request: Any) -> Post:
    return channel.post(PostRequest(text, idempotency_key=next_tid(), **request))


def stored(sandbox: Any, did: str, collection: str) -> dict[str, Any]:
    return dict(sandbox.records(did, collection))


def test_hide_a_reply_and_change_who_may_reply(
    city: bluesky.BlueskyChannel, citizen: bluesky.BlueskyChannel, bluesky_sandbox: Any
) -> None:
    assert isinstance(city, SupportsThreadControl)
    did = city.account.user_id
    root = publish(city, "Travaux de la piscine Pontoise : point d'étape.")
    insult = publish(citizen, "Bande d'incapables", reply_to=root)
    rkey = rkey_of(root.uri)

    controls = city.hide_reply(insult)
    assert controls == ThreadControls(hidden_replies=(insult.uri,))
    gate = stored(bluesky_sandbox, did, THREADGATE)[rkey]
    assert (gate["post"], gate["hiddenReplies"], "allow" in gate) == (
        root.uri, [insult.uri], False)  # everyone may still reply
    city.hide_reply(insult)  # idempotent
    assert stored(bluesky_sandbox, did, THREADGATE)[rkey]["hiddenReplies"] == [insult.uri]
    # Read back: the AppView hydrates the gate into the root's view, the thread says it.
    assert city.thread(root).hidden_replies == (insult.uri,)
    assert citizen.thread(insult).hidden_replies == (insult.uri,)  # from the reply too

    controls = city.set_reply_gate(root, ReplyGate.FOLLOWERS)
    assert controls.reply_gate is ReplyGate.FOLLOWERS
    assert controls.hidden_replies == (insult.uri,)  # kept
    assert stored(bluesky_sandbox, did, THREADGATE)[rkey]["allow"] == [
        {"$type": "app.bsky.feed.threadgate#followerRule"}]

    city.set_reply_gate(root, ReplyGate.EVERYONE)
    assert city.hide_reply(insult, hidden=False) == ThreadControls()
    assert rkey not in stored(bluesky_sandbox, did, THREADGATE)  # empty: deleted


def test_forbid_and_detach_quotes(
    city: bluesky.BlueskyChannel, citizen: bluesky.BlueskyChannel, bluesky_sandbox: Any
) -> None:
    did = city.account.user_id
    post = publish(city, "La piscine Pontoise rouvre lundi.")
    quote = publish(citizen, "Enfin, il était temps, les nuls", quote=post)
    rkey = rkey_of(post.uri)

    city.set_quotes_allowed(post, False)
    assert stored(bluesky_sandbox, did, POSTGATE)[rkey]["embeddingRules"] == [
        {"$type": "app.bsky.feed.postgate#disableRule"}]
    controls = city.detach_quote(post, quote.uri)
    assert (controls.quotes_allowed, controls.detached_quotes) == (False, (quote.uri,))

    city.set_quotes_allowed(post, True)
    assert city.detach_quote(post, quote.uri, detached=False) == ThreadControls()
    assert rkey not in stored(bluesky_sandbox, did, POSTGATE)


def test_fields_written_by_another_app_are_kept(
    city: bluesky.BlueskyChannel, citizen: bluesky.BlueskyChannel, bluesky_sandbox: Any
) -> None:
    who = bluesky_sandbox.accounts[0]
    phone = Client(base_url=bluesky_sandbox.base_url)
    phone.login(who["handle"], who["password"])
    root = publish(city, "Consultation sur la rue de Rivoli.")
    insult = publish(citizen, "Quelle bande de nuls", reply_to=root)
    rule = {"$type": "app.bsky.feed.threadgate#listRule",
            "list": f"at://{city.account.user_id}/app.bsky.graph.list/3kabc"}
    phone.com.atproto.repo.put_record(models.ComAtprotoRepoPutRecord.Data(
        repo=city.account.user_id, collection=THREADGATE, rkey=rkey_of(root.uri),
        record={"$type": THREADGATE, "post": root.uri, "createdAt": "2026-06-01T10:00:00.000Z",
                "allow": [rule]}))

    controls = city.hide_reply(insult)

    assert controls.reply_gate is ReplyGate.CUSTOM
    gate = stored(bluesky_sandbox, city.account.user_id, THREADGATE)[rkey_of(root.uri)]
    assert gate["allow"] == [rule] and gate["createdAt"] == "2026-06-01T10:00:00.000Z"


def test_only_the_accounts_own_posts(
    city: bluesky.BlueskyChannel, citizen: bluesky.BlueskyChannel
) -> None:
    theirs = publish(citizen, "Un message d'un habitant")
    reply = publish(city, "Merci !", reply_to=theirs)
    with pytest.raises(Rejected):
        city.set_quotes_allowed(theirs, False)
    with pytest.raises(Rejected):
        city.hide_reply(reply)  # the thread's root is not the city's
    with pytest.raises(Rejected):
        city.set_reply_gate(reply, ReplyGate.NOBODY)  # not a root post
