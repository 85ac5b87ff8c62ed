"""Status HTML → safe display HTML, plain text and link spans.

Mastodon sends ``content`` as HTML; remote servers (and other software speaking this API) send
whatever they like. We sanitise with nh3 first, then walk the clean markup once to:

- drop ``<span class="invisible">`` and add "…" after ``<span class="ellipsis">``, as Mastodon's
  web UI does for long links (Qt's rich text has no ``display: none``);
- build the plain text (full URLs, paragraphs as blank lines) and its runs of ``TextSpan``
  (``"".join(span.text for span in spans) == text``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape, unescape
from html.parser import HTMLParser

import nh3

from paris_desk.core.model import TextSpan

ALLOWED_TAGS = {
    "p",
    "br",
    "a",
    "span",
    "b",
    "strong",
    "i",
    "em",
    "del",
    "s",
    "pre",
    "code",
    "blockquote",
    "ul",
    "ol",
    "li",
}
# Tags removed together with their content (the others lose the tag and keep the text).
DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "template",
    "noscript",
    "iframe",
    "object",
    "textarea",
    "title",
    "svg",
    "math",
    "select",
}
_BLOCKS = {"p", "blockquote", "pre", "ul", "ol"}

_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes={"a": {"href"}, "span": set()},
    allowed_classes={
        "a": {"mention", "hashtag", "u-url"},
        "span": {"h-card", "invisible", "ellipsis"},
        "p": {"quote-inline"},
    },
    url_schemes={"http", "https", "mailto"},
    url_relative="deny",
    link_rel="nofollow noopener noreferrer",
)

ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class RichText:
    html: str
    text: str
    spans: tuple[TextSpan, ...]


def sanitize(content: str) -> str:
    """nh3-clean ``content`` with the status policy (no display rewriting)."""
    return _CLEANER.clean(content)


def render(
    content: str, mention_urls: frozenset[str] = frozenset(), *, hide_quote_inline: bool = False
) -> RichText:
    """Sanitise status HTML and derive its display HTML, plain text and spans.

    ``mention_urls`` (the status's ``mentions[].url``) marks links to those profiles as
    mentions even when the remote server did not tag them with the ``mention`` class.
    ``hide_quote_inline`` drops the ``<p class="quote-inline">RE: …</p>`` fallback line
    (Mastodon 4.5) when the quoted post is shown anyway, as the web UI does.
    """
    walker = _Walker(mention_urls, hide_quote_inline)
    _walk(sanitize(content), walker)
    return walker.result()


# nh3 writes well-formed markup: lower-case tags, double-quoted attribute values, text with
# "<", ">" and "&" escaped, no comments. A regex tokenises that at a third of HTMLParser's cost
# (which was most of a status's conversion); the walker gets the same events.
_TOKEN = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s\"'>/=]+(?:=\"[^\"]*\")?)*)\s*(/?)>"
    r"|(<!--.*?-->)|([^<]+|<)",
    re.DOTALL,
)
_ATTR = re.compile(r"([^\s\"'>/=]+)(?:=\"([^\"]*)\")?")


def _walk(markup: str, walker: _Walker) -> None:
    text: list[str] = []
    for match in _TOKEN.finditer(markup):
        close, tag, attrs, empty, comment, data = match.groups()
        if data is not None:
            text.append(data)
            continue
        if text:
            walker.handle_data(unescape("".join(text)))
            text.clear()
        if comment is not None:
            continue
        tag = tag.lower()
        if close:
            walker.handle_endtag(tag)
            continue
        pairs = [(a.group(1).lower(), unescape(a.group(2)) if a.group(2) is not None else None)
                 for a in _ATTR.finditer(attrs)]
        if empty:
            walker.handle_startendtag(tag, pairs)
        else:
            walker.handle_starttag(tag, pairs)
    if text:
        walker.handle_data(unescape("".join(text)))


class _Walker(HTMLParser):
    """Walks nh3 output (well-formed, only our tags) and rebuilds html, text and spans."""

    def __init__(self, mention_urls: frozenset[str], hide_quote_inline: bool) -> None:
        super().__init__(convert_charrefs=True)
        self._mention_urls = mention_urls
        self._hide_quote_inline = hide_quote_inline
        self._in_quote_inline = False  # inside a dropped <p class="quote-inline"> (never nested)
        self._html: list[str] = []
        self._runs: list[TextSpan] = []
        self._open_spans: list[str] = []  # "invisible", "ellipsis" or "" per open <span>
        self._hidden_depth = 0
        self._pre_depth = 0
        self._link: tuple[str, str] | None = None  # (href, class attribute) while inside <a>
        self._link_text: list[str] = []

    # -- parser events --------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if self._in_quote_inline:
            return
        if tag == "p" and self._hide_quote_inline and "quote-inline" in values.get("class", ""):
            self._in_quote_inline = True
            return
        if tag == "br":
            self._emit_html("<br>")
            self._add_text("\n")
            return
        if tag in _BLOCKS or tag == "li":
            self._break_block(tag)
        if tag == "pre":
            self._pre_depth += 1
        if tag == "span":
            classes = values.get("class", "").split()
            kind = (
                "invisible"
                if "invisible" in classes
                else "ellipsis"
                if "ellipsis" in classes
                else ""
            )
            self._open_spans.append(kind)
            if kind == "invisible":
                self._hidden_depth += 1
        if tag == "a":
            self._start_link(values.get("href", ""), values.get("class", ""))
        self._emit_html(_start_tag(tag, values))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self._in_quote_inline:
            self._in_quote_inline = tag != "p"
            return
        if tag == "br":
            return
        self._emit_html(f"</{tag}>")
        if tag in _BLOCKS:
            self._break_block(tag)
        if tag == "span" and self._open_spans:
            kind = self._open_spans.pop()
            if kind == "invisible":
                self._hidden_depth -= 1
            elif kind == "ellipsis":
                self._emit_html(ELLIPSIS)
        elif tag == "a":
            self._end_link()
        elif tag == "pre":
            self._pre_depth = max(0, self._pre_depth - 1)

    def handle_data(self, data: str) -> None:
        if self._in_quote_inline:
            return
        if not self._pre_depth and "\n" in data and not data.strip():
            return  # indentation between block tags of remote HTML
        self._emit_html(escape(data, quote=False))
        self._add_text(data)

    # -- building ---------------------------------------------------------------------------
    def _emit_html(self, piece: str) -> None:
        if not self._hidden_depth:
            self._html.append(piece)

    def _add_text(self, text: str) -> None:
        if self._link is not None:
            self._link_text.append(text)
        elif self._runs and self._runs[-1].kind == "text":
            self._runs[-1] = TextSpan(self._runs[-1].text + text)
        else:
            self._runs.append(TextSpan(text))

    def _break_block(self, tag: str) -> None:
        """Separate blocks by a blank line (list items by a newline), never at the start."""
        text = "".join(run.text for run in self._runs)
        if not text:
            return
        wanted = 1 if tag == "li" else 2
        have = len(text) - len(text.rstrip("\n"))
        if have < wanted:
            self._add_text("\n" * (wanted - have))

    def _start_link(self, href: str, classes: str) -> None:
        self._end_link()  # nh3 never nests links; be safe anyway
        self._link = (href, classes)
        self._link_text = []

    def _end_link(self) -> None:
        if self._link is None:
            return
        href, classes = self._link
        text = "".join(self._link_text)
        self._link = None
        self._link_text = []
        if not text:
            return
        if not href:
            self._add_text(text)
            return
        self._runs.append(
            TextSpan(text, href, _link_kind(href, classes.split(), text, self._mention_urls))
        )

    def result(self) -> RichText:
        self._end_link()
        runs = _strip_runs(self._runs)
        return RichText("".join(self._html).strip(), "".join(r.text for r in runs), runs)


def _link_kind(href: str, classes: list[str], text: str, mention_urls: frozenset[str]) -> str:
    if "hashtag" in classes or (text.startswith("#") and "mention" in classes):
        return "tag"
    if "mention" in classes or href in mention_urls:
        return "mention"
    return "link"


def _start_tag(tag: str, values: dict[str, str]) -> str:
    attrs = "".join(f' {name}="{escape(value, quote=True)}"' for name, value in values.items())
    return f"<{tag}{attrs}>"


def _strip_runs(runs: list[TextSpan]) -> tuple[TextSpan, ...]:
    """Trim surrounding whitespace of the whole text (first and last runs only)."""
    out = list(runs)
    while out and out[0].kind == "text" and not out[0].text.strip():
        out.pop(0)
    while out and out[-1].kind == "text" and not out[-1].text.strip():
        out.pop()
    if out and out[0].kind == "text":
        out[0] = TextSpan(out[0].text.lstrip())
    if out and out[-1].kind == "text":
        out[-1] = TextSpan(out[-1].text.rstrip())
    return tuple(out)
