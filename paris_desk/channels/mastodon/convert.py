"""Mastodon API entities → core dataclasses.

Input is a status/notification/instance mapping: Mastodon.py's ``AttribAccessDict`` (datetimes
already parsed, missing keys as None) or the raw JSON dict (ISO strings). Entity docs:
https://docs.joinmastodon.org/entities/Status/, /Notification/, /Instance/.
A missing required field raises :class:`ConversionError` naming it (``status[109…].account.acct``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from paris_desk.channels.authors import shared
from paris_desk.channels.mastodon.errors import NETWORK, ConversionError
from paris_desk.channels.mastodon.html import render
from paris_desk.core.model import (
    Author,
    Limits,
    LinkCard,
    Media,
    Network,
    Notification,
    NotificationKind,
    Post,
)

Entity = Mapping[str, Any]

_KINDS = {
    "mention": NotificationKind.MENTION,
    "quote": NotificationKind.QUOTE,
    "favourite": NotificationKind.LIKE,
    "reblog": NotificationKind.REPOST,
    "follow": NotificationKind.FOLLOW,
}
_MEDIA_KINDS = {"image", "video", "gifv", "audio"}


def post_from_status(status: Entity, account_id: str, *, _depth: int = 0) -> Post:
    """The Post a timeline item shows. A reblog becomes the original with ``repost_by`` set."""
    where = f"status[{status.get('id', '?')}]"
    reblog = status.get("reblog")
    if reblog:
        original = post_from_status(reblog, account_id, _depth=_depth)
        return replace(
            original,
            repost_by=author_from(
                _required(status, "account", where), account_id, where + ".account"
            ),
            repost_created_at=parse_datetime(
                _required(status, "created_at", where), where + ".created_at"
            ),
        )
    mentions = status.get("mentions") or ()
    author = author_from(_required(status, "account", where), account_id, where + ".account")
    quote = _quote(status.get("quote"), account_id, _depth) if _depth == 0 else None
    rich = render(
        status.get("content") or "",
        frozenset(_mention_urls(mentions)),
        hide_quote_inline=quote is not None,
    )
    return Post(
        uri=str(_required(status, "uri", where)),
        native_id=str(_required(status, "id", where)),
        network=Network.MASTODON,
        author=author,
        created_at=parse_datetime(_required(status, "created_at", where), where + ".created_at"),
        text=rich.text,
        html=rich.html,
        spans=rich.spans,
        url=str(status.get("url") or status.get("uri") or ""),
        media=tuple(
            media_from(m, f"{where}.media_attachments[{i}]")
            for i, m in enumerate(status.get("media_attachments") or ())
        ),
        card=_card(status.get("card")),
        content_warning=str(status.get("spoiler_text") or ""),
        sensitive=bool(status.get("sensitive")),
        language=str(status.get("language") or ""),
        visibility=str(status.get("visibility") or ""),
        reply_count=_count(status.get("replies_count")),
        repost_count=_count(status.get("reblogs_count")),
        like_count=_count(status.get("favourites_count")),
        liked=bool(status.get("favourited")),
        reposted=bool(status.get("reblogged")),
        reply_to_native_id=str(status.get("in_reply_to_id") or ""),
        reply_to_handle=_reply_handle(status, author, mentions, account_id),
        quote=quote,
        seen_by=(account_id,),
        origin_account=account_id,
    )


def author_from(account: Entity, account_id: str, where: str = "account") -> Author:
    """``handle`` is always ``@user@host``: local accounts get the seeing server's host."""
    acct = str(_required(account, "acct", where))
    return shared(Author(
        handle=full_handle(acct, account_id, str(account.get("url") or "")),
        display_name=str(account.get("display_name") or account.get("username") or ""),
        avatar_url=str(account.get("avatar_static") or account.get("avatar") or ""),
        user_id=str(_required(account, "id", where)),
        url=str(account.get("url") or ""),
    ))


def notification_from(
    n: Entity, account_id: str, *, user_id: str = "", last_read_id: str = ""
) -> Notification:
    """``user_id`` (the account's own server id) turns replies to it from MENTION into REPLY.
    ``last_read_id`` (the notifications marker) sets ``unread``."""
    where = f"notification[{n.get('id', '?')}]"
    nid = str(_required(n, "id", where))
    kind = _KINDS.get(str(n.get("type") or ""), NotificationKind.OTHER)
    status = n.get("status")
    post = post_from_status(status, account_id) if status else None
    if (
        kind is NotificationKind.MENTION
        and status
        and user_id
        and str(status.get("in_reply_to_account_id") or "") == user_id
    ):
        kind = NotificationKind.REPLY
    subject = ""
    if post is not None and kind in (NotificationKind.LIKE, NotificationKind.REPOST):
        subject = post.uri
    elif post is not None and kind is NotificationKind.QUOTE and post.quote is not None:
        subject = post.quote.uri
    return Notification(
        id=nid,
        account_id=account_id,
        kind=kind,
        author=author_from(_required(n, "account", where), account_id, where + ".account"),
        created_at=parse_datetime(_required(n, "created_at", where), where + ".created_at"),
        post=post,
        subject_uri=subject,
        unread=not last_read_id or is_newer(nid, last_read_id),
        network=Network.MASTODON,
    )


