"""Signing in against the Mastodon sandbox over real HTTP: app registration, the browser's
round trip through the loopback catcher (played with ``requests``), PKCE, token login."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from paris_desk.channels import restore as registry_restore
from paris_desk.channels.mastodon import (
    AppCredentials,
    AuthRequest,
    MastodonChannel,
    account_from_token,
    authorization_request,
    exchange_code,
    register_app,
)
from paris_desk.core.channel import Channel
from paris_desk.core.errors import AuthExpired, BadCredentials
from paris_desk.core.model import Account, Network
from paris_desk.services.loopback import LoopbackCatcher

Sandbox = Any  # paris_desk.sandbox.mastodon.MastodonSandbox


@pytest.fixture
def catcher() -> Iterator[LoopbackCatcher]:
    c = LoopbackCatcher()
    yield c
    c.close()


def browser_approves(auth: AuthRequest, acct: str) -> requests.Response:
    """What the user's browser does: open the URL, sign in as ``acct``, follow the redirect."""
    return requests.get(auth.url + f"&sandbox_auto_approve={acct}", timeout=5)


def sign_in(
    server: Sandbox, catcher: LoopbackCatcher, acct: str
) -> tuple[AppCredentials, AuthRequest, str, str]:
    app = register_app(server.base_url, catcher.redirect_uri)
    auth = authorization_request(server.base_url, app, catcher.redirect_uri)
    browser_approves(auth, acct)
    result = catcher.wait(timeout=5)
    assert result is not None
    code, state = result
    return app, auth, code, state


def test_full_oauth_with_pkce_through_the_loopback_catcher(
    mastodon_sandbox: Sandbox, catcher: LoopbackCatcher
) -> None:
    app = register_app(mastodon_sandbox.base_url, catcher.redirect_uri)
    auth = authorization_request(mastodon_sandbox.base_url, app, catcher.redirect_uri)
    query = parse_qs(urlsplit(auth.url).query)

    page = browser_approves(auth, "ville")
    result = catcher.wait(timeout=5)

    assert query["code_challenge_method"] == ["S256"]
    assert query["state"] == [auth.state]
    assert query["redirect_uri"] == [catcher.redirect_uri]
    assert query["scope"] == ["read write"]
    assert page.status_code == 200 and "Vous pouvez revenir à paris_desk" in page.text
    assert result is not None
    code, state = result
    assert state == auth.state

    token = exchange_code(mastodon_sandbox.base_url, app, auth, code, state=state)
    account = account_from_token(mastodon_sandbox.base_url, token)

    port = urlsplit(mastodon_sandbox.base_url).port
    assert account.id == f"mastodon:@ville@127.0.0.1:{port}"
    assert account.handle == f"@ville@127.0.0.1:{port}"
    assert account.network is Network.MASTODON
    assert account.base_url == mastodon_sandbox.base_url
    assert account.user_id == mastodon_sandbox.account_id("ville")
    assert account.display_name == "Ville de Paris (bac à sable)"


def test_second_account_of_the_same_instance_reuses_the_app(
    mastodon_sandbox: Sandbox, catcher: LoopbackCatcher
) -> None:
    app, auth, code, state = sign_in(mastodon_sandbox, catcher, "ville")
    exchange_code(mastodon_sandbox.base_url, app, auth, code, state=state)

    with LoopbackCatcher() as second:  # another sign-in, another random port
        auth2 = authorization_request(mastodon_sandbox.base_url, app, second.redirect_uri)
        assert "force_login=True" in auth2.url
        browser_approves(auth2, "culture")
        result = second.wait(timeout=5)
    assert result is not None
    token = exchange_code(mastodon_sandbox.base_url, app, auth2, result[0], state=result[1])

    assert account_from_token(mastodon_sandbox.base_url, token).handle.startswith("@culture@")


def test_wrong_pkce_verifier_is_refused(
    mastodon_sandbox: Sandbox, catcher: LoopbackCatcher
) -> None:
    app, auth, code, _ = sign_in(mastodon_sandbox, catcher, "ville")
    forged = dataclasses.replace(auth, verifier="x" * 86)

    with pytest.raises(BadCredentials):
        exchange_code(mastodon_sandbox.base_url, app, forged, code)


def test_code_is_single_use(mastodon_sandbox: Sandbox, catcher: LoopbackCatcher) -> None:
    app, auth, code, state = sign_in(mastodon_sandbox, catcher, "ville")
    exchange_code(mastodon_sandbox.base_url, app, auth, code, state=state)

    with pytest.raises(BadCredentials):
        exchange_code(mastodon_sandbox.base_url, app, auth, code, state=state)


def test_state_mismatch_is_refused_before_any_request(
    mastodon_sandbox: Sandbox, catcher: LoopbackCatcher
) -> None:
    app, auth, code, _ = sign_in(mastodon_sandbox, catcher, "ville")
    before = len(mastodon_sandbox.requests)

    with pytest.raises(BadCredentials, match="state"):
        exchange_code(mastodon_sandbox.base_url, app, auth, code, state="forged")

    assert len(mastodon_sandbox.requests) == before


def test_token_login_and_registry_restore(mastodon_sandbox: Sandbox) -> None:
    token = mastodon_sandbox.token_for("ville")
    account = account_from_token(mastodon_sandbox.base_url, token)
    saved: list[str] = []

    channel = registry_restore(account, token, saved.append)

    assert isinstance(channel, MastodonChannel)
    assert isinstance(channel, Channel)
    assert channel.verify().user_id == account.user_id
    assert saved == []  # Mastodon tokens never rotate


def test_bad_token_at_login_is_bad_credentials(mastodon_sandbox: Sandbox) -> None:
    with pytest.raises(BadCredentials) as caught:
        account_from_token(mastodon_sandbox.base_url, "not-a-token")
    assert caught.value.network == "mastodon"


def test_revoked_token_later_is_auth_expired(mastodon_sandbox: Sandbox) -> None:
    token = mastodon_sandbox.token_for("ville")
    account = account_from_token(mastodon_sandbox.base_url, token)
    channel = MastodonChannel(account, token)
    mastodon_sandbox.revoke_token(token)

    with pytest.raises(AuthExpired) as caught:
        channel.verify()

    assert caught.value.account_id == account.id
    assert caught.value.network == "mastodon"


def test_no_secret_in_logs_or_reprs(
    mastodon_sandbox: Sandbox, catcher: LoopbackCatcher, caplog: pytest.LogCaptureFixture
) -> None:
    app, auth, code, state = sign_in(mastodon_sandbox, catcher, "ville")  # the browser's part
    caplog.set_level(logging.DEBUG)  # ours: every logger, urllib3 and the sandbox included
    token = exchange_code(mastodon_sandbox.base_url, app, auth, code, state=state)
    account: Account = account_from_token(mastodon_sandbox.base_url, token)
    channel = MastodonChannel(account, token)
    channel.home_timeline(limit=5)

    secrets = [token, app.client_secret, auth.verifier, code]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    shown = " ".join(repr(x) for x in (app, auth, channel, account))
    for secret in secrets:
        assert secret not in logged
        assert secret not in shown
