"""Sign-in, session restore and refresh, over HTTP against the Bluesky sandbox."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from paris_desk.channels import bluesky
from paris_desk.channels import restore as registry_restore
from paris_desk.core.channel import Channel
from paris_desk.core.errors import (
    AuthExpired,
    AuthFactorRequired,
    BadCredentials,
    NotFound,
    RateLimited,
    ServerError,
    Unreachable,
)
from paris_desk.core.model import Account, Network, PostRequest
from paris_desk.core.tid import next_tid
from paris_desk.sandbox.http import Fault


@pytest.fixture
def ville(bluesky_sandbox: Any) -> dict[str, str]:
    account: dict[str, str] = bluesky_sandbox.accounts[0]
    return account


def sign_in(server: Any, who: dict[str, str]) -> tuple[Account, str]:
    return bluesky.login(who["handle"], who["password"], service=server.base_url)


def test_login_with_explicit_service(bluesky_sandbox: Any, ville: dict[str, str]) -> None:
    account, secret = sign_in(bluesky_sandbox, ville)
    assert account.id == f"bluesky:{ville['handle']}"
    assert account.network is Network.BLUESKY
    assert account.handle == ville["handle"]
    assert account.user_id == ville["did"]
    assert account.base_url == bluesky_sandbox.base_url
    assert account.display_name == ville["display_name"]
    handle, did, _access, _refresh, pds = secret.split(":::")
    assert (handle, did, pds) == (ville["handle"], ville["did"], bluesky_sandbox.base_url)


def test_login_accepts_at_sign_and_capitals(bluesky_sandbox: Any, ville: dict[str, str]) -> None:
    account, _ = bluesky.login("@" + ville["handle"].upper(), ville["password"],
                               service=bluesky_sandbox.base_url)
    assert account.handle == ville["handle"]


def test_login_by_email_needs_the_server(bluesky_sandbox: Any, ville: dict[str, str]) -> None:
    with pytest.raises(NotFound, match="e-mail"):
        bluesky.login(ville["email"], ville["password"])
    account, _ = bluesky.login(ville["email"], ville["password"], service=bluesky_sandbox.base_url)
    assert account.handle == ville["handle"]


def test_wrong_password_is_bad_credentials(bluesky_sandbox: Any, ville: dict[str, str]) -> None:
    with pytest.raises(BadCredentials):
        bluesky.login(ville["handle"], "pas-le-bon", service=bluesky_sandbox.base_url)


def test_email_code_then_success(bluesky_sandbox: Any, ville: dict[str, str]) -> None:
    bluesky_sandbox.require_auth_factor(ville["handle"], "A1B2C-3D4E5")
    with pytest.raises(AuthFactorRequired):
        bluesky.login(ville["handle"], ville["main_password"], service=bluesky_sandbox.base_url)
    with pytest.raises(AuthFactorRequired):
        bluesky.login(ville["handle"], ville["main_password"], service=bluesky_sandbox.base_url,
                      auth_factor_token="ZZZZZ-ZZZZZ")
    account, _ = bluesky.login(ville["handle"], ville["main_password"],
                               service=bluesky_sandbox.base_url,
                               auth_factor_token="A1B2C-3D4E5")
    assert account.user_id == ville["did"]


def test_login_rate_limited(bluesky_sandbox: Any, ville: dict[str, str]) -> None:
    bluesky_sandbox.add_fault(Fault(kind="429", method="POST", path="createSession",
                                    retry_after=42))
    with pytest.raises(RateLimited) as caught:
        sign_in(bluesky_sandbox, ville)
    assert caught.value.retry_after == pytest.approx(42, abs=1)


def test_login_server_down_is_unreachable(bluesky_sandbox: Any, ville: dict[str, str]) -> None:
    url = bluesky_sandbox.base_url
    bluesky_sandbox.stop()
    with pytest.raises(Unreachable) as caught:
        bluesky.login(ville["handle"], ville["password"], service=url)
    assert caught.value.maybe_applied is False


def test_unknown_handle_does_not_resolve() -> None:
    with pytest.raises(NotFound):
        bluesky.resolve_service("personne.invalid", timeout=0.5)


def test_did_document_host_unreachable() -> None:
    with pytest.raises(Unreachable):  # https://localhost/.well-known/did.json: nobody on 443
        bluesky.resolve_service("did:web:localhost", timeout=0.5)


def test_restore_through_the_registry_makes_no_request(bluesky_sandbox: Any,
                                                        ville: dict[str, str]) -> None:
    account, secret = sign_in(bluesky_sandbox, ville)
    before = len(bluesky_sandbox.requests)
    channel = registry_restore(account, secret, lambda s: None)
    assert isinstance(channel, Channel)
    assert len(bluesky_sandbox.requests) == before
    assert channel.verify().user_id == ville["did"]


def test_unreadable_secret_is_auth_expired(bluesky_sandbox: Any, ville: dict[str, str]) -> None:
    account, _ = sign_in(bluesky_sandbox, ville)
    with pytest.raises(AuthExpired):
        bluesky.restore(account, "pas:::une:::session", lambda s: None)


def test_expired_access_token_is_refreshed_silently(bluesky_sandbox: Any,
                                                    ville: dict[str, str]) -> None:
    account, secret = sign_in(bluesky_sandbox, ville)
    saved: list[str] = []
    channel = bluesky.restore(account, secret, saved.append)
    bluesky_sandbox.expire_access_tokens()
    page = channel.home_timeline(limit=5)
    assert page.items
    assert len(saved) == 1 and saved[0] != secret
    assert [r.status for r in bluesky_sandbox.requests if "getTimeline" in r.path] == [400, 200]
    # The saved secret is the live one: a fresh restore works without signing in again.
    assert bluesky.restore(account, saved[0], saved.append).verify().handle == ville["handle"]


def test_session_near_expiry_is_refreshed_before_use(bluesky_sandbox: Any,
                                                     ville: dict[str, str]) -> None:
    bluesky_sandbox.access_ttl = 60  # the SDK refreshes when < 15 min remain
    account, secret = sign_in(bluesky_sandbox, ville)
    bluesky_sandbox.access_ttl = 7200
    saved: list[str] = []
    channel = bluesky.restore(account, secret, saved.append)
    channel.verify()
    assert len(saved) == 1
    assert [r.path.rsplit(".", 1)[1] for r in bluesky_sandbox.requests][-3:] == [
        "refreshSession", "getSession", "getProfile"]


def test_a_post_in_the_sdks_renewal_window_renews_the_session_once(
        bluesky_sandbox: Any, ville: dict[str, str]) -> None:
    # 15 minutes 30 seconds left: inside the SDK's own 15-minute rule within half a minute.
    # Renewed here first, the SDK gets a session it has no reason to renew again (a refresh
    # token is single-use: two renewals racing, one fails).
    bluesky_sandbox.access_ttl = 15 * 60 + 30
    account, secret = sign_in(bluesky_sandbox, ville)
    bluesky_sandbox.access_ttl = 7200
    saved: list[str] = []
    channel = bluesky.restore(account, secret, saved.append)

    assert channel.post(PostRequest(text="Collecte des sapins dès lundi.",
                                    idempotency_key=next_tid()))

    paths = [r.path.rsplit("/", 1)[-1] for r in bluesky_sandbox.requests]
    assert paths.count("com.atproto.server.refreshSession") == 1
    assert paths.index("com.atproto.server.refreshSession") < paths.index(
        "com.atproto.repo.createRecord")
    assert len(saved) == 1


def test_revoked_session_is_auth_expired(bluesky_sandbox: Any, ville: dict[str, str]) -> None:
    account, secret = sign_in(bluesky_sandbox, ville)
    saved: list[str] = []
    channel = bluesky.restore(account, secret, saved.append)
    bluesky_sandbox.revoke_sessions(ville["did"])
    with pytest.raises(AuthExpired) as caught:
        channel.home_timeline()
    assert caught.value.account_id == account.id
    assert saved == []


def test_refresh_failing_on_the_server_is_retryable(bluesky_sandbox: Any,
                                                    ville: dict[str, str]) -> None:
    account, secret = sign_in(bluesky_sandbox, ville)
    channel = bluesky.restore(account, secret, lambda s: None)
    bluesky_sandbox.expire_access_tokens()
    bluesky_sandbox.add_fault(Fault(kind="503", method="POST", path="refreshSession"))
    with pytest.raises(ServerError):
        channel.home_timeline()
    assert channel.home_timeline(limit=3).items  # the refresh token was not burnt


def test_no_secret_in_debug_logs(bluesky_sandbox: Any, ville: dict[str, str],
                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    account, secret = sign_in(bluesky_sandbox, ville)
    saved: list[str] = []
    channel = bluesky.restore(account, secret, saved.append)
    bluesky_sandbox.expire_access_tokens()
    channel.home_timeline(limit=3)
    secrets = [ville["password"], *secret.split(":::")[2:4], *saved[0].split(":::")[2:4]]
    logged = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    assert logged  # the run did log something
    for token in secrets:
        assert token not in logged
