"""atproto views (AppView JSON, parsed by the SDK) → ``paris_desk.core.model`` values.

Pure functions, no network. Records inside views are read as plain JSON dicts: a record that
fails the SDK's validation arrives as a ``DotDict``, and a received post must still be shown
(bad facets, unknown embeds, odd dates: API_NOTES §2.5).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from atproto_client import models
from atproto_client.models.dot_dict import DotDict
from pydantic import BaseModel

from paris_desk.core.facets import Facet, FacetKind, spans_from_facets
from paris_desk.core.model import (
    Author,
    LinkCard,
    Media,
    Network,
    Notification,
    NotificationKind,
    Post,
    TextSpan,
    Thread,
)

from .records import CW_PREFIX

WEB = "https://bsky.app"
# Self-labels a post can carry about itself (social-app LabelsBtn): shown as a content warning.
WARNING_LABELS = ("graphic-media", "sexual", "nudity", "porn")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_FEATURES: dict[str, tuple[FacetKind, str]] = {
    "app.bsky.richtext.facet#link": ("link", "uri"),
    "app.bsky.richtext.facet#mention": ("mention", "did"),
    "app.bsky.richtext.facet#tag": ("tag", "tag"),
}
_KINDS = {
    "like": NotificationKind.LIKE,
    "repost": NotificationKind.REPOST,
    "follow": NotificationKind.FOLLOW,
    "mention": NotificationKind.MENTION,
    "reply": NotificationKind.REPLY,
    "quote": NotificationKind.QUOTE,
}
# Notifications whose ``uri`` is a post worth showing (fetched with getPosts).
POST_REASONS = frozenset({"mention", "reply", "quote"})
# Notifications whose ``reasonSubject`` is one of the account's posts.
SUBJECT_REASONS = frozenset({"like", "repost"})
STRANGER_REASONS = frozenset({"mention", "reply", "quote"})  # what "Demandes" gathers


# -- small helpers ---------------------------------------------------------------------------
def parse_datetime(value: object, fallback: datetime = _EPOCH) -> datetime:
    """An aware UTC datetime from an atproto datetime string; ``fallback`` when unusable."""
    if not isinstance(value, str) or not value:
        return fallback
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return fallback
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def rkey_of(uri: str) -> str:
    """``at://did/collection/rkey`` → ``rkey``."""
    return uri.rstrip("/").rsplit("/", 1)[-1]


def did_of(uri: str) -> str:
    """``at://did/collection/rkey`` → ``did``."""
    return uri.removeprefix("at://").split("/", 1)[0]


def profile_url(handle_or_did: str) -> str:
    return f"{WEB}/profile/{handle_or_did}"


def post_url(author: Author, uri: str) -> str:
    who = author.handle if author.handle and author.handle != "handle.invalid" else author.user_id
    return f"{profile_url(who or did_of(uri))}/post/{rkey_of(uri)}"


def record_dict(value: object) -> dict[str, Any]:
    """A record (SDK model, DotDict or dict) as lexicon JSON with camelCase keys."""
    if isinstance(value, DotDict):
        return dict(value.to_dict())
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, dict):
        return value
    return {}


def _obj(data: dict[str, Any], key: str) -> dict[str, Any]:
    """``data[key]`` when it is a JSON object, else {} (received JSON is not trusted)."""
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def author_from_profile(profile: Any) -> Author:
    """From ``ProfileViewBasic``/``ProfileView``/``ProfileViewDetailed``."""
    handle = str(getattr(profile, "handle", "") or "")
    did = str(getattr(profile, "did", "") or "")
    return Author(
        handle=handle,
        display_name=str(getattr(profile, "display_name", "") or ""),
        avatar_url=str(getattr(profile, "avatar", "") or ""),
        user_id=did,
        url=profile_url(handle if handle and handle != "handle.invalid" else did),
    )


# -- text ------------------------------------------------------------------------------------
def facets_from_json(raw: object) -> list[Facet]:
    """Lexicon facets → core ``Facet``s; structurally broken ones are dropped here, and
    ``spans_from_facets`` drops those whose ranges do not fit the text."""
    out: list[Facet] = []
    for facet in raw if isinstance(raw, list) else []:
        index = facet.get("index") if isinstance(facet, dict) else None
        features = facet.get("features") if isinstance(facet, dict) else None
        if not isinstance(index, dict) or not isinstance(features, list):
            continue
        start, end = index.get("byteStart"), index.get("byteEnd")
        if type(start) is not int or type(end) is not int:
            continue
        for feature in features:
            known = _FEATURES.get(feature.get("$type", "")) if isinstance(feature, dict) else None
            value = feature.get(known[1]) if known else None
            if known and isinstance(value, str) and value:
                out.append(Facet(start, end, known[0], value))
                break
    return out


