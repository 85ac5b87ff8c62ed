"""The unmodified atproto Python client against the official Bluesky PDS (@atproto/pds 0.5.35).

These pin the PDS behaviour our Bluesky channel relies on (API_NOTES section 2): login without an
AppView, posts at client-chosen TID rkeys, refused duplicates, blobs and image embeds,
deletion, session refresh, app passwords.
"""

from __future__ import annotations

import base64
import json
import re
import struct
import zlib
from collections import Counter
from dataclasses import dataclass

import httpx
import pytest
from atproto import Client, models
from atproto_client import exceptions as exc
from atproto_client.client.session import SessionEvent
from atproto_client.models.string_formats import TID_RE
from tid import TidClock, decode_tid

pytestmark = pytest.mark.reference

POST = "app.bsky.feed.post"
CLOCK = TidClock()


@dataclass
class Account:
    handle: str
    password: str
    did: str


@pytest.fixture
def account(reference_pds) -> Account:
    return Account(*reference_pds.create_account("smoke"))


@pytest.fixture
def client(reference_pds, account: Account) -> Client:
    c = Client(base_url=reference_pds.url)
    c.login(account.handle, account.password, fetch_bsky_profile=False)
    return c


def make_png(width: int = 64, height: int = 48) -> bytes:
    """A real RGB PNG (gradient), built without image libraries."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(
        b"\x00" + b"".join(bytes((x * 4 % 256, y * 5 % 256, 128)) for x in range(width))
        for y in range(height)
    )
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def new_post(client: Client, text: str, **kwargs) -> models.AppBskyFeedPost.Record:
    return models.AppBskyFeedPost.Record(
        text=text, created_at=client.get_current_time_iso(), langs=["fr"], **kwargs
    )


def list_posts(client: Client, did: str) -> list[models.ComAtprotoRepoListRecords.Record]:
    """Every post record, as a list (the sugar ``post.list`` returns a dict keyed by URI and
    would hide duplicates)."""
    out: list[models.ComAtprotoRepoListRecords.Record] = []
    cursor = None
    while True:
        page = client.com.atproto.repo.list_records(
            models.ComAtprotoRepoListRecords.Params(
                repo=did, collection=POST, limit=100, cursor=cursor
            )
        )
        out.extend(page.records)
        cursor = page.cursor
        if not cursor or not page.records:
            return out


def rkey_of(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


def jwt_claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


# --- TID helper -------------------------------------------------------------------------------


def test_tid_clock_is_valid_and_monotonic() -> None:
    tids = [CLOCK.next() for _ in range(2000)]
    assert tids == sorted(tids) and len(set(tids)) == len(tids)
    assert all(TID_RE.match(t) for t in tids)
    assert {decode_tid(t)[1] for t in tids} == {CLOCK.clock_id}


# --- session ----------------------------------------------------------------------------------


def test_login_without_appview(reference_pds, account: Account) -> None:
    c = Client(base_url=reference_pds.url)
    assert c.login(account.handle, account.password, fetch_bsky_profile=False) is None
    assert c.me is None  # no profile without an AppView
    session = c.com.atproto.server.get_session()
    assert (session.did, session.handle) == (account.did, account.handle)
    # After login the client talks to the PDS named in the DID document (served by our PLC).
    assert c.export_session_string().split(":::")[-1].startswith(reference_pds.url)


def test_default_login_fails_on_missing_appview_after_creating_session(
    reference_pds, account: Account
) -> None:
    c = Client(base_url=reference_pds.url)
    with pytest.raises(exc.NetworkError) as info:
        c.login(account.handle, account.password)  # fetch_bsky_profile=True -> getProfile
    assert info.value.response.status_code == 502
    assert info.value.response.content.error == "UpstreamFailure"
    # ...yet the session exists and works.
    assert c.com.atproto.server.get_session().did == account.did


def test_wrong_password_is_401(reference_pds, account: Account) -> None:
    c = Client(base_url=reference_pds.url)
    with pytest.raises(exc.UnauthorizedError) as info:
        c.login(account.handle, account.password + "x", fetch_bsky_profile=False)
    assert info.value.response.status_code == 401
    assert info.value.response.content.error == "AuthenticationRequired"


def test_refresh_session(reference_pds, client: Client, account: Account) -> None:
    events: list[tuple[SessionEvent, str, str]] = []
    client.on_session_change(lambda ev, s: events.append((ev, s.access_jwt, s.refresh_jwt)))
    before = client.export_session_string().split(":::")
    old_access, old_refresh = before[2], before[3]
    assert jwt_claims(old_access)["exp"] - jwt_claims(old_access)["iat"] == 7200

    client._refresh_and_set_session()  # the SDK's (private) only refresh call
    assert [e[0] for e in events] == [SessionEvent.REFRESH]
    _, new_access, new_refresh = events[-1]
    assert new_refresh != old_refresh  # refresh tokens carry a jti and rotate
    # Access tokens carry no jti: refreshed within the same second, it is byte-identical.
    assert jwt_claims(new_access)["iat"] >= jwt_claims(old_access)["iat"]
    assert client.com.atproto.server.get_session().did == account.did
    new_post_ref = client.app.bsky.feed.post.create(
        account.did, new_post(client, "après refresh"), rkey=CLOCK.next()
    )
    assert new_post_ref.uri.startswith(f"at://{account.did}/")

    # Proactive path: _invoke refreshes when it thinks the access token is about to expire.
    answers = iter([True])
    client._should_refresh_session = lambda: next(answers, False)  # type: ignore[method-assign]
    client.com.atproto.server.get_session()
    assert [e[0] for e in events] == [SessionEvent.REFRESH, SessionEvent.REFRESH]

    # The replaced refresh token still works during its grace period (2 h).
    resp = reference_pds.xrpc("com.atproto.server.refreshSession", procedure=True, auth=old_refresh)
    assert resp.status_code == 200, resp.text


def test_app_password(reference_pds, account: Account) -> None:
    app_pw = reference_pds.create_app_password(account.handle, account.password, name="paris_desk")
    assert re.fullmatch(r"[a-z2-7]{4}(-[a-z2-7]{4}){3}", app_pw)
    c = Client(base_url=reference_pds.url)
    c.login(account.handle, app_pw, fetch_bsky_profile=False)
    access = c.export_session_string().split(":::")[2]
    assert jwt_claims(access)["scope"] == "com.atproto.appPass"
    ref = c.app.bsky.feed.post.create(
        account.did, new_post(c, "via app password"), rkey=CLOCK.next()
    )
    assert c.app.bsky.feed.post.get(account.did, rkey_of(ref.uri)).cid == ref.cid
    with pytest.raises(exc.BadRequestError) as info:  # cannot manage the account
        c.com.atproto.server.create_app_password(
            models.ComAtprotoServerCreateAppPassword.Data(name="nested")
        )
    assert info.value.response.content.error == "InvalidToken"


# --- records ----------------------------------------------------------------------------------


def test_create_at_client_tid_then_duplicate_is_refused(client: Client, account: Account) -> None:
    rkey = CLOCK.next()
    record = new_post(client, "Bonjour depuis paris_desk — été 2026 🇫🇷")
    created = client.app.bsky.feed.post.create(account.did, record, rkey=rkey)
    assert created.uri == f"at://{account.did}/{POST}/{rkey}"

    got = client.app.bsky.feed.post.get(account.did, rkey)
    assert got.cid == created.cid
    assert got.value.text == record.text and got.value.langs == ["fr"]

    # A retry of the same create (e.g. after a lost response) is refused: 500, not 4xx.
    for attempt in (record, new_post(client, "different text, same rkey")):
        with pytest.raises(exc.RequestException) as info:
            client.app.bsky.feed.post.create(account.did, attempt, rkey=rkey)
        assert not isinstance(info.value, (exc.BadRequestError, exc.NetworkError))
        assert info.value.response.status_code == 500
        assert info.value.response.content.error == "InternalServerError"

    # ...and created nothing: the original is intact and alone.
    assert client.app.bsky.feed.post.get(account.did, rkey).cid == created.cid
    assert [rkey_of(r.uri) for r in list_posts(client, account.did)] == [rkey]


def test_rkey_must_be_a_tid(client: Client, account: Account) -> None:
    with pytest.raises(exc.BadRequestError) as info:
        client.app.bsky.feed.post.create(account.did, new_post(client, "x"), rkey="not-a-tid")
    assert info.value.response.content.error == "InvalidRequest"
    assert "Invalid TID" in info.value.response.content.message


def test_get_missing_record(client: Client, account: Account) -> None:
    with pytest.raises(exc.BadRequestError) as info:
        client.app.bsky.feed.post.get(account.did, CLOCK.next())
    assert info.value.response.content.error == "RecordNotFound"


def test_image_post_with_alt_text(client: Client, account: Account) -> None:
    png = make_png(64, 48)
    uploaded = client.upload_blob(png)
    blob = uploaded.blob
    assert blob.mime_type == "image/png"  # sniffed by the PDS from the bytes
    assert blob.size == len(png)
    assert client.upload_blob(png).blob.ref.link == blob.ref.link  # same bytes, same CID

    alt = "Un dégradé bleu-vert (texte alternatif)"
    embed = models.AppBskyEmbedImages.Main(
        images=[
            models.AppBskyEmbedImages.Image(
                alt=alt,
                image=blob,
                aspect_ratio=models.AppBskyEmbedDefs.AspectRatio(width=64, height=48),
            )
        ]
    )
    rkey = CLOCK.next()
    created = client.app.bsky.feed.post.create(
        account.did, new_post(client, "photo", embed=embed), rkey=rkey
    )
    got = client.app.bsky.feed.post.get(account.did, rkey)
    assert got.cid == created.cid
    image = got.value.embed.images[0]
    assert image.alt == alt
    assert image.image.ref.link == blob.ref.link and image.image.mime_type == "image/png"
    assert (image.aspect_ratio.width, image.aspect_ratio.height) == (64, 48)


def test_unrecognised_blob_cannot_be_an_image(client: Client, account: Account) -> None:
    junk = client.upload_blob(b"\x00not an image\x01" * 20).blob
    assert junk.mime_type == "*/*"
    embed = models.AppBskyEmbedImages.Main(
        images=[models.AppBskyEmbedImages.Image(alt="", image=junk)]
    )
    with pytest.raises(exc.BadRequestError) as info:
        client.app.bsky.feed.post.create(
            account.did, new_post(client, "x", embed=embed), rkey=CLOCK.next()
        )
    assert "image/*" in info.value.response.content.message


def test_delete_record(client: Client, account: Account) -> None:
    keep, gone = CLOCK.next(), CLOCK.next()
    client.app.bsky.feed.post.create(account.did, new_post(client, "reste"), rkey=keep)
    client.app.bsky.feed.post.create(account.did, new_post(client, "supprimé"), rkey=gone)

    assert client.app.bsky.feed.post.delete(account.did, gone) is True
    with pytest.raises(exc.BadRequestError) as info:
        client.app.bsky.feed.post.get(account.did, gone)
    assert info.value.response.content.error == "RecordNotFound"
    assert client.app.bsky.feed.post.delete(account.did, gone) is True  # idempotent
    assert [rkey_of(r.uri) for r in list_posts(client, account.did)] == [keep]

    # After a delete the rkey is free again: a late retry of the create re-creates the post.
    client.app.bsky.feed.post.create(account.did, new_post(client, "revenant"), rkey=gone)
    assert client.app.bsky.feed.post.get(account.did, gone).value.text == "revenant"


def test_list_records_one_post_per_rkey(client: Client, account: Account) -> None:
    rkeys = [CLOCK.next() for _ in range(6)]
    for i, rkey in enumerate(rkeys):
        record = new_post(client, f"message {i}")
        client.app.bsky.feed.post.create(account.did, record, rkey=rkey)
        with pytest.raises(exc.RequestException):  # the outbox's blind retry
            client.app.bsky.feed.post.create(account.did, record, rkey=rkey)
    # putRecord of the identical record at an existing rkey is a successful no-op.
    same = client.app.bsky.feed.post.get(account.did, rkeys[0])
    put = client.com.atproto.repo.put_record(
        models.ComAtprotoRepoPutRecord.Data(
            repo=account.did, collection=POST, rkey=rkeys[0], record=same.value
        )
    )
    assert put.cid == same.cid

    records = list_posts(client, account.did)
    counts = Counter(rkey_of(r.uri) for r in records)
    assert set(counts) == set(rkeys)
    assert set(counts.values()) == {1}
    # listRecords is newest first by default; TIDs sort by time.
    assert [rkey_of(r.uri) for r in records] == sorted(rkeys, reverse=True)


def test_server_describes_test_handles(reference_pds) -> None:
    desc = httpx.get(f"{reference_pds.url}/xrpc/com.atproto.server.describeServer", timeout=10)
    assert desc.status_code == 200
    body = desc.json()
    assert body["availableUserDomains"] == [".test"]
    assert body.get("inviteCodeRequired") is False
