"""Attack: make paris_desk send a credential over plain http:// (issue 13, "Transport").

The attacker controls the network path: every request goes through an HTTP proxy trap on
loopback (``HTTP_PROXY``/``HTTPS_PROXY``), which must see no request carrying the token or
password. The instance, service or PDS named by the attacker is ``http://some-name.test``; a
name that resolves nowhere, so only the proxy could ever see the request.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from cli_run import cli
from traps import Redirector, Trap

from paris_desk.channels.bluesky.identity import resolve_service
from paris_desk.core.urls import InsecureTransport, check_credential_url
from paris_desk.services.accounts import AccountService
from paris_desk.store.profile import Profile

HOSTILE = "http://some-name.test"
TOKEN = "jeton-secret-du-compte-ville"
PASSWORD = "mot-de-passe-application"


@pytest.fixture
def proxy_trap(monkeypatch: pytest.MonkeyPatch) -> Iterator[Trap]:
    """Every request goes through this proxy, loopback included (no NO_PROXY)."""
    with Trap(502) as trap:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            monkeypatch.setenv(name, trap.url)
        for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.delenv(name, raising=False)
        yield trap


@pytest.fixture
def direct_loopback(proxy_trap: Trap, monkeypatch: pytest.MonkeyPatch) -> Trap:
    """The proxy trap for every host but loopback, which is reached directly."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    return proxy_trap


@pytest.fixture
def service() -> Iterator[AccountService]:
    svc = AccountService(Profile.default())
    yield svc
    svc.close()


def assert_refused_in_french(err: str) -> None:
    assert "some-name.test" in err
    assert "en clair" in err and "https://" in err


@pytest.mark.parametrize(
    "url",
    ["http://some-name.test", "http://localhost.example.com", "http://127.0.0.1.nip.io",
     "http://[::ffff:127.0.0.1]", "ftp://127.0.0.1", "http://10.0.0.1:8080"],
)
def test_only_https_or_a_loopback_literal_may_carry_a_credential(url: str) -> None:
    with pytest.raises(InsecureTransport):
        check_credential_url(url)


@pytest.mark.parametrize(
    "url", ["https://paris.social", "http://localhost:3000", "http://127.0.0.1:8080",
            "http://127.8.9.10", "http://[::1]:4000", "HTTPS://Paris.Social/"],
)
def test_https_and_loopback_literals_are_allowed(url: str) -> None:
    check_credential_url(url)


def test_cli_mastodon_token_over_http_is_refused_before_any_connection(
    capsys: Any, monkeypatch: pytest.MonkeyPatch, proxy_trap: Trap
) -> None:
    code, _, err = cli(capsys, monkeypatch, "account", "add", "mastodon", "--instance", HOSTILE,
                       "--token-stdin", stdin=TOKEN + "\n")
    assert code == 1
    assert_refused_in_french(err)
    assert proxy_trap.seen == []


def test_cli_bluesky_password_over_http_is_refused_before_any_connection(
    capsys: Any, monkeypatch: pytest.MonkeyPatch, proxy_trap: Trap
) -> None:
    code, _, err = cli(capsys, monkeypatch, "account", "add", "bluesky", "--handle",
                       "ville.sandbox.test", "--service", HOSTILE, "--password-stdin",
                       stdin=PASSWORD + "\n")
    assert code == 1
    assert_refused_in_french(err)
    assert proxy_trap.seen == []


def test_a_redirect_to_http_does_not_take_the_mastodon_token_along(
    service: AccountService, direct_loopback: Trap
) -> None:
    with Redirector(HOSTILE + "/api/v1/accounts/verify_credentials") as server:
        with pytest.raises(InsecureTransport):
            service.add_mastodon_token(server.url, TOKEN)
        assert len(server.seen) == 1  # the loopback test server is allowed; the redirect is not
    assert direct_loopback.seen == []
    assert service.list() == []