def split_content_warning(text: str, facets: list[Facet]) -> tuple[str, str, list[Facet]]:
    """Our text CW convention (``⚠️ CW: …`` on the first line, see ``records.compose_text``)
    → (warning, text without that line, facets shifted to the shorter text)."""
    if not text.startswith(CW_PREFIX) or "\n" not in text:
        return "", text, facets
    line, rest = text.split("\n", 1)
    shift = len(line.encode("utf-8")) + 1
    shifted = [Facet(f.byte_start - shift, f.byte_end - shift, f.kind, f.value)
               for f in facets if f.byte_start >= shift]
    return line.removeprefix(CW_PREFIX).strip(), rest, shifted


def span_href(span: TextSpan) -> str:
    """Where a span points, as a web URL (mentions → profile, tags → hashtag page)."""
    if not span.link:
        return ""
    if span.kind == "mention" and not span.link.startswith(("http://", "https://")):
        return profile_url(span.link.removeprefix("@"))
    if span.kind == "tag" and not span.link.startswith(("http://", "https://")):
        return f"{WEB}/hashtag/{span.link.removeprefix('#')}"
    return span.link


def html_from_spans(spans: tuple[TextSpan, ...]) -> str:
    """Escaped text, line breaks as ``<br>``, links as ``<a href>`` (nothing else)."""
    parts: list[str] = []
    for span in spans:
        text = html.escape(span.text, quote=False).replace("\n", "<br>")
        href = span_href(span)
        if href.startswith(("http://", "https://")):
            parts.append(f'<a href="{html.escape(href, quote=True)}">{text}</a>')
        else:
            parts.append(text)
    return "".join(parts)


# -- embeds ----------------------------------------------------------------------------------
def _aspect(view: Any) -> tuple[int, int]:
    ratio = getattr(view, "aspect_ratio", None)
    return (int(ratio.width), int(ratio.height)) if ratio is not None else (0, 0)


def media_from_embed(embed: Any) -> tuple[Media, ...]:
    if isinstance(embed, models.AppBskyEmbedImages.View):
        return tuple(Media(url=i.fullsize, alt=i.alt or "", preview_url=i.thumb, kind="image",
                           width=_aspect(i)[0], height=_aspect(i)[1]) for i in embed.images)
    if isinstance(embed, models.AppBskyEmbedGallery.View):
        items = [i for i in embed.items if isinstance(i, models.AppBskyEmbedGallery.ViewImage)]
        return tuple(Media(url=i.fullsize, alt=i.alt or "", preview_url=i.thumbnail,
                           width=_aspect(i)[0], height=_aspect(i)[1]) for i in items)
    if isinstance(embed, models.AppBskyEmbedVideo.View):
        width, height = _aspect(embed)
        return (Media(url=embed.playlist, alt=embed.alt or "", preview_url=embed.thumbnail or "",
                      kind="video", width=width, height=height),)
    return ()


def card_from_embed(embed: Any) -> LinkCard | None:
    if not isinstance(embed, models.AppBskyEmbedExternal.View):
        return None
    ext = embed.external
    return LinkCard(url=ext.uri, title=ext.title or "", description=ext.description or "",
                    image_url=ext.thumb or "")


def embed_parts(embed: Any) -> tuple[tuple[Media, ...], LinkCard | None, Post | None]:
    """(media, link card, quoted post) of a post view's ``embed``."""
    if isinstance(embed, models.AppBskyEmbedRecord.View):
        return (), None, quote_from_view(embed.record)
    if isinstance(embed, models.AppBskyEmbedRecordWithMedia.View):
        return (media_from_embed(embed.media), card_from_embed(embed.media),
                quote_from_view(embed.record.record))
    return media_from_embed(embed), card_from_embed(embed), None


def quote_from_view(record: Any) -> Post | None:
    """A quoted post (``embed.record#viewRecord``); None when deleted, blocked or not a post."""
    if not isinstance(record, models.AppBskyEmbedRecord.ViewRecord):
        return None
    value = record_dict(record.value)
    if value.get("$type") != "app.bsky.feed.post":
        return None
    embeds = record.embeds or []
    media, card, _ = embed_parts(embeds[0]) if embeds else ((), None, None)
    return build_post(
        uri=record.uri, cid=record.cid, author=author_from_profile(record.author),
        indexed_at=record.indexed_at, record=value, media=media, card=card, view=record,
    )