def marker_time(last_read_id: str, known: Sequence[Notification]) -> datetime | None:
    """When the notifications marker ``last_read_id`` stands, as far as ``known`` tells: the
    time of the notification it names, or of the newest one it is above; None when unknown."""
    if not last_read_id:
        return None
    below = [n.created_at for n in known if not is_newer(n.id, last_read_id)]
    return max(below) if below else None


def is_newer(item_id: str, than_id: str) -> bool:
    """Compare opaque ids: numeric Mastodon snowflakes and fixed-length ULIDs both sort this way."""
    return (len(item_id), item_id) > (len(than_id), than_id)


def full_handle(acct: str, account_id: str, profile_url: str = "") -> str:
    acct = acct.lstrip("@")
    if "@" in acct:
        return "@" + acct
    host = host_of_account_id(account_id) or urlsplit(profile_url).netloc
    return f"@{acct}@{host}" if host else "@" + acct


def host_of_account_id(account_id: str) -> str:
    """``mastodon:@ville@host:port`` → ``host:port`` (the seeing account's server)."""
    _, _, handle = account_id.partition(":")
    return handle.rsplit("@", 1)[1] if handle.count("@") >= 2 else ""


def _quote(quote: Any, account_id: str, depth: int) -> Post | None:
    if not isinstance(quote, Mapping) or quote.get("state") != "accepted":
        return None
    quoted = quote.get("quoted_status")
    if not isinstance(quoted, Mapping):
        return None  # a shallow quote (quoted_status_id only) or a filtered one
    return post_from_status(quoted, account_id, _depth=depth + 1)


def _reply_handle(
    status: Entity, author: Author, mentions: Sequence[Entity], account_id: str
) -> str:
    target = str(status.get("in_reply_to_account_id") or "")
    if not target:
        return ""
    if target == author.user_id:
        return author.handle  # a thread by its author
    for mention in mentions:
        if str(mention.get("id") or "") == target and mention.get("acct"):
            return full_handle(str(mention["acct"]), account_id, str(mention.get("url") or ""))
    return ""


def _mention_urls(mentions: Sequence[Entity]) -> list[str]:
    return [str(m["url"]) for m in mentions if m.get("url")]


def media_from(media: Entity, where: str) -> Media:
    kind = str(media.get("type") or "unknown")
    meta = media.get("meta") or {}
    original = meta.get("original") or {} if isinstance(meta, Mapping) else {}
    return Media(
        url=str(media.get("url") or media.get("remote_url") or ""),
        alt=str(media.get("description") or ""),
        preview_url=str(media.get("preview_url") or ""),
        kind=kind if kind in _MEDIA_KINDS else "unknown",
        width=_count(original.get("width")),
        height=_count(original.get("height")),
    )


def _card(card: Any) -> LinkCard | None:
    if not isinstance(card, Mapping) or not card.get("url"):
        return None
    return LinkCard(
        url=str(card["url"]),
        title=str(card.get("title") or ""),
        description=str(card.get("description") or ""),
        image_url=str(card.get("image") or ""),
    )


def _required(entity: Entity, key: str, where: str) -> Any:
    value = entity.get(key) if isinstance(entity, Mapping) else None
    if value is None or value == "":
        raise ConversionError(f"{where}.{key}: missing", network=NETWORK)
    return value


def parse_datetime(value: Any, where: str) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(str(value))
        except ValueError:
            raise ConversionError(
                f"{where}: not a date: {str(value)[:40]!r}", network=NETWORK
            ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _count(value: Any) -> int:
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError):
        return 0


def link_replies(posts: Sequence[Post], known: Mapping[str, str] | None = None) -> list[Post]:
    """Fill ``reply_to_uri`` where the parent is in ``posts`` (or ``known``: native id → uri).

    A status only names its parent by id; within one page or one thread we can say more.
    """
    uris = dict(known or {})
    uris.update({p.native_id: p.uri for p in posts})
    return [
        replace(p, reply_to_uri=uris[p.reply_to_native_id])
        if p.reply_to_native_id in uris and not p.reply_to_uri
        else p
        for p in posts
    ]


def limits_from_instance(v2: Entity | None, v1: Entity | None) -> Limits:
    """Instance v2 ``configuration`` → v1 ``configuration`` → v1 ``max_toot_chars`` → defaults."""
    conf = _configuration(v2) or _configuration(v1) or {}
    statuses = _section(conf, "statuses")
    media = _section(conf, "media_attachments")
    legacy_chars = v1.get("max_toot_chars") if isinstance(v1, Mapping) else None
    return Limits(
        max_characters=_count(statuses.get("max_characters") or legacy_chars) or 500,
        counting="mastodon",
        characters_reserved_per_url=_count(statuses.get("characters_reserved_per_url")) or 23,
        max_media=_count(statuses.get("max_media_attachments")) or 4,
        image_size_limit=_count(media.get("image_size_limit")),
        image_matrix_limit=_count(media.get("image_matrix_limit")),
        description_limit=_count(media.get("description_limit")) or 1500,
        supports_visibility=True,
        supports_scheduling=True,
    )


def _configuration(instance: Entity | None) -> Mapping[str, Any] | None:
    if not isinstance(instance, Mapping):
        return None
    conf = instance.get("configuration")
    return conf if isinstance(conf, Mapping) and conf else None


def _section(conf: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = conf.get(key)
    return value if isinstance(value, Mapping) else {}
