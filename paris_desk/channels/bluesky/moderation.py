"""Mute, block and report on Bluesky (API_NOTES §2.9): ``SupportsModeration`` for
``BlueskyChannel``, as a mixin over the channel's ``SessionCaller``.

- A mute is private and lives in the AppView: ``app.bsky.graph.muteActor``/``unmuteActor``.
- A block is a public record, ``app.bsky.graph.block`` in the account's repository; unblocking
  deletes that record, found through the profile's ``viewer.blocking``.
- A report goes to the PDS's moderation service: ``com.atproto.moderation.createReport`` with
  the post's strong reference as subject.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from atproto_client import models

from paris_desk.core.channel import ReportReason
from paris_desk.core.errors import NotFound
from paris_desk.core.model import Account, Author, Post

from . import records
from .convert import rkey_of
from .errors import NETWORK

if TYPE_CHECKING:
    from atproto_client import Client

    from .session import SessionCaller

_REASON_TYPES: dict[str, str] = {
    ReportReason.SPAM: "com.atproto.moderation.defs#reasonSpam",
    ReportReason.RUDE: "com.atproto.moderation.defs#reasonRude",
    ReportReason.MISLEADING: "com.atproto.moderation.defs#reasonMisleading",
    ReportReason.VIOLATION: "com.atproto.moderation.defs#reasonViolation",
    ReportReason.OTHER: "com.atproto.moderation.defs#reasonOther",
}
MAX_REPORT_COMMENT = 20_000  # lexicon maxLength of createReport's ``reason``


def reason_type(reason: str) -> str:
    """The lexicon reason type for a ``ReportReason`` value (unknown values: "other")."""
    return _REASON_TYPES.get(reason, _REASON_TYPES[ReportReason.OTHER])


class BlueskyModeration:
    """Mixed into ``BlueskyChannel``, whose ``account``, ``_api`` and ``_client`` it uses."""

    account: Account
    _api: SessionCaller
    _client: Client

    def mute(self, author: Author) -> None:
        data = models.AppBskyGraphMuteActor.Data(actor=self._did_of_author(author))
        self._api.call(self._client.app.bsky.graph.mute_actor, data)

    def unmute(self, author: Author) -> None:
        data = models.AppBskyGraphUnmuteActor.Data(actor=self._did_of_author(author))
        self._api.call(self._client.app.bsky.graph.unmute_actor, data)

    def block(self, author: Author) -> None:
        did = self._did_of_author(author)
        if self._block_uri(did):
            return  # already blocked: a second record would only be noise
        record = models.AppBskyGraphBlock.Record(
            subject=did, created_at=records.iso(datetime.now(UTC)))
        self._api.call(self._client.app.bsky.graph.block.create, self._api.did, record)

    def unblock(self, author: Author) -> None:
        uri = self._block_uri(self._did_of_author(author))
        if uri:
            self._api.call(self._client.app.bsky.graph.block.delete, self._api.did,
                           rkey_of(uri))

    def report(self, post: Post, reason: str, comment: str) -> None:
        cid = post.cid or self._cid_of(post.uri)
        data = models.ComAtprotoModerationCreateReport.Data(
            reason_type=reason_type(reason),
            subject=records.strong_ref(post.uri, cid),
            reason=comment[:MAX_REPORT_COMMENT] or None,
        )
        self._api.call(self._client.com.atproto.moderation.create_report, data)

    # -- helpers -----------------------------------------------------------------------------
    def _did_of_author(self, author: Author) -> str:
        if author.user_id.startswith("did:"):
            return author.user_id
        params = models.ComAtprotoIdentityResolveHandle.Params(
            handle=author.handle.removeprefix("@"))
        return str(self._api.call(self._client.com.atproto.identity.resolve_handle, params).did)

    def _block_uri(self, did: str) -> str:
        """The URI of this account's block record of ``did``, or "" when it does not block it."""
        params = models.AppBskyActorGetProfile.Params(actor=did)
        profile = self._api.call(self._client.app.bsky.actor.get_profile, params)
        viewer = profile.viewer
        return str(viewer.blocking) if viewer is not None and viewer.blocking else ""

    def _cid_of(self, uri: str) -> str:
        response = self._api.call(self._client.app.bsky.feed.get_posts, {"uris": [uri]})
        if not response.posts:
            raise NotFound("post deleted", account_id=self.account.id, network=NETWORK)
        return str(response.posts[0].cid)
