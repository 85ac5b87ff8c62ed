"""How long a post is, in the unit each network enforces.

Both networks count extended grapheme clusters (``regex`` ``\\X``), never code points (Python
``len``) nor UTF-16 units (Qt positions):

- Bluesky: at most 300 graphemes **and** 3000 UTF-8 bytes of post text (API_NOTES §2.5).
- Mastodon (``app/validators/status_length_validator.rb``, API_NOTES §1.5): graphemes of
  ``spoiler_text + countable_text(text)``, where every URL *with* an ``http(s)://`` scheme and a
  known TLD counts ``characters_reserved_per_url`` (23) and ``@user@domain`` counts as ``@user``.
  ``www.paris.fr`` and ``http://127.0.0.1/`` are not URLs to the server: they count literally.

Count what will be sent: the composer normalises its text (NFC) *before* counting.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from paris_desk.core.model import Limits
from paris_desk.core.tlds import TLDS

BLUESKY_MAX_GRAPHEMES = 300
BLUESKY_MAX_BYTES = 3000
MASTODON_MAX_CHARACTERS = 500
MASTODON_RESERVED_PER_URL = 23

_GRAPHEME = regex.compile(r"\X")


@dataclass(frozen=True, slots=True)
class Count:
    """The length of a post against one network's limits.

    ``used`` is in the network's unit (graphemes, URLs weighted on Mastodon); ``bytes`` is the
    UTF-8 size of what is sent; ``byte_limit`` is 0 when the network has no byte limit.
    """

    used: int
    limit: int
    bytes: int
    over: bool
    byte_limit: int = 0

    @property
    def remaining(self) -> int:
        """Graphemes left before the limit (negative when over)."""
        return self.limit - self.used

    @property
    def over_bytes(self) -> bool:
        return self.byte_limit > 0 and self.bytes > self.byte_limit


def grapheme_count(text: str) -> int:
    """Number of extended grapheme clusters (what a reader sees as characters)."""
    return len(_GRAPHEME.findall(text))


def utf8_size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def count_bluesky(
    text: str,
    *,
    max_graphemes: int = BLUESKY_MAX_GRAPHEMES,
    max_bytes: int = BLUESKY_MAX_BYTES,
) -> Count:
    """Count Bluesky post text: graphemes against ``max_graphemes`` and bytes against
    ``max_bytes`` (0 = no byte limit). ``over`` is true when either is exceeded."""
    used = grapheme_count(text)
    size = utf8_size(text)
    over = used > max_graphemes or (max_bytes > 0 and size > max_bytes)
    return Count(used=used, limit=max_graphemes, bytes=size, over=over, byte_limit=max_bytes)


def count_mastodon(
    text: str,
    spoiler: str = "",
    *,
    max_characters: int = MASTODON_MAX_CHARACTERS,
    reserved_per_url: int = MASTODON_RESERVED_PER_URL,
) -> Count:
    """Count a Mastodon status the way the server validates it (content warning included)."""
    used = grapheme_count(spoiler + countable_text(text, reserved_per_url))
    size = utf8_size(spoiler) + utf8_size(text)
    return Count(used=used, limit=max_characters, bytes=size, over=used > max_characters)


def count_for(limits: Limits, text: str, spoiler: str = "") -> Count:
    """Count ``text`` against ``limits`` of one account.

    ``spoiler`` (a content warning) only counts on Mastodon: Bluesky warnings are labels.
    Raises ``ValueError`` for an unknown ``limits.counting``.
    """
    if limits.counting == "mastodon":
        return count_mastodon(
            text,
            spoiler,
            max_characters=limits.max_characters,
            reserved_per_url=limits.characters_reserved_per_url,
        )
    if limits.counting == "graphemes":
        return count_bluesky(text, max_graphemes=limits.max_characters, max_bytes=limits.max_bytes)
    raise ValueError(f"unknown counting rule {limits.counting!r}")


# --- Mastodon entities ------------------------------------------------------------------------
# The URL grammar is twitter-text's (the server's Extractor, with extract_url_without_protocol
# false), transcribed piece by piece; Mastodon.py's ``_url_regex`` is the same grammar and serves
# as an oracle in tests/core/test_counting.py.

_SPACES = r"\x09-\x0D\x20\x85\xA0\u1680\u180E\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"
_INVALID = r"\uFFFE\uFEFF\uFFFF"
_BIDI = r"\u202A-\u202E\u061C\u200E\u200F\u2066-\u2069"
_DOMAIN_PUNCT = r"/!'#%&()*+,\\\-.:;<=>?@\[\]^_{|}~$"
_DOMAIN_CHAR = f"[^{_DOMAIN_PUNCT}{_SPACES}{_INVALID}{_BIDI}]"
_LATIN_ACCENTS = (
    r"\xC0-\xD6\xD8-\xF6\xF8-\xFF\u0100-\u024F\u0253\u0254\u0256\u0257\u0259\u025B\u0263"
    r"\u0268\u026F\u0272\u0289\u028B\u02BB\u0300-\u036F\u1E00-\u1EFF"
)
_PATH_CHAR = rf"[a-z\u0400-\u04FF0-9!*';:=+,.$/%#\[\]\-\u2013_~@|&{_LATIN_ACCENTS}]"
_PATH_END = rf"[+\-a-z\u0400-\u04FF0-9=_#/{_LATIN_ACCENTS}]"
_PATH_PARENS = rf"\((?:{_PATH_CHAR}+|{_PATH_CHAR}*\({_PATH_CHAR}+\){_PATH_CHAR}*)\)"
_PATH = (
    rf"/(?:{_PATH_CHAR}*(?:{_PATH_PARENS}{_PATH_CHAR}*)*{_PATH_END}"
    rf"|{_PATH_PARENS}|@{_PATH_CHAR}+/)*"
)
_QUERY = r"\?[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]*[a-z0-9\-_&=#/]"


@functools.cache
def _url_regex() -> regex.Pattern[str]:
    """Compiled on first use: the TLD alternation takes ~30 ms, kept off the start-up path."""
    tlds = "|".join(regex.escape(t) for t in sorted(TLDS, key=lambda t: (-len(t), t)))
    subdomain = rf"(?:{_DOMAIN_CHAR}(?:[_-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\."
    domain_name = rf"(?:{_DOMAIN_CHAR}(?:-|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\."
    tld = rf"(?:(?:{tlds})(?=[^0-9a-zA-Z@+-]|$)|xn--[\-0-9a-z]+)"
    return regex.compile(
        rf"(?<![A-Za-z0-9@＠$#＃{_INVALID}])"
        rf"https?://(?:{subdomain})*{domain_name}{tld}(?::[0-9]+)?(?:{_PATH})?(?:{_QUERY})?",
        regex.IGNORECASE | regex.VERSION0,
    )


# Account::MENTION_RE (app/models/account.rb) and Extractor#extract_mentions_or_lists_with_indices.
_MENTION = regex.compile(
    r"(?<![=/\w])@(((?i:[a-z0-9_]+(?:[.-]+[a-z0-9_]+)*))(?:@(\w+(?:[.-]+\w+)*))?)"
)
_END_MENTION = regex.compile(rf"[@＠{_LATIN_ACCENTS}]|://")
_MAX_DOMAIN_LENGTH = 253


def url_spans(text: str) -> list[tuple[int, int]]:
    """Code-point spans of the URLs Mastodon recognises (scheme required)."""
    if "://" not in text:
        return []
    return [m.span() for m in _url_regex().finditer(text)]


def _mention_replacements(text: str) -> list[tuple[int, int, str]]:
    found = []
    for m in _MENTION.finditer(text):
        if _END_MENTION.match(text, m.end()):
            continue
        domain = m.group(3)
        if domain and len(domain) > _MAX_DOMAIN_LENGTH:
            continue
        found.append((m.start(), m.end(), "@" + m.group(2)))
    return found


def countable_text(text: str, reserved_per_url: int = MASTODON_RESERVED_PER_URL) -> str:
    """The text Mastodon measures: URLs as ``reserved_per_url`` x's, ``@u@domain`` as ``@u``.

    Whitespace-only text counts as empty (Ruby ``blank?``)."""
    if not text or text.isspace():
        return ""
    placeholder = "x" * reserved_per_url
    entities = [(s, e, placeholder) for s, e in url_spans(text)]
    if "@" in text:
        entities += _mention_replacements(text)
    entities.sort(key=lambda entity: entity[0])
    pieces: list[str] = []
    position = 0
    for start, end, replacement in entities:
        if start < position:  # overlapping entities: the earlier one wins (twitter-text)
            continue
        pieces += (text[position:start], replacement)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
