"""The JSON shapes of the CLI (a stable contract for scripts) and their text renderings."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TextIO

from paris_desk.core.model import Account, Author, Notification, Post


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


def write_json(stream: TextIO, data: Any) -> None:
    json.dump(data, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def write_accounts(stream: TextIO, accounts: Sequence[Account]) -> None:
    if not accounts:
        stream.write("Aucun compte. Ajoutez-en un avec « paris-desk account add ».\n")
    for account in accounts:
        label = f"  « {account.label} »" if account.label else ""
        stream.write(f"{account.id}  {account.display_name or account.handle}{label}\n")


def write_posts(stream: TextIO, posts: Sequence[Post]) -> None:
    for post in posts:
        header = f"{_when(post.sort_time)}  {post.author.handle}"
        if post.repost_by:
            header += f"  (partagé par {post.repost_by.handle})"
        stream.write(header + "\n")
        if post.content_warning:
            stream.write(f"    [avertissement : {post.content_warning}]\n")
        for line in (post.text or "").splitlines() or [""]:
            stream.write(f"    {line}\n")
        for media in post.media:
            stream.write(f"    [image : {media.alt or 'sans description'}]\n")
        stream.write(f"    {post.url or post.uri}\n")
        stream.write(f"    vu par : {', '.join(post.seen_by)}\n\n")


_KINDS = {
    "mention": "vous mentionne",
    "reply": "a répondu",
    "quote": "vous cite",
    "like": "a aimé",
    "repost": "a partagé",
    "follow": "vous suit",
    "other": "notification",
}


def write_notifications(stream: TextIO, notifications: Sequence[Notification]) -> None:
    for n in notifications:
        mark = "*" if n.unread else " "
        what = _KINDS.get(n.kind.value, n.kind.value)
        stream.write(f"{mark} {_when(n.created_at)}  {n.account_id}  {n.author.handle} {what}\n")
        if n.post is not None and n.post.text:
            stream.write(f"    {n.post.text.splitlines()[0]}\n")
