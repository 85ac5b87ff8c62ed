"""AppView JSON (views, as ``json.loads`` gives them) → ``paris_desk.core.model`` values.

Pure functions, no network, no SDK: the answers of ``xrpc`` come here as dicts with the
lexicons' camelCase keys, and open-union members say what they are in ``$type``
(``app.bsky.embed.images#view``…). Received JSON is not trusted: a missing or mistyped field
gives an empty value, never an exception, and a post whose record is odd (bad facets, unknown
embeds, dates: API_NOTES §2.5) is still shown.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from paris_desk.channels.authors import shared
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

from .text import CW_PREFIX

Json = dict[str, Any]
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
THREAD_VIEW = "app.bsky.feed.defs#threadViewPost"
REASON_REPOST = "app.bsky.feed.defs#reasonRepost"


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


def _obj(data: Json, key: str) -> Json:
    """``data[key]`` when it is a JSON object, else {} (received JSON is not trusted)."""
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _list(data: Json, key: str) -> list[Json]:
    """The JSON objects of the list ``data[key]`` (anything else left out)."""
    value = data.get(key)
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _str(data: Json, key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _int(data: Json, key: str) -> int:
    value = data.get(key)
    return value if type(value) is int else 0


def author_from_profile(profile: Json) -> Author:
    """From ``profileViewBasic``/``profileView``/``profileViewDetailed``."""
    handle, did = _str(profile, "handle"), _str(profile, "did")
    return shared(Author(
        handle=handle,
        display_name=_str(profile, "displayName"),
        avatar_url=_str(profile, "avatar"),
        user_id=did,
        url=profile_url(handle if handle and handle != "handle.invalid" else did),
    ))


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
            known = _FEATURES.get(_str(feature, "$type")) if isinstance(feature, dict) else None
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
def _aspect(view: Json) -> tuple[int, int]:
    ratio = _obj(view, "aspectRatio")
    return _int(ratio, "width"), _int(ratio, "height")


def _media(item: Json, url: str, preview: str, kind: str = "image") -> Media:
    width, height = _aspect(item)
    return Media(url=url, alt=_str(item, "alt"), preview_url=preview, kind=kind, width=width,
                 height=height)


def media_from_embed(embed: Json) -> tuple[Media, ...]:
    kind = embed.get("$type")
    if kind == "app.bsky.embed.images#view":
        return tuple(_media(i, _str(i, "fullsize"), _str(i, "thumb"))
                     for i in _list(embed, "images"))
    if kind == "app.bsky.embed.gallery#view":
        return tuple(_media(i, _str(i, "fullsize"), _str(i, "thumbnail"))
                     for i in _list(embed, "items")
                     if i.get("$type") == "app.bsky.embed.gallery#viewImage")
    if kind == "app.bsky.embed.video#view":
        return (_media(embed, _str(embed, "playlist"), _str(embed, "thumbnail"), "video"),)
    return ()


def card_from_embed(embed: Json) -> LinkCard | None:
    if embed.get("$type") != "app.bsky.embed.external#view":
        return None
    ext = _obj(embed, "external")
    return LinkCard(url=_str(ext, "uri"), title=_str(ext, "title"),
                    description=_str(ext, "description"), image_url=_str(ext, "thumb"))


def embed_parts(embed: Json) -> tuple[tuple[Media, ...], LinkCard | None, Post | None]:
    """(media, link card, quoted post) of a post view's ``embed``."""
    kind = embed.get("$type")
    if kind == "app.bsky.embed.record#view":
        return (), None, quote_from_view(_obj(embed, "record"))
    if kind == "app.bsky.embed.recordWithMedia#view":
        media = _obj(embed, "media")
        return (media_from_embed(media), card_from_embed(media),
                quote_from_view(_obj(_obj(embed, "record"), "record")))
    return media_from_embed(embed), card_from_embed(embed), None


def quote_from_view(record: Json) -> Post | None:
    """A quoted post (``embed.record#viewRecord``); None when deleted, blocked or not a post."""
    if record.get("$type") != "app.bsky.embed.record#viewRecord":
        return None
    value = _obj(record, "value")
    if value.get("$type") != "app.bsky.feed.post":
        return None
    embeds = _list(record, "embeds")
    media, card, _ = embed_parts(embeds[0]) if embeds else ((), None, None)
    return build_post(
        uri=_str(record, "uri"), cid=_str(record, "cid"),
        author=author_from_profile(_obj(record, "author")), indexed_at=record.get("indexedAt"),
        record=value, media=media, card=card, view=record,
    )


# -- posts -----------------------------------------------------------------------------------
def build_post(*, uri: str, cid: str, author: Author, indexed_at: object, record: Json,
               media: tuple[Media, ...] = (), card: LinkCard | None = None,
               quote: Post | None = None, view: Json | None = None,
               reply_to_handle: str = "") -> Post:
    """A ``Post`` from a post record (JSON) and what the view adds around it."""
    view = view or {}
    warning, text, facets = split_content_warning(_str(record, "text"),
                                                  facets_from_json(record.get("facets")))
    spans = spans_from_facets(text, facets)
    reply = _obj(record, "reply")
    parent, root = _obj(reply, "parent"), _obj(reply, "root")
    langs = record.get("langs")
    language = langs[0] if isinstance(langs, list) and langs else ""
    viewer = _obj(view, "viewer")
    labels = labels_of(record, view)
    return Post(
        uri=uri, native_id=uri, network=Network.BLUESKY, author=author,
        created_at=parse_datetime(indexed_at, parse_datetime(record.get("createdAt"))),
        text=text, html=html_from_spans(spans), spans=spans, url=post_url(author, uri), cid=cid,
        media=media, card=card, quote=quote,
        content_warning=", ".join(
            w for w in (warning, *(v for v in labels if v in WARNING_LABELS)) if w),
        labels=labels,
        language=language if isinstance(language, str) else "",
        reply_count=_int(view, "replyCount"),
        repost_count=_int(view, "repostCount"),
        like_count=_int(view, "likeCount"),
        liked=bool(viewer.get("like")), reposted=bool(viewer.get("repost")),
        reply_to_uri=_str(parent, "uri"), reply_to_handle=reply_to_handle,
        reply_parent_cid=_str(parent, "cid"),
        reply_root_uri=_str(root, "uri"), reply_root_cid=_str(root, "cid"),
    )


