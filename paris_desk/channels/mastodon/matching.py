"""Finding a post we may already have made, and scheduled statuses as Posts.

The ``Idempotency-Key`` protects a retry for one hour, on Mastodon only (GoToSocial ignores
it; scheduled posts ignore it too): after an ambiguous failure we look for the post among the
account's own recent statuses before sending again.

A status matches a request when it was created after the request (less ``CLOCK_SKEW``, for a
client clock ahead of the server's) and has the same text, content warning, media (count and
alt texts) and parent: the same text posted on purpose an hour earlier, or as a reply
elsewhere, is another post. Two requests alike in all that (the same text sent twice on
purpose) are told apart by the caller, which excludes the posts other jobs already hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from paris_desk.channels.mastodon.convert import media_from, parse_datetime
from paris_desk.core.model import Account, Author, Network, Post, PostRequest

CLOCK_SKEW = timedelta(minutes=2)
_REMOTE_MENTION = re.compile(r"(?<![\w@])@([\w.-]+)@[\w.-]+\w")
_SPACES = re.compile(r"\s+")


def comparable_text(text: str) -> str:
    """What survives the server's HTML round trip: ``@u@domain`` shows as ``@u``, and
    whitespace (newlines, paragraphs) collapses."""
    return _SPACES.sub(" ", _REMOTE_MENTION.sub(r"@\1", text)).strip()


def is_same_post(post: Post, request: PostRequest, reply_to_id: str | None) -> bool:
    """``reply_to_id``: the id of ``request.reply_to`` on this server (None: not a reply)."""
    if is_before_request(post, request):
        return False
    return (
        comparable_text(post.text) == comparable_text(request.text)
        and post.content_warning.strip() == request.content_warning.strip()
        and len(post.media) == len(request.media)
        and all(
            m.alt.strip() == r.alt.strip() for m, r in zip(post.media, request.media, strict=True)
        )
        and post.reply_to_native_id == (reply_to_id or "")
    )


def is_before_request(post: Post, request: PostRequest) -> bool:
    """True when ``post`` is older than any post made for ``request`` can be."""
    return request.created_at is not None and post.created_at < request.created_at - CLOCK_SKEW


def post_from_scheduled(
    scheduled: Mapping[str, Any], account: Account, request: PostRequest
) -> Post:
    """A native scheduled status as a Post (its ``uri`` is its API address until published)."""
    sid = str(scheduled.get("id") or "")
    when = scheduled.get("scheduled_at") or request.scheduled_at
    where = f"scheduled_status[{sid}]"
    return Post(
        uri=f"{account.base_url}/api/v1/scheduled_statuses/{sid}",
        native_id=sid,
        network=Network.MASTODON,
        author=Author(
            handle=account.handle, display_name=account.display_name, user_id=account.user_id
        ),
        created_at=parse_datetime(when, where + ".scheduled_at"),
        text=request.text,
        media=tuple(
            media_from(m, f"{where}.media_attachments[{i}]")
            for i, m in enumerate(scheduled.get("media_attachments") or ())
        ),
        content_warning=request.content_warning,
        language=request.language,
        seen_by=(account.id,),
        origin_account=account.id,
    )


def find_scheduled(
    scheduled: Iterable[Mapping[str, Any]],
    account: Account,
    request: PostRequest,
    exclude: frozenset[str] = frozenset(),
) -> Post | None:
    if request.scheduled_at is None:
        return None
    for item in scheduled:
        if f"{account.base_url}/api/v1/scheduled_statuses/{item.get('id')}" in exclude:
            continue
        params = item.get("params") or {}
        when = item.get("scheduled_at")
        if when is None or params.get("text") != request.text:
            continue
        at = parse_datetime(when, f"scheduled_status[{item.get('id')}].scheduled_at")
        if abs(at - request.scheduled_at) <= timedelta(minutes=1):
            return post_from_scheduled(item, account, request)
    return None
