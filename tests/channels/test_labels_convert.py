"""Labels and the sensitive flag from real-shaped API JSON (the fixtures, with labels set)."""

from __future__ import annotations

import json
from pathlib import Path

from atproto_client import models
from atproto_client.models.utils import get_or_create

from paris_desk.channels.bluesky import convert as bconvert
from paris_desk.channels.mastodon import convert as mconvert

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_mastodon_sensitive() -> None:
    status = json.loads((FIXTURES / "mastodon" / "status_link_image.json").read_text("utf-8"))
    assert mconvert.post_from_status(status, "mastodon:ville@paris.social").sensitive is False
    status["sensitive"] = True
    assert mconvert.post_from_status(status, "mastodon:ville@paris.social").sensitive is True


def test_bluesky_self_labels_labeler_labels_and_negation() -> None:
    data = json.loads((FIXTURES / "bluesky" / "timeline.json").read_text("utf-8"))
    item = data["feed"][0]
    view = item["post"]
    author = view["author"]["did"]
    view["record"]["labels"] = {"$type": "com.atproto.label.defs#selfLabels",
                                "values": [{"val": "nudity"}]}
    labeler = "did:plc:ar7c4by46qjdydhdevvrndac"

    def label(val: str, src: str, neg: bool = False) -> dict[str, object]:
        return {"src": src, "uri": view["uri"], "val": val, "cts": "2026-06-01T10:00:00.000Z",
                **({"neg": True} if neg else {})}

    view["labels"] = [label("nudity", author), label("gore", labeler),
                      label("!warn", labeler), label("!warn", labeler, neg=True),
                      label("sexual", labeler, neg=True)]  # negates nothing it had put
    assert get_or_create({"feed": [item]}, models.AppBskyFeedGetTimeline.Response, strict=True)
    post = bconvert.post_from_feed_item(item)
    assert post.labels == ("nudity", "gore")
