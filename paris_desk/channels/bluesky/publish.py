"""Publishing a post exactly once (API_NOTES §0.2, §2.4).

The record key is ``PostRequest.idempotency_key``, a TID the outbox chose and stored before the
first attempt. After an ambiguous failure (5xx, dropped connection, timeout) the record is
looked up at that key: found means it was written, and the same post is returned; not found
means the original, retryable error is raised and the outbox sends again with the same key.
A second create at an existing key is refused by the PDS, so no retry can make a duplicate.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from atproto_client import models
from pydantic import ValidationError

from paris_desk.core.errors import ChannelError, NotFound, Rejected, ServerError, Unreachable
from paris_desk.core.model import Account, Author, Post, PostRequest, PreparedMedia
from paris_desk.core.tid import is_tid

from . import reads, records
from .convert import post_from_record, profile_url
from .errors import NETWORK
from .records import record_dict
from .session import SessionCaller, pds_url

log = logging.getLogger(__name__)

MAX_IMAGES = 4


class Publisher:
    """Writes posts (and their threadgates) for one account, through the SDK (imported with
    this module: the channel imports it at the first write)."""

    def __init__(self, api: SessionCaller, account: Account) -> None:
        self._api = api
        self._account = account

    @property
    def _client(self) -> Any:
        """The SDK client, with the session as it is now (see ``SessionCaller.client``)."""
        return self._api.client

    # -- public ------------------------------------------------------------------------------
    def post(self, request: PostRequest) -> Post:
        rkey = self._rkey(request)
        created_at = request.created_at or datetime.now(UTC)
        record = self._record(request, created_at)
        uri = f"at://{self._api.did}/{records.POST}/{rkey}"
        gate = self._gate(request, uri, created_at)
        cid, stored = self._create_once(self._client.app.bsky.feed.post, record, rkey)
        if gate is not None:
            self._create_once(self._client.app.bsky.feed.threadgate, gate, rkey)
        log.info("posted %s as %s", rkey, self._account.handle)
        return self._post(uri, cid, stored or record_dict(record), request)

    def find_sent(self, request: PostRequest) -> Post | None:
        """The post written at the request's key, or None. A found post is taken as sent, so
        a threadgate whose write failed after the post's is written now."""
        rkey = self._rkey(request)
        found = self._get(self._client.app.bsky.feed.post, rkey)
        if found is None:
            return None
        uri, cid, value = found
        gate = self._gate(request, uri, request.created_at or datetime.now(UTC))
        threadgate = self._client.app.bsky.feed.threadgate
        if gate is not None and self._get(threadgate, rkey) is None:
            self._create_once(threadgate, gate, rkey)
            log.info("wrote the missing threadgate of %s", rkey)
        return self._post(uri, cid, value, request)

    # -- building ----------------------------------------------------------------------------
    def _rkey(self, request: PostRequest) -> str:
        if not is_tid(request.idempotency_key):
            raise Rejected("the idempotency key of a Bluesky post must be a TID",
                           account_id=self._account.id, network=NETWORK)
        return request.idempotency_key

    def _record(self, request: PostRequest, created_at: datetime) -> models.AppBskyFeedPost.Record:
        self._check_media(request.media)
        text = records.compose_text(request.text, request.content_warning, bool(request.media))
        facets = records.detect_facets(text)
        dids = {handle: self.did_of(handle) for handle in records.mention_handles(facets)}
        reply = records.reply_ref(self._complete(request.reply_to)) if request.reply_to else None
        quote = self._complete(request.quote) if request.quote else None
        blobs = [self._upload(upload) for upload in request.media]
        embed = records.post_embed(self._media_embed(request, blobs), quote)
        return self._checked(lambda: records.post_record(
            text=text, created_at=created_at, language=request.language,
            facets=records.lexicon_facets(facets, dids), reply=reply, embed=embed,
            warn_media=bool(request.content_warning.strip() and request.media)))

    def _gate(self, request: PostRequest, uri: str, created_at: datetime
              ) -> models.AppBskyFeedThreadgate.Record | None:
        """The threadgate record of the post at ``uri``; None when everyone may reply, and for a
        reply (a gate only means something on a thread's root post)."""
        if request.reply_to is not None:
            return None
        return self._checked(lambda: records.threadgate_record(uri, request.reply_gate,
                                                               created_at))

    def _media_embed(self, request: PostRequest, blobs: list[models.BlobRef]
                     ) -> records.MediaEmbed | None:
        """Images or video; else the link card, if any (one embed per post)."""
        if request.media or request.link_card is None:
            return records.media_embed(request.media, blobs)
        thumb = request.link_card_thumb
        return records.external_embed(request.link_card, self._upload(thumb) if thumb else None)

    def _check_media(self, media: tuple[PreparedMedia, ...]) -> None:
        videos = [m for m in media if records.is_video(m)]
        if len(media) > MAX_IMAGES or (videos and len(media) > 1):
            raise Rejected(f"a Bluesky post takes up to {MAX_IMAGES} images or one video",
                           account_id=self._account.id, network=NETWORK)

    def _checked(self, build: Callable[[], Any]) -> Any:
        """Run a record builder; what the lexicon models refuse becomes ``Rejected``."""
        try:
            return build()
        except (ValidationError, ValueError) as exc:
            raise Rejected(f"invalid post: {type(exc).__name__}", account_id=self._account.id,
                           network=NETWORK) from exc

    def did_of(self, handle: str) -> str | None:
        """A mentioned handle's DID; None when it does not resolve (the mention stays text)."""
        return reads.did_of(self._api, handle)

    def _complete(self, post: Post) -> Post:
        """``post`` with the CIDs a reply or quote reference needs, fetched when missing."""
        complete = post.cid and (not post.reply_to_uri or (post.reply_root_uri
                                                          and post.reply_root_cid))
        if complete:
            return post
        found = reads.posts_by_uri(self._api, [post.uri]).get(post.uri)
        if found is None:
            raise NotFound("the post replied to or quoted no longer exists",
                           account_id=self._account.id, network=NETWORK)
        return found

    def _upload(self, upload: PreparedMedia) -> models.BlobRef:
        # The bytes go as ``content=``: the SDK would pass them to httpx as ``data=``, which
        # httpx deprecates for raw bytes (DeprecationWarning).
        response = self._api.call(self._client.com.atproto.repo.upload_blob, None,
                                  content=upload.data, headers={"Content-Type": upload.mime_type})
        return response.blob

    # -- writing exactly once ----------------------------------------------------------------
    def _create_once(self, namespace: Any, record: Any, rkey: str
                     ) -> tuple[str, dict[str, Any] | None]:
        """Create ``record`` at ``rkey``; after an ambiguous failure, return what is stored
        there. Returns (cid, stored record JSON or None when we just wrote it)."""
        try:
            created = self._api.call(namespace.create, repo=self._api.did, record=record,
                                     rkey=rkey)
        except (Unreachable, ServerError, Rejected):
            found = self._probe(namespace, rkey)
            if found is None:
                raise
            log.info("record %s was already written: not sent again", rkey)
            return found[1], found[2]
        return str(created.cid), None

    def _probe(self, namespace: Any, rkey: str) -> tuple[str, str, dict[str, Any]] | None:
        try:
            return self._get(namespace, rkey)
        except ChannelError:
            return None  # still unknown: the caller raises the original, retryable error

    def _get(self, namespace: Any, rkey: str) -> tuple[str, str, dict[str, Any]] | None:
        try:
            found = self._api.call(namespace.get, self._api.did, rkey)
        except NotFound:
            return None
        return str(found.uri), str(found.cid or ""), record_dict(found.value)

    def _post(self, uri: str, cid: str, record: dict[str, Any], request: PostRequest) -> Post:
        author = Author(handle=self._account.handle, display_name=self._account.display_name,
                        user_id=self._api.did, url=profile_url(self._account.handle))
        post = post_from_record(uri=uri, cid=cid, author=author, record=record,
                                blob_url=self._blob_url, quote=request.quote)
        if request.reply_to is not None:
            post = replace(post, reply_to_handle=request.reply_to.author.handle)
        return post

    def _blob_url(self, cid: str) -> str:
        base = pds_url(self._account.base_url)
        return f"{base}/xrpc/com.atproto.sync.getBlob?did={self._api.did}&cid={cid}"
