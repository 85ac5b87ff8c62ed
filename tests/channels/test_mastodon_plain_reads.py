"""The Mastodon read path's own HTTP (``reads.Api``, without Mastodon.py) over loopback: the
bearer token is never replaced by a ``.netrc`` entry, and a 429's wait is read from
``X-RateLimit-Reset`` as Mastodon.py reads it (epoch seconds or an ISO date)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from traps import Trap

from paris_desk.channels.mastodon import reads
from paris_desk.core.errors import RateLimited

TOKEN = "jeton-du-compte-ville"


def test_a_netrc_entry_does_not_replace_the_token(netrc_on_loopback: Path) -> None:
    with Trap(200, {"Content-Type": "application/json"}, b"[]") as server:
        api = reads.Api(server.url, TOKEN, timeout=5.0)
        assert reads.get_page(api, reads.HOME, {"limit": 5, "max_id": None}).items == []
    assert server.seen[0].headers.get("Authorization") == f"Bearer {TOKEN}"
    assert server.seen[0].target == f"{reads.HOME}?limit=5"


@pytest.mark.parametrize("iso", [True, False])
def test_429_waits_until_the_reset(iso: bool) -> None:
    reset = datetime.now(UTC) + timedelta(seconds=120)
    headers = {  # the test server adds its Date
        "Content-Type": "application/json",
        "X-RateLimit-Limit": "300",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": (reset.isoformat().replace("+00:00", "Z") if iso
                              else str(int(reset.timestamp()))),
    }
    with Trap(429, headers, b'{"error": "Too many requests"}') as server:
        api = reads.Api(server.url, TOKEN, timeout=5.0, account_id="mastodon:@ville@x")
        with pytest.raises(RateLimited) as caught:
            reads.get(api, reads.NOTIFICATIONS)
    assert caught.value.account_id == "mastodon:@ville@x"
    assert caught.value.retry_after is not None
    assert 110 <= caught.value.retry_after <= 121
    assert api.ratelimit_reset is not None and api.ratelimit_reset > time.time()
