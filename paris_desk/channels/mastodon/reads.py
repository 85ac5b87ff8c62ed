"""Read-heavy pages as plain JSON, over plain HTTP: home timeline, notifications and their
marker, account statuses, context, the instance, the account's filters and requests.

Mastodon.py casts every field of every entity it returns into typed objects: about 2 to 3.5 ms
of CPU per status, under the GIL, so ten accounts' pages decode one after the other; and it
costs ~15 MiB and ~0.07 s to import. The converters (``convert.py``) only need the JSON, which
``json.loads`` reads in about 15 µs per status. These reads therefore go as Mastodon.py sends
them — same guarded ``requests`` session (trust store, proxy, redirect check), base URL, bearer
token, user agent and timeout, no ``.netrc`` credentials — without it: :class:`Api`. A failure
is translated as ``errors.edge`` translates Mastodon.py's exception for the same answer
(``errors.from_http``); a 429 waits for ``X-RateLimit-Reset``, read as Mastodon.py reads it
(epoch seconds or an ISO date, corrected by the server's ``Date``). Favourites, boosts and
deletions go this way too; Mastodon.py is imported by the other writes
(``client.MastodonChannel._m``).

Pagination is read from the Link header as Mastodon.py reads it: ``max_id`` of ``rel="next"``
(the older page), ``min_id`` of ``rel="prev"`` (the newer one).
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

import requests

from paris_desk.channels.mastodon.errors import NETWORK, from_http
from paris_desk.core.errors import NotFound, ServerError
from paris_desk.core.urls import check_credential_url

T = TypeVar("T")
Json = dict[str, Any]
Timeout = float | tuple[float, float]

HOME = "/api/v1/timelines/home"
NOTIFICATIONS = "/api/v1/notifications"
MARKERS = "/api/v1/markers"


@dataclass(frozen=True, slots=True)
class RawPage:
    """One list answer: its entities as JSON, and the ids its Link header names."""

    items: list[Json] = field(default_factory=list)
    next_max_id: str | None = None  # rel="next": the page below
    prev_min_id: str | None = None  # rel="prev": the page above


class Api:
    """One account's plain HTTP to its instance (see the module's docstring). Raises
    ``ChannelError``s for answers, ``requests`` exceptions for network failures (translated by
    ``errors.edge``) and ``InsecureTransport`` for a redirect to plain http."""

    def __init__(self, base_url: str, access_token: str, *, timeout: Timeout,
                 account_id: str = "") -> None:
        from paris_desk.channels.mastodon.oauth import USER_AGENT, guarded_session

        check_credential_url(base_url, account_id=account_id, network=NETWORK)
        self.base_url = base_url.rstrip("/")
        self.account_id = account_id
        self.ratelimit_reset: float | None = None  # epoch seconds, on this machine's clock
        self._headers = {"Authorization": f"Bearer {access_token}", "User-Agent": USER_AGENT}
        self._timeout = timeout
        self._session = guarded_session()

    def request(self, method: str, endpoint: str, params: Mapping[str, Any] | None = None
                ) -> requests.Response:
        clean = {key: value for key, value in (params or {}).items() if value is not None}
        where = {"params": clean} if method in ("GET", "DELETE") else {"data": clean}
        response = self._session.request(method, self.base_url + endpoint,
                                         headers=self._headers, timeout=self._timeout,
                                         auth=_no_netrc, **where)
        self._note_rate_limit(response)
        if not response.ok:
            raise from_http(response, self.account_id, self.ratelimit_reset)
        return response

    def _note_rate_limit(self, response: requests.Response) -> None:
        reset = _epoch(response.headers.get("X-RateLimit-Reset"))
        if reset is None:
            if self.ratelimit_reset is not None and self.ratelimit_reset <= time.time():
                self.ratelimit_reset = None
            return
        date = response.headers.get("Date")
        if date:  # the server's clock, against ours
            with contextlib.suppress(TypeError, ValueError):
                reset += time.time() - parsedate_to_datetime(date).timestamp()
        self.ratelimit_reset = reset if reset > time.time() else None


def _no_netrc(request: requests.PreparedRequest) -> requests.PreparedRequest:
    """An ``auth`` that changes nothing: without one, requests would put a ``.netrc`` entry's
    Basic credentials in place of the bearer token (Mastodon.py passes the same)."""
    return request


def _epoch(value: str | None) -> float | None:
    """``X-RateLimit-Reset``: epoch seconds (GoToSocial) or an ISO date (Mastodon)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def get(api: Api, endpoint: str, params: Mapping[str, Any] | None = None) -> Any:
    """``GET endpoint`` decoded as plain JSON (dicts and lists)."""
    return _decode(api.request("GET", endpoint, params), endpoint)


def post(api: Api, endpoint: str, data: Mapping[str, Any]) -> Any:
    """``POST endpoint`` with a form body; the answer as plain JSON."""
    return _decode(api.request("POST", endpoint, data), endpoint)


def get_page(api: Api, endpoint: str, params: Mapping[str, Any] | None = None) -> RawPage:
    """A paginated list: its items and the max_id / min_id of its Link header."""
    response = api.request("GET", endpoint, params)
    data = _decode(response, endpoint)
    if not isinstance(data, list):
        raise ServerError(f"{endpoint}: the server did not answer a list", network=NETWORK)
    links = response.links
    return RawPage(
        [item for item in data if isinstance(item, dict)],
        _link_param(links, "next", "max_id"),
        _link_param(links, "prev", "min_id"),
    )


def last_read_id(api: Api, timeline: str = "notifications") -> str:
    """The read marker of ``timeline`` (``GET /api/v1/markers``), "" when the server has none
    (no marker yet, or no markers API: 404)."""
    try:
        markers = get(api, MARKERS, {"timeline[]": [timeline]})
    except NotFound:
        return ""
    marker = markers.get(timeline) if isinstance(markers, dict) else None
    return str(marker.get("last_read_id") or "") if isinstance(marker, dict) else ""


def side_by_side(first: Callable[[], T], second: Callable[[], Any]) -> tuple[T, Any]:
    """Run ``first`` here and ``second`` on a helper thread at the same time: two requests in
    one round trip. Either one's exception is raised here (``first``'s wins)."""
    with ThreadPoolExecutor(1, thread_name_prefix="mastodon-side") as side:
        other = side.submit(second)
        result = first()  # raising: the pool still waits for ``second`` before leaving
        return result, other.result()


def _decode(response: requests.Response, endpoint: str) -> Any:
    try:
        return json.loads(response.content)
    except ValueError:
        raise ServerError(f"{endpoint}: unreadable answer from the server (not JSON)",
                          network=NETWORK) from None


def _link_param(links: Mapping[str, Mapping[str, str]], rel: str, name: str) -> str | None:
    url = (links.get(rel) or {}).get("url") or ""
    values = parse_qs(urlsplit(url).query).get(name) if url else None
    return values[0] if values else None
