"""Post <-> JSON: what is stored comes back identical."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from paris_desk.core.model import Author, Network, Notification, NotificationKind, Post
from paris_desk.store.codec import (
    CodecError,
    from_dict,
    notification_from_json,
    notification_to_json,
    post_from_json,
    post_to_json,
    to_dict,
)


def test_a_full_post_round_trips_exactly(make_post: Callable[..., Post]) -> None:
    post = make_post()

    back = post_from_json(post_to_json(post))

    assert back == post
    assert back.created_at.utcoffset() == timedelta(hours=2)
    assert back.quote is not None and back.quote.media[0].alt == "Bassin vide"
    assert isinstance(back.spans, tuple) and isinstance(back.seen_by, tuple)
    assert back.network is Network.MASTODON


def test_a_minimal_post_round_trips(small_post: Post) -> None:
    post = small_post

    assert post_from_json(post_to_json(post)) == post


def test_json_is_plain_and_readable(make_post: Callable[..., Post]) -> None:
    data = json.loads(post_to_json(make_post()))

    assert data["created_at"] == "2026-06-02T14:00:00+02:00"
    assert data["network"] == "mastodon"
    assert data["quote"]["author"]["handle"] == "mairie.bsky.social"
    assert data["text"].startswith("Hôtel")


def test_a_notification_round_trips(small_post: Post) -> None:
    notification = Notification(
        id="n1",
        account_id="bluesky:ville.bsky.social",
        kind=NotificationKind.QUOTE,
        author=Author(handle="habitant.bsky.social"),
        created_at=datetime(2026, 6, 3, tzinfo=UTC),
        post=small_post,
        unread=False,
        network=Network.BLUESKY,
    )

    assert notification_from_json(notification_to_json(notification)) == notification


def test_a_row_written_before_a_field_existed_gets_its_default(small_post: Post) -> None:
    data = to_dict(small_post)
    del data["like_count"], data["seen_by"]

    post = from_dict(Post, data)

    assert post.like_count == 0
    assert post.seen_by == ()


def test_a_bad_value_names_its_field(make_post: Callable[..., Post]) -> None:
    data = to_dict(make_post())
    data["quote"]["author"]["handle"] = 42

    with pytest.raises(CodecError) as info:
        from_dict(Post, data)

    assert info.value.path == "Post.quote.author.handle"


def test_a_bad_date_or_enum_names_its_field(make_post: Callable[..., Post]) -> None:
    data = to_dict(make_post())
    data["created_at"] = "yesterday"
    with pytest.raises(CodecError, match=r"Post\.created_at"):
        from_dict(Post, data)

    data = to_dict(make_post())
    data["network"] = "myspace"
    with pytest.raises(CodecError, match=r"Post\.network"):
        from_dict(Post, data)
