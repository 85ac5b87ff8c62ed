"""The words of a post on screen: its body as safe rich text, its relative time, the sentence a
screen reader says.

``prepare`` is plain Python, run by a worker when posts arrive (the model's ``data()`` does no
parsing). The body is rebuilt from the post's ``spans``, never from its HTML: every piece of
text is escaped, only http, https and mailto links survive, and bidirectional overrides (the
"Facture_\u202efdp.exe" trick) are dropped. The rest needs Qt's translator and runs on the GUI
thread.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QLocale

from paris_desk.core.model import Account, Network, Post, TextSpan

translate = QCoreApplication.translate

SAFE_SCHEMES = ("http://", "https://", "mailto:")
BLUESKY_WEB = "https://bsky.app"
LINK_LABEL_MAX = 30
NETWORK_NAMES = {Network.MASTODON: "Mastodon", Network.BLUESKY: "Bluesky"}
# Bidirectional embeddings, overrides and isolates: they can disguise a file name or a link.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True, slots=True)
class RichBody:
    """Text ready for ``QTextDocument.setHtml`` and the same text as plain characters."""

    html: str
    plain: str
    links: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PostText:
    """What a worker prepares once per post (keyed by uri in the model). ``measured_height``:
    the row's height at ``measured_width`` in the font ``measured_font`` (a ``QFont.key()``),
    content warning closed, not shown as a repost; measured by the worker too
    (``post_layout.measure_texts``); 0 = not measured."""

    body: RichBody
    quote: RichBody | None = None
    measured_width: int = 0
    measured_font: str = ""
    measured_height: int = 0


def clean(text: str) -> str:
    """``text`` without bidirectional controls (names, warnings, alt texts, bodies)."""
    return _BIDI_CONTROLS.sub("", text)


def safe_href(span: TextSpan, network: Network) -> str:
    """Where a span's link points as a web address, or "" when it may not be followed."""
    link = span.link.strip()
    if not link:
        return ""
    if network is Network.BLUESKY and not link.lower().startswith(SAFE_SCHEMES):
        if span.kind == "mention":
            return f"{BLUESKY_WEB}/profile/{html.escape(link.removeprefix('@'))}"
        if span.kind == "tag":
            return f"{BLUESKY_WEB}/hashtag/{link.removeprefix('#')}"
    return link if link.lower().startswith(SAFE_SCHEMES) else ""


def link_label(span: TextSpan) -> str:
    """How a link reads: a bare URL loses its scheme and is cut after 30 characters."""
    text = clean(span.text)
    if span.kind != "link" or not text.lower().startswith(("http://", "https://")):
        return text
    bare = text.split("://", 1)[1].removeprefix("www.")
    return bare if len(bare) <= LINK_LABEL_MAX else bare[:LINK_LABEL_MAX] + "…"


def rich_body(post: Post) -> RichBody:
    """The body of ``post`` from its spans (or its plain text when it has none)."""
    spans = post.spans or ((TextSpan(post.text),) if post.text else ())
    parts: list[str] = []
    plain: list[str] = []
    links: list[str] = []
    for span in spans:
        href = safe_href(span, post.network) if span.kind != "text" else ""
        label = link_label(span) if href else clean(span.text)
        escaped = html.escape(label, quote=False).replace("\n", "<br>")
        if href:
            parts.append(f'<a href="{html.escape(href, quote=True)}">{escaped}</a>')
            links.append(href)
        else:
            parts.append(escaped)
        plain.append(label)
    return RichBody("".join(parts), "".join(plain), tuple(links))


def prepare(post: Post) -> PostText:
    """Everything the delegate needs that costs parsing. Runs on a worker thread."""
    quote = rich_body(post.quote) if post.quote is not None else None
    return PostText(rich_body(post), quote)


def prepare_all(posts: list[Post]) -> dict[str, PostText]:
    return {post.uri: prepare(post) for post in posts}


# -- GUI thread: translated words ----------------------------------------------------------


def relative_time(when: datetime, now: datetime | None = None) -> str:
    """ "il y a 5 min", "il y a 3 h", "il y a 2 jours", then the date."""
    now = now or datetime.now(UTC)
    seconds = int((now - when).total_seconds())
    # Counts as plain names: pyside6-lupdate skips translate() calls with expressions.
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if seconds < 60:
        return translate("PostText", "just now")
    if seconds < 3600:
        return translate("PostText", "{count} min ago").format(count=minutes)
    if seconds < 86400:
        return translate("PostText", "{count} h ago").format(count=hours)
    if seconds < 7 * 86400:
        return translate("PostText", "%n day(s) ago", None, days)
    return QLocale().toString(when.astimezone().date(), QLocale.FormatType.ShortFormat)


