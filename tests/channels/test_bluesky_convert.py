"""AppView JSON → core values, on fixtures shaped like the lexicons' views (app.bsky.feed.defs,
app.bsky.embed.*, app.bsky.notification.listNotifications), as ``json.loads`` gives them to the
converters in a call (``xrpc``). Each fixture also passes the SDK's strict validation, so its
shape is the lexicons'."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from atproto_client import models
from atproto_client.models.utils import get_or_create

from paris_desk.channels.bluesky import convert
from paris_desk.core.model import Network, NotificationKind, Post

FIXTURES = Path(__file__).parent.parent / "fixtures" / "bluesky"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("name", "model"), [
    ("timeline.json", models.AppBskyFeedGetTimeline.Response),
    ("notifications.json", models.AppBskyNotificationListNotifications.Response),
    ("notification_posts.json", models.AppBskyFeedGetPosts.Response),
    ("thread.json", models.AppBskyFeedGetPostThread.Response),
])
def test_fixtures_have_the_lexicons_shape(name: str, model: Any) -> None:
    assert get_or_create(load(name), model, strict=True) is not None


@pytest.fixture(scope="module")
def timeline() -> list[Post]:
    return convert.posts_from_feed(load("timeline.json")["feed"])


def by_rkey(posts: list[Post], rkey: str) -> Post:
    return next(p for p in posts if p.uri.endswith("/" + rkey))


def linked(post: Post) -> list[tuple[str, str, str]]:
    return [(s.text, s.kind, s.link) for s in post.spans if s.link]


def test_facets_on_accented_text_become_spans_and_html(timeline: list[Post]) -> None:
    post = by_rkey(timeline, "3lf2aaaaaaa2a")
    assert "".join(s.text for s in post.spans) == post.text
    assert linked(post) == [
        ("https://www.paris.fr/pages/fete-de-la-musique", "link",
         "https://www.paris.fr/pages/fete-de-la-musique"),
        ("@marie.dupont.bsky.social", "mention", "did:plc:md7u2pq4hx6ntl3yzk5owe2a"),
        ("#FêteDeLaMusique", "tag", "FêteDeLaMusique"),
    ]
    assert post.html.startswith("Fête de la musique ce soir à République 🎶 Programme : <a href=")
    assert '<a href="https://bsky.app/profile/did:plc:md7u2pq4hx6ntl3yzk5owe2a">@marie' in post.html
    assert '<a href="https://bsky.app/hashtag/FêteDeLaMusique">#FêteDeLaMusique</a>' in post.html


def test_post_identity_counts_and_viewer_state(timeline: list[Post]) -> None:
    post = by_rkey(timeline, "3lf2aaaaaaa2a")
    assert post.network is Network.BLUESKY
    assert post.uri == post.native_id == (
        "at://did:plc:vl3m6xq2f4kz7rjtpe5cbwna/app.bsky.feed.post/3lf2aaaaaaa2a")
    assert post.url == "https://bsky.app/profile/ville.bsky.social/post/3lf2aaaaaaa2a"
    assert post.cid.startswith("bafyrei")
    assert post.author.handle == "ville.bsky.social"
    assert post.author.display_name == "Ville de Paris"
    assert post.author.user_id == "did:plc:vl3m6xq2f4kz7rjtpe5cbwna"
    assert (post.reply_count, post.repost_count, post.like_count) == (2, 5, 40)
    assert post.liked and not post.reposted
    assert post.language == "fr"
    assert post.created_at == datetime(2026, 6, 21, 16, 0, 1, 234000, tzinfo=UTC)


def test_repost_is_the_original_post_with_who_reposted_it(timeline: list[Post]) -> None:
    post = by_rkey(timeline, "3lezzzzzzzz2b")
    assert post.author.handle == "culture.bsky.social"
    assert post.repost_by is not None and post.repost_by.handle == "ville.bsky.social"
    assert post.repost_created_at == datetime(2026, 6, 21, 15, 30, tzinfo=UTC)
    assert post.sort_time == post.repost_created_at
    assert post.reposted


def test_images_keep_fullsize_thumb_alt_and_aspect_ratio(timeline: list[Post]) -> None:
    first, second = by_rkey(timeline, "3lezzzzzzzz2b").media
    assert first.url.startswith("https://cdn.bsky.app/img/feed_fullsize/")
    assert first.preview_url.startswith("https://cdn.bsky.app/img/feed_thumbnail/")
    assert (first.alt, first.kind, first.width, first.height) == (
        "Bassin olympique vide le matin", "image", 1600, 900)
    assert (second.alt, second.width, second.height) == ("", 0, 0)


def test_reply_carries_parent_handle_and_root_parent_refs(timeline: list[Post]) -> None:
    post = by_rkey(timeline, "3lereply2aaa2")
    assert post.reply_to_uri.endswith("/3leparent2aa2")
    assert post.reply_to_handle == "karim.benali.bsky.social"
    assert post.reply_parent_cid.startswith("bafyreiparent")
    assert post.reply_root_uri.endswith("/3leroot2aaaa2")
    assert post.reply_root_cid.startswith("bafyreiroot")


def test_quote_with_media_gives_both(timeline: list[Post]) -> None:
    post = by_rkey(timeline, "3lequote2aaa2")
    assert post.quote is not None
    assert post.quote.text == "Ouverture des bibliothèques le dimanche 📚"
    assert post.quote.author.handle == "bibliotheques.paris.fr"
    assert post.quote.like_count == 7
    assert post.quote.url == "https://bsky.app/profile/bibliotheques.paris.fr/post/3lequoted2aa2"
    assert [(m.alt, m.width, m.height) for m in post.media] == [("Salle de lecture", 4, 3)]


def test_external_embed_is_a_link_card(timeline: list[Post]) -> None:
    card = by_rkey(timeline, "3lecard2aaaa2").card
    assert card is not None
    assert card.url == "https://budgetparticipatif.paris.fr/bp/"
    assert (card.title, card.description) == ("Budget participatif", "Votez pour vos projets")
    assert card.image_url.startswith("https://cdn.bsky.app/img/feed_thumbnail/")


def test_bad_facets_are_dropped_one_by_one(timeline: list[Post]) -> None:
    post = by_rkey(timeline, "3lebadfacet22")
    assert post.text == "Réunion publique à l'Hôtel de Ville : https://paris.fr/reunion"
    assert "".join(s.text for s in post.spans) == post.text
    assert linked(post) == [("https://paris.fr/reunion", "link", "https://paris.fr/reunion")]
    assert "javascript" not in post.html and "evil.example" not in post.html


def test_record_the_sdk_cannot_validate_is_still_shown(timeline: list[Post]) -> None:
    post = by_rkey(timeline, "3lenegative22")
    assert post.text == "Qualité de l'air dégradée aujourd'hui."
    assert linked(post) == []
    assert post.html == "Qualité de l'air dégradée aujourd'hui."


def test_text_content_warning_line_is_read_back(timeline: list[Post]) -> None:
    post = by_rkey(timeline, "3lecwtext2aa2")
    assert post.content_warning == "accident grave"
    assert post.text == "Circulation coupée boulevard Voltaire #Trafic"
    assert linked(post) == [("#Trafic", "tag", "Trafic")]


def test_self_label_is_a_content_warning_and_deleted_quote_is_dropped(
        timeline: list[Post]) -> None:
    post = by_rkey(timeline, "3lelabel2aaa2")
    assert post.content_warning == "graphic-media"
    assert post.quote is None
    assert [m.alt for m in post.media] == ["Façade noircie"]


def test_html_escapes_markup() -> None:
    spans = convert.spans_from_facets("<b>Tom & Jerry</b>\nfin", [])
    assert convert.html_from_spans(spans) == "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;<br>fin"


@pytest.mark.parametrize(("raw", "expected"), [
    ("2026-06-21T16:00:01.234Z", datetime(2026, 6, 21, 16, 0, 1, 234000, tzinfo=UTC)),
    ("2026-06-21T18:00:00+02:00", datetime(2026, 6, 21, 16, 0, tzinfo=UTC)),
    ("2026-06-21T16:00:00", datetime(2026, 6, 21, 16, 0, tzinfo=UTC)),
    ("hier soir", datetime(1970, 1, 1, tzinfo=UTC)),
])
def test_parse_datetime(raw: str, expected: datetime) -> None:
    assert convert.parse_datetime(raw) == expected


# -- notifications ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def notifications() -> list[Any]:
    response = load("notifications.json")
    posts = load("notification_posts.json")
    by_uri = {view["uri"]: convert.post_from_view(view) for view in posts["posts"]}
    return [convert.notification_from_view(n, by_uri, "bluesky:ville.bsky.social")
            for n in response["notifications"]]


def test_notification_kinds_and_unread(notifications: list[Any]) -> None:
    assert [(n.kind, n.unread) for n in notifications] == [
        (NotificationKind.QUOTE, True), (NotificationKind.REPLY, True),
        (NotificationKind.MENTION, True), (NotificationKind.FOLLOW, False),
        (NotificationKind.REPOST, False), (NotificationKind.LIKE, False),
        (NotificationKind.OTHER, False),
    ]
    assert all(n.network is Network.BLUESKY for n in notifications)
    assert all(n.account_id == "bluesky:ville.bsky.social" for n in notifications)


def test_mention_reply_quote_carry_their_post(notifications: list[Any]) -> None:
    quote, reply, mention = notifications[:3]
    assert quote.post.text == "À ne pas manquer" and quote.post.uri == quote.id
    assert reply.post.reply_to_uri.endswith("/3lf2aaaaaaa2a")
    assert mention.author.handle == "bibliotheques.paris.fr"
    assert [s.kind for s in mention.post.spans if s.link] == ["mention"]


def test_like_and_repost_name_the_liked_post(notifications: list[Any]) -> None:
    follow, repost, like = notifications[3:6]
    mine = "at://did:plc:vl3m6xq2f4kz7rjtpe5cbwna/app.bsky.feed.post/3lf2aaaaaaa2a"
    assert like.subject_uri == repost.subject_uri == mine
    assert like.post is not None and like.post.uri == mine
    assert follow.post is None and follow.subject_uri == ""
    assert like.author.display_name == "Karim Benali"


def test_notification_time_keeps_microseconds(notifications: list[Any]) -> None:
    assert notifications[0].created_at == datetime(2026, 6, 21, 17, 5, 0, 123456, tzinfo=UTC)


# -- threads ---------------------------------------------------------------------------------
def test_thread_ancestors_and_flattened_replies() -> None:
    thread = convert.thread_from_view(load("thread.json")["thread"])
    assert [p.uri.rsplit("/", 1)[1] for p in thread.ancestors] == ["3leroot2aaaa2",
                                                                    "3leparent2aa2"]
    assert thread.ancestors[1].reply_to_handle == "ville.bsky.social"
    assert thread.post.reply_to_handle == "karim.benali.bsky.social"
    assert [p.text for p in thread.replies] == ["Merci !", "Parfait.", "Et le dimanche ?"]
    assert thread.replies[1].reply_to_handle == "marie.dupont.bsky.social"


# -- JSON that is not what the lexicons say ---------------------------------------------------
def test_mistyped_fields_give_empty_values_never_an_exception() -> None:
    odd_view = {
        "uri": "at://did:plc:x/app.bsky.feed.post/3lodd2aaaaaa2", "cid": 7, "author": [],
        "record": {"text": 5, "langs": "fr", "reply": "x", "labels": [1], "facets": [
            {"index": {"byteStart": 0, "byteEnd": 1}, "features": [{"$type": ["x"]}, 3]}]},
        "embed": {"$type": "app.bsky.embed.images#view", "images": "x"},
        "labels": [1, {"val": 2}], "viewer": [], "likeCount": "12", "indexedAt": None,
    }
    feed = [None, 1, {"post": "x"}, {"post": {}}, {"post": odd_view, "reply": [],
                                                 "reason": {"$type": 3}}]
    (post,) = convert.posts_from_feed(feed)
    assert (post.text, post.cid, post.author.handle, post.like_count) == ("", "", "", 0)
    assert (post.media, post.labels, post.language, post.reply_to_uri) == ((), (), "", "")
    assert convert.posts_from_feed({"feed": "x"}) == []
    notification = convert.notification_from_view(
        {"uri": "at://n", "reason": ["like"], "author": "x", "isRead": "no"}, {}, "a")
    assert notification.kind is NotificationKind.OTHER and notification.post is None
    thread = convert.thread_from_view({"post": odd_view, "parent": [], "replies": {"a": 1}})
    assert thread.post.uri == odd_view["uri"] and thread.ancestors == thread.replies == ()
