"""Read-heavy pages as plain JSON: home timeline, notifications, account statuses, context.

Mastodon.py casts every field of every entity it returns into typed objects: about 2 to 3.5 ms
of CPU per status, under the GIL, so ten accounts' pages decode one after the other. The
converters (``convert.py``) only need the JSON, which ``json.loads`` reads in about 15 µs per
status. These reads therefore go through the same client's request layer and ask it for the
response object instead of the cast result: same ``requests`` session (trust store, proxy,
redirect guard), base URL, token header, user agent, timeout and rate-limit bookkeeping, and the
same error tree, so ``errors.edge`` translates a failure exactly as for any other call.

Pagination is read from the Link header as Mastodon.py reads it: ``max_id`` of ``rel="next"``
(the older page), ``min_id`` of ``rel="prev"`` (the newer one).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

import requests
from mastodon import Mastodon, MastodonNotFoundError

from paris_desk.channels.mastodon.errors import NETWORK
from paris_desk.core.errors import ServerError

T = TypeVar("T")
Json = dict[str, Any]

HOME = "/api/v1/timelines/home"
NOTIFICATIONS = "/api/v1/notifications"
MARKERS = "/api/v1/markers"


@dataclass(frozen=True, slots=True)
class RawPage:
    """One list answer: its entities as JSON, and the ids its Link header names."""

    items: list[Json] = field(default_factory=list)
    next_max_id: str | None = None  # rel="next": the page below
    prev_min_id: str | None = None  # rel="prev": the page above


def get(client: Mastodon, endpoint: str, params: Mapping[str, Any] | None = None) -> Any:
    """``GET endpoint`` decoded as plain JSON (dicts and lists)."""
    return _decode(_request(client, endpoint, params), endpoint)


def get_page(client: Mastodon, endpoint: str, params: Mapping[str, Any] | None = None
             ) -> RawPage:
    """A paginated list: its items and the max_id / min_id of its Link header."""
    response = _request(client, endpoint, params)
    data = _decode(response, endpoint)
    if not isinstance(data, list):
        raise ServerError(f"{endpoint}: the server did not answer a list", network=NETWORK)
    links = response.links
    return RawPage(
        [item for item in data if isinstance(item, dict)],
        _link_param(links, "next", "max_id"),
        _link_param(links, "prev", "min_id"),
    )


def last_read_id(client: Mastodon, timeline: str = "notifications") -> str:
    """The read marker of ``timeline`` (``GET /api/v1/markers``), "" when the server has none
    (no marker yet, or no markers API: 404)."""
    try:
        markers = get(client, MARKERS, {"timeline[]": [timeline]})
    except MastodonNotFoundError:
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


def _request(client: Mastodon, endpoint: str, params: Mapping[str, Any] | None
             ) -> requests.Response:
    # Mastodon.py's own request layer (name-mangled private method, stable since 1.x): the
    # public methods are thin wrappers over it that cast the answer.
    request = client._Mastodon__api_request  # type: ignore[attr-defined]
    clean = {key: value for key, value in (params or {}).items() if value is not None}
    return request("GET", endpoint, clean, return_response_object=True)  # type: ignore[no-any-return]


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