# -- posts -----------------------------------------------------------------------------------
def build_post(*, uri: str, cid: str, author: Author, indexed_at: object, record: dict[str, Any],
               media: tuple[Media, ...] = (), card: LinkCard | None = None,
               quote: Post | None = None, view: Any = None, reply_to_handle: str = "") -> Post:
    """A ``Post`` from a post record (JSON) and what the view adds around it."""
    text = record.get("text")
    text = text if isinstance(text, str) else ""
    warning, text, facets = split_content_warning(text, facets_from_json(record.get("facets")))
    spans = spans_from_facets(text, facets)
    reply = _obj(record, "reply")
    parent = _obj(reply, "parent")
    root = _obj(reply, "root")
    langs = record.get("langs")
    langs = langs if isinstance(langs, list) else []
    created = parse_datetime(record.get("createdAt"))
    viewer = getattr(view, "viewer", None)
    return Post(
        uri=uri, native_id=uri, network=Network.BLUESKY, author=author,
        created_at=parse_datetime(indexed_at, created),
        text=text, html=html_from_spans(spans), spans=spans, url=post_url(author, uri), cid=cid,
        media=media, card=card, quote=quote,
        content_warning=", ".join(w for w in (warning, *_warning_labels(record, view)) if w),
        labels=labels_of(record, view),
        language=str(langs[0]) if langs else "",
        reply_count=int(getattr(view, "reply_count", 0) or 0),
        repost_count=int(getattr(view, "repost_count", 0) or 0),
        like_count=int(getattr(view, "like_count", 0) or 0),
        liked=bool(getattr(viewer, "like", None)), reposted=bool(getattr(viewer, "repost", None)),
        reply_to_uri=str(parent.get("uri") or ""), reply_to_handle=reply_to_handle,
        reply_parent_cid=str(parent.get("cid") or ""),
        reply_root_uri=str(root.get("uri") or ""), reply_root_cid=str(root.get("cid") or ""),
    )


def _warning_labels(record: dict[str, Any], view: Any) -> tuple[str, ...]:
    return tuple(v for v in labels_of(record, view) if v in WARNING_LABELS)


def labels_of(record: dict[str, Any], view: Any) -> tuple[str, ...]:
    """The label values in force on a post: its self-labels (``record.labels``) and what
    labelers put on it (``view.labels``, the AppView's hydration, which repeats the self-labels
    with the author as ``src``), minus those their own source negates (``neg``)."""
    author = str(getattr(getattr(view, "author", None), "did", "") or "")
    labels = _obj(record, "labels")
    found = [(author, str(v.get("val"))) for v in labels.get("values") or []
             if isinstance(v, dict)]
    negated: set[tuple[str, str]] = set()
    for label in getattr(view, "labels", None) or []:
        pair = (str(getattr(label, "src", "") or ""), str(label.val))
        if getattr(label, "neg", False):
            negated.add(pair)
        else:
            found.append(pair)
    return tuple(dict.fromkeys(val for src, val in found if val and (src, val) not in negated))


def post_from_view(view: models.AppBskyFeedDefs.PostView, reply_to_handle: str = "") -> Post:
    media, card, quote = embed_parts(view.embed)
    return build_post(
        uri=view.uri, cid=view.cid, author=author_from_profile(view.author),
        indexed_at=view.indexed_at, record=record_dict(view.record), media=media, card=card,
        quote=quote, view=view, reply_to_handle=reply_to_handle,
    )


def post_from_feed_item(item: models.AppBskyFeedDefs.FeedViewPost) -> Post:
    """A timeline item: the post, with its reply context and, for a repost, who reposted."""
    parent = item.reply.parent if item.reply is not None else None
    # A PostView, or a DotDict for a view type newer than the SDK; nothing for NotFound/Blocked.
    handle = getattr(getattr(parent, "author", None), "handle", None)
    post = post_from_view(item.post, reply_to_handle=handle if isinstance(handle, str) else "")
    reason = item.reason
    if isinstance(reason, models.AppBskyFeedDefs.ReasonRepost):
        return replace(post, repost_by=author_from_profile(reason.by),
                       repost_created_at=parse_datetime(reason.indexed_at))
    return post


def blob_cid(blob: object) -> str:
    """The CID of a blob in record JSON (``{"$type": "blob", "ref": {"$link": cid}}``)."""
    ref = blob.get("ref") if isinstance(blob, dict) else None
    link = ref.get("$link") if isinstance(ref, dict) else ref
    return link if isinstance(link, str) else ""


