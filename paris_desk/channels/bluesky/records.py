"""Records we write (post, threadgate, like, repost), built from core values. No network here:
blobs are uploaded and handles resolved by the channel, which passes the results in.

Content warnings (``text.compose_text``, re-exported here): see ``text``. Imports the SDK:
only the write path imports this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypeAlias

from atproto_client import models
from atproto_client.models.dot_dict import DotDict
from pydantic import BaseModel

from paris_desk.core.facets import Facet, detect
from paris_desk.core.model import LinkCard, Post, PreparedMedia

from .text import CW_LABEL, iso
from .text import CW_PREFIX as CW_PREFIX  # re-exported: records.CW_PREFIX, compose_text
from .text import compose_text as compose_text

POST = "app.bsky.feed.post"
THREADGATE = "app.bsky.feed.threadgate"


def record_dict(value: object) -> dict[str, Any]:
    """A record (SDK model, DotDict or dict) as lexicon JSON with camelCase keys."""
    if isinstance(value, DotDict):
        return dict(value.to_dict())
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, dict):
        return value
    return {}


# -- rich text -------------------------------------------------------------------------------
def _handle(value: str) -> str:
    return value.strip().removeprefix("@").lower()


def mention_handles(facets: list[Facet]) -> list[str]:
    """The distinct handles mentioned, in order, to resolve to DIDs."""
    return list(dict.fromkeys(_handle(f.value) for f in facets if f.kind == "mention"))


def detect_facets(text: str) -> list[Facet]:
    return list(detect(text))


def lexicon_facets(facets: list[Facet], dids: Mapping[str, str | None]
                   ) -> list[models.AppBskyRichtextFacet.Main]:
    """Core facets (UTF-8 byte offsets) → lexicon facets. A mention whose handle did not
    resolve (``dids[h]`` None or missing) is dropped; the text keeps the ``@handle``."""
    out: list[models.AppBskyRichtextFacet.Main] = []
    for facet in sorted(facets, key=lambda f: f.byte_start):
        feature = _feature(facet, dids)
        if feature is None:
            continue
        index = models.AppBskyRichtextFacet.ByteSlice(byte_start=facet.byte_start,
                                                      byte_end=facet.byte_end)
        out.append(models.AppBskyRichtextFacet.Main(features=[feature], index=index))
    return out


def _feature(facet: Facet, dids: Mapping[str, str | None]) -> (
        models.AppBskyRichtextFacet.Link | models.AppBskyRichtextFacet.Mention
        | models.AppBskyRichtextFacet.Tag | None):
    if facet.kind == "link":
        return models.AppBskyRichtextFacet.Link(uri=facet.value)
    if facet.kind == "mention":
        did = dids.get(_handle(facet.value))
        return models.AppBskyRichtextFacet.Mention(did=did) if did else None
    if facet.kind == "tag":
        tag = facet.value.removeprefix("#").removeprefix("＃")
        return models.AppBskyRichtextFacet.Tag(tag=tag) if tag else None
    return None


# -- references and embeds -------------------------------------------------------------------
def strong_ref(uri: str, cid: str) -> models.ComAtprotoRepoStrongRef.Main:
    return models.ComAtprotoRepoStrongRef.Main(uri=uri, cid=cid)


def reply_ref(parent: Post) -> models.AppBskyFeedPost.ReplyRef:
    """root = the parent's root when the parent is itself a reply, else the parent."""
    parent_ref = strong_ref(parent.uri, parent.cid)
    if parent.reply_root_uri and parent.reply_root_cid:
        root_ref = strong_ref(parent.reply_root_uri, parent.reply_root_cid)
    else:
        root_ref = parent_ref
    return models.AppBskyFeedPost.ReplyRef(root=root_ref, parent=parent_ref)


def aspect_ratio(upload: PreparedMedia) -> models.AppBskyEmbedDefs.AspectRatio | None:
    width, height = upload.width, upload.height
    if width <= 0 or height <= 0:
        width, height = _measure(upload.data)
    if width <= 0 or height <= 0:
        return None
    return models.AppBskyEmbedDefs.AspectRatio(width=width, height=height)


