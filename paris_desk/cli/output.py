"""The JSON shapes of the CLI (a stable contract for scripts) and their text renderings."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TextIO, TypeVar

from paris_desk.cli.language import QT_TRANSLATE_NOOP, translate
from paris_desk.core.filters import Verdict
from paris_desk.core.model import Account, Author, Notification, Post
from paris_desk.core.terminal import for_terminal as safe

T = TypeVar("T")


def account_json(account: Account) -> dict[str, Any]:
    return {
        "id": account.id,
        "network": account.network.value,
        "handle": account.handle,
        "display_name": account.display_name,
        "label": account.label,
        "base_url": account.base_url,
    }


def _author(author: Author) -> dict[str, str]:
    return {"handle": author.handle, "display_name": author.display_name}


def post_json(post: Post) -> dict[str, Any]:
    """One timeline item. A repost item is the reposted post, with ``repost_of`` its uri and
    ``reposted_by`` the account that shared it."""
    return {
        "uri": post.uri,
        "url": post.url,
        "network": post.network.value,
        "author": _author(post.author),
        "text": post.text,
        "created_at": post.created_at.isoformat(),
        "seen_by": list(post.seen_by),
        "media": [{"url": m.url, "alt": m.alt} for m in post.media],
        "reply_to": post.reply_to_uri or None,
        "repost_of": post.uri if post.repost_by else None,
        "reposted_by": _author(post.repost_by) if post.repost_by else None,
        "quote_of": post.quote.uri if post.quote else None,
    }


def notification_json(notification: Notification) -> dict[str, Any]:
    return {
        "account": notification.account_id,
        "kind": notification.kind.value,
        "author": {"handle": notification.author.handle},
        "created_at": notification.created_at.isoformat(),
        "unread": notification.unread,
        "post": post_json(notification.post) if notification.post else None,
    }


def verdict_json(verdict: Verdict | None) -> dict[str, Any]:
    """The ``filtered`` key of a timeline or inbox item: null, or the filter and its action."""
    if verdict is None:
        return {"filtered": None}
    return {"filtered": {"filter": verdict.filter_id, "action": verdict.action.value}}


def filtered(items: Sequence[tuple[T, Verdict | None]], show_all: bool
             ) -> list[tuple[T, Verdict | None]]:
    """The items to show: those a filter hides are left out unless ``show_all``."""
    return [(item, v) for item, v in items if show_all or v is None or not v.hidden]


def say_hidden(stream: TextIO, count: int) -> None:
    if count:
        stream.write(translate(
            "cli", "%n hidden by a filter (--all to see them)", None, count) + "\n")


def _filter_line(stream: TextIO, verdict: Verdict) -> None:
    line = (translate("cli", "[hidden: {words}]") if verdict.hidden
            else translate("cli", "[Filtered: {words}]"))
    stream.write("    " + line.format(words=safe(verdict.text)) + "\n")


def write_json(stream: TextIO, data: Any) -> None:
    """Indented JSON; C1 controls and bidi overrides written as ``\\uXXXX`` escapes (the same
    data for a parser, nothing a terminal acts on); json already escapes C0 controls."""
    stream.write(_JSON_UNSAFE.sub(_json_escape, json.dumps(data, ensure_ascii=False, indent=2)))
    stream.write("\n")


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def write_accounts(stream: TextIO, accounts: Sequence[Account]) -> None:
    if not accounts:
        stream.write(translate("cli", "No account. Add one with “paris-desk account add”.") + "\n")
    for account in accounts:
        label = translate("cli", "  “{label}”").format(label=account.label) if account.label else ""
        name = account.display_name or account.handle
        stream.write(safe(f"{account.id}  {name}{label}") + "\n")


def write_posts(stream: TextIO, posts: Sequence[tuple[Post, Verdict | None]]) -> None:
    """Each post; one a filter warns about shows only "[Filtré : mot]" instead of its text."""
    for post, verdict in posts:
        header = f"{_when(post.sort_time)}  {post.author.handle}"
        if post.repost_by:
            header += translate("cli", "  (reposted by {handle})").format(
                handle=post.repost_by.handle)
        stream.write(safe(header) + "\n")
        if verdict is not None:
            _filter_line(stream, verdict)
            if not verdict.hidden:
                stream.write(f"    {safe(post.url or post.uri)}\n\n")
                continue
        if post.content_warning:
            stream.write("    " + translate("cli", "[content warning: {text}]").format(
                text=safe(post.content_warning)) + "\n")
        for line in (post.text or "").replace("\r\n", "\n").split("\n"):
            stream.write(f"    {safe(line)}\n")
        for media in post.media:
            alt = safe(media.alt) or translate("cli", "no description")
            stream.write("    " + translate("cli", "[image: {alt}]").format(alt=alt) + "\n")
        stream.write(f"    {safe(post.url or post.uri)}\n")
        stream.write("    " + translate("cli", "seen by: {accounts}").format(
            accounts=safe(", ".join(post.seen_by))) + "\n\n")


_KINDS = {  # what the author did, translated where shown
    "mention": QT_TRANSLATE_NOOP("cli", "mentions you"),
    "reply": QT_TRANSLATE_NOOP("cli", "replied"),
    "quote": QT_TRANSLATE_NOOP("cli", "quotes you"),
    "like": QT_TRANSLATE_NOOP("cli", "liked"),
    "repost": QT_TRANSLATE_NOOP("cli", "reposted"),
    "follow": QT_TRANSLATE_NOOP("cli", "follows you"),
    "other": QT_TRANSLATE_NOOP("cli", "sent a notification"),
}


def write_notifications(stream: TextIO,
                        notifications: Sequence[tuple[Notification, Verdict | None]]) -> None:
    for n, verdict in notifications:
        mark = "*" if n.unread else " "
        what = translate("cli", _KINDS[n.kind.value]) if n.kind.value in _KINDS else n.kind.value
        line = f"{mark} {_when(n.created_at)}  {n.account_id}  {n.author.handle} {what}"
        stream.write(safe(line) + "\n")
        if verdict is not None:
            _filter_line(stream, verdict)
        elif n.post is not None and n.post.text:
            first = n.post.text.replace("\r\n", "\n").split("\n")[0]
            stream.write(f"    {safe(first)}\n")
