"""Mute, block and report on Bluesky, over HTTP against the sandbox (its ``mutes``, ``blocks``
and ``reports`` are the server's state)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from paris_desk.channels import bluesky
from paris_desk.core.channel import ReportReason, SupportsModeration
from paris_desk.core.errors import NotFound
from paris_desk.core.model import Author, NotificationKind, Post

BLOCK = "app.bsky.graph.block"


@pytest.fixture
def ville(bluesky_sandbox: Any) -> dict[str, str]:
    account: dict[str, str] = bluesky_sandbox.accounts[0]
    return account


@pytest.fixture
def channel(bluesky_sandbox: Any, ville: dict[str, str]) -> bluesky.BlueskyChannel:
    account, secret = bluesky.login(ville["handle"], ville["password"],
                                    service=bluesky_sandbox.base_url)
    return bluesky.restore(account, secret, lambda s: None)


@pytest.fixture
def mention(channel: bluesky.BlueskyChannel) -> Post:
    page = channel.notifications(limit=100)
    found = next(n for n in page.items
                 if n.kind is NotificationKind.MENTION and n.post is not None)
    assert found.post is not None
    return found.post


def test_the_channel_offers_moderation(channel: bluesky.BlueskyChannel) -> None:
    assert isinstance(channel, SupportsModeration)


def test_mute_then_unmute_reaches_the_appview(
    channel: bluesky.BlueskyChannel, mention: Post, ville: dict[str, str], bluesky_sandbox: Any
) -> None:
    author = mention.author

    channel.mute(author)
    channel.mute(author)  # idempotent
    assert bluesky_sandbox.mutes[ville["did"]] == {author.user_id}
    after = channel.notifications(limit=100).items
    assert all(n.author.user_id != author.user_id for n in after)

    channel.unmute(author)
    assert author.user_id not in bluesky_sandbox.mutes[ville["did"]]


def test_mute_by_handle_resolves_the_did(
    channel: bluesky.BlueskyChannel, bluesky_sandbox: Any, ville: dict[str, str]
) -> None:
    other = bluesky_sandbox.authors[3]

    channel.mute(Author(handle=other["handle"]))

    assert other["did"] in bluesky_sandbox.mutes[ville["did"]]


def test_block_writes_one_record_and_unblock_deletes_it(
    channel: bluesky.BlueskyChannel, mention: Post, ville: dict[str, str], bluesky_sandbox: Any
) -> None:
    author = mention.author

    channel.block(author)
    channel.block(author)  # already blocked: no second record

    blocks = bluesky_sandbox.records(ville["did"], BLOCK)
    assert [r["subject"] for r in blocks.values()] == [author.user_id]
    assert author.user_id in bluesky_sandbox.blocks[ville["did"]]

    channel.unblock(author)
    channel.unblock(author)  # not blocked any more: nothing to do

    assert bluesky_sandbox.records(ville["did"], BLOCK) == {}
    assert author.user_id not in bluesky_sandbox.blocks.get(ville["did"], {})


def test_report_sends_the_post_reference_and_reason(
    channel: bluesky.BlueskyChannel, mention: Post, ville: dict[str, str], bluesky_sandbox: Any
) -> None:
    channel.report(mention, ReportReason.RUDE, "Insultes envers les agents.")

    (report,) = bluesky_sandbox.reports
    assert report["reasonType"] == "com.atproto.moderation.defs#reasonRude"
    assert report["subject"]["uri"] == mention.uri
    assert report["subject"]["cid"] == mention.cid
    assert report["reason"] == "Insultes envers les agents."
    assert report["reportedBy"] == ville["did"]


def test_report_without_cid_looks_it_up(
    channel: bluesky.BlueskyChannel, mention: Post, bluesky_sandbox: Any
) -> None:
    channel.report(replace(mention, cid=""), ReportReason.SPAM, "")

    (report,) = bluesky_sandbox.reports
    assert report["subject"]["cid"] == mention.cid
    assert report["reasonType"] == "com.atproto.moderation.defs#reasonSpam"
    assert "reason" not in report


def test_report_of_a_deleted_post_is_not_found(
    channel: bluesky.BlueskyChannel, mention: Post, bluesky_sandbox: Any
) -> None:
    gone = replace(mention, uri=mention.uri[:-3] + "zzz", cid="")

    with pytest.raises(NotFound):
        channel.report(gone, ReportReason.OTHER, "")
    assert bluesky_sandbox.reports == []
