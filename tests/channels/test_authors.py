"""Equal authors are one object (``channels.authors``): fewer objects for the cyclic collector
to walk with 10,000 posts in memory (issue 14), invisible to users of the frozen ``Author``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from paris_desk.channels import authors
from paris_desk.channels.bluesky import convert as bconvert
from paris_desk.channels.mastodon import convert as mconvert
from paris_desk.core.model import Author

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_bluesky_posts_of_one_author_share_it_across_pages() -> None:
    feed = json.loads((FIXTURES / "bluesky" / "timeline.json").read_text("utf-8"))["feed"]
    first, again = bconvert.posts_from_feed(feed), bconvert.posts_from_feed(feed)
    assert [p.author for p in first] == [p.author for p in again]
    assert all(a.author is b.author for a, b in zip(first, again, strict=True))
    by_handle: dict[str, Author] = {}
    for post in first:
        assert by_handle.setdefault(post.author.handle, post.author) is post.author


def test_mastodon_statuses_share_their_author() -> None:
    status = json.loads((FIXTURES / "mastodon" / "status_link_image.json").read_text("utf-8"))
    one = mconvert.post_from_status(status, "mastodon:ville@paris.social")
    two = mconvert.post_from_status(status, "mastodon:ville@paris.social")
    assert one.author is two.author
    status["account"] = {**status["account"], "display_name": "Autre nom"}
    renamed = mconvert.post_from_status(status, "mastodon:ville@paris.social")
    assert renamed.author.display_name == "Autre nom" and renamed.author is not one.author


def test_the_table_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(authors, "MAX_AUTHORS", 3)
    kept = [authors.shared(Author(f"@a{n}@ville.fr")) for n in range(10)]
    assert [a.handle for a in kept] == [f"@a{n}@ville.fr" for n in range(10)]
    assert authors.shared(Author("@a9@ville.fr")) is kept[9]
