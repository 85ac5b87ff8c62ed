"""Removing an account signs it out on its server first (Mastodon: the token is revoked;
Bluesky: the session is deleted), and the channels AccountService builds use its
``channel_timeout``. Over HTTP against both sandboxes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from paris_desk.channels import bluesky
from paris_desk.channels.mastodon import account_from_token
from paris_desk.core.errors import AuthExpired, BadCredentials, Unreachable
from paris_desk.core.model import Account
from paris_desk.sandbox.http import Fault
from paris_desk.services.accounts import AccountService
from paris_desk.store.profile import Profile


@pytest.fixture
def service() -> Iterator[AccountService]:
    svc = AccountService(Profile.default())
    yield svc
    svc.close()


def secret_of(keychain: Any, account: Account) -> str:
    return str(
        next(v for (_s, user), v in keychain.items.items()
             if user.endswith(f"/account:{account.id}"))
    )


def signed_in_with_browser(service: AccountService, server: Any, acct: str) -> Account:
    with service.begin_mastodon_oauth(server.base_url) as flow:
        requests.get(flow.url, params={"sandbox_auto_approve": acct}, timeout=10)
        return flow.finish(flow.wait_for_code(timeout=10) or "")


def add_bluesky(service: AccountService, server: Any) -> Account:
    who = server.accounts[0]
    return service.add_bluesky(who["handle"], who["password"], service=server.base_url)


def test_removing_a_mastodon_account_revokes_its_token(
    service: AccountService, mastodon_sandbox: Any, memory_keyring: Any
) -> None:
    who = mastodon_sandbox.accounts[0]
    account = signed_in_with_browser(service, mastodon_sandbox, who["acct"])
    token = secret_of(memory_keyring, account)
    assert account_from_token(mastodon_sandbox.base_url, token).id == account.id

    service.remove(account.id)

    assert mastodon_sandbox.wait_for_request("POST", r"^/oauth/revoke$").status == 200
    with pytest.raises(BadCredentials):
        account_from_token(mastodon_sandbox.base_url, token)
    assert service.list() == []


def test_a_pasted_mastodon_token_is_removed_without_a_revocation(
    service: AccountService, mastodon_sandbox: Any
) -> None:
    token = mastodon_sandbox.accounts[0]["access_token"]
    account = service.add_mastodon_token(mastodon_sandbox.base_url, token)

    service.remove(account.id)  # no app credentials of ours: the server would refuse anyway

    assert service.list() == []
    assert not [r for r in mastodon_sandbox.requests if r.path == "/oauth/revoke"]


def test_removing_a_bluesky_account_deletes_its_session(
    service: AccountService, bluesky_sandbox: Any, memory_keyring: Any
) -> None:
    account = add_bluesky(service, bluesky_sandbox)
    secret = secret_of(memory_keyring, account)

    service.remove(account.id)

    assert bluesky_sandbox.wait_for_request("POST", "deleteSession").status == 200
    bluesky_sandbox.expire_access_tokens()  # using the old session now needs its refresh token
    with pytest.raises(AuthExpired):
        bluesky.restore(account, secret, lambda s: None).verify()
    assert service.list() == []


def test_a_failed_sign_out_does_not_keep_the_account(
    service: AccountService, bluesky_sandbox: Any, memory_keyring: Any
) -> None:
    account = add_bluesky(service, bluesky_sandbox)
    bluesky_sandbox.add_fault(Fault(kind="503", method="POST", path="deleteSession"))

    service.remove(account.id)

    assert bluesky_sandbox.wait_for_request("POST", "deleteSession").fault == "503"
    assert service.list() == []
    assert not memory_keyring.items


@pytest.mark.parametrize("network", ["mastodon", "bluesky"])
def test_channels_use_the_service_timeout(
    network: str, mastodon_sandbox: Any, bluesky_sandbox: Any, request_gate: Any
) -> None:
    svc = AccountService(Profile.default(), channel_timeout=0.5)
    try:
        if network == "mastodon":
            server = mastodon_sandbox
            account = svc.add_mastodon_token(server.base_url, server.accounts[0]["access_token"])
            path = r"^/api/v1/timelines/home$"
        else:
            server = bluesky_sandbox
            account = add_bluesky(svc, server)
            path = r"getTimeline$"

        # The server holds the request for up to 10 s, then answers: half the adapters'
        # default timeouts (Mastodon 30 s, Bluesky 20 s), 20 times the service's 0.5 s.
        with request_gate(server, method="GET", path=path, guard=10) as held:
            with pytest.raises(Unreachable):
                svc.channel(account.id).home_timeline(limit=5)
            assert held.waiting == 1, "the client gave up only once the server answered"
    finally:
        svc.close()
