"""The adapter's plain XRPC (no SDK) against the official PDS (@atproto/pds 0.5.35): a session
refresh as the SDK makes it, a session string the unmodified SDK then takes, a session ended
with ``deleteSession``, and likes and reposts written and deleted as JSON records, read back
with the unmodified SDK."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from atproto import Client, models

from paris_desk.channels import bluesky
from paris_desk.channels.bluesky.session import SessionCaller, pds_url
from paris_desk.core.errors import AuthExpired
from paris_desk.core.model import Author, Network, Post

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


def test_likes_and_reposts_as_plain_records_pass_the_pds(reference_pds: Any) -> None:
    account, secret = signed_in(reference_pds)
    author, password, author_did = reference_pds.create_account("auteur")
    sdk = Client(base_url=reference_pds.url)
    sdk.login(author, password, fetch_bsky_profile=False)
    made = sdk.app.bsky.feed.post.create(author_did, models.AppBskyFeedPost.Record(
        text="Collecte des encombrants jeudi.", created_at=sdk.get_current_time_iso()))
    post = Post(uri=made.uri, native_id=made.uri, network=Network.BLUESKY,
                author=Author(handle=author, user_id=author_did), created_at=datetime.now(UTC),
                cid=made.cid)
    channel = bluesky.restore(account, secret, lambda s: None)
    liked, reposted = channel.like(post), channel.repost(post)
    assert liked.liked and reposted.reposted
    likes = sdk.app.bsky.feed.like.list(account.user_id).records
    assert [(r.subject.uri, r.subject.cid) for r in likes.values()] == [(made.uri, made.cid)]
    assert len(sdk.app.bsky.feed.repost.list(account.user_id).records) == 1
    channel.unlike(liked)
    channel.unrepost(reposted)
    assert not sdk.app.bsky.feed.like.list(account.user_id).records
    assert not sdk.app.bsky.feed.repost.list(account.user_id).records
