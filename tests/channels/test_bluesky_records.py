"""Records we write, and the error table, without a server."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from atproto_client import exceptions as atp
from atproto_client.models.common import XrpcError
from atproto_client.request import Response

from paris_desk.channels.bluesky import channel, errors, records
from paris_desk.core.errors import (
    AuthExpired,
    AuthFactorRequired,
    BadCredentials,
    NotFound,
    RateLimited,
    Rejected,
    ServerError,
    Unreachable,
)
from paris_desk.core.facets import detect
from paris_desk.core.model import Author, Network, Post

NOON = datetime(2026, 6, 21, 12, 0, tzinfo=UTC)


def test_compose_text_prefixes_the_warning_only_without_media() -> None:
    assert records.compose_text("Texte", "accident  grave") == "⚠️ CW: accident grave\nTexte"
    assert records.compose_text("Texte", "accident", has_media=True) == "Texte"
    assert records.compose_text("Texte", "  ") == "Texte"


def test_unresolved_mention_is_dropped_and_the_rest_kept() -> None:
    text = "Avec @marie.dupont.bsky.social et @inconnu.bsky.social #Fête https://paris.fr"
    facets = detect(text)
    assert records.mention_handles(facets) == ["marie.dupont.bsky.social", "inconnu.bsky.social"]
    out = records.lexicon_facets(facets, {"marie.dupont.bsky.social": "did:plc:marie",
                                          "inconnu.bsky.social": None})
    data = text.encode()
    assert [(data[f.index.byte_start:f.index.byte_end].decode(), f.features[0].py_type)
            for f in out] == [
        ("@marie.dupont.bsky.social", "app.bsky.richtext.facet#mention"),
        ("#Fête", "app.bsky.richtext.facet#tag"),
        ("https://paris.fr", "app.bsky.richtext.facet#link"),
    ]
    assert out[0].features[0].did == "did:plc:marie"
    assert out[1].features[0].tag == "Fête"


def _post(uri: str, cid: str, **kw: str) -> Post:
    return Post(uri=uri, native_id=uri, network=Network.BLUESKY, author=Author("a.test"),
                created_at=NOON, cid=cid, **kw)


def test_reply_to_a_root_post_uses_it_as_root_and_parent() -> None:
    ref = records.reply_ref(_post("at://did:plc:a/app.bsky.feed.post/1", "cid1"))
    assert (ref.root.uri, ref.root.cid) == (ref.parent.uri, ref.parent.cid)


def test_reply_to_a_reply_keeps_the_thread_root() -> None:
    parent = _post("at://did:plc:b/app.bsky.feed.post/2", "cid2",
                   reply_to_uri="at://did:plc:a/app.bsky.feed.post/1",
                   reply_root_uri="at://did:plc:a/app.bsky.feed.post/1", reply_root_cid="cid1")
    ref = records.reply_ref(parent)
    assert (ref.root.uri, ref.root.cid) == ("at://did:plc:a/app.bsky.feed.post/1", "cid1")
    assert (ref.parent.uri, ref.parent.cid) == (parent.uri, "cid2")


@pytest.mark.parametrize(("gate", "rule_types"), [
    ("nobody", []),
    ("mentioned", ["app.bsky.feed.threadgate#mentionRule"]),
    ("followers", ["app.bsky.feed.threadgate#followerRule"]),
    ("following", ["app.bsky.feed.threadgate#followingRule"]),
])
def test_threadgate_rules(gate: str, rule_types: list[str]) -> None:
    record = records.threadgate_record("at://did:plc:a/app.bsky.feed.post/1", gate, NOON)
    assert record is not None
    assert [r.py_type for r in record.allow] == rule_types
    assert record.created_at == "2026-06-21T12:00:00.000Z"


def test_no_threadgate_for_everyone_and_unknown_gate_refused() -> None:
    assert records.threadgate_record("at://x/app.bsky.feed.post/1", "everyone", NOON) is None
    with pytest.raises(ValueError, match="gate"):
        records.threadgate_record("at://x/app.bsky.feed.post/1", "amis", NOON)


def test_seen_at_is_strictly_after_the_newest_notification() -> None:
    moment = datetime(2026, 6, 21, 17, 5, 0, 123456, tzinfo=UTC)
    assert channel.seen_at(moment) == "2026-06-21T17:05:00.124Z"
    assert channel.seen_at(moment.replace(microsecond=123000)) == "2026-06-21T17:05:00.124Z"
    assert channel.seen_at(moment.replace(microsecond=999999)) == "2026-06-21T17:05:01.000Z"


# -- error table -----------------------------------------------------------------------------
def _response(status: int, error: str = "", headers: dict[str, str] | None = None) -> Response:
    content = XrpcError(error=error, message="message du serveur") if error else b""
    return Response(success=False, status_code=status, content=content, headers=headers or {})


@pytest.mark.parametrize(("exc", "expected"), [
    (atp.UnauthorizedError(_response(401, "AuthenticationRequired")), AuthExpired),
    (atp.UnauthorizedError(_response(403, "AccountTakedown")), AuthExpired),
    (atp.BadRequestError(_response(400, "ExpiredToken")), AuthExpired),
    (atp.BadRequestError(_response(400, "RecordNotFound")), NotFound),
    (atp.BadRequestError(_response(400, "NotFound")), NotFound),
    (atp.BadRequestError(_response(400, "InvalidRequest")), Rejected),
    (atp.NetworkError(_response(413, "PayloadTooLarge")), Rejected),
    (atp.RateLimitExceededError(_response(429, "RateLimitExceeded")), RateLimited),
    (atp.RequestException(_response(500, "InternalServerError")), ServerError),
    (atp.NetworkError(_response(502, "UpstreamFailure")), ServerError),
    (atp.RequestException(_response(503)), ServerError),
])
def test_translate_by_status_and_error_name(exc: Exception, expected: type) -> None:
    error = errors.translate(exc, "bluesky:ville.test")
    assert type(error) is expected
    assert (error.account_id, error.network) == ("bluesky:ville.test", "bluesky")


def test_rejected_keeps_the_server_message() -> None:
    error = errors.translate(atp.BadRequestError(_response(400, "InvalidRequest")))
    assert error.message == "message du serveur"


def test_rate_limit_reads_retry_after_then_ratelimit_reset() -> None:
    with_retry = atp.RateLimitExceededError(_response(429, "RateLimitExceeded",
                                                      {"retry-after": "30"}))
    assert errors.translate(with_retry).retry_after == 30.0
    reset = str(int(datetime.now(UTC).timestamp()) + 120)
    with_reset = atp.RateLimitExceededError(_response(429, "RateLimitExceeded",
                                                      {"ratelimit-reset": reset}))
    assert 100 < errors.translate(with_reset).retry_after <= 120


def _caused(exc: Exception, cause: Exception) -> Exception:
    exc.__cause__ = cause
    return exc


@pytest.mark.parametrize(("exc", "maybe_applied"), [
    (_caused(atp.InvokeTimeoutError(), httpx.ReadTimeout("read")), True),
    (_caused(atp.InvokeTimeoutError(), httpx.ConnectTimeout("connect")), False),
    (_caused(atp.NetworkError(), httpx.ConnectError("refused")), False),
    (_caused(atp.NetworkError(), httpx.ReadError("reset")), True),
    (httpx.RemoteProtocolError("Server disconnected without sending a response."), True),
])
def test_transport_errors_are_unreachable(exc: Exception, maybe_applied: bool) -> None:
    error = errors.translate(exc)
    assert isinstance(error, Unreachable)
    assert error.maybe_applied is maybe_applied


@pytest.mark.parametrize(("exc", "expected"), [
    (atp.UnauthorizedError(_response(401, "AuthenticationRequired")), BadCredentials),
    (atp.UnauthorizedError(_response(401, "AuthFactorTokenRequired")), AuthFactorRequired),
    (atp.RateLimitExceededError(_response(429, "RateLimitExceeded")), RateLimited),
    (_caused(atp.NetworkError(), httpx.ConnectError("refused")), Unreachable),
])
def test_translate_login(exc: Exception, expected: type) -> None:
    assert type(errors.translate_login(exc)) is expected


@pytest.mark.parametrize(("exc", "expected"), [
    (atp.BadRequestError(_response(400, "ExpiredToken")), AuthExpired),
    (atp.BadRequestError(_response(400, "InvalidToken")), AuthExpired),
    (atp.UnauthorizedError(_response(401, "InvalidToken")), AuthExpired),
    (atp.RequestException(_response(500, "InternalServerError")), ServerError),
    (_caused(atp.NetworkError(), httpx.ConnectError("refused")), Unreachable),
])
def test_translate_refresh(exc: Exception, expected: type) -> None:
    assert type(errors.translate_refresh(exc)) is expected
