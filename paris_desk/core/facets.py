"""Bluesky rich text: facets found in outgoing text, and received facets made safe to display.

Facets index the **UTF-8 bytes** of the text, start inclusive, end exclusive (API_NOTES §2.5).
``detect`` follows ``detectFacets`` of ``@atproto/api`` (``packages/api/src/rich-text/``), as
ported by the atproto SDK's ``atproto_client.utils.facet_detection``:

- link: ``http(s)://`` + non-space, or a bare ``domain.tld…`` whose TLD is known (then
  ``https://`` is prefixed); one trailing ``.,;:!?`` is dropped, then a ``)`` when the URL has
  no ``(``. Must start the text or follow whitespace or ``(``.
- mention: ``@handle.domain`` after start, whitespace or ``(``; a valid handle with a known TLD
  (or ``.test``). The value is the handle: the adapter resolves it to a DID.
- tag: ``#``/``＃`` after start or whitespace, not only digits, trailing punctuation dropped,
  at most 64 graphemes and 640 bytes. The value has no ``#``.

Cashtags (``$TICKER``), which newer SDKs also emit as tags, are not detected.
Received facets can be wrong (bluesky-social/atproto#2823, #3183): ``spans_from_facets`` keeps
only those that fit the text and drops the others one by one, without ever raising.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, TypeGuard

import regex

from paris_desk.core.model import TextSpan
from paris_desk.core.tlds import TLDS

FacetKind = Literal["link", "mention", "tag"]
KINDS: frozenset[str] = frozenset({"link", "mention", "tag"})
MAX_TAG_GRAPHEMES = 64
MAX_TAG_BYTES = 640
LINK_SCHEMES = ("http://", "https://")


@dataclass(frozen=True, slots=True)
class Facet:
    """One facet. ``value``: the URI (link), the handle or DID (mention), the tag without ``#``."""

    byte_start: int
    byte_end: int
    kind: FacetKind
    value: str


# JavaScript's \s, spelled out.
_S = r"\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_ZERO_WIDTH = r"\u00ad\u2060\u200a\u200b\u200c\u200d\u20e2"

_URL = regex.compile(
    rf"(?:^|(?<=[{_S}(]))"
    rf"(?:https?://[^{_S}]+|(?P<domain>[a-z][a-z0-9]*(?:\.[a-z0-9]+)+)[^{_S}]*)",
    regex.IGNORECASE | regex.MULTILINE | regex.ASCII,
)
_MENTION = regex.compile(rf"(?:^|(?<=[{_S}(]))@(?P<handle>[a-zA-Z0-9.-]+)\b", regex.ASCII)
_HANDLE = regex.compile(
    r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
)
_TAG = regex.compile(
    rf"(?:^|(?<=[{_S}]))[#＃]"
    rf"(?P<tag>(?!\ufe0f)[^{_S}{_ZERO_WIDTH}]*[^0-9{_S}\p{{P}}{_ZERO_WIDTH}]+[^{_S}{_ZERO_WIDTH}]*)"
)
_TRAILING_PUNCTUATION = regex.compile(r"\p{P}+\Z")
_GRAPHEME = regex.compile(r"\X")


def _has_known_tld(domain: str) -> bool:
    _, dot, tld = domain.rpartition(".")
    return bool(dot) and tld.lower() in TLDS


def _is_handle(handle: str) -> bool:
    return len(handle) <= 253 and _HANDLE.fullmatch(handle) is not None


