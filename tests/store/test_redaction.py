"""Masking secrets in text: known shapes, and secrets registered at run time."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from paris_desk.store.redaction import forget_registered_secrets, redact, register_secret

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkaWQ6cGxjOmFiYyJ9.c2lnbmF0dXJlLXZhbHVl"


@pytest.fixture(autouse=True)
def empty_registry() -> Iterator[None]:
    forget_registered_secrets()
    yield
    forget_registered_secrets()


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Authorization: Bearer abc.DEF-123_xyz", "abc.DEF-123_xyz"),
        (f"session {JWT} refreshed", JWT),
        ("GET /api?access_token=s3cr3t-T0ken&limit=5", "s3cr3t-T0ken"),
        ("form password=hunter2hunter2 sent", "hunter2hunter2"),
        ('{"password": "correct horse"}', "correct"),
        ('{"client_secret":"cs-123456789"}', "cs-123456789"),
        ("app password abcd-efgh-ijkl-mnop refused", "abcd-efgh-ijkl-mnop"),
        ("http://127.0.0.1:5000/callback?code=OAUTHCODE123&state=x", "OAUTHCODE123"),
        ("{'refreshJwt': 'opaque-refresh'}", "opaque-refresh"),
    ],
)
def test_known_secret_shapes_are_masked(text: str, secret: str) -> None:
    masked = redact(text)

    assert secret not in masked
    assert "***" in masked


def test_registered_secrets_are_masked_anywhere() -> None:
    register_secret("opaque-mastodon-token-Zx81")

    assert redact("token opaque-mastodon-token-Zx81 used") == "token *** used"


def test_the_tokens_inside_a_composite_secret_are_registered_too() -> None:
    register_secret('{"client_id": "public-id-1234", "client_secret": "opaque-AAA-123456"}')

    masked = redact("retrying with opaque-AAA-123456 for public-id-1234")

    assert masked == "retrying with *** for public-id-1234"


def test_ordinary_text_is_left_alone() -> None:
    text = "GET /xrpc/app.bsky.feed.getTimeline 200 in 12 ms for ville.bsky.social"
    register_secret("ab")  # too short to be masked safely

    assert redact(text) == text