def media_from_record(record: dict[str, Any], blob_url: Callable[[str], str]) -> tuple[Media, ...]:
    """Media of a post *record* (no AppView view, e.g. a post we just wrote): the blobs are
    served by the PDS, ``blob_url(cid)``."""
    embed = _obj(record, "embed")
    if embed.get("$type") == "app.bsky.embed.recordWithMedia":
        embed = _obj(embed, "media")
    if embed.get("$type") == "app.bsky.embed.images":
        items = [i for i in embed.get("images") or [] if isinstance(i, dict)]
        return tuple(_record_media(i, i.get("image"), "image", blob_url) for i in items)
    if embed.get("$type") == "app.bsky.embed.video":
        return (_record_media(embed, embed.get("video"), "video", blob_url),)
    return ()


def _record_media(item: dict[str, Any], blob: object, kind: str,
                  blob_url: Callable[[str], str]) -> Media:
    ratio = _obj(item, "aspectRatio")
    url = blob_url(blob_cid(blob))
    return Media(url=url, alt=str(item.get("alt") or ""), preview_url=url, kind=kind,
                 width=int(ratio.get("width") or 0), height=int(ratio.get("height") or 0))


def post_from_record(*, uri: str, cid: str, author: Author, record: dict[str, Any],
                     blob_url: Callable[[str], str], quote: Post | None = None) -> Post:
    """A post from its record alone (what we wrote, or getRecord): no counts, no viewer."""
    return build_post(uri=uri, cid=cid, author=author, indexed_at=record.get("createdAt"),
                      record=record, media=media_from_record(record, blob_url), quote=quote)


# -- notifications and threads ----------------------------------------------------------------
def notification_post_uri(item: models.AppBskyNotificationListNotifications.Notification) -> str:
    """The post to show with a notification: the mention/reply/quote itself, or the liked or
    reposted post of the account; "" for follows and unknown reasons."""
    if item.reason in POST_REASONS:
        return str(item.uri)
    if item.reason in SUBJECT_REASONS:
        return item.reason_subject or ""
    return ""


def notification_from_view(item: models.AppBskyNotificationListNotifications.Notification,
                           posts: dict[str, Post], account_id: str) -> Notification:
    return Notification(
        id=item.uri,
        account_id=account_id,
        kind=_KINDS.get(str(item.reason), NotificationKind.OTHER),
        author=author_from_profile(item.author),
        created_at=parse_datetime(item.indexed_at),
        post=posts.get(notification_post_uri(item)),
        subject_uri=(item.reason_subject or "") if item.reason in SUBJECT_REASONS else "",
        unread=not item.is_read,
        network=Network.BLUESKY,
        from_stranger=item.reason in STRANGER_REASONS and not _followed(item.author),
    )


def _followed(author: Any) -> bool:
    """Whether the account follows ``author`` (the view's ``viewer.following``)."""
    return bool(getattr(getattr(author, "viewer", None), "following", None))


def thread_from_view(node: models.AppBskyFeedDefs.ThreadViewPost) -> Thread:
    """``getPostThread`` → the post, its ancestors (oldest first), its replies flattened in
    depth-first order. Deleted and blocked posts are left out."""
    chain: list[models.AppBskyFeedDefs.PostView] = []
    parent = node.parent
    while isinstance(parent, models.AppBskyFeedDefs.ThreadViewPost):
        chain.append(parent.post)
        parent = parent.parent
    chain.reverse()
    ancestors: list[Post] = []
    handle = ""
    for view in chain:
        ancestors.append(post_from_view(view, reply_to_handle=handle))
        handle = view.author.handle
    root = chain[0] if chain else node.post
    return Thread(post=post_from_view(node.post, reply_to_handle=handle),
                  ancestors=tuple(ancestors), replies=tuple(_flatten_replies(node)),
                  hidden_replies=hidden_replies(root))


def hidden_replies(root: models.AppBskyFeedDefs.PostView) -> tuple[str, ...]:
    """The replies the thread's author hid: the root's threadgate ``hiddenReplies``, which the
    AppView hydrates into the root post's view."""
    gate = getattr(root, "threadgate", None)
    record = getattr(gate, "record", None)
    if record is None:
        return ()
    uris = (record.get("hiddenReplies") if isinstance(record, dict)
            else getattr(record, "hidden_replies", None))
    return tuple(str(uri) for uri in uris or ())


def _flatten_replies(node: models.AppBskyFeedDefs.ThreadViewPost) -> list[Post]:
    out: list[Post] = []
    for reply in node.replies or []:
        if isinstance(reply, models.AppBskyFeedDefs.ThreadViewPost):
            out.append(post_from_view(reply.post, reply_to_handle=node.post.author.handle))
            out.extend(_flatten_replies(reply))
    return out
