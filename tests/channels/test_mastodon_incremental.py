"""``MastodonChannel.home_timeline(newer_than=...)`` against the Mastodon sandbox over HTTP:
only the statuses newer than a page's ``top``, walking up without gap or duplicate."""

from __future__ import annotations

from typing import Any

from paris_desk.channels.mastodon import MastodonChannel, account_from_token
from paris_desk.core.model import Page, Post

Sandbox = Any  # paris_desk.sandbox.mastodon.MastodonSandbox


def channel_for(server: Sandbox, acct: str) -> MastodonChannel:
    token = server.token_for(acct)
    return MastodonChannel(account_from_token(server.base_url, token), token)


def walk_up(channel: MastodonChannel, top: str | None, limit: int) -> tuple[list[Post], str]:
    """Every page newer than ``top``, as a caller catching up would read them."""
    posts: list[Post] = []
    while True:
        page = channel.home_timeline(limit=limit, newer_than=top)
        assert page.top is not None
        posts[:0] = page.items
        top = page.top
        if len(page.items) < limit:
            return posts, top


def test_the_newest_page_names_its_top(mastodon_sandbox: Sandbox) -> None:
    ville = channel_for(mastodon_sandbox, "ville")

    page = ville.home_timeline(limit=20)

    assert page.items
    assert page.top == page.items[0].native_id  # the seed's newest item is no boost


def test_nothing_new_gives_an_empty_page_and_the_same_top(mastodon_sandbox: Sandbox) -> None:
    ville = channel_for(mastodon_sandbox, "ville")
    first = ville.home_timeline(limit=20)

    again = ville.home_timeline(limit=20, newer_than=first.top)

    assert again == Page((), None, first.top)


def test_three_new_statuses_come_back_exactly(mastodon_sandbox: Sandbox) -> None:
    ville = channel_for(mastodon_sandbox, "ville")
    first = ville.home_timeline(limit=20)
    new = [mastodon_sandbox.post_as("culture", f"Concert numéro {n} ce soir")["uri"]
           for n in range(3)]

    page = ville.home_timeline(limit=20, newer_than=first.top)

    assert [post.uri for post in page.items] == list(reversed(new))  # newest first
    assert page.top == page.items[0].native_id
    assert ville.home_timeline(limit=20, newer_than=page.top).items == ()


def test_fifty_new_statuses_come_back_over_pages_without_gap_or_duplicate(
    mastodon_sandbox: Sandbox,
) -> None:
    ville = channel_for(mastodon_sandbox, "ville")
    first = ville.home_timeline(limit=40)
    new = [mastodon_sandbox.post_as("culture", f"Annonce numéro {n} du jour")["uri"]
           for n in range(50)]

    posts, top = walk_up(ville, first.top, limit=40)

    assert [post.uri for post in posts] == list(reversed(new))
    assert ville.home_timeline(limit=40, newer_than=top).items == ()


def test_a_boost_counts_by_its_own_id(mastodon_sandbox: Sandbox) -> None:
    ville = channel_for(mastodon_sandbox, "ville")
    culture = channel_for(mastodon_sandbox, "culture")
    first = ville.home_timeline(limit=20)
    old = first.items[-1]  # an older status, boosted now: it climbs back to the top
    culture.repost(culture.resolve(old))

    page = ville.home_timeline(limit=20, newer_than=first.top)

    assert page.items[0].uri == old.uri and page.items[0].repost_by is not None
    assert page.top != page.items[0].native_id  # the boost's own id, not the original's
    assert ville.home_timeline(limit=20, newer_than=page.top).items == ()