def labels_of(record: Json, view: Json) -> tuple[str, ...]:
    """The label values in force on a post: its self-labels (``record.labels``) and what
    labelers put on it (``view.labels``, the AppView's hydration, which repeats the self-labels
    with the author as ``src``), minus those their own source negates (``neg``)."""
    author = _str(_obj(view, "author"), "did")
    found = [(author, _str(v, "val")) for v in _list(_obj(record, "labels"), "values")]
    negated: set[tuple[str, str]] = set()
    for label in _list(view, "labels"):
        pair = (_str(label, "src"), _str(label, "val"))
        if label.get("neg"):
            negated.add(pair)
        else:
            found.append(pair)
    return tuple(dict.fromkeys(val for src, val in found if val and (src, val) not in negated))


def post_from_view(view: Json, reply_to_handle: str = "") -> Post:
    """From a ``postView``."""
    media, card, quote = embed_parts(_obj(view, "embed"))
    return build_post(
        uri=_str(view, "uri"), cid=_str(view, "cid"),
        author=author_from_profile(_obj(view, "author")), indexed_at=view.get("indexedAt"),
        record=_obj(view, "record"), media=media, card=card, quote=quote, view=view,
        reply_to_handle=reply_to_handle,
    )


def post_from_feed_item(item: Json) -> Post:
    """A timeline item (``feedViewPost``): the post, with its reply context and, for a
    repost, who reposted. The parent may be a ``notFoundPost``/``blockedPost``: no handle."""
    parent = _obj(_obj(item, "reply"), "parent")
    post = post_from_view(_obj(item, "post"),
                          reply_to_handle=_str(_obj(parent, "author"), "handle"))
    reason = _obj(item, "reason")
    if reason.get("$type") == REASON_REPOST:
        return replace(post, repost_by=author_from_profile(_obj(reason, "by")),
                       repost_created_at=parse_datetime(reason.get("indexedAt")))
    return post


def posts_from_feed(feed: object) -> list[Post]:
    """The items of a feed page that carry a post (``uri``); others are left out."""
    items = feed if isinstance(feed, list) else []
    return [post_from_feed_item(item) for item in items
            if isinstance(item, dict) and _str(_obj(item, "post"), "uri")]


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
def notification_post_uri(item: Json) -> str:
    """The post to show with a notification: the mention/reply/quote itself, or the liked or
    reposted post of the account; "" for follows and unknown reasons."""
    reason = _str(item, "reason")
    if reason in POST_REASONS:
        return _str(item, "uri")
    if reason in SUBJECT_REASONS:
        return _str(item, "reasonSubject")
    return ""


def notification_from_view(item: Json, posts: dict[str, Post], account_id: str) -> Notification:
    """From a ``listNotifications`` item; ``posts``: the posts it may show, by URI."""
    reason = _str(item, "reason")
    author = _obj(item, "author")
    return Notification(
        id=_str(item, "uri"),
        account_id=account_id,
        kind=_KINDS.get(reason, NotificationKind.OTHER),
        author=author_from_profile(author),
        created_at=parse_datetime(item.get("indexedAt")),
        post=posts.get(notification_post_uri(item)),
        subject_uri=_str(item, "reasonSubject") if reason in SUBJECT_REASONS else "",
        unread=not item.get("isRead"),
        network=Network.BLUESKY,
        # Whether the account follows the author: the view's ``viewer.following``.
        from_stranger=reason in STRANGER_REASONS and not _obj(author, "viewer").get("following"),
    )


def thread_from_view(node: Json) -> Thread:
    """``getPostThread``'s ``threadViewPost`` → the post, its ancestors (oldest first), its
    replies flattened in depth-first order. Deleted and blocked posts are left out."""
    chain: list[Json] = []
    parent = _obj(node, "parent")
    while parent.get("$type") == THREAD_VIEW:
        chain.append(_obj(parent, "post"))
        parent = _obj(parent, "parent")
    chain.reverse()
    ancestors: list[Post] = []
    handle = ""
    for view in chain:
        ancestors.append(post_from_view(view, reply_to_handle=handle))
        handle = _str(_obj(view, "author"), "handle")
    post = _obj(node, "post")
    return Thread(post=post_from_view(post, reply_to_handle=handle),
                  ancestors=tuple(ancestors), replies=tuple(_flatten_replies(node)),
                  hidden_replies=hidden_replies(chain[0] if chain else post))


def hidden_replies(root: Json) -> tuple[str, ...]:
    """The replies the thread's author hid: the root's threadgate ``hiddenReplies``, which the
    AppView hydrates into the root post's view."""
    uris = _obj(_obj(root, "threadgate"), "record").get("hiddenReplies")
    return tuple(u for u in uris if isinstance(u, str)) if isinstance(uris, list) else ()


def _flatten_replies(node: Json) -> list[Post]:
    out: list[Post] = []
    handle = _str(_obj(_obj(node, "post"), "author"), "handle")
    for reply in _list(node, "replies"):
        if reply.get("$type") == THREAD_VIEW:
            out.append(post_from_view(_obj(reply, "post"), reply_to_handle=handle))
            out.extend(_flatten_replies(reply))
    return out
