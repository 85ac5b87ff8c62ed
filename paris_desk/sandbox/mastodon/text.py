"""Status text as the Mastodon server treats it: HTML rendering and the length rule.

Rendering follows ``app/lib/text_formatter.rb`` (paragraphs, shortened links, hashtag and
mention anchors); counting follows ``app/validators/status_length_validator.rb``: extended
grapheme clusters of ``spoiler_text + text`` where each URL with a scheme counts 23 and
``@user@domain`` counts as ``@user``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import regex

MAX_CHARS = 500
URL_CHARS = 23

_URL = r"(?<![a-z0-9@＠$#＃\u202a-\u202e])(?P<url>https?://(?P<host>[\w.-]+\.[^\W\d_]{2,})(?::\d+)?(?:[/?#][^\s<>\"]*)?)"
_MENTION = (r"(?<![=/\w])@(?P<user>[a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)"
            r"(?:@(?P<domain>[\w.-]+\w+))?")
_TAG = r"(?<![=/)\w])#(?P<tag>\w*[^\W\d_]\w*)"
ENTITY_RE = re.compile(f"{_URL}|{_MENTION}|{_TAG}", re.IGNORECASE)
_TRAILING = ".,;:!?'\")]»"
_PREFIX_RE = re.compile(r"\A(https?://(www\.)?)")


@dataclass
class Entity:
    kind: str  # url, mention, tag
    start: int
    end: int
    value: str
    user: str = ""
    domain: str | None = None


def extract(text: str) -> list[Entity]:
    """URLs (with a scheme), mentions and hashtags, left to right, never overlapping."""
    out: list[Entity] = []
    for m in ENTITY_RE.finditer(text):
        if m.group("url"):
            url = m.group("url")
            while url and url[-1] in _TRAILING and not _balanced_paren(url):
                url = url[:-1]
            out.append(Entity("url", m.start(), m.start() + len(url), url))
        elif m.group("user"):
            out.append(Entity("mention", m.start(), m.end(), m.group(0),
                              m.group("user"), m.group("domain")))
        else:
            out.append(Entity("tag", m.start(), m.end(), m.group("tag")))
    return out


def _balanced_paren(url: str) -> bool:
    return url.endswith(")") and url.count("(") >= url.count(")")


def countable_length(text: str, spoiler_text: str = "") -> int:
    """The number Mastodon compares with ``max_characters``."""
    parts: list[str] = []
    pos = 0
    for ent in extract(text):
        if ent.kind == "tag":
            continue
        parts.append(text[pos:ent.start])
        parts.append("x" * URL_CHARS if ent.kind == "url" else "@" + ent.user)
        pos = ent.end
    parts.append(text[pos:])
    return len(regex.findall(r"\X", spoiler_text + "".join(parts)))


@dataclass
class Rendered:
    html: str
    mention_accts: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


MentionResolver = Callable[[str, str | None], tuple[str, str] | None]
"""(username, domain) -> (profile url, username) of a known account, else None."""


def render(text: str, base_url: str, resolve: MentionResolver) -> Rendered:
    """Mastodon's HTML for a locally posted text."""
    out = Rendered("")
    chunks: list[str] = []
    pos = 0
    for ent in extract(text):
        chunks.append(html.escape(text[pos:ent.start], quote=False))
        pos = ent.end
        if ent.kind == "url":
            chunks.append(link_html(ent.value))
            out.links.append(ent.value)
        elif ent.kind == "tag":
            chunks.append(hashtag_html(ent.value, base_url))
            out.tags.append(ent.value.lower())
        else:
            known = resolve(ent.user, ent.domain)
            if known is None:
                chunks.append(html.escape(ent.value, quote=False))
                continue
            url, username = known
            chunks.append(mention_html(url, username))
            out.mention_accts.append(ent.user if ent.domain is None
                                     else f"{ent.user}@{ent.domain}")
    chunks.append(html.escape(text[pos:], quote=False))
    out.html = paragraphs("".join(chunks))
    return out


def paragraphs(body: str) -> str:
    """Rails ``simple_format``: blank lines split paragraphs, single newlines become <br />."""
    body = body.replace("\r\n", "\n").strip("\n")
    paras = [p for p in re.split(r"\n\s*\n", body) if p.strip()] or [""]
    return "".join("<p>" + p.replace("\n", "<br />") + "</p>" for p in paras)


def link_html(url: str) -> str:
    prefix = _PREFIX_RE.match(url)
    head = prefix.group(1) if prefix else ""
    rest = url[len(head):]
    display, suffix = rest[:30], rest[30:]
    ellipsis = "ellipsis" if len(rest) > 30 else ""
    e = html.escape
    return (f'<a href="{e(url)}" target="_blank" rel="nofollow noopener" translate="no">'
            f'<span class="invisible">{e(head)}</span>'
            f'<span class="{ellipsis}">{e(display)}</span>'
            f'<span class="invisible">{e(suffix)}</span></a>')


def hashtag_html(tag: str, base_url: str) -> str:
    e = html.escape
    return (f'<a href="{base_url}/tags/{e(tag)}" class="mention hashtag" rel="tag">'
            f"#<span>{e(tag)}</span></a>")


def mention_html(profile_url: str, username: str) -> str:
    e = html.escape
    return (f'<span class="h-card" translate="no"><a href="{e(profile_url)}" '
            f'class="u-url mention">@<span>{e(username)}</span></a></span>')


def strip_tags(content: str) -> str:
    """Plain text of an HTML content (for the ``text`` of a deleted status from seed data)."""
    text = re.sub(r"<br\s*/?>", "\n", content)
    text = re.sub(r"</p>\s*<p>", "\n\n", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text))
