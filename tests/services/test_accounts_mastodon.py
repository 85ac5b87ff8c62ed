"""AccountService with Mastodon (token and browser sign-in), against the Mastodon sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from paris_desk.core.errors import BadCredentials, KeychainLocked, NotFound, Unreachable
from paris_desk.core.model import Network
from paris_desk.services.accounts import AccountService, MastodonOAuth
from paris_desk.store.profile import Profile


@pytest.fixture
def service() -> Iterator[AccountService]:
    svc = AccountService(Profile.default())
    yield svc
    svc.close()


def secrets_in(keychain: Any) -> dict[str, str]:
    """The entries by key, without this profile's namespace prefix (``profile:<id>/``)."""
    return {user.partition("/")[2]: value for (_service, user), value in keychain.items.items()}


def assert_nothing_saved(service: AccountService, keychain: Any) -> None:
    assert service.list() == []
    assert secrets_in(keychain) == {}


def browser_approves(flow: MastodonOAuth, acct: str) -> requests.Response:
    """What the user does in the browser: approve as ``acct``; the sandbox redirects to our
    loopback catcher, exactly as a real browser would follow it."""
    return requests.get(flow.url, params={"sandbox_auto_approve": acct}, timeout=10)


def requests_to(server: Any, method: str, path: str) -> int:
    return sum(1 for r in server.requests if r.method == method and r.path.startswith(path))


def test_adding_with_a_token_stores_it_in_the_keychain_only(
    service: AccountService, mastodon_sandbox: Any, memory_keyring: Any
) -> None:
    who = mastodon_sandbox.accounts[0]

    account = service.add_mastodon_token(
        mastodon_sandbox.base_url, who["access_token"], label="Presse"
    )

    netloc = urlsplit(mastodon_sandbox.base_url).netloc
    assert account.handle == f"@{who['acct'].split('@')[0]}@{netloc}"
    assert account.id == f"mastodon:{account.handle}"
    assert account.network is Network.MASTODON
    assert account.label == "Presse"
    assert service.list() == [account]
    assert secrets_in(memory_keyring) == {f"account:{account.id}": who["access_token"]}
    assert who["access_token"].encode() not in service.profile.db_path.read_bytes()
    assert service.channel(account.id).home_timeline(limit=5).items


def test_a_wrong_token_saves_nothing(
    service: AccountService, mastodon_sandbox: Any, memory_keyring: Any
) -> None:
    with pytest.raises(BadCredentials):
        service.add_mastodon_token(mastodon_sandbox.base_url, "not-a-valid-token-123")

    assert_nothing_saved(service, memory_keyring)


def test_an_address_that_is_no_instance_saves_nothing(
    service: AccountService, memory_keyring: Any
) -> None:
    with pytest.raises(NotFound):
        service.add_mastodon_token("pas une adresse", "token-123456")
    with pytest.raises(Unreachable):
        service.add_mastodon_token("http://127.0.0.1:9", "token-123456")
    with pytest.raises(Unreachable):
        service.begin_mastodon_oauth("http://127.0.0.1:9")

    assert_nothing_saved(service, memory_keyring)


def test_locked_keychain_fails_before_any_network_call(
    service: AccountService, mastodon_sandbox: Any, memory_keyring: Any
) -> None:
    memory_keyring.locked = True

    with pytest.raises(KeychainLocked):
        service.add_mastodon_token(
            mastodon_sandbox.base_url, mastodon_sandbox.accounts[0]["access_token"]
        )
    with pytest.raises(KeychainLocked):
        service.begin_mastodon_oauth(mastodon_sandbox.base_url)

    assert mastodon_sandbox.requests == []


def test_browser_sign_in_adds_the_account_and_keeps_the_app(
    service: AccountService, mastodon_sandbox: Any, memory_keyring: Any
) -> None:
    who = mastodon_sandbox.accounts[0]

    with service.begin_mastodon_oauth(mastodon_sandbox.base_url) as flow:
        assert browser_approves(flow, who["acct"]).ok
        code = flow.wait_for_code(timeout=10)
        assert code
        account = flow.finish(code, label="Presse", color="#abcdef")

    assert service.list() == [account]
    assert (account.label, account.color) == ("Presse", "#abcdef")
    stored = secrets_in(memory_keyring)
    assert set(stored) == {f"account:{account.id}", f"app:{mastodon_sandbox.base_url}"}
    assert service.channel(account.id).verify().id == account.id


def test_a_second_sign_in_on_the_same_instance_reuses_the_app(
    service: AccountService, mastodon_sandbox: Any
) -> None:
    for who in mastodon_sandbox.accounts[:2]:
        with service.begin_mastodon_oauth(mastodon_sandbox.base_url) as flow:
            browser_approves(flow, who["acct"])
            flow.finish(flow.wait_for_code(timeout=10) or "")

    assert len(service.list()) == 2
    assert requests_to(mastodon_sandbox, "POST", "/api/v1/apps") == 1


def test_the_user_can_paste_the_redirect_address(
    service: AccountService, mastodon_sandbox: Any
) -> None:
    with service.begin_mastodon_oauth(mastodon_sandbox.base_url) as flow:
        flow.cancel()  # e.g. the browser runs on another machine: nothing listens
        answer = requests.get(
            flow.url,
            params={"sandbox_auto_approve": mastodon_sandbox.accounts[0]["acct"]},
            allow_redirects=False,
            timeout=10,
        )
        pasted = answer.headers["Location"]

        account = flow.finish(flow.code_from_pasted(pasted))

    assert service.list() == [account]


def test_a_redirect_with_another_state_is_refused(
    service: AccountService, mastodon_sandbox: Any, memory_keyring: Any
) -> None:
    with service.begin_mastodon_oauth(mastodon_sandbox.base_url) as flow:
        answer = requests.get(
            flow.url,
            params={"sandbox_auto_approve": mastodon_sandbox.accounts[0]["acct"]},
            allow_redirects=False,
            timeout=10,
        )
        location = answer.headers["Location"]
        code = parse_qs(urlsplit(location).query)["code"][0]
        forged = location.split("?")[0] + f"?code={code}&state=forged"

        with pytest.raises(BadCredentials):
            flow.code_from_pasted(forged)

    assert_nothing_saved(service, memory_keyring)


def test_a_refused_authorisation_saves_nothing(
    service: AccountService, mastodon_sandbox: Any, memory_keyring: Any
) -> None:
    with service.begin_mastodon_oauth(mastodon_sandbox.base_url) as flow:
        query = parse_qs(urlsplit(flow.url).query)
        form = {k: v[0] for k, v in query.items()} | {"decision": "deny"}
        requests.post(f"{mastodon_sandbox.base_url}/oauth/authorize", data=form, timeout=10)

        with pytest.raises(BadCredentials):
            flow.wait_for_code(timeout=10)

    assert_nothing_saved(service, memory_keyring)


def test_a_wrong_code_saves_nothing(
    service: AccountService, mastodon_sandbox: Any, memory_keyring: Any
) -> None:
    with (
        service.begin_mastodon_oauth(mastodon_sandbox.base_url) as flow,
        pytest.raises(BadCredentials),
    ):
        flow.finish("not-the-code")

    assert_nothing_saved(service, memory_keyring)


def test_an_abandoned_sign_in_saves_nothing(
    service: AccountService, mastodon_sandbox: Any, memory_keyring: Any
) -> None:
    flow = service.begin_mastodon_oauth(mastodon_sandbox.base_url)
    assert flow.wait_for_code(timeout=0.05) is None
    flow.cancel()

    assert_nothing_saved(service, memory_keyring)
