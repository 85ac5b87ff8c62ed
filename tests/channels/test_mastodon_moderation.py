"""Mute, block and report on Mastodon, over HTTP against the sandbox (its ``mutes``, ``blocks``
and ``reports`` are the server's state)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from paris_desk.channels.mastodon import MastodonChannel, account_from_token
from paris_desk.core.channel import ReportReason, SupportsModeration
from paris_desk.core.errors import NotFound
from paris_desk.core.model import Author, NotificationKind, Post

Sandbox = Any  # paris_desk.sandbox.mastodon.MastodonSandbox


@pytest.fixture
def ville(mastodon_sandbox: Sandbox) -> MastodonChannel:
    token = mastodon_sandbox.token_for("ville")
    return MastodonChannel(account_from_token(mastodon_sandbox.base_url, token), token)


@pytest.fixture
def mention(ville: MastodonChannel) -> Post:
    """A post by a remote author that mentions @ville, as ville's server shows it."""
    items = ville.notifications(limit=80).items
    found = next(n.post for n in items if n.kind is NotificationKind.MENTION and n.post
                 and n.post.author.handle.count("@") == 2
                 and "127.0.0.1" not in n.post.author.handle)
    assert found is not None
    return found


def test_the_channel_offers_moderation(ville: MastodonChannel) -> None:
    assert isinstance(ville, SupportsModeration)


def test_mute_hides_the_author_and_unmute_brings_them_back(
    ville: MastodonChannel, mention: Post, mastodon_sandbox: Sandbox
) -> None:
    me = mastodon_sandbox.account_id("ville")
    author = mention.author

    ville.mute(author)

    assert set(mastodon_sandbox.mutes[me]) == {author.user_id}
    assert all(n.author.user_id != author.user_id for n in ville.notifications(limit=80).items)
    ville.unmute(author)
    assert mastodon_sandbox.mutes[me] == {}


def test_block_then_unblock(
    ville: MastodonChannel, mention: Post, mastodon_sandbox: Sandbox
) -> None:
    me = mastodon_sandbox.account_id("ville")

    ville.block(mention.author)
    assert mastodon_sandbox.blocks[me] == {mention.author.user_id}
    ville.unblock(mention.author)
    assert mastodon_sandbox.blocks[me] == set()


def test_an_author_without_id_is_looked_up_by_handle(
    ville: MastodonChannel, mastodon_sandbox: Sandbox
) -> None:
    me = mastodon_sandbox.account_id("ville")
    host = mastodon_sandbox.base_url.split("//", 1)[1]

    ville.mute(Author(handle=f"@mairie18@{host}"))

    assert set(mastodon_sandbox.mutes[me]) == {mastodon_sandbox.account_id("mairie18")}


def test_report_carries_status_category_and_comment(
    ville: MastodonChannel, mention: Post, mastodon_sandbox: Sandbox
) -> None:
    ville.report(mention, ReportReason.SPAM, "Publicité répétée.")

    (report,) = mastodon_sandbox.reports
    assert report["status_ids"] == [mention.native_id]
    assert report["target_account"]["id"] == mention.author.user_id
    assert (report["category"], report["comment"]) == ("spam", "Publicité répétée.")
    assert report["reporter"] == "ville"
    assert report["forwarded"] is True  # remote author: its server is told


@pytest.mark.parametrize(
    ("reason", "expected"),
    [(ReportReason.VIOLATION, "violation"), (ReportReason.RUDE, "other"),
     (ReportReason.OTHER, "other"), (ReportReason.MISLEADING, "other")],
)
def test_report_reasons_map_to_mastodon_categories(
    ville: MastodonChannel, mention: Post, mastodon_sandbox: Sandbox,
    reason: ReportReason, expected: str,
) -> None:
    ville.report(mention, reason, "x" * 1500)

    (report,) = mastodon_sandbox.reports
    assert report["category"] == expected
    assert len(report["comment"]) == 1000  # the server's limit


def test_report_of_a_deleted_post_is_not_found(
    ville: MastodonChannel, mention: Post, mastodon_sandbox: Sandbox
) -> None:
    with pytest.raises(NotFound):
        ville.report(replace(mention, native_id="1"), ReportReason.OTHER, "")
    assert mastodon_sandbox.reports == []
