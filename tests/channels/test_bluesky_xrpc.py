"""The read path's XRPC transport (``channels.bluesky.xrpc``) over real HTTP on loopback: where
the access token goes when the PDS redirects, and that a ``.netrc`` entry never replaces it."""

from __future__ import annotations

from pathlib import Path

import pytest
from traps import Redirector, Trap

from paris_desk.channels.bluesky.xrpc import Xrpc
from paris_desk.core.urls import InsecureTransport

TOKEN = "jeton-d-acces-de-la-session"
NSID = "app.bsky.feed.getTimeline"
OK = (200, {"Content-Type": "application/json"}, b'{"feed": []}')


def test_the_token_follows_a_redirect_on_the_same_origin_only() -> None:
    with Trap(*OK) as elsewhere:
        other_origin = elsewhere.url.replace("127.0.0.1", "localhost")
        with Redirector(f"{other_origin}/xrpc/{NSID}?limit=5") as pds:
            answer = Xrpc(5.0).query(pds.url, NSID, {"limit": 5}, TOKEN)
        assert answer == {"feed": []}
        assert pds.seen[0].carries(TOKEN)
        assert [s.target for s in elsewhere.seen] == [f"/xrpc/{NSID}?limit=5"]
        assert not elsewhere.seen[0].carries(TOKEN)


def test_a_redirect_to_plain_http_elsewhere_is_refused_before_sending() -> None:
    with Redirector(f"http://some-name.test/xrpc/{NSID}") as pds:
        with pytest.raises(InsecureTransport):
            Xrpc(5.0).query(pds.url, NSID, None, TOKEN)
        assert len(pds.seen) == 1


def test_a_netrc_entry_does_not_replace_the_token(netrc_on_loopback: Path) -> None:
    with Trap(*OK) as pds:
        Xrpc(5.0).query(pds.url, NSID, {"limit": 1, "includePins": False}, TOKEN)
    assert pds.seen[0].headers.get("Authorization") == f"Bearer {TOKEN}"
    assert pds.seen[0].target == f"/xrpc/{NSID}?limit=1&includePins=false"
