"""App registration and OAuth with PKCE on the Mastodon sandbox, driven by Mastodon.py plus
the recipe of API_NOTES §1.2 (Mastodon.py has no PKCE of its own)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from mastodon import Mastodon, MastodonAPIError, MastodonUnauthorizedError

from paris_desk.sandbox.mastodon import MastodonSandbox

REDIRECT = "http://127.0.0.1/callback"
SCOPES = ["read", "write"]


def register(server: MastodonSandbox) -> Mastodon:
    client_id, client_secret = Mastodon.create_app(
        "Paris Desk", scopes=SCOPES, redirect_uris=REDIRECT, api_base_url=server.base_url,
        request_timeout=10)
    return Mastodon(client_id=client_id, client_secret=client_secret,
                    api_base_url=server.base_url, ratelimit_method="throw", request_timeout=10)


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize(app: Mastodon, challenge: str, state: str, acct: str = "culture",
              redirect: str = REDIRECT) -> dict[str, list[str]]:
    """The browser's part: open the authorize URL, get redirected back with a code."""
    url = app.auth_request_url(redirect_uris=redirect, scopes=SCOPES, state=state,
                               force_login=True, allow_http=True)
    url += "&" + urlencode({"code_challenge": challenge, "code_challenge_method": "S256",
                            "sandbox_auto_approve": acct})
    answer = requests.get(url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    location = urlsplit(answer.headers["Location"])
    assert location.path == urlsplit(redirect).path
    return parse_qs(location.query)


def token_request(app: Mastodon, code: str, verifier: str,
                  redirect: str = REDIRECT) -> requests.Response:
    endpoint = app.oauth_authorization_server_info().get(
        "token_endpoint", app.api_base_url + "/oauth/token")
    return requests.post(endpoint, timeout=10, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": redirect,
        "client_id": app.client_id, "client_secret": app.client_secret,
        "code_verifier": verifier, "scope": " ".join(SCOPES)})


def test_metadata_advertises_pkce(mastodon_sandbox: MastodonSandbox) -> None:
    info = register(mastodon_sandbox).oauth_authorization_server_info()
    assert info.code_challenge_methods_supported == ["S256"]
    assert info.token_endpoint == mastodon_sandbox.base_url + "/oauth/token"
    assert info.revocation_endpoint == mastodon_sandbox.base_url + "/oauth/revoke"
    assert "authorization_code" in info.grant_types_supported


def test_pkce_flow_gives_a_working_token(mastodon_sandbox: MastodonSandbox) -> None:
    app = register(mastodon_sandbox)
    verifier, challenge = pkce()
    query = authorize(app, challenge, state="st-1")
    assert query["state"] == ["st-1"]
    answer = token_request(app, query["code"][0], verifier)
    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "Bearer" and body["scope"] == "read write"
    user = Mastodon(access_token=body["access_token"], client_id=app.client_id,
                    client_secret=app.client_secret, api_base_url=mastodon_sandbox.base_url,
                    request_timeout=10)
    assert user.account_verify_credentials().acct == "culture"
    assert token_request(app, query["code"][0], verifier).status_code == 400  # single use


def test_loopback_redirect_may_use_any_port(mastodon_sandbox: MastodonSandbox) -> None:
    app = register(mastodon_sandbox)
    verifier, challenge = pkce()
    redirect = "http://127.0.0.1:53123/callback"
    query = authorize(app, challenge, state="p", redirect=redirect)
    assert token_request(app, query["code"][0], verifier, redirect).status_code == 200


def test_wrong_verifier_is_refused(mastodon_sandbox: MastodonSandbox) -> None:
    app = register(mastodon_sandbox)
    _, challenge = pkce()
    query = authorize(app, challenge, state="st-2")
    answer = token_request(app, query["code"][0], pkce()[0])
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"


