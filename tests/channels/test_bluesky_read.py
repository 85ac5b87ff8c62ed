"""Reading and reacting, over HTTP against the Bluesky sandbox: timeline pages, notifications,
threads, likes, reposts, deletion."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from paris_desk.channels import bluesky
from paris_desk.core.errors import NotFound, Rejected
from paris_desk.core.model import NotificationKind, Post

LIKE = "app.bsky.feed.like"
REPOST = "app.bsky.feed.repost"
POST = "app.bsky.feed.post"


@pytest.fixture
def ville(bluesky_sandbox: Any) -> dict[str, str]:
    account: dict[str, str] = bluesky_sandbox.accounts[0]
    return account


@pytest.fixture
def channel(bluesky_sandbox: Any, ville: dict[str, str]) -> bluesky.BlueskyChannel:
    account, secret = bluesky.login(ville["handle"], ville["password"],
                                    service=bluesky_sandbox.base_url)
    return bluesky.restore(account, secret, lambda s: None)


def all_pages(channel: bluesky.BlueskyChannel, limit: int) -> tuple[list[Post], int]:
    posts: list[Post] = []
    cursor, pages = None, 0
    while True:
        page = channel.home_timeline(cursor, limit=limit)
        posts.extend(page.items)
        pages += 1
        cursor = page.cursor
        if cursor is None or pages > 100:
            return posts, pages


def test_timeline_pages_follow_each_other_to_the_end(channel: bluesky.BlueskyChannel) -> None:
    posts, pages = all_pages(channel, limit=25)
    assert 2 < pages < 100
    keys = [(p.uri, p.repost_by.handle if p.repost_by else "") for p in posts]
    assert len(keys) == len(set(keys))
    times = [p.sort_time for p in posts]
    assert times == sorted(times, reverse=True)
    first = channel.home_timeline(limit=25)
    assert [p.uri for p in first.items] == [p.uri for p in posts[:len(first.items)]]


def test_timeline_items_are_complete(channel: bluesky.BlueskyChannel) -> None:
    posts, _ = all_pages(channel, limit=100)
    reposts = [p for p in posts if p.repost_by is not None]
    assert reposts and all(p.repost_created_at and p.repost_created_at >= p.created_at
                           for p in reposts)
    replies = [p for p in posts if p.reply_to_uri]
    assert replies and all(p.reply_root_uri and p.reply_root_cid and p.reply_parent_cid
                           for p in replies)
    assert any(p.reply_to_handle for p in replies)
    assert any(p.quote is not None and p.quote.text for p in posts)
    assert any(m.url and m.alt for p in posts for m in p.media)
    for post in posts:
        assert "".join(s.text for s in post.spans) == post.text
        assert post.url.startswith("https://bsky.app/profile/") and post.cid


def test_notifications_with_their_posts(channel: bluesky.BlueskyChannel,
                                        ville: dict[str, str]) -> None:
    page = channel.notifications(limit=100)
    older = channel.notifications(page.cursor, limit=100)
    assert not {n.id for n in older.items} & {n.id for n in page.items}
    both = page.items + older.items
    kinds = {n.kind for n in both}
    assert {NotificationKind.LIKE, NotificationKind.FOLLOW, NotificationKind.MENTION,
            NotificationKind.REPLY, NotificationKind.QUOTE, NotificationKind.REPOST} <= kinds
    for n in both:
        if n.kind in (NotificationKind.MENTION, NotificationKind.REPLY, NotificationKind.QUOTE):
            assert n.post is not None and n.post.uri == n.id
        if n.kind in (NotificationKind.LIKE, NotificationKind.REPOST):
            assert n.subject_uri.startswith(f"at://{ville['did']}/{POST}/")
            assert n.post is not None and n.post.uri == n.subject_uri
    assert any(n.unread for n in page.items) and not all(n.unread for n in page.items)


def test_mark_notifications_read(bluesky_sandbox: Any, channel: bluesky.BlueskyChannel,
                                 ville: dict[str, str]) -> None:
    newest = channel.notifications(limit=10).items[0]
    channel.mark_notifications_read(newest)
    assert bluesky_sandbox.seen_at(ville["did"]) >= newest.created_at
    assert not any(n.unread for n in channel.notifications(limit=50).items)


def test_thread_of_a_reply(channel: bluesky.BlueskyChannel) -> None:
    posts, _ = all_pages(channel, limit=100)
    reply = next(p for p in posts if p.reply_to_uri and p.reply_root_uri != p.reply_to_uri)
    thread = channel.thread(reply)
    assert thread.post.uri == reply.uri
    assert thread.ancestors[0].uri == reply.reply_root_uri
    assert thread.ancestors[-1].uri == reply.reply_to_uri
    root_thread = channel.thread(thread.ancestors[0])
    assert reply.uri in [p.uri for p in root_thread.replies]


def test_thread_of_a_missing_post(channel: bluesky.BlueskyChannel, ville: dict[str, str]) -> None:
    post = channel.home_timeline(limit=1).items[0]
    gone = replace(post, uri=f"at://{ville['did']}/{POST}/3kzzzzzzzzz22")
    with pytest.raises(NotFound):
        channel.thread(gone)


def first_unliked(channel: bluesky.BlueskyChannel, ville: dict[str, str]) -> Post:
    return next(p for p in channel.home_timeline(limit=50).items
                if not p.liked and not p.reposted and p.author.user_id != ville["did"])


def test_like_then_unlike(bluesky_sandbox: Any, channel: bluesky.BlueskyChannel,
                          ville: dict[str, str]) -> None:
    post = first_unliked(channel, ville)
    liked = channel.like(post)
    assert liked.liked and liked.like_count == post.like_count + 1
    likes = [r for r in bluesky_sandbox.records(ville["did"], LIKE).values()
             if r["subject"]["uri"] == post.uri]
    assert len(likes) == 1 and likes[0]["subject"]["cid"] == post.cid
    assert channel.like(liked) == liked  # already liked: no second record
    again = next(p for p in channel.home_timeline(limit=50).items if p.uri == post.uri)
    assert again.liked
    unliked = channel.unlike(liked)
    assert not unliked.liked and unliked.like_count == post.like_count
    assert not [r for r in bluesky_sandbox.records(ville["did"], LIKE).values()
                if r["subject"]["uri"] == post.uri]


def test_unlike_a_post_liked_elsewhere(bluesky_sandbox: Any, channel: bluesky.BlueskyChannel,
                                       ville: dict[str, str]) -> None:
    post = first_unliked(channel, ville)
    channel.like(post)
    account, secret = bluesky.login(ville["handle"], ville["password"],
                                    service=bluesky_sandbox.base_url)
    other_session = bluesky.restore(account, secret, lambda s: None)
    seen = next(p for p in other_session.home_timeline(limit=50).items if p.uri == post.uri)
    other_session.unlike(seen)
    assert not [r for r in bluesky_sandbox.records(ville["did"], LIKE).values()
                if r["subject"]["uri"] == post.uri]


def test_repost_then_unrepost(bluesky_sandbox: Any, channel: bluesky.BlueskyChannel,
                              ville: dict[str, str]) -> None:
    post = first_unliked(channel, ville)
    reposted = channel.repost(post)
    assert reposted.reposted and reposted.repost_count == post.repost_count + 1
    top = channel.home_timeline(limit=5).items[0]
    assert top.uri == post.uri and top.repost_by is not None
    assert top.repost_by.handle == ville["handle"]
    channel.unrepost(reposted)
    assert not [r for r in bluesky_sandbox.records(ville["did"], REPOST).values()
                if r["subject"]["uri"] == post.uri]


def test_delete_own_post_only(bluesky_sandbox: Any, channel: bluesky.BlueskyChannel,
                              ville: dict[str, str]) -> None:
    posts = channel.home_timeline(limit=100).items
    mine = next(p for p in posts if p.author.user_id == ville["did"] and p.repost_by is None)
    theirs = next(p for p in posts if p.author.user_id != ville["did"])
    with pytest.raises(Rejected):
        channel.delete(theirs)
    channel.delete(mine)
    assert mine.uri.rsplit("/", 1)[1] not in bluesky_sandbox.records(ville["did"], POST)
    assert mine.uri not in [p.uri for p in channel.home_timeline(limit=100).items]


def test_resolve_is_identity(channel: bluesky.BlueskyChannel) -> None:
    post = channel.home_timeline(limit=1).items[0]
    assert channel.resolve(post) is post