def spoken_time(when: datetime, now: datetime | None = None) -> str:
    """The relative time in full words, for screen readers."""
    now = now or datetime.now(UTC)
    seconds = int((now - when).total_seconds())
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if seconds < 60:
        return translate("PostText", "just now")
    if seconds < 3600:
        return translate("PostText", "%n minute(s) ago", None, minutes)
    if seconds < 86400:
        return translate("PostText", "%n hour(s) ago", None, hours)
    if seconds < 7 * 86400:
        return translate("PostText", "%n day(s) ago", None, days)
    return QLocale().toString(when.astimezone().date(), QLocale.FormatType.LongFormat)


def account_name(account_id: str, accounts: dict[str, Account]) -> str:
    """The account's label, else its handle (a Mastodon handle without its server)."""
    account = accounts.get(account_id)
    handle = account.handle if account is not None else account_id.split(":", 1)[-1]
    if account is not None and account.label:
        return account.label
    if handle.startswith("@") and handle.count("@") == 2:
        return handle.rsplit("@", 1)[0]
    return handle


def accessible_text(post: Post, accounts: dict[str, Account], now: datetime | None = None) -> str:
    """The sentence a screen reader says for one timeline item."""
    author = clean(post.author.display_name) or post.author.handle
    parts = [
        translate("PostText", "{author} ({handle}) on {network}, {time}:").format(
            author=author,
            handle=post.author.handle,
            network=NETWORK_NAMES.get(post.network, post.network.value),
            time=spoken_time(post.created_at, now),
        )
    ]
    if post.repost_by is not None:
        sharer = clean(post.repost_by.display_name) or post.repost_by.handle
        parts.insert(0, translate("PostText", "Shared by {name}.").format(name=sharer))
    if post.reply_to_handle:
        parts.append(translate("PostText", "In reply to {handle}.").format(
            handle=post.reply_to_handle))
    if post.content_warning:
        parts.append(translate("PostText", "Content warning: {warning}.").format(
            warning=clean(post.content_warning)))
    parts.append(clean(post.text))
    if post.media:
        images = len(post.media)  # a plain name: pyside6-lupdate skips calls with expressions
        parts.append(translate("PostText", "%n image(s).", None, images))
    if post.quote is not None:
        parts.append(translate("PostText", "Quotes {handle}: {text}").format(
            handle=post.quote.author.handle, text=clean(post.quote.text)))
    replies, reposts, likes = post.reply_count, post.repost_count, post.like_count
    parts.append(translate("PostText", "%n repl(y/ies),", None, replies))
    parts.append(translate("PostText", "%n repost(s),", None, reposts))
    parts.append(translate("PostText", "%n like(s).", None, likes))
    names = ", ".join(account_name(a, accounts) for a in post.seen_by)
    if names:
        parts.append(translate("PostText", "Seen by {accounts}.").format(accounts=names))
    return " ".join(part for part in parts if part)


def cross_post_sentence(account_ids: Sequence[str], accounts: dict[str, Account]) -> str:
    """What a screen reader says of a row standing for one post on several accounts."""
    names = ", ".join(account_name(a, accounts) for a in account_ids)
    count = len(account_ids)  # a plain name: pyside6-lupdate skips calls with expressions
    return translate("PostText", "Published on %n accounts: {accounts}.", None, count).format(
        accounts=names)


def card_domain(url: str) -> str:
    """The host a link card points to, without "www."."""
    return url.split("://", 1)[-1].split("/", 1)[0].removeprefix("www.")


def accessible_description(post: Post) -> str:
    """What a screen reader reads after a row's text: each image's alt text, the link card's
    title and domain (the row's accessible description)."""
    parts = []
    count = len(post.media)
    for number, media in enumerate(post.media, start=1):
        alt = " ".join(clean(media.alt).split())
        if count == 1:
            parts.append(translate("PostText", "Image: {alt}.").format(alt=alt) if alt
                         else translate("PostText", "Image without description."))
        elif alt:
            parts.append(translate("PostText", "Image {n}: {alt}.").format(n=number, alt=alt))
        else:
            parts.append(translate("PostText", "Image {n} without description.").format(
                n=number))
    card = post.card
    if card is not None and card.url:
        title = " ".join(clean(card.title).split())
        domain = card_domain(card.url)
        parts.append(translate("PostText", "Link: {title} ({domain}).").format(
            title=title, domain=domain) if title
            else translate("PostText", "Link to {domain}.").format(domain=domain))
    return " ".join(parts)