def test_authorize_page_lists_city_accounts_and_posts_back(
        mastodon_sandbox: MastodonSandbox) -> None:
    app = register(mastodon_sandbox)
    url = app.auth_request_url(redirect_uris=REDIRECT, scopes=SCOPES, state="s3",
                               allow_http=True)
    page = requests.get(url, timeout=10)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert "@ville" in page.text and "@culture" in page.text
    form = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    form.update(acct="ville", decision="approve")
    answer = requests.post(mastodon_sandbox.base_url + "/oauth/authorize", data=form,
                           allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["state"] == ["s3"] and query["code"]
    user = Mastodon(client_id=app.client_id, client_secret=app.client_secret,
                    api_base_url=mastodon_sandbox.base_url, request_timeout=10)
    user.log_in(code=query["code"][0], redirect_uri=REDIRECT, scopes=SCOPES, allow_http=True)
    assert user.account_verify_credentials().acct == "ville"


def test_unregistered_redirect_is_refused(mastodon_sandbox: MastodonSandbox) -> None:
    app = register(mastodon_sandbox)
    url = app.auth_request_url(redirect_uris="https://evil.example/cb", scopes=SCOPES,
                               allow_http=True)
    assert requests.get(url, allow_redirects=False, timeout=10).status_code == 400


def test_revoked_token_stops_working(mastodon_sandbox: MastodonSandbox) -> None:
    app = register(mastodon_sandbox)
    verifier, challenge = pkce()
    code = authorize(app, challenge, state="r")["code"][0]
    token = token_request(app, code, verifier).json()["access_token"]
    user = Mastodon(access_token=token, client_id=app.client_id,
                    client_secret=app.client_secret, api_base_url=mastodon_sandbox.base_url,
                    request_timeout=10)
    user.revoke_access_token(allow_http=True)
    with pytest.raises(MastodonUnauthorizedError) as revoked:
        Mastodon(access_token=token, api_base_url=mastodon_sandbox.base_url,
                 request_timeout=10).account_verify_credentials()
    assert revoked.value.args[3] == "The access token was revoked"


def test_refresh_tokens_only_when_the_knob_is_set(mastodon_sandbox: MastodonSandbox) -> None:
    app = register(mastodon_sandbox)
    endpoint = mastodon_sandbox.base_url + "/oauth/token"
    client = {"client_id": app.client_id, "client_secret": app.client_secret}
    verifier, challenge = pkce()
    plain = token_request(app, authorize(app, challenge, "a")["code"][0], verifier).json()
    assert "refresh_token" not in plain  # Mastodon issues none
    refused = requests.post(endpoint, timeout=10, data={
        "grant_type": "refresh_token", "refresh_token": "whatever", **client})
    assert refused.status_code == 400 and refused.json()["error"] == "unsupported_grant_type"
    mastodon_sandbox.issue_refresh_tokens = True
    verifier, challenge = pkce()
    code = authorize(app, challenge, "b", acct="ville")["code"][0]
    first = token_request(app, code, verifier).json()
    second = requests.post(endpoint, timeout=10, data={
        "grant_type": "refresh_token", "refresh_token": first["refresh_token"], **client}).json()
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]
    fresh = Mastodon(access_token=second["access_token"], api_base_url=app.api_base_url,
                     request_timeout=10)
    assert fresh.account_verify_credentials().acct == "ville"
    with pytest.raises(MastodonUnauthorizedError):
        Mastodon(access_token=first["access_token"], api_base_url=app.api_base_url,
                 request_timeout=10).account_verify_credentials()


def test_read_only_token_cannot_post(mastodon_sandbox: MastodonSandbox) -> None:
    client_id, client_secret = Mastodon.create_app(
        "Lecteur", scopes=["read"], redirect_uris=REDIRECT,
        api_base_url=mastodon_sandbox.base_url, request_timeout=10)
    app = Mastodon(client_id=client_id, client_secret=client_secret,
                   api_base_url=mastodon_sandbox.base_url, request_timeout=10)
    url = app.auth_request_url(redirect_uris=REDIRECT, scopes=["read"], allow_http=True)
    answer = requests.get(url + "&sandbox_auto_approve=ville", allow_redirects=False, timeout=10)
    code = parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
    app.log_in(code=code, redirect_uri=REDIRECT, scopes=["read"], allow_http=True)
    assert app.timeline_home(limit=1)
    with pytest.raises(MastodonAPIError) as refused:
        app.status_post("Interdit")
    assert refused.value.args[1] == 403
    assert refused.value.args[3] == "This action is outside the authorized scopes"
