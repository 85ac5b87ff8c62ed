"""Posts with every kind of field filled, for the codec and cache tests (as fixtures, so no
test module imports another)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest

from paris_desk.core.model import Author, LinkCard, Media, Network, Post, TextSpan

PARIS_SUMMER = timezone(timedelta(hours=2))


def quoted_post() -> Post:
    return Post(
        uri="at://did:plc:abc/app.bsky.feed.post/3kquoted",
        native_id="at://did:plc:abc/app.bsky.feed.post/3kquoted",
        network=Network.BLUESKY,
        author=Author(handle="mairie.bsky.social", display_name="Mairie", user_id="did:plc:abc"),
        created_at=datetime(2026, 6, 1, 8, 30, 0, 123456, tzinfo=UTC),
        text="Fermeture de la piscine 🏊‍♀️ jusqu'à lundi",
        cid="bafyquoted",
        media=(Media(url="https://cdn.example/a.jpg", alt="Bassin vide", width=800, height=600),),
    )


def full_post(uri: str = "https://paris.social/users/ville/statuses/1", **changes: object) -> Post:
    post = Post(
        uri=uri,
        native_id="110000000000000001",
        network=Network.MASTODON,
        author=Author(
            handle="@ville@paris.social",
            display_name="Ville de Paris",
            avatar_url="https://paris.social/a.png",
            user_id="1",
            url="https://paris.social/@ville",
        ),
        created_at=datetime(2026, 6, 2, 14, 0, tzinfo=PARIS_SUMMER),
        text="Hôtel de Ville : ouverture 🇫🇷 #Paris",
        html='<p>Hôtel de Ville : ouverture 🇫🇷 <a href="https://paris.social/tags/paris">#Paris</a></p>',
        spans=(
            TextSpan("Hôtel de Ville : ouverture 🇫🇷 "),
            TextSpan("#Paris", link="https://paris.social/tags/paris", kind="tag"),
        ),
        url="https://paris.social/@ville/1",
        media=(
            Media(
                url="https://paris.social/m/1.png", alt="Façade", kind="image", width=1, height=2
            ),
            Media(url="https://paris.social/m/2.mp4", kind="video", preview_url="https://p/2.png"),
        ),
        card=LinkCard(url="https://www.paris.fr", title="Paris.fr", description="Le site"),
        content_warning="Travaux",
        language="fr",
        reply_count=3,
        repost_count=4,
        like_count=5,
        liked=True,
        reply_to_uri="https://paris.social/users/x/statuses/0",
        reply_to_handle="@x@paris.social",
        quote=quoted_post(),
        repost_by=Author(handle="@culture@paris.social"),
        repost_created_at=datetime(2026, 6, 2, 15, 0, tzinfo=UTC),
        seen_by=("mastodon:@a@paris.social", "mastodon:@b@paris.social"),
    )
    return post if not changes else _replace(post, changes)


def _replace(post: Post, changes: dict[str, object]) -> Post:
    from dataclasses import replace

    return replace(post, **changes)  # type: ignore[arg-type]


@pytest.fixture
def make_post() -> Callable[..., Post]:
    """``make_post(uri=..., **field_changes)``: a post with every field set."""
    return full_post


@pytest.fixture
def small_post() -> Post:
    return quoted_post()