class _ByteOffsets:
    """Code-point index → UTF-8 byte offset, computed incrementally along the text."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._char = 0
        self._byte = 0

    def __call__(self, index: int) -> int:
        if index < self._char:  # rare: restart (matches come in order per kind)
            self._char = self._byte = 0
        self._byte += len(self._text[self._char : index].encode("utf-8", "surrogatepass"))
        self._char = index
        return self._byte


def _links(text: str) -> Iterable[tuple[int, int, FacetKind, str]]:
    for m in _URL.finditer(text):
        uri = m.group()
        start, end = m.span()
        if not uri.lower().startswith(LINK_SCHEMES):
            if not _has_known_tld(m.group("domain")):
                continue
            uri = "https://" + uri
        if uri[-1] in ".,;:!?":
            uri, end = uri[:-1], end - 1
        if uri.endswith(")") and "(" not in uri:
            uri, end = uri[:-1], end - 1
        yield start, end, "link", uri


def _mentions(text: str) -> Iterable[tuple[int, int, FacetKind, str]]:
    for m in _MENTION.finditer(text):
        handle = m.group("handle")
        if not _is_handle(handle):
            continue
        if not _has_known_tld(handle) and not handle.lower().endswith(".test"):
            continue
        yield m.start(), m.end(), "mention", handle


def _tags(text: str) -> Iterable[tuple[int, int, FacetKind, str]]:
    for m in _TAG.finditer(text):
        tag = _TRAILING_PUNCTUATION.sub("", m.group("tag"))
        if not tag or len(tag.encode("utf-8", "surrogatepass")) > MAX_TAG_BYTES:
            continue
        if len(tag) > MAX_TAG_GRAPHEMES and len(_GRAPHEME.findall(tag)) > MAX_TAG_GRAPHEMES:
            continue
        yield m.start(), m.start() + 1 + len(tag), "tag", tag


def detect(text: str) -> list[Facet]:
    """Links, mentions (by handle) and tags in ``text``, sorted, never overlapping.

    Offsets are UTF-8 bytes of ``text`` exactly as given: normalise (NFC) before calling, never
    after."""
    found = sorted([*_links(text), *_mentions(text), *_tags(text)], key=lambda f: (f[0], f[1]))
    to_bytes = _ByteOffsets(text)
    facets: list[Facet] = []
    end_of_previous = 0
    for start, end, kind, value in found:
        if start < end_of_previous:
            continue
        facets.append(Facet(to_bytes(start), to_bytes(end), kind, value))
        end_of_previous = end
    return facets


# --- received facets --------------------------------------------------------------------------


def _is_char_boundary(data: bytes, offset: int) -> bool:
    return offset == len(data) or (data[offset] & 0xC0) != 0x80


def _usable(facet: object, data: bytes) -> TypeGuard[Facet]:
    if not isinstance(facet, Facet):
        return False
    start, end, value = facet.byte_start, facet.byte_end, facet.value
    if type(start) is not int or type(end) is not int or not isinstance(value, str):
        return False
    if not (0 <= start < end <= len(data)) or facet.kind not in KINDS or not value:
        return False
    if facet.kind == "link" and not value.lower().startswith(LINK_SCHEMES):
        return False  # javascript:, file:… stay plain text
    return _is_char_boundary(data, start) and _is_char_boundary(data, end)


def valid_facets(text: str, facets: Iterable[object]) -> list[Facet]:
    """The facets that fit ``text``: in range, on character boundaries, of a known kind, with
    a value (links: ``http(s)`` only), sorted; of overlapping facets the first one wins."""
    data = text.encode("utf-8", "surrogatepass")
    usable = [f for f in facets if _usable(f, data)]
    usable.sort(key=lambda f: (f.byte_start, f.byte_end))
    kept: list[Facet] = []
    for facet in usable:
        if kept and facet.byte_start < kept[-1].byte_end:
            continue
        kept.append(facet)
    return kept


def spans_from_facets(text: str, facets: Iterable[object]) -> tuple[TextSpan, ...]:
    """Cut ``text`` into display spans: plain runs and one span per valid facet.

    Invalid facets are dropped individually (their text stays plain); this never raises.
    An empty text gives ``()``."""
    if not isinstance(text, str) or not text:
        return ()
    data = text.encode("utf-8", "surrogatepass")
    kept = valid_facets(text, facets)
    spans: list[TextSpan] = []
    position = 0
    for facet in kept:
        if facet.byte_start > position:
            spans.append(TextSpan(_decode(data[position : facet.byte_start])))
        label = _decode(data[facet.byte_start : facet.byte_end])
        spans.append(TextSpan(label, link=facet.value, kind=facet.kind))
        position = facet.byte_end
    if position < len(data):
        spans.append(TextSpan(_decode(data[position:])))
    return tuple(spans)


def _decode(chunk: bytes) -> str:
    return chunk.decode("utf-8", "surrogatepass")
