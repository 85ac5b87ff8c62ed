"""The Bluesky sandbox's AppView side, read through the unmodified atproto SDK: seeded content,
timelines, threads, notifications and moderation state follow the clients' writes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from atproto import Client, Session, models
from atproto.exceptions import BadRequestError
from tid_util import next_tid

from paris_desk.sandbox.bluesky import BlueskySandbox

POST = "app.bsky.feed.post"
REASONS = {"like", "repost", "follow", "mention", "reply", "quote"}


def login(server: BlueskySandbox, index: int = 0) -> Client:
    account = server.accounts[index]
    client = Client(base_url=server.base_url)
    client.login(account["handle"], account["password"], fetch_bsky_profile=False)
    return client


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def whole_timeline(client: Client, limit: int = 37) -> list[models.AppBskyFeedDefs.FeedViewPost]:
    items, cursor = [], None
    while True:
        page = client.get_timeline(cursor=cursor, limit=limit)
        items += page.feed
        cursor = page.cursor
        if not cursor:
            return items


def all_notifications(client: Client) -> list[Any]:
    items, cursor = [], None
    while True:
        page = client.app.bsky.notification.list_notifications({"limit": 100, "cursor": cursor})
        items += page.notifications
        cursor = page.cursor
        if not cursor:
            return items


def sort_time(item: models.AppBskyFeedDefs.FeedViewPost) -> str:
    return item.reason.indexed_at if item.reason else item.post.indexed_at


def all_posts(server: BlueskySandbox) -> list[tuple[str, dict[str, Any]]]:
    return [(a["did"], value) for a in server.accounts + server.authors
            for value in server.records(a["did"], POST).values()]


# -- seed ----------------------------------------------------------------------------------
def test_seed_is_rich_and_deterministic() -> None:
    # How long seeding takes: bench/timeline_bench.py --only core.
    anchor = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    first = BlueskySandbox(seed=3, anchor=anchor)
    second = BlueskySandbox(seed=3, anchor=anchor)
    other = BlueskySandbox(seed=4, anchor=anchor)

    posts = all_posts(first)
    assert len(posts) >= 300
    assert posts == all_posts(second) and posts != all_posts(other)
    assert first.accounts == second.accounts and len(first.accounts) == 2
    for account in first.accounts:
        assert len(account["password"]) == 19 and account["password"].count("-") == 3
    for server in (first, second, other):
        server.stop()


def test_seeded_facets_index_utf8_bytes_and_some_are_broken(
        bluesky_sandbox: BlueskySandbox) -> None:
    handles = {a["did"]: a["handle"] for a in bluesky_sandbox.accounts + bluesky_sandbox.authors}
    checked, broken = 0, set()
    for _, post in all_posts(bluesky_sandbox):
        data = post["text"].encode("utf-8")
        for facet in post.get("facets", []):
            start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
            try:
                span = data[start:end].decode("utf-8") if end <= len(data) else None
            except UnicodeDecodeError:
                span = None
            if span is None:
                broken.add(post["text"])
                continue
            feature = facet["features"][0]
            expected = {"app.bsky.richtext.facet#link": feature.get("uri"),
                        "app.bsky.richtext.facet#tag": "#" + str(feature.get("tag")),
                        "app.bsky.richtext.facet#mention": "@" + handles.get(
                            str(feature.get("did")), "?")}[feature["$type"]]
            assert span == expected
            checked += 1
    assert checked > 300 and len(broken) >= 2


# -- timelines -----------------------------------------------------------------------------
def test_timeline_pages_are_ordered_without_duplicates(bluesky_sandbox: BlueskySandbox) -> None:
    items = whole_timeline(login(bluesky_sandbox))

    keys = [(i.post.uri, i.reason.uri if i.reason else None) for i in items]
    assert len(keys) == len(set(keys)) and len(items) >= 300
    times = [sort_time(i) for i in items]
    assert times == sorted(times, reverse=True)
    assert any(isinstance(i.reason, models.AppBskyFeedDefs.ReasonRepost) for i in items)
    assert any(i.reply and isinstance(i.reply.parent, models.AppBskyFeedDefs.PostView)
               for i in items)
    kinds = {type(i.post.embed) for i in items}
    assert {models.AppBskyEmbedImages.View, models.AppBskyEmbedExternal.View,
            models.AppBskyEmbedRecord.View, models.AppBskyEmbedRecordWithMedia.View} <= kinds
    quote = next(i.post.embed for i in items
                 if isinstance(i.post.embed, models.AppBskyEmbedRecordWithMedia.View))
    assert isinstance(quote.record.record, models.AppBskyEmbedRecord.ViewRecord)
    assert all(image.alt for image in quote.media.images)


def test_views_parse_with_strict_string_formats(bluesky_sandbox: BlueskySandbox) -> None:
    client = login(bluesky_sandbox)
    token = Session.decode(client.export_session_string()).access_jwt
    reply_uri = next(i.post.uri for i in client.get_timeline(limit=100).feed if i.reply)
    calls = [
        ("app.bsky.feed.getTimeline", {"limit": 100}, models.AppBskyFeedGetTimeline.Response),
        ("app.bsky.feed.getPostThread", {"uri": reply_uri},
         models.AppBskyFeedGetPostThread.Response),
        ("app.bsky.notification.listNotifications", {"limit": 100},
         models.AppBskyNotificationListNotifications.Response),
        ("app.bsky.actor.getProfile", {"actor": bluesky_sandbox.accounts[1]["handle"]},
         models.AppBskyActorDefs.ProfileViewDetailed),
        ("app.bsky.feed.getAuthorFeed", {"actor": bluesky_sandbox.accounts[1]["did"]},
         models.AppBskyFeedGetAuthorFeed.Response),
    ]
    for nsid, params, model in calls:
        response = httpx.get(f"{bluesky_sandbox.base_url}/xrpc/{nsid}", params=params,
                             headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, nsid
        model.model_validate(response.json(), context={"strict_string_format": True})


def test_author_feed_filters(bluesky_sandbox: BlueskySandbox) -> None:
    client, city = login(bluesky_sandbox), bluesky_sandbox.accounts[1]["did"]
    media = client.get_author_feed(city, filter="posts_with_media", limit=100).feed
    assert media and all(i.post.author.did == city and i.post.embed for i in media)
    top = client.get_author_feed(city, filter="posts_no_replies", limit=100).feed
    assert top and all(i.post.record.reply is None for i in top if not i.reason)


# -- writes reflected in views -------------------------------------------------------------
def test_like_and_repost_show_in_counts_and_viewer_state(bluesky_sandbox: BlueskySandbox) -> None:
    client, did = login(bluesky_sandbox), bluesky_sandbox.accounts[0]["did"]
    post = next(i.post for i in client.get_timeline(limit=100).feed
                if not i.reason and not i.post.viewer.like and i.post.author.did != did)
    ref = models.create_strong_ref(post)

    like = client.app.bsky.feed.like.create(did, models.AppBskyFeedLike.Record(
        subject=ref, created_at=now_iso()))
    repost = client.app.bsky.feed.repost.create(did, models.AppBskyFeedRepost.Record(
        subject=ref, created_at=now_iso()))
    seen = client.get_posts([post.uri]).posts[0]
    assert (seen.like_count, seen.repost_count) == (post.like_count + 1, post.repost_count + 1)
    assert (seen.viewer.like, seen.viewer.repost) == (like.uri, repost.uri)
    top = client.get_timeline(limit=1).feed[0]
    assert top.post.uri == post.uri and top.reason.by.did == did

    client.app.bsky.feed.like.delete(did, like.uri.rsplit("/", 1)[1])
    after = client.get_posts([post.uri]).posts[0]
    assert after.like_count == post.like_count and after.viewer.like is None


def test_new_post_reaches_followers_and_notifies_the_mentioned(
        bluesky_sandbox: BlueskySandbox) -> None:
    ville, culture = login(bluesky_sandbox, 0), login(bluesky_sandbox, 1)
    ville_did, culture_did = (a["did"] for a in bluesky_sandbox.accounts)
    unread = culture.app.bsky.notification.get_unread_count().count
    text = "Merci @culture pour la Nuit Blanche !"
    mention = models.AppBskyRichtextFacet.Main(
        index=models.AppBskyRichtextFacet.ByteSlice(byte_start=6, byte_end=14),
        features=[models.AppBskyRichtextFacet.Mention(did=culture_did)])
    created = ville.app.bsky.feed.post.create(ville_did, models.AppBskyFeedPost.Record(
        text=text, facets=[mention], created_at=now_iso(), langs=["fr"]), rkey=next_tid())

    assert culture.get_timeline(limit=1).feed[0].post.uri == created.uri
    newest = culture.app.bsky.notification.list_notifications({"limit": 1}).notifications[0]
    assert (newest.reason, newest.uri, newest.author.did) == ("mention", created.uri, ville_did)
    assert culture.app.bsky.notification.get_unread_count().count == unread + 1


def test_reply_notifies_its_parent_and_joins_the_thread(bluesky_sandbox: BlueskySandbox) -> None:
    ville, culture = login(bluesky_sandbox, 0), login(bluesky_sandbox, 1)
    ville_did, culture_did = (a["did"] for a in bluesky_sandbox.accounts)
    parent = ville.get_author_feed(ville_did, filter="posts_no_replies", limit=5).feed[0].post
    ref = models.create_strong_ref(parent)
    reply = culture.app.bsky.feed.post.create(culture_did, models.AppBskyFeedPost.Record(
        text="On relaie !", created_at=now_iso(),
        reply=models.AppBskyFeedPost.ReplyRef(root=ref, parent=ref)), rkey=next_tid())

    newest = ville.app.bsky.notification.list_notifications({"limit": 1}).notifications[0]
    assert (newest.reason, newest.uri, newest.reason_subject) == ("reply", reply.uri, parent.uri)
    thread = ville.get_post_thread(parent.uri).thread
    assert thread.post.reply_count == parent.reply_count + 1
    assert reply.uri in {r.post.uri for r in thread.replies}


def test_thread_shows_the_parent_chain_and_replies(bluesky_sandbox: BlueskySandbox) -> None:
    client = login(bluesky_sandbox)
    posts = {f"at://{did}/{POST}/{rkey}": value for a in bluesky_sandbox.accounts
             + bluesky_sandbox.authors for did in [a["did"]]
             for rkey, value in bluesky_sandbox.records(did, POST).items()}
    deep = next(uri for uri, value in posts.items()
                if "reply" in value and "reply" in posts[value["reply"]["parent"]["uri"]])

    thread = client.get_post_thread(deep).thread
    chain = []
    node = thread.parent
    while node is not None:
        chain.append(node.post.uri)
        node = node.parent
    assert chain[0] == posts[deep]["reply"]["parent"]["uri"]
    assert chain[-1] == posts[deep]["reply"]["root"]["uri"] and len(chain) >= 2
    parent_thread = client.get_post_thread(chain[0]).thread
    assert deep in {r.post.uri for r in parent_thread.replies}

    with pytest.raises(BadRequestError) as exc:
        client.get_post_thread(deep.rsplit("/", 1)[0] + "/" + next_tid())
    assert exc.value.response.content.error == "NotFound"


# -- notifications -------------------------------------------------------------------------
def test_notifications_cover_every_reason_and_follow_seen_at(
        bluesky_sandbox: BlueskySandbox) -> None:
    client, did = login(bluesky_sandbox, 0), bluesky_sandbox.accounts[0]["did"]
    items = all_notifications(client)
    assert len(items) >= 60 and {n.reason for n in items} >= REASONS
    assert all(n.reason_subject for n in items if n.reason in {"like", "repost", "reply", "quote"})
    days = {n.indexed_at[:10] for n in items}
    assert len(days) >= 5

    seen = bluesky_sandbox.seen_at(did)
    assert seen is not None
    assert all(n.is_read == (datetime.fromisoformat(n.indexed_at) < seen) for n in items)
    unread = [n for n in items if not n.is_read]
    assert unread and client.app.bsky.notification.get_unread_count().count == len(unread)

    client.app.bsky.notification.update_seen({"seen_at": now_iso()})
    assert client.app.bsky.notification.get_unread_count().count == 0
    assert all(n.is_read for n in all_notifications(client))
    assert bluesky_sandbox.seen_at(did) > seen


def test_never_seen_account_marks_only_the_newest_unread(bluesky_sandbox: BlueskySandbox) -> None:
    client = login(bluesky_sandbox, 1)
    page = client.app.bsky.notification.list_notifications({"limit": 30})
    assert [n.is_read for n in page.notifications[:2]] == [False, True]
    assert all(n.is_read for n in page.notifications[1:])
    assert client.app.bsky.notification.get_unread_count().count == len(all_notifications(client))


# -- moderation ----------------------------------------------------------------------------
def test_block_record_and_mute_hide_an_author(bluesky_sandbox: BlueskySandbox) -> None:
    client, did = login(bluesky_sandbox), bluesky_sandbox.accounts[0]["did"]
    author = next(i.post.author.did for i in client.get_timeline(limit=50).feed
                  if i.post.author.did not in {a["did"] for a in bluesky_sandbox.accounts})

    block = client.app.bsky.graph.block.create(did, models.AppBskyGraphBlock.Record(
        subject=author, created_at=now_iso()))
    assert client.get_profile(author).viewer.blocking == block.uri
    assert bluesky_sandbox.blocks[did][author] == block.uri
    assert author not in {i.post.author.did for i in whole_timeline(client, 100)}
    client.app.bsky.graph.block.delete(did, block.uri.rsplit("/", 1)[1])
    assert client.get_profile(author).viewer.blocking is None

    client.mute(author)
    assert author in bluesky_sandbox.mutes[did] and client.get_profile(author).viewer.muted
    assert author not in {n.author.did for n in all_notifications(client)}
    client.unmute(author)
    assert not client.get_profile(author).viewer.muted


def test_report_is_recorded(bluesky_sandbox: BlueskySandbox) -> None:
    client, did = login(bluesky_sandbox), bluesky_sandbox.accounts[0]["did"]
    post = client.get_timeline(limit=1).feed[0].post
    before = datetime.now(UTC).replace(microsecond=0)  # the server writes milliseconds only
    report = client.com.atproto.moderation.create_report({
        "reason_type": "com.atproto.moderation.defs#reasonSpam",
        "subject": models.create_strong_ref(post), "reason": "Publicité répétée"})
    assert report.reported_by == did and report.subject.uri == post.uri
    assert bluesky_sandbox.reports[-1]["reason"] == "Publicité répétée"
    assert before <= datetime.fromisoformat(report.created_at) <= datetime.now(UTC)
