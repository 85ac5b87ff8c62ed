"""XRPC over plain HTTP (``requests``), answers as plain JSON: the adapter's read path.

The atproto SDK costs ~50 MiB and ~0.45 s to import (pydantic models for every lexicon), and
casts every answer into models that the converters only read back. Reads (and the few small
JSON writes: updateSeen, preferences, gates) therefore go as the SDK sends them — ``GET`` or
``POST /xrpc/<nsid>`` on the account's PDS, which proxies ``app.bsky.*`` to its AppView, with
``Authorization: Bearer <access JWT>`` — and come back as ``json.loads`` gives them. ``requests``
is already in memory for Mastodon.py; ``httpx`` (the SDK's) would be ~10 MiB more.

A non-2xx answer raises :class:`XrpcError`, shaped like the SDK's exceptions (``.response`` with
``status_code``, ``headers`` and ``content.error``/``content.message``), so ``errors.translate``
decides on it as on theirs. Network failures are ``requests`` exceptions. Redirects are followed
by hand, each hop checked by the transport rule (``core.urls``) before it is sent; the access
token goes only to the origin it was meant for (as httpx and requests do, a redirect to another
host, port or scheme, but http → https on the same host, drops it). A ``.netrc`` entry never
replaces it (requests would send its Basic credentials instead).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from paris_desk.core.urls import check_credential_url

from .errors import NETWORK

Json = dict[str, Any]
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class XrpcContent:
    """The XRPC error body (``{"error": name, "message": text}``), as the SDK's ``XrpcError``."""

    error: str = ""
    message: str = ""


@dataclass(frozen=True, slots=True)
class XrpcResponse:
    status_code: int
    headers: Mapping[str, str] = field(default_factory=dict)
    content: XrpcContent | bytes = b""


class XrpcError(Exception):
    """A non-2xx XRPC answer, or a 2xx one that is not JSON (``status_code`` kept)."""

    def __init__(self, response: XrpcResponse) -> None:
        content = response.content
        name = content.error if isinstance(content, XrpcContent) else ""
        super().__init__(f"HTTP {response.status_code} {name}".strip())
        self.response = response


class Xrpc:
    """One account's HTTP session to its PDS. Thread-safe as ``requests.Session`` is for
    plain GET/POST (a connection pool per host)."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._http = requests.Session()

    def close(self) -> None:
        self._http.close()

    def query(self, base: str, nsid: str, params: Mapping[str, Any] | None, token: str) -> Any:
        """``GET base/xrpc/nsid``; ``params`` with None values left out, lists repeated,
        booleans as ``true``/``false``."""
        clean = {k: str(v).lower() if isinstance(v, bool) else v
                 for k, v in (params or {}).items() if v is not None}
        return self._send("GET", f"{base}/xrpc/{nsid}", token, params=clean)

    def procedure(self, base: str, nsid: str, body: Json | None, token: str) -> Any:
        """``POST base/xrpc/nsid`` with a JSON body (or none); the answer's JSON, or None."""
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        return self._send("POST", f"{base}/xrpc/{nsid}", token, data=data)

    def _send(self, method: str, url: str, token: str, *, params: Json | None = None,
              data: bytes | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        for _ in range(MAX_REDIRECTS + 1):
            check_credential_url(url, network=NETWORK)
            response = self._http.request(method, url, params=params, data=data,
                                          headers=headers, timeout=self.timeout,
                                          allow_redirects=False, auth=_no_netrc)
            location = response.headers.get("location")
            if response.status_code not in _REDIRECTS or not location:
                return _answer(response)
            target = urljoin(url, location)
            if not _same_origin(url, target):
                headers.pop("Authorization", None)
            url, params = target, None  # the new location carries its own query
            if response.status_code == 303:
                method, data = "GET", None
                headers.pop("Content-Type", None)
        return _answer(response)


def _no_netrc(request: requests.PreparedRequest) -> requests.PreparedRequest:
    """An ``auth`` that changes nothing: without one, requests would put a ``.netrc`` entry's
    Basic credentials in place of the bearer token (Mastodon.py does the same)."""
    return request


def _same_origin(url: str, target: str) -> bool:
    """The token may follow: same host and port, same scheme or an upgrade to https."""
    old, new = urlsplit(url), urlsplit(target)
    ports = {"http": 80, "https": 443}
    if old.hostname != new.hostname:
        return False
    if old.scheme == new.scheme:
        return (old.port or ports.get(old.scheme)) == (new.port or ports.get(new.scheme))
    return (old.scheme, new.scheme) == ("http", "https") and old.port in (None, 80) and (
        new.port in (None, 443))


def _answer(response: requests.Response) -> Any:
    if 200 <= response.status_code < 300:
        if not response.content:
            return None
        try:
            return json.loads(response.content)
        except ValueError:
            raise XrpcError(_response(response, raw=True)) from None
    raise XrpcError(_response(response))


def _response(response: requests.Response, *, raw: bool = False) -> XrpcResponse:
    headers = {k.lower(): v for k, v in response.headers.items()}
    content: XrpcContent | bytes = response.content
    if not raw:
        try:
            body = json.loads(response.content)
        except ValueError:
            body = None
        if isinstance(body, dict):
            content = XrpcContent(str(body.get("error") or ""), str(body.get("message") or ""))
    return XrpcResponse(response.status_code, headers, content)
