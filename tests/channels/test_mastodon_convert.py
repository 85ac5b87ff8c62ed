"""Converters on real Mastodon API JSON (tests/fixtures/mastodon, shapes from the 4.3–4.5
serializers), both raw and as Mastodon.py hands them over (AttribAccessDict, datetimes)."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from mastodon.return_types import Notification as MastodonNotification
from mastodon.return_types import Status
from mastodon.types_base import try_cast

from paris_desk.channels.mastodon import (
    ConversionError,
    limits_from_instance,
    notification_from,
    post_from_status,
)
from paris_desk.core.model import NotificationKind, TextSpan

FIXTURES = Path(__file__).parent.parent / "fixtures" / "mastodon"
VILLE = "mastodon:@ville@mastodon.social"
VILLE_USER_ID = "109000000000000001"


def load(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(params=["raw", "mastodon.py"])
def as_sdk(request: pytest.FixtureRequest) -> Any:
    """The same JSON raw, or cast by Mastodon.py as the client receives it."""
    if request.param == "raw":
        return lambda data, _kind=Status: data
    return lambda data, kind=Status: try_cast(kind, copy.deepcopy(data))


def test_local_status_with_link_image_and_card(as_sdk: Any) -> None:
    post = post_from_status(as_sdk(load("status_link_image")), VILLE)

    assert post.uri == "https://mastodon.social/users/ville/statuses/113500000000000001"
    assert post.native_id == "113500000000000001"
    assert post.created_at == datetime(2025, 6, 12, 8, 30, tzinfo=UTC)
    assert post.created_at.utcoffset() is not None
    assert post.author.handle == "@ville@mastodon.social"
    assert post.author.display_name == "Ville de Paris"
    assert post.language == "fr"
    assert (post.reply_count, post.repost_count, post.like_count) == (3, 12, 40)
    assert post.liked and not post.reposted
    assert post.seen_by == (VILLE,)
    assert post.origin_account == VILLE
    (image,) = post.media
    assert image.alt == "Affiche de la Fête de la musique : une guitare sur fond orange."
    assert (image.kind, image.width, image.height) == ("image", 1200, 800)
    assert post.card is not None
    assert post.card.title == "Fête de la musique 2025"
    assert post.card.image_url.endswith("fete.jpg")


def test_link_text_is_full_but_display_is_shortened(as_sdk: Any) -> None:
    post = post_from_status(as_sdk(load("status_link_image")), VILLE)
    url = "https://www.paris.fr/evenements/fete-de-la-musique-2025"

    assert url in post.text  # search, CLI, screen readers get the whole address
    assert "https://www." not in post.html.replace(f'href="{url}"', "")  # invisible span gone
    assert "paris.fr/evenements/fete-de-la</span>…</a>" in post.html
    assert post.text.endswith("Merci @culture et @marie !\nRendez-vous à 14 h.")
    assert "\n\nMerci" in post.text  # paragraphs become a blank line


def test_spans_cover_the_text_with_links_mentions_and_tags(as_sdk: Any) -> None:
    post = post_from_status(as_sdk(load("status_link_image")), VILLE)

    assert "".join(span.text for span in post.spans) == post.text
    kinds = [(s.kind, s.text, s.link) for s in post.spans if s.kind != "text"]
    assert kinds == [
        (
            "link",
            "https://www.paris.fr/evenements/fete-de-la-musique-2025",
            "https://www.paris.fr/evenements/fete-de-la-musique-2025",
        ),
        ("tag", "#FeteDeLaMusique", "https://mastodon.social/tags/FeteDeLaMusique"),
        ("mention", "@culture", "https://mastodon.social/@culture"),
        ("mention", "@marie", "https://piaille.fr/@marie"),
    ]


def test_reblog_is_the_original_with_the_booster(as_sdk: Any) -> None:
    post = post_from_status(as_sdk(load("status_reblog_cw_video")), VILLE)

    assert post.uri == "https://piaille.fr/users/marie/statuses/113499999000000010"
    assert post.native_id == "113499999000000010"
    assert post.author.handle == "@marie@piaille.fr"
    assert post.repost_by is not None
    assert post.repost_by.handle == "@culture@mastodon.social"
    assert post.repost_created_at == datetime(2025, 6, 12, 9, 0, tzinfo=UTC)
    assert post.sort_time == post.repost_created_at
    assert post.content_warning == "Travaux, bruit"
    (video,) = post.media
    assert video.kind == "video"
    assert video.url == "https://piaille.fr/system/media_attachments/files/chantier.mp4"
    assert video.alt == "Une pelleteuse creuse la chaussée rue de Rivoli."
    # A self-reply: the handle is the author's own.
    assert post.reply_to_native_id == "113499998000000005"
    assert post.reply_to_handle == "@marie@piaille.fr"


def test_reply_names_the_mentioned_parent_author(as_sdk: Any) -> None:
    post = post_from_status(as_sdk(load("status_reply")), VILLE)

    assert post.reply_to_native_id == "113500000000000001"
    assert post.reply_to_handle == "@ville@mastodon.social"
    assert post.author.display_name == "Karim :verified:"
    assert post.text == "@ville Est-ce que la rue de Rivoli sera fermée aux vélos\xa0? 🚲"
    assert post.spans[0] == TextSpan("@ville", "https://mastodon.social/@ville", "mention")


def test_accepted_quote_is_converted_and_the_re_line_hidden(as_sdk: Any) -> None:
    post = post_from_status(as_sdk(load("status_quote")), VILLE)

    assert post.quote is not None
    assert post.quote.uri == "https://mastodon.social/users/ville/statuses/113500000000000001"
    assert post.quote.text == "La Fête de la musique aura lieu samedi."
    assert post.quote.quote is None  # nested quotes are shallow (an id only)
    assert post.text == "On y sera !"
    assert "RE:" not in post.html


@pytest.mark.parametrize("state", ["pending", "revoked", "deleted", "unauthorized"])
def test_quote_not_accepted_is_left_out_and_the_re_line_kept(state: str) -> None:
    data = load("status_quote")
    data["quote"] = {"state": state, "quoted_status": None}

    post = post_from_status(data, VILLE)

    assert post.quote is None
    assert "RE:" in post.text


def test_hostile_html_is_neutralised(as_sdk: Any) -> None:
    post = post_from_status(as_sdk(load("status_hostile")), VILLE)
    html = post.html.lower()

    for needle in (
        "<script",
        "alert",
        "<style",
        "<img",
        "onerror",
        "javascript",
        "data:",
        "<iframe",
        "cadre",
        "<svg",
        "<form",
        "<input",
        "onclick",
        "onmouseover",
        "style=",
        "target=",
        'opener"',
        'href="/admin',
        'href="//',
        "<!--",
        'evil"',
    ):
        assert needle not in html, needle
    assert '<a href="https://evil.example/ok" rel="nofollow noopener noreferrer">lien</a>' in html
    assert 'href="mailto:mairie@paris.fr"' in html
    assert "<b>gras</b>" in html and "<u>" not in html and "souligné" in html
    assert "<blockquote><p>cité</p></blockquote>" in html
    assert "caché" not in html  # class invisible is hidden, as in Mastodon's web UI
    assert "visible</span>…" in html
    assert "un\ndeux" in post.text
    assert post.text.endswith("a  b\n  c")  # <pre> keeps its spaces
    assert post.author.display_name == "<b>Troll</b>"  # text, escaped by whoever shows it


def test_notifications_of_each_kind(as_sdk: Any) -> None:
    raw = load("notifications")
    items = [
        notification_from(
            as_sdk(n, MastodonNotification), VILLE, user_id=VILLE_USER_ID, last_read_id="900007"
        )
        for n in raw
    ]
    kinds = {n.id: n.kind for n in items}

    assert kinds == {
        "900010": NotificationKind.REPLY,  # answers one of our statuses
        "900009": NotificationKind.MENTION,
        "900008": NotificationKind.LIKE,
        "900007": NotificationKind.REPOST,
        "900006": NotificationKind.FOLLOW,
        "900005": NotificationKind.QUOTE,
        "900004": NotificationKind.OTHER,  # follow_request
        "900003": NotificationKind.OTHER,  # poll
    }
    by_id = {n.id: n for n in items}
    liked = by_id["900008"]
    assert liked.author.handle == "@marie@piaille.fr"
    assert liked.subject_uri == "https://mastodon.social/users/ville/statuses/113500000000000001"
    assert liked.post is not None and liked.post.uri == liked.subject_uri
    assert by_id["900007"].subject_uri == liked.subject_uri
    assert by_id["900005"].subject_uri == liked.subject_uri  # the quoted post is ours
    assert by_id["900006"].post is None
    assert by_id["900010"].post is not None
    assert by_id["900010"].post.author.handle == "@karim@piaille.fr"
    assert [n.id for n in items if n.unread] == ["900010", "900009", "900008"]
    assert all(n.account_id == VILLE for n in items)


def test_without_the_own_user_id_a_reply_is_a_mention() -> None:
    n = notification_from(load("notifications")[0], VILLE)
    assert n.kind is NotificationKind.MENTION
    assert n.unread


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (("account", "acct"), "status[113500000000000001].account.acct: missing"),
        (("uri",), "status[113500000000000001].uri: missing"),
        (("created_at",), "status[113500000000000001].created_at: missing"),
    ],
)
def test_missing_required_field_is_named(path: tuple[str, ...], message: str) -> None:
    data = load("status_link_image")
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = None

    with pytest.raises(ConversionError) as caught:
        post_from_status(data, VILLE)

    assert str(caught.value) == message
    assert caught.value.network == "mastodon"


def test_bad_date_is_named() -> None:
    data = load("status_reblog_cw_video")
    data["reblog"]["created_at"] = "hier"

    with pytest.raises(ConversionError, match=r"status\[113499999000000010\].created_at"):
        post_from_status(data, VILLE)


def test_optional_fields_missing_like_on_gotosocial() -> None:
    data = load("status_link_image")
    for key in ("quote", "filtered", "card", "language", "favourited", "reblogged", "url"):
        del data[key]
    data["media_attachments"][0]["meta"] = None

    post = post_from_status(data, VILLE)

    assert post.url == post.uri
    assert post.card is None and post.quote is None and not post.liked
    assert post.media[0].width == 0


def test_limits_from_instance_v2() -> None:
    limits = limits_from_instance(load("instance_v2"), None)

    assert limits.max_characters == 500
    assert limits.characters_reserved_per_url == 23
    assert limits.max_media == 4
    assert limits.image_size_limit == 16_777_216
    assert limits.image_matrix_limit == 33_177_600
    assert limits.description_limit == 1500
    assert limits.counting == "mastodon"
    assert limits.supports_visibility and limits.supports_scheduling


def test_limits_from_legacy_v1_and_defaults() -> None:
    legacy = limits_from_instance(None, load("instance_v1_legacy"))
    assert legacy.max_characters == 5000
    assert legacy.characters_reserved_per_url == 23

    v1 = load("instance_v2")  # Mastodon ≥ 3.4.2 puts the same configuration in v1
    v1["configuration"]["statuses"]["characters_reserved_per_url"] = 25
    assert limits_from_instance(None, v1).characters_reserved_per_url == 25

    nothing = limits_from_instance(None, None)
    assert (nothing.max_characters, nothing.max_media, nothing.description_limit) == (500, 4, 1500)
