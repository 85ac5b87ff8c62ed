"""Bluesky publishing gaps, over HTTP against the sandbox: a threadgate whose write failed
after the post's is written by the retry's probe; blobs are uploaded without httpx's
deprecated ``data=<bytes>``; ``sign_out`` ends the session on the server."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime
from typing import Any

import pytest

from paris_desk.channels import bluesky
from paris_desk.core.errors import AuthExpired, ServerError
from paris_desk.core.model import Account, PostRequest, PreparedMedia
from paris_desk.core.tid import next_tid
from paris_desk.sandbox.corpus import png_image
from paris_desk.sandbox.http import Fault

POST = "app.bsky.feed.post"
THREADGATE = "app.bsky.feed.threadgate"
CREATE = r"com\.atproto\.repo\.createRecord$"


@pytest.fixture
def signed_in(bluesky_sandbox: Any) -> tuple[Account, str]:
    ville = bluesky_sandbox.accounts[0]
    return bluesky.login(ville["handle"], ville["password"], service=bluesky_sandbox.base_url)


@pytest.fixture
def channel(signed_in: tuple[Account, str]) -> bluesky.BlueskyChannel:
    return bluesky.restore(*signed_in, lambda s: None)


def gated(text: str) -> PostRequest:
    return PostRequest(text=text, idempotency_key=next_tid(), created_at=datetime.now(UTC),
                       reply_gate="mentioned")


def gate_write_fails_after_the_post(server: Any) -> None:
    """The post's createRecord is stored but its answer lost; the threadgate's gets a 500."""
    server.add_fault(Fault(kind="drop_after_commit", method="POST", path=CREATE))
    server.add_fault(Fault(kind="500", method="POST", path=CREATE))


def creates_since(server: Any, start: int) -> int:
    return sum(1 for r in server.requests[start:]
               if r.method == "POST" and r.path.endswith("createRecord"))


def test_the_probe_writes_a_threadgate_that_failed_after_the_post(
        bluesky_sandbox: Any, channel: Any, signed_in: tuple[Account, str]) -> None:
    did = signed_in[0].user_id
    req = gated("Consultation : seules les personnes mentionnées répondent")
    gate_write_fails_after_the_post(bluesky_sandbox)
    with pytest.raises(ServerError):
        channel.post(req)
    assert req.idempotency_key in bluesky_sandbox.records(did, POST)
    assert req.idempotency_key not in bluesky_sandbox.records(did, THREADGATE)

    found = channel.find_sent(req)  # the outbox's probe before any re-send

    assert found is not None and found.uri.endswith("/" + req.idempotency_key)
    gate = bluesky_sandbox.records(did, THREADGATE)[req.idempotency_key]
    assert gate["post"] == found.uri
    assert [rule["$type"] for rule in gate["allow"]] == ["app.bsky.feed.threadgate#mentionRule"]
    start = len(bluesky_sandbox.requests)
    assert channel.find_sent(req) is not None
    assert creates_since(bluesky_sandbox, start) == 0  # the gate is there: nothing written


def test_a_probe_that_cannot_write_the_gate_does_not_report_the_post_sent(
        bluesky_sandbox: Any, channel: Any, signed_in: tuple[Account, str]) -> None:
    req = gated("Réunion de quartier")
    gate_write_fails_after_the_post(bluesky_sandbox)
    with pytest.raises(ServerError):
        channel.post(req)
    bluesky_sandbox.add_fault(Fault(kind="503", method="POST", path=CREATE))

    with pytest.raises(ServerError):
        channel.find_sent(req)

    assert channel.find_sent(req) is not None
    assert req.idempotency_key in bluesky_sandbox.records(signed_in[0].user_id, THREADGATE)


def test_an_image_is_uploaded_without_a_deprecation_warning(
        bluesky_sandbox: Any, channel: Any, signed_in: tuple[Account, str]) -> None:
    data = png_image(64, 32, seed=9)
    req = PostRequest(text="Le marché ce matin", idempotency_key=next_tid(),
                      media=(PreparedMedia(data=data, mime_type="image/png", alt="Marché"),))

    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        channel.post(req)

    record = bluesky_sandbox.records(signed_in[0].user_id, POST)[req.idempotency_key]
    (image,) = record["embed"]["images"]
    assert bluesky_sandbox.blob(image["image"]["ref"]["$link"]) == data


def test_sign_out_ends_the_session_on_the_server(
        bluesky_sandbox: Any, signed_in: tuple[Account, str]) -> None:
    account, secret = signed_in
    bluesky.restore(account, secret, lambda s: None).sign_out()

    assert bluesky_sandbox.wait_for_request("POST", "deleteSession").status == 200
    bluesky_sandbox.expire_access_tokens()  # the next call needs the refresh token
    with pytest.raises(AuthExpired):
        bluesky.restore(account, secret, lambda s: None).verify()


def test_sign_out_of_an_ended_session_is_not_an_error(bluesky_sandbox: Any) -> None:
    ville = bluesky_sandbox.accounts[0]
    bluesky_sandbox.tokens.refresh_ttl = 0  # the session can no longer be renewed
    account, secret = bluesky.login(ville["handle"], ville["password"],
                                    service=bluesky_sandbox.base_url)

    bluesky.restore(account, secret, lambda s: None).sign_out()

    assert bluesky_sandbox.wait_for_request("POST", "deleteSession").status == 400
