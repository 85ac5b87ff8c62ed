"""The link card of a post: Open Graph title, description and image of the first link.

Bluesky servers build no preview (API_NOTES §2.6): the client fetches the page and sends an
``app.bsky.embed.external`` with a thumbnail blob. The fetch is defensive:

- every request, the image's and each redirect's included, goes through ``safe_fetch``: http(s)
  only, at most 3 redirects, no private, loopback or link-local address (SSRF, issue 13)
  unless it is one of the profile's own servers, connected to the address that was checked;
- one deadline of 5 s for the whole fetch (page and image), not per socket operation;
- at most 1 MB of the page is read, then parsing stops: Open Graph tags live in ``<head>``;
  the image must be ``image/*`` and may weigh up to 5 MB before it is re-encoded
  (``images.prepare``: no metadata, within the network's limits).

Blocking and Qt-free: run it on a worker thread. Failures raise ``LinkCardError``.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from paris_desk.core.errors import ParisDeskError
from paris_desk.core.model import Limits, LinkCard, PreparedMedia
from paris_desk.services import images, safe_fetch

log = logging.getLogger(__name__)

TIMEOUT = 5.0
MAX_PAGE_BYTES = 1_000_000
MAX_IMAGE_BYTES = 5_000_000
MAX_REDIRECTS = safe_fetch.MAX_REDIRECTS
MAX_TITLE = 300
MAX_DESCRIPTION = 1000
SCHEMES = ("http", "https")
_HTML_TYPES = safe_fetch.HTML_TYPES


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
    final_url, _type, body, charset = _get(url, deadline, MAX_PAGE_BYTES, truncate=True,
                                           accept=_HTML_TYPES)
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


def _get(url: str, deadline: float, cap: int, *, truncate: bool,
         accept: tuple[str, ...] = safe_fetch.IMAGE_TYPES) -> tuple[str, str, bytes, str | None]:
    """(final URL, media type, body, charset), through ``safe_fetch``. Over ``cap`` bytes: the
    first ``cap`` bytes when ``truncate``, else ``LinkCardError``."""
    try:
        got = safe_fetch.fetch(url, max_bytes=cap, accept=accept, truncate=truncate,
                               deadline=deadline)
    except safe_fetch.FetchRefused as exc:
        if exc.reason == safe_fetch.FetchRefused.WRONG_TYPE and accept == _HTML_TYPES:
            raise LinkCardError(f"not a web page ({exc})") from exc
        raise LinkCardError(str(exc)) from exc
    return got.url, got.content_type, got.body, got.charset


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
