"""What a reply starts with (core.mentions): real mentions, the author first, the post's other
people on Mastodon, never the replying account, nobody twice."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from paris_desk.core.mentions import handle_from_profile, reply_mentions, reply_text
from paris_desk.core.model import Author, Network, Post, TextSpan

WHEN = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def post(network: Network, author: str, *mentioned: tuple[str, str]) -> Post:
    spans = [TextSpan("Bonjour ")]
    for text, link in mentioned:
        spans += [TextSpan(text, link, "mention"), TextSpan(" ")]
    return Post(uri="u", native_id="1", network=network, author=Author(author),
                created_at=WHEN, spans=tuple(spans))


def test_a_bluesky_author_is_mentioned_with_an_at_sign() -> None:
    parent = post(Network.BLUESKY, "culture.test", ("@sport.test", "did:plc:sport"))
    assert reply_text(parent, "ville.test") == "@culture.test "  # the author only


def test_mastodon_mentions_the_author_then_the_people_of_the_post() -> None:
    parent = post(Network.MASTODON, "@asso@social.example",
                  ("@marie", "https://piaille.example/@marie"),
                  ("@ville", "https://paris.example/@ville"),
                  ("@velo@quartier.example", "https://quartier.example/users/velo"),
                  ("@marie", "https://piaille.example/@marie"))
    assert reply_mentions(parent, "@ville@paris.example") == [
        "@asso@social.example", "@marie@piaille.example", "@velo@quartier.example"]


def test_mastodon_writes_people_of_the_replying_accounts_server_short() -> None:
    parent = post(Network.MASTODON, "@parcs@paris.example",
                  ("@culture", "https://paris.example/@culture"))
    assert reply_text(parent, "@ville@paris.example") == "@parcs @culture "


def test_a_reply_to_ones_own_post_mentions_nobody() -> None:
    assert reply_text(post(Network.MASTODON, "@ville@paris.example"),
                      "@ville@paris.example") == ""
    assert reply_text(post(Network.BLUESKY, "ville.test"), "ville.test") == ""


@pytest.mark.parametrize(("url", "text", "expected"), [
    ("https://piaille.example/@marie", "@marie", "@marie@piaille.example"),
    ("https://quartier.example/users/velo", "@velo", "@velo@quartier.example"),
    ("http://127.0.0.1:3370/@culture", "@culture", "@culture@127.0.0.1:3370"),
    ("", "@marie@piaille.example", "@marie@piaille.example"),
])
def test_a_mastodon_mention_becomes_a_full_address(url: str, text: str, expected: str) -> None:
    assert handle_from_profile(url, text) == expected
