"""The read path's own session handling (``channels.bluesky.session``, plain XRPC, no SDK)
against the official PDS (@atproto/pds 0.5.35): a refresh as the SDK makes it, a session string
the unmodified SDK then takes, and a session ended with ``deleteSession``."""

from __future__ import annotations

from typing import Any

import pytest
from atproto import Client

from paris_desk.channels import bluesky
from paris_desk.channels.bluesky.session import SessionCaller, pds_url
from paris_desk.core.errors import AuthExpired

pytestmark = pytest.mark.reference


def signed_in(reference_pds: Any) -> tuple[Any, str]:
    handle, password, _did = reference_pds.create_account("plain")
    app_password = reference_pds.create_app_password(handle, password, name="paris_desk")
    return bluesky.login(handle, app_password, service=reference_pds.url)


def test_plain_refresh_gives_a_session_the_sdk_takes(reference_pds: Any) -> None:
    account, secret = signed_in(reference_pds)
    saved: list[str] = []
    caller = SessionCaller(account, secret, saved.append)
    caller.refresh()
    assert len(saved) == 1
    handle, did, _access, refresh, pds = saved[0].split(":::")
    assert (handle, did) == (account.handle, account.user_id)
    assert refresh != secret.split(":::")[3]  # refresh tokens rotate
    assert pds_url(pds) == pds_url(reference_pds.url)  # its DID document's, or the same PDS
    assert caller.query("com.atproto.server.getSession")["did"] == account.user_id
    sdk = Client(base_url=reference_pds.url)
    sdk.login(session_string=saved[0], fetch_bsky_profile=False)
    assert sdk.com.atproto.server.get_session().handle == account.handle


def test_verify_without_appview_and_sign_out(reference_pds: Any) -> None:
    account, secret = signed_in(reference_pds)
    channel = bluesky.restore(account, secret, lambda s: None)
    assert channel.verify().user_id == account.user_id  # getProfile 502: name kept
    channel.sign_out()
    channel.sign_out()  # already ended: not an error
    with pytest.raises(AuthExpired):
        SessionCaller(account, secret, lambda s: None).refresh()