def _measure(data: bytes) -> tuple[int, int]:
    """Pixel size read from the image header (Pillow reads only the header here)."""
    from io import BytesIO

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(BytesIO(data)) as image:
            return image.size
    except (UnidentifiedImageError, OSError, ValueError):
        return 0, 0


def is_video(upload: PreparedMedia) -> bool:
    return upload.mime_type.startswith("video/")


MediaEmbed: TypeAlias = (
    models.AppBskyEmbedImages.Main | models.AppBskyEmbedVideo.Main
    | models.AppBskyEmbedExternal.Main
)
PostEmbed: TypeAlias = (
    MediaEmbed | models.AppBskyEmbedRecord.Main | models.AppBskyEmbedRecordWithMedia.Main
)


def media_embed(uploads: tuple[PreparedMedia, ...], blobs: list[models.BlobRef]
                ) -> MediaEmbed | None:
    """Uploaded blobs (same order as ``uploads``) → the images or video embed."""
    if not uploads:
        return None
    if is_video(uploads[0]):
        return models.AppBskyEmbedVideo.Main(video=blobs[0], alt=uploads[0].alt or None,
                                             aspect_ratio=aspect_ratio(uploads[0]))
    images = [models.AppBskyEmbedImages.Image(alt=u.alt, image=b, aspect_ratio=aspect_ratio(u))
              for u, b in zip(uploads, blobs, strict=True)]
    return models.AppBskyEmbedImages.Main(images=images)


def external_embed(card: LinkCard, thumb: models.BlobRef | None
                   ) -> models.AppBskyEmbedExternal.Main:
    """A link card (``app.bsky.embed.external``); the thumbnail blob is already uploaded."""
    external = models.AppBskyEmbedExternal.External(
        uri=card.url, title=card.title, description=card.description, thumb=thumb)
    return models.AppBskyEmbedExternal.Main(external=external)


def post_embed(media: MediaEmbed | None, quote: Post | None) -> PostEmbed | None:
    """One embed per post: media, quote (embed.record), or both (recordWithMedia)."""
    if quote is None:
        return media
    record = models.AppBskyEmbedRecord.Main(record=strong_ref(quote.uri, quote.cid))
    if media is None:
        return record
    return models.AppBskyEmbedRecordWithMedia.Main(record=record, media=media)


# -- records ---------------------------------------------------------------------------------
def post_record(*, text: str, created_at: datetime, language: str,
                facets: list[models.AppBskyRichtextFacet.Main],
                reply: models.AppBskyFeedPost.ReplyRef | None,
                embed: PostEmbed | None, warn_media: bool) -> models.AppBskyFeedPost.Record:
    labels = None
    if warn_media:
        labels = models.ComAtprotoLabelDefs.SelfLabels(
            values=[models.ComAtprotoLabelDefs.SelfLabel(val=CW_LABEL)])
    return models.AppBskyFeedPost.Record(
        text=text, created_at=iso(created_at), langs=[language] if language else None,
        facets=facets or None, reply=reply, embed=embed, labels=labels,
    )


def threadgate_record(post_uri: str, gate: str, created_at: datetime
                      ) -> models.AppBskyFeedThreadgate.Record | None:
    """Who may reply: ``mentioned``, ``followers``, ``following``, ``nobody``; None for
    ``everyone`` (no record at all). Raises ValueError for an unknown gate."""
    rules: dict[str, list[object]] = {
        "everyone": [],
        "nobody": [],
        "mentioned": [models.AppBskyFeedThreadgate.MentionRule()],
        "followers": [models.AppBskyFeedThreadgate.FollowerRule()],
        "following": [models.AppBskyFeedThreadgate.FollowingRule()],
    }
    if gate not in rules:
        raise ValueError(f"unknown reply gate {gate!r}")
    if gate == "everyone":
        return None
    return models.AppBskyFeedThreadgate.Record(post=post_uri, created_at=iso(created_at),
                                               allow=rules[gate])