def test_a_redirect_to_http_does_not_take_the_bluesky_password_along(
    service: AccountService, direct_loopback: Trap
) -> None:
    with Redirector(HOSTILE + "/xrpc/com.atproto.server.createSession") as server:
        with pytest.raises(InsecureTransport):
            service.add_bluesky("ville.sandbox.test", PASSWORD, service=server.url)
        assert len(server.seen) == 1
    assert direct_loopback.seen == []


def test_a_did_document_naming_an_http_pds_is_refused(direct_loopback: Trap) -> None:
    did = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
    document = json.dumps({
        "id": did, "alsoKnownAs": ["at://ville.example.com"],
        "service": [{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer",
                     "serviceEndpoint": HOSTILE}],
    })
    headers = {"Content-Type": "application/json"}
    with Trap(200, headers, document.encode()) as plc:
        with pytest.raises(InsecureTransport):
            resolve_service(did, plc_url=plc.url)
        assert [s.target for s in plc.seen] == [f"/{did}"]
    assert direct_loopback.seen == []


def hostile_did_doc(server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The (attacker's) server names an http:// PDS in the DID document it returns."""
    genuine = server._did_doc

    def did_doc(account: Any) -> dict[str, Any]:
        doc: dict[str, Any] = genuine(account)
        doc["service"][0]["serviceEndpoint"] = HOSTILE
        return doc

    monkeypatch.setattr(server, "_did_doc", did_doc)


def test_a_session_naming_an_http_pds_at_sign_in_is_refused(
    service: AccountService, bluesky_sandbox: Any, monkeypatch: pytest.MonkeyPatch,
    direct_loopback: Trap,
) -> None:
    hostile_did_doc(bluesky_sandbox, monkeypatch)
    who = bluesky_sandbox.accounts[0]
    with pytest.raises(InsecureTransport):
        service.add_bluesky(who["handle"], who["password"], service=bluesky_sandbox.base_url)
    assert direct_loopback.seen == []
    assert service.list() == []


def test_a_refreshed_session_naming_an_http_pds_is_refused_and_not_saved(
    service: AccountService, bluesky_sandbox: Any, monkeypatch: pytest.MonkeyPatch,
    direct_loopback: Trap,
) -> None:
    who = bluesky_sandbox.accounts[0]
    account = service.add_bluesky(who["handle"], who["password"], service=bluesky_sandbox.base_url)
    channel = service.channel(account.id)
    stored = service.keychain.get(f"account:{account.id}")
    hostile_did_doc(bluesky_sandbox, monkeypatch)

    with pytest.raises(InsecureTransport):
        channel._api.refresh()  # type: ignore[attr-defined]
    with pytest.raises(InsecureTransport):
        channel.home_timeline(limit=5)  # the SDK moved to the new PDS: every request refused
    assert direct_loopback.seen == []
    assert service.keychain.get(f"account:{account.id}") == stored


def test_a_stored_session_on_an_http_pds_is_not_restored(
    service: AccountService, bluesky_sandbox: Any, direct_loopback: Trap
) -> None:
    who = bluesky_sandbox.accounts[0]
    account = service.add_bluesky(who["handle"], who["password"], service=bluesky_sandbox.base_url)
    key = f"account:{account.id}"
    secret = service.keychain.get(key) or ""
    service.keychain.set(key, secret.rsplit(":::", 1)[0] + ":::" + HOSTILE)  # tampered
    service.close()
    fresh = AccountService(Profile.default())
    with pytest.raises(InsecureTransport):
        fresh.channel(account.id).home_timeline(limit=5)
    fresh.close()
    assert direct_loopback.seen == []


def test_cli_browser_sign_in_over_http_is_refused_before_any_connection(
    capsys: Any, monkeypatch: pytest.MonkeyPatch, proxy_trap: Trap
) -> None:
    code, _, err = cli(capsys, monkeypatch, "account", "add", "mastodon", "--instance", HOSTILE,
                       stdin="")
    assert code == 1
    assert_refused_in_french(err)
    assert proxy_trap.seen == []
