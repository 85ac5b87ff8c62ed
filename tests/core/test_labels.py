"""What labels and the sensitive flag do to a post (core.labels)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from paris_desk.core.labels import LabelAction, blurs_media, label_verdict
from paris_desk.core.model import Author, Media, Network, Post

PHOTO = (Media(url="https://cdn.example/1.jpg", alt="Une photo"),)


def post(labels: tuple[str, ...] = (), *, media: bool = True, sensitive: bool = False) -> Post:
    return Post(uri="at://x/app.bsky.feed.post/1", native_id="1", network=Network.BLUESKY,
                author=Author(handle="x"), created_at=datetime(2026, 6, 1, tzinfo=UTC),
                media=PHOTO if media else (), labels=labels, sensitive=sensitive)


@pytest.mark.parametrize(("labels", "action", "reason"), [
    (("sexual",), LabelAction.BLUR_MEDIA, "sexual"),
    (("nudity",), LabelAction.BLUR_MEDIA, "nudity"),
    (("graphic-media",), LabelAction.BLUR_MEDIA, "graphic-media"),
    (("gore",), LabelAction.BLUR_MEDIA, "gore"),
    (("nudity", "porn"), LabelAction.BLUR_MEDIA, "porn"),  # the strongest reason is given
    (("!warn", "nudity"), LabelAction.WARN, "!warn"),
    (("!warn", "!hide"), LabelAction.HIDE, "!hide"),
])
def test_bluesky_labels(labels: tuple[str, ...], action: LabelAction, reason: str) -> None:
    verdict = label_verdict(post(labels))
    assert verdict is not None and (verdict.action, verdict.reason) == (action, reason)


def test_media_labels_need_media_and_unknown_labels_do_nothing() -> None:
    assert label_verdict(post(("sexual",), media=False)) is None
    assert label_verdict(post(("spam", "bot"))) is None
    assert label_verdict(post(("!hide",), media=False)) is not None


def test_mastodon_sensitive_media_are_blurred() -> None:
    verdict = blurs_media(post(sensitive=True))
    assert verdict is not None and verdict.reason == "sensitive"
    assert blurs_media(post(sensitive=True, media=False)) is None
    assert blurs_media(post(("!warn",), sensitive=True)) is None  # the whole post is collapsed
