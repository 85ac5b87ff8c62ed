"""The Bluesky sandbox, driven by the unmodified atproto SDK over real HTTP: sessions, writes,
limits and failures behave as API_NOTES.md section 2 and 5 report for the reference PDS."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
import libipld
import pytest
from atproto import Client, Session, SessionEvent, client_utils, models
from atproto.exceptions import (
    BadRequestError,
    NetworkError,
    RateLimitExceededError,
    RequestException,
    UnauthorizedError,
)
from tid_util import next_tid

from paris_desk.sandbox import corpus
from paris_desk.sandbox.bluesky import BlueskySandbox
from paris_desk.sandbox.http import Fault

POST = "app.bsky.feed.post"


def login(server: BlueskySandbox, index: int = 0, **kwargs: Any) -> Client:
    account = server.accounts[index]
    client = Client(base_url=server.base_url)
    client.login(account["handle"], account["password"], fetch_bsky_profile=False, **kwargs)
    return client


def post_record(text: str, **kwargs: Any) -> models.AppBskyFeedPost.Record:
    return models.AppBskyFeedPost.Record(text=text, created_at="2026-11-20T10:00:00.000Z",
                                         langs=["fr"], **kwargs)


def error_of(exc: pytest.ExceptionInfo[Any]) -> tuple[int, str, str]:
    response = exc.value.response
    return response.status_code, response.content.error, response.content.message


# -- sessions ------------------------------------------------------------------------------
def test_login_switches_to_the_pds_of_the_did_document(bluesky_sandbox: BlueskySandbox) -> None:
    events: list[SessionEvent] = []
    client = Client(base_url=bluesky_sandbox.base_url + "/")
    client.on_session_change(lambda event, session: events.append(event))
    account = bluesky_sandbox.accounts[0]
    assert client.login(account["handle"], account["password"], fetch_bsky_profile=False) is None

    session = Session.decode(client.export_session_string())
    assert events == [SessionEvent.CREATE]
    assert session.pds_endpoint == bluesky_sandbox.base_url
    payload = session.access_jwt_payload
    assert (payload.sub, payload.scope) == (account["did"], "com.atproto.appPass")
    assert payload.exp - payload.iat == 7200
    assert session.refresh_jwt_payload.scope == "com.atproto.refresh"


def test_login_with_profile_fetch_reads_the_appview(bluesky_sandbox: BlueskySandbox) -> None:
    account = bluesky_sandbox.accounts[1]
    client = Client(base_url=bluesky_sandbox.base_url)
    profile = client.login(account["handle"], account["password"])

    assert profile is not None and profile.did == account["did"]
    assert profile.display_name == corpus.CITY_ACCOUNTS[1][1]
    assert profile.followers_count and profile.follows_count and profile.posts_count
    avatar = httpx.get(profile.avatar)
    assert avatar.status_code == 200 and avatar.content.startswith(b"\x89PNG")


def test_wrong_password_is_refused(bluesky_sandbox: BlueskySandbox) -> None:
    client = Client(base_url=bluesky_sandbox.base_url)
    with pytest.raises(UnauthorizedError) as exc:
        client.login(bluesky_sandbox.accounts[0]["handle"], "aaaa-bbbb-cccc-dddd")
    assert error_of(exc) == (401, "AuthenticationRequired", "Invalid identifier or password")


def test_email_code_is_asked_for_the_main_password_only(bluesky_sandbox: BlueskySandbox) -> None:
    account = bluesky_sandbox.accounts[0]
    bluesky_sandbox.require_auth_factor(account["handle"], "428913")
    client = Client(base_url=bluesky_sandbox.base_url)
    with pytest.raises(UnauthorizedError) as exc:
        client.login(account["handle"], account["main_password"], fetch_bsky_profile=False)
    assert error_of(exc)[:2] == (401, "AuthFactorTokenRequired")

    client.login(account["email"], account["main_password"], auth_factor_token="428913",
                 fetch_bsky_profile=False)
    assert Session.decode(client.export_session_string()).access_jwt_payload.scope == (
        "com.atproto.access")
    login(bluesky_sandbox)  # an app password never needs the code


def test_imported_session_works_without_a_new_login(bluesky_sandbox: BlueskySandbox) -> None:
    saved = login(bluesky_sandbox).export_session_string()
    events: list[SessionEvent] = []
    client = Client()
    client.on_session_change(lambda event, session: events.append(event))
    client.login(session_string=saved, fetch_bsky_profile=False)

    assert client.get_timeline(limit=5).feed
    assert events == [SessionEvent.IMPORT]
    bluesky_sandbox.wait_for_request("GET", r"getTimeline$", timeout=1)
    logins = [r for r in bluesky_sandbox.requests if r.path.endswith("createSession")]
    assert len(logins) == 1


def test_expired_access_token_raises_until_the_sdk_refreshes(
        bluesky_sandbox: BlueskySandbox) -> None:
    client = login(bluesky_sandbox)
    events: list[tuple[SessionEvent, Session]] = []
    client.on_session_change(lambda event, session: events.append((event, session)))
    old = Session.decode(client.export_session_string())
    bluesky_sandbox.expire_access_tokens()

    with pytest.raises(BadRequestError) as exc:
        client.get_timeline(limit=5)
    assert error_of(exc) == (400, "ExpiredToken", "Token has expired")

    client._refresh_and_set_session()  # the SDK's only refresh path (API_NOTES 2.1)
    assert [e for e, _ in events] == [SessionEvent.REFRESH]
    assert events[0][1].refresh_jwt != old.refresh_jwt
    assert client.get_timeline(limit=5).feed


def test_short_access_lifetime_is_refreshed_proactively(bluesky_sandbox: BlueskySandbox) -> None:
    bluesky_sandbox.access_ttl = 600  # under the SDK's 15-minute margin
    client = login(bluesky_sandbox)
    events: list[SessionEvent] = []
    client.on_session_change(lambda event, session: events.append(event))

    client.get_timeline(limit=1)
    assert events == [SessionEvent.REFRESH]
    bluesky_sandbox.wait_for_request("POST", r"refreshSession$", timeout=1)


def test_revoked_sessions_need_a_new_login(bluesky_sandbox: BlueskySandbox) -> None:
    client = login(bluesky_sandbox)
    bluesky_sandbox.revoke_sessions(bluesky_sandbox.accounts[0]["did"])
    with pytest.raises(BadRequestError) as exc:
        client._refresh_and_set_session()
    assert error_of(exc) == (400, "ExpiredToken", "Token has been revoked")
    login(bluesky_sandbox).get_timeline(limit=1)


def test_replaced_refresh_token_works_during_its_grace_period(
        bluesky_sandbox: BlueskySandbox) -> None:
    client = login(bluesky_sandbox)
    twin = Client()
    twin.login(session_string=client.export_session_string(), fetch_bsky_profile=False)
    client._refresh_and_set_session()
    twin._refresh_and_set_session()  # the replaced token, reused inside its 2 h grace period

    def refresh_id(c: Client) -> str | None:
        return Session.decode(c.export_session_string()).refresh_jwt_payload.jti

    assert refresh_id(client) == refresh_id(twin)  # the PDS hands out the same next token id


# -- writes --------------------------------------------------------------------------------
def test_client_chosen_rkey_is_kept_and_a_second_create_is_refused(
        bluesky_sandbox: BlueskySandbox) -> None:
    client, did, rkey = login(bluesky_sandbox), bluesky_sandbox.accounts[0]["did"], next_tid()
    created = client.app.bsky.feed.post.create(did, post_record("Première version"), rkey=rkey)
    assert created.uri == f"at://{did}/{POST}/{rkey}"

    with pytest.raises(RequestException) as exc:
        client.app.bsky.feed.post.create(did, post_record("Seconde version"), rkey=rkey)
    assert error_of(exc) == (500, "InternalServerError", "Internal Server Error")
    assert bluesky_sandbox.records(did, POST)[rkey]["text"] == "Première version"
    assert client.app.bsky.feed.post.get(did, rkey).cid == created.cid


def test_post_rkey_must_be_a_tid(bluesky_sandbox: BlueskySandbox) -> None:
    client, did = login(bluesky_sandbox), bluesky_sandbox.accounts[0]["did"]
    with pytest.raises(BadRequestError) as exc:
        client.com.atproto.repo.create_record(models.ComAtprotoRepoCreateRecord.Data(
            repo=did, collection=POST, rkey="not-a-tid", record=post_record("x")))
    status, error, message = error_of(exc)
    assert (status, error) == (400, "InvalidRequest") and "Invalid TID string" in message


def test_missing_record_is_record_not_found(bluesky_sandbox: BlueskySandbox) -> None:
    client, did = login(bluesky_sandbox), bluesky_sandbox.accounts[0]["did"]
    with pytest.raises(BadRequestError) as exc:
        client.app.bsky.feed.post.get(did, next_tid())
    assert error_of(exc)[:2] == (400, "RecordNotFound")


def test_text_builder_facets_are_stored_as_utf8_byte_offsets(
        bluesky_sandbox: BlueskySandbox) -> None:
    client, did = login(bluesky_sandbox), bluesky_sandbox.accounts[0]["did"]
    culture = bluesky_sandbox.accounts[1]["did"]
    builder = (client_utils.TextBuilder().text("Fête à l'Hôtel de Ville 🇫🇷 : ")
               .link("programme", "https://www.paris.fr/pages/agenda").text(" ")
               .tag("#Été", "Été").text(" avec ").mention("@culture", culture))
    rkey = next_tid()
    client.app.bsky.feed.post.create(did, post_record(builder.build_text(),
                                                      facets=builder.build_facets()), rkey=rkey)

    stored = bluesky_sandbox.records(did, POST)[rkey]
    data = stored["text"].encode("utf-8")
    spans = [data[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode() for f in stored["facets"]]
    assert spans == ["programme", "#Été", "@culture"]
    assert stored["facets"][0]["index"]["byteStart"] == len("Fête à l'Hôtel de Ville 🇫🇷 : "
                                                            .encode())


def test_record_cid_matches_the_dag_cbor_reference(bluesky_sandbox: BlueskySandbox) -> None:
    client, did = login(bluesky_sandbox), bluesky_sandbox.accounts[0]["did"]
    blob = client.upload_blob(corpus.png_image(40, 30, 5)).blob
    record = post_record("Image : « Hôtel de Ville »", embed=models.AppBskyEmbedImages.Main(
        images=[models.AppBskyEmbedImages.Image(alt="Façade", image=blob)]))
    created = client.app.bsky.feed.post.create(did, record, rkey=next_tid())

    def links_to_bytes(value: Any) -> Any:
        if isinstance(value, dict):
            if set(value) == {"$link"}:
                cid = libipld.decode_cid(value["$link"])
                head = [cid["version"], cid["codec"], cid["hash"]["code"], cid["hash"]["size"]]
                return bytes(head) + cid["hash"]["digest"]
            return {k: links_to_bytes(v) for k, v in value.items()}
        if isinstance(value, list):
            return [links_to_bytes(v) for v in value]
        return value

    data = links_to_bytes({**record.model_dump(mode="json", exclude_none=True, by_alias=True),
                           "$type": POST})
    digest = hashlib.sha256(libipld.encode_dag_cbor(data)).digest()
    assert created.cid == libipld.encode_cid(b"\x01\x71\x12\x20" + digest)


def test_grapheme_and_byte_limits_match_the_pds(bluesky_sandbox: BlueskySandbox) -> None:
    client, did = login(bluesky_sandbox), bluesky_sandbox.accounts[0]["did"]
    client.app.bsky.feed.post.create(did, post_record("é" * 300), rkey=next_tid())
    client.app.bsky.feed.post.create(did, post_record("🇫🇷" * 300), rkey=next_tid())  # 2400 B
    with pytest.raises(BadRequestError) as exc:
        client.app.bsky.feed.post.create(did, post_record("é" * 301), rkey=next_tid())
    assert error_of(exc)[2] == ("Invalid app.bsky.feed.post record: grapheme too big "
                                "(maximum 300, got 301) at $.record.text")
    with pytest.raises(BadRequestError) as exc:
        client.app.bsky.feed.post.create(did, post_record("é" * 1600), rkey=next_tid())
    assert "string too big (maximum 3000, got 3200)" in error_of(exc)[2]


def test_image_upload_is_sniffed_and_posted_with_alt_and_ratio(
        bluesky_sandbox: BlueskySandbox) -> None:
    client, did = login(bluesky_sandbox), bluesky_sandbox.accounts[0]["did"]
    png = corpus.png_image(60, 40, 11)
    blob = client.upload_blob(png).blob
    assert (blob.mime_type, blob.size) == ("image/png", len(png))  # the SDK sent */*

    image = models.AppBskyEmbedImages.Image(
        alt="Plan du quartier", image=blob,
        aspect_ratio=models.AppBskyEmbedDefs.AspectRatio(width=60, height=40))
    record = post_record("Plan", embed=models.AppBskyEmbedImages.Main(images=[image]))
    created = client.app.bsky.feed.post.create(did, record, rkey=next_tid())

    assert bluesky_sandbox.blob(blob.ref.link) == png
    view = client.get_posts([created.uri]).posts[0].embed
    assert isinstance(view, models.AppBskyEmbedImages.View)
    assert view.images[0].alt == "Plan du quartier"
    assert (view.images[0].aspect_ratio.width, view.images[0].aspect_ratio.height) == (60, 40)
    assert httpx.get(view.images[0].fullsize).content == png
    fetched = client.com.atproto.sync.get_blob({"did": did, "cid": blob.ref.link})
    assert fetched == png


def test_oversized_blobs_are_refused(bluesky_sandbox: BlueskySandbox) -> None:
    client, did = login(bluesky_sandbox), bluesky_sandbox.accounts[0]["did"]
    with pytest.raises(NetworkError) as exc:
        client.upload_blob(b"\x00" * (bluesky_sandbox.blob_upload_limit + 1))
    assert error_of(exc)[:2] == (413, "PayloadTooLarge")

    big = client.upload_blob(corpus.png_image(8, 8, 1) + b"\x00" * 2_000_000).blob
    unknown = client.upload_blob(b"plain bytes, not an image").blob
    assert unknown.mime_type == "*/*"
    for blob, expected in ((big, "blob too big (maximum 2000000"), (unknown, 'Expected "image/*"')):
        embed = models.AppBskyEmbedImages.Main(images=[models.AppBskyEmbedImages.Image(
            alt="", image=blob)])
        with pytest.raises(BadRequestError) as bad:
            client.app.bsky.feed.post.create(did, post_record("x", embed=embed), rkey=next_tid())
        assert expected in error_of(bad)[2]


def test_identical_put_is_a_no_op_and_apply_writes_is_atomic(
        bluesky_sandbox: BlueskySandbox) -> None:
    client, did = login(bluesky_sandbox), bluesky_sandbox.accounts[0]["did"]
    rkey, fresh = next_tid(), next_tid()
    record = post_record("Une seule fois")
    created = client.app.bsky.feed.post.create(did, record, rkey=rkey)
    put = client.com.atproto.repo.put_record(models.ComAtprotoRepoPutRecord.Data(
        repo=did, collection=POST, rkey=rkey, record=record))
    assert (put.uri, put.cid, put.commit) == (created.uri, created.cid, None)

    writes = [models.ComAtprotoRepoApplyWrites.Create(collection=POST, rkey=r, value=record)
              for r in (fresh, rkey)]
    with pytest.raises(RequestException) as exc:
        client.com.atproto.repo.apply_writes(models.ComAtprotoRepoApplyWrites.Data(
            repo=did, writes=writes))
    assert error_of(exc)[0] == 500
    assert fresh not in bluesky_sandbox.records(did, POST)


# -- faults and errors ---------------------------------------------------------------------
def test_rate_limit_fault_reaches_the_sdk_as_429(bluesky_sandbox: BlueskySandbox) -> None:
    client = login(bluesky_sandbox)
    bluesky_sandbox.add_fault(Fault("429", path="getTimeline", retry_after=7))
    with pytest.raises(RateLimitExceededError) as exc:
        client.get_timeline(limit=5)
    assert exc.value.response.status_code == 429
    assert exc.value.retry_after == 7 and exc.value.reset_at is not None
    assert client.get_timeline(limit=5).feed


def test_connection_dropped_after_commit_leaves_the_post(bluesky_sandbox: BlueskySandbox) -> None:
    client, did, rkey = login(bluesky_sandbox), bluesky_sandbox.accounts[0]["did"], next_tid()
    bluesky_sandbox.add_fault(Fault("drop_after_commit", path="createRecord"))
    # atproto 0.0.73 wraps httpx.NetworkError only: a connection closed before the status line
    # escapes as httpx.RemoteProtocolError, so an adapter must catch httpx.TransportError too.
    with pytest.raises((NetworkError, httpx.TransportError)):
        client.app.bsky.feed.post.create(did, post_record("Réseau coupé"), rkey=rkey)

    assert client.app.bsky.feed.post.get(did, rkey).value.text == "Réseau coupé"
    with pytest.raises(RequestException):  # so an outbox must look before it resends
        client.app.bsky.feed.post.create(did, post_record("Réseau coupé"), rkey=rkey)


def test_errors_are_xrpc_json(bluesky_sandbox: BlueskySandbox) -> None:
    base = bluesky_sandbox.base_url + "/xrpc/"
    token = Session.decode(login(bluesky_sandbox).export_session_string()).access_jwt
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    cases = [
        (httpx.get(base + "app.bsky.feed.getTimeline"), 401, "AuthMissing"),
        (httpx.get(base + "app.bsky.feed.getTimeline",
                   headers={"Authorization": f"Bearer {tampered}"}), 400, "InvalidToken"),
        (httpx.get(base + "app.bsky.unspecced.getTrends",
                   headers={"Authorization": f"Bearer {token}"}), 501, "MethodNotImplemented"),
        (httpx.get(base + "com.atproto.identity.resolveHandle",
                   params={"handle": "inconnu.sandbox.test"}), 400, "HandleNotFound"),
    ]
    for response, status, error in cases:
        assert (response.status_code, response.json()["error"]) == (status, error)
        assert response.json()["message"]
