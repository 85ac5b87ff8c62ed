"""What Mastodon.py's failures become at the adapter's edge, with faults injected on the
sandbox (real HTTP, no patched SDK)."""

from __future__ import annotations

import dataclasses
import socket
from typing import Any

import pytest

from paris_desk.channels.mastodon import MastodonChannel, account_from_token
from paris_desk.channels.mastodon.errors import edge
from paris_desk.core.errors import (
    AuthExpired,
    ChannelError,
    NotFound,
    RateLimited,
    Rejected,
    ServerError,
    Unreachable,
)
from paris_desk.core.model import Account, PostRequest
from paris_desk.sandbox.http import Fault

Sandbox = Any  # paris_desk.sandbox.mastodon.MastodonSandbox


@pytest.fixture
def ville(mastodon_sandbox: Sandbox) -> MastodonChannel:
    token = mastodon_sandbox.token_for("ville")
    return MastodonChannel(
        account_from_token(mastodon_sandbox.base_url, token), token, timeout=(2, 1)
    )


def assert_tagged(error: ChannelError, channel: MastodonChannel) -> None:
    assert error.account_id == channel.account.id
    assert error.network == "mastodon"


def test_401_is_auth_expired(ville: MastodonChannel, mastodon_sandbox: Sandbox) -> None:
    broken = MastodonChannel(ville.account, "revoked-or-wrong")

    with pytest.raises(AuthExpired) as caught:
        broken.home_timeline()

    assert_tagged(caught.value, broken)


def test_404_is_not_found(ville: MastodonChannel) -> None:
    post = ville.home_timeline(limit=1).items[0]
    gone = dataclasses.replace(post, native_id="1")

    with pytest.raises(NotFound) as caught:
        ville.thread(gone)

    assert_tagged(caught.value, ville)


def test_422_is_rejected_with_the_server_reason(
    ville: MastodonChannel, mastodon_sandbox: Sandbox
) -> None:
    before = mastodon_sandbox.status_count()

    with pytest.raises(Rejected) as caught:
        ville.post(PostRequest(text="é" * 501, idempotency_key="too-long"))

    assert "500" in caught.value.message  # "Text character limit of 500 exceeded"
    assert caught.value.retryable is False
    assert_tagged(caught.value, ville)
    assert mastodon_sandbox.status_count() == before


def test_429_is_rate_limited_with_the_reset_delay(
    ville: MastodonChannel, mastodon_sandbox: Sandbox
) -> None:
    mastodon_sandbox.add_fault(Fault(kind="429", path=r"/api/v1/timelines/home", retry_after=30))

    with pytest.raises(RateLimited) as caught:
        ville.home_timeline()

    assert caught.value.retry_after is not None
    assert 25 <= caught.value.retry_after <= 31
    assert_tagged(caught.value, ville)
    assert len(ville.home_timeline(limit=3).items) == 3  # only one request was refused


@pytest.mark.parametrize("kind", ["500", "503"])
def test_5xx_is_server_error(ville: MastodonChannel, mastodon_sandbox: Sandbox, kind: str) -> None:
    mastodon_sandbox.add_fault(Fault(kind=kind, path=r"/api/v1/notifications"))

    with pytest.raises(ServerError) as caught:
        ville.notifications()

    assert caught.value.retryable
    assert_tagged(caught.value, ville)


def test_dropped_connection_may_have_been_applied(
    ville: MastodonChannel, mastodon_sandbox: Sandbox
) -> None:
    mastodon_sandbox.add_fault(Fault(kind="drop_after_commit", method="POST", path=r"/favourite$"))
    post = ville.home_timeline(limit=1).items[0]

    with pytest.raises(Unreachable) as caught:
        ville.like(post)

    assert caught.value.maybe_applied is True
    assert_tagged(caught.value, ville)


def test_read_timeout_may_have_been_applied(
    ville: MastodonChannel, mastodon_sandbox: Sandbox
) -> None:
    mastodon_sandbox.add_fault(
        Fault(kind="hang", method="POST", path=r"^/api/v1/statuses$", hang_seconds=3)
    )

    with pytest.raises(Unreachable) as caught:
        ville.post(PostRequest(text="Lent", idempotency_key="slow"))

    assert caught.value.maybe_applied is True
    assert "ReadTimeout" in caught.value.message


def test_connection_refused_was_not_applied(ville: MastodonChannel) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handle = f"@ville@127.0.0.1:{port}"
    account = Account(
        id=f"mastodon:{handle}",
        network=ville.account.network,
        handle=handle,
        base_url=f"http://127.0.0.1:{port}",
        user_id="1",
    )
    offline = MastodonChannel(account, "token")

    with pytest.raises(Unreachable) as caught:
        offline.post(PostRequest(text="Hors ligne", idempotency_key="off"))

    assert caught.value.maybe_applied is False
    assert_tagged(caught.value, offline)


def test_recursion_in_version_detection_is_a_server_error() -> None:
    # Mastodon.py can loop on servers that 404 on /api/v1/instance/ (API_NOTES §6).
    with pytest.raises(ServerError) as caught, edge("mastodon:@ville@x.example"):
        raise RecursionError("maximum recursion depth exceeded")

    assert caught.value.account_id == "mastodon:@ville@x.example"
    assert isinstance(caught.value.__cause__, RecursionError)
