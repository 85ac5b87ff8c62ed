"""What a failed ``requests`` call says about its request. Both adapters read with requests
(and Mastodon.py writes with it), so "could the request have reached the server?" has one
answer for both: the outbox retries a post that may have been applied with the same key."""

from __future__ import annotations

import requests
import urllib3.exceptions


def maybe_applied(cause: BaseException | None) -> bool:
    """Could the request have reached the server? False only when we know it did not
    (refused, unknown host, connect timeout, TLS refused)."""
    if isinstance(cause, requests.ConnectTimeout | requests.exceptions.SSLError):
        return False
    if isinstance(cause, requests.ConnectionError):
        reason = cause.args[0] if cause.args else None
        if isinstance(reason, urllib3.exceptions.MaxRetryError):
            reason = reason.reason
        # Refused, unknown host, connect timeout: nothing was sent.
        return not isinstance(
            reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ConnectTimeoutError
        )
    return True  # read timeouts, dropped connections, and anything we cannot classify
