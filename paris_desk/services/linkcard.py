"""The link card of a post: Open Graph title, description and image of the first link.

Bluesky servers build no preview (API_NOTES §2.6): the client fetches the page and sends an
``app.bsky.embed.external`` with a thumbnail blob. The fetch is defensive:

- ``http``/``https`` only, also after redirects (at most 5; a redirect to ``file:``, ``ftp:`` or
  ``javascript:`` is refused);
- one deadline of 5 s for the whole fetch (page and image), not per socket operation;
- at most 1 MB of the page is read, then parsing stops: Open Graph tags live in ``<head>``;
  the image may weigh up to 5 MB before it is re-encoded (``images.prepare``: no metadata,
  within the network's limits).

Blocking and Qt-free: run it on a worker thread. Failures raise ``LinkCardError``.
"""

from __future__ import annotations

import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from http.client import HTTPMessage
from typing import Any
from urllib.parse import urljoin, urlsplit

from paris_desk import __version__
from paris_desk.core.errors import ParisDeskError
from paris_desk.core.model import Limits, LinkCard, PreparedMedia
from paris_desk.services import images

log = logging.getLogger(__name__)

TIMEOUT = 5.0
MAX_PAGE_BYTES = 1_000_000
MAX_IMAGE_BYTES = 5_000_000
MAX_REDIRECTS = 5
MAX_TITLE = 300
MAX_DESCRIPTION = 1000
SCHEMES = ("http", "https")
_CHUNK = 64 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_USER_AGENT = f"paris_desk/{__version__} (link preview)"


class LinkCardError(ParisDeskError):
    """No card for this link (unreachable, not HTML, refused redirect, too slow…)."""


@dataclass(frozen=True, slots=True)
class FetchedCard:
    card: LinkCard
    thumb: PreparedMedia | None = None  # re-encoded for the limits given to ``fetch_card``


def fetch_card(url: str, limits: Limits, *, timeout: float = TIMEOUT) -> FetchedCard:
    """The card of ``url``; its thumbnail fits ``limits`` (Bluesky's: 1,000,000 bytes)."""
    if urlsplit(url).scheme.lower() not in SCHEMES:
        raise LinkCardError(f"not an http(s) link: {url[:80]}")
    deadline = time.monotonic() + timeout
    final_url, content_type, body, charset = _get(url, deadline, MAX_PAGE_BYTES, truncate=True)
    if content_type not in _HTML_TYPES:
        raise LinkCardError(f"not a web page ({content_type or 'no type'})")
    tags = _parse(body.decode(charset or _meta_charset(body) or "utf-8", "replace"))
    title = _first(tags, "og:title", "twitter:title", "<title>")
    description = _first(tags, "og:description", "twitter:description", "description")
    if not title and not description:
        raise LinkCardError("the page has no title")
    image_url = _image_url(final_url, _first(tags, "og:image", "og:image:url", "twitter:image"))
    thumb = _thumb(image_url, limits, deadline) if image_url else None
    card = LinkCard(url=url, title=title[:MAX_TITLE], description=description[:MAX_DESCRIPTION],
                    image_url=image_url)
    return FetchedCard(card, thumb)


# -- HTTP ----------------------------------------------------------------------------------------


class _SafeRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                         headers: HTTPMessage, newurl: str) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme.lower() not in SCHEMES:
            raise LinkCardError(f"redirect to a non-http address refused ({code})")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    """HTTP(S) only: no file:, ftp: or data: handler, unlike ``build_opener``."""
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(),
                    urllib.request.HTTPSHandler(), _SafeRedirects(),
                    urllib.request.HTTPDefaultErrorHandler(),
                    urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise LinkCardError("too slow: gave up after the deadline")
    return left


def _get(url: str, deadline: float, cap: int, *, truncate: bool
         ) -> tuple[str, str, bytes, str | None]:
    """(final URL, media type, body, charset). Over ``cap`` bytes: the first ``cap`` bytes when
    ``truncate``, else ``LinkCardError``."""
    request = urllib.request.Request(url, headers={  # noqa: S310 - scheme checked by callers
        "User-Agent": _USER_AGENT, "Accept": "text/html,image/*;q=0.8,*/*;q=0.5"})
    try:
        with _opener().open(request, timeout=_remaining(deadline)) as response:
            final_url = response.geturl()
            if urlsplit(final_url).scheme.lower() not in SCHEMES:
                raise LinkCardError("redirected to a non-http address")
            headers = response.headers
            body = _read(response, deadline, cap, truncate)
    except LinkCardError:
        raise
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:  # urllib itself refuses redirects to file:, data:…
            raise LinkCardError(f"redirect to a non-http address refused ({exc.code})") from exc
        raise LinkCardError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise LinkCardError(f"unreachable: {type(exc).__name__}") from exc
    return final_url, headers.get_content_type(), body, headers.get_content_charset()


def _read(response: Any, deadline: float, cap: int, truncate: bool) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < cap:
        _remaining(deadline)
        chunk = response.read1(min(_CHUNK, cap + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
    if not truncate:
        raise LinkCardError(f"larger than {cap} bytes")
    return b"".join(chunks)[:cap]


def _thumb(image_url: str, limits: Limits, deadline: float) -> PreparedMedia | None:
    try:
        _url, _type, data, _charset = _get(image_url, deadline, MAX_IMAGE_BYTES,
                                            truncate=False)
        return images.prepare(data, limits)
    except (LinkCardError, images.ImageError) as exc:
        log.info("link card without image: %s", exc)
        return None


# -- HTML ----------------------------------------------------------------------------------------


class _HeadParser(HTMLParser):
    """Collects ``<meta property|name=… content=…>`` and the ``<title>`` text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: dict[str, str] = {}
        self._in_title = False
        self._title: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag != "meta":
            return
        values = {name.lower(): value or "" for name, value in attrs}
        key = (values.get("property") or values.get("name") or "").strip().lower()
        if key and "content" in values:
            self.tags.setdefault(key, values["content"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
            self.tags.setdefault("<title>", "".join(self._title))

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)


def _parse(html: str) -> dict[str, str]:
    parser = _HeadParser()
    parser.feed(html)
    parser.close()
    return parser.tags


def _meta_charset(body: bytes) -> str | None:
    head = body[:4096].decode("ascii", "replace").lower()
    marker = head.find("charset=")
    if marker < 0:
        return None
    value = head[marker + 8:].lstrip("\"' ")
    name = "".join(c for c in value[:32] if c.isalnum() or c in "-_")
    try:
        "".encode(name)
    except LookupError:
        return None
    return name or None


def _first(tags: dict[str, str], *keys: str) -> str:
    for key in keys:
        value = " ".join(tags.get(key, "").split())
        if value:
            return value
    return ""


def _image_url(page_url: str, value: str) -> str:
    if not value:
        return ""
    absolute = urljoin(page_url, value)
    return absolute if urlsplit(absolute).scheme.lower() in SCHEMES else ""
