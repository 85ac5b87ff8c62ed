"""Mute, block and report on Bluesky (API_NOTES §2.9): ``SupportsModeration`` for
``BlueskyChannel``, as a mixin over the channel's ``SessionCaller``.

- A mute is private and lives in the AppView: ``app.bsky.graph.muteActor``/``unmuteActor``.
- A block is a public record, ``app.bsky.graph.block`` in the account's repository; unblocking
  deletes that record, found through the profile's ``viewer.blocking``.
- A report goes to the PDS's moderation service: ``com.atproto.moderation.createReport`` with
  the post's strong reference as subject.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from paris_desk.core.channel import ReportReason
from paris_desk.core.errors import ServerError
from paris_desk.core.model import Account, Author, Post

from . import reads
from .errors import NETWORK

if TYPE_CHECKING:
    from .session import SessionCaller

_REASON_TYPES: dict[str, str] = {
    ReportReason.SPAM: "com.atproto.moderation.defs#reasonSpam",
    ReportReason.RUDE: "com.atproto.moderation.defs#reasonRude",
    ReportReason.MISLEADING: "com.atproto.moderation.defs#reasonMisleading",
    ReportReason.VIOLATION: "com.atproto.moderation.defs#reasonViolation",
    ReportReason.OTHER: "com.atproto.moderation.defs#reasonOther",
}
MAX_REPORT_COMMENT = 20_000  # lexicon maxLength of createReport's ``reason``
BLOCK = "app.bsky.graph.block"


def reason_type(reason: str) -> str:
    """The lexicon reason type for a ``ReportReason`` value (unknown values: "other")."""
    return _REASON_TYPES.get(reason, _REASON_TYPES[ReportReason.OTHER])


class BlueskyModeration:
    """Mixed into ``BlueskyChannel``, whose ``account`` and ``_api`` it uses (plain XRPC)."""

    account: Account
    _api: SessionCaller

    def mute(self, author: Author) -> None:
        self._api.procedure("app.bsky.graph.muteActor", {"actor": self._did_of_author(author)})

    def unmute(self, author: Author) -> None:
        self._api.procedure("app.bsky.graph.unmuteActor",
                            {"actor": self._did_of_author(author)})

    def block(self, author: Author) -> None:
        did = self._did_of_author(author)
        if self._block_uri(did):
            return  # already blocked: a second record would only be noise
        reads.create_record(self._api, BLOCK, {"subject": did})

    def unblock(self, author: Author) -> None:
        uri = self._block_uri(self._did_of_author(author))
        if uri:
            reads.delete_record(self._api, BLOCK, uri)

    def report(self, post: Post, reason: str, comment: str) -> None:
        cid = post.cid or str(reads.post_view(self._api, post.uri).get("cid") or "")
        data = {"reasonType": reason_type(reason), "subject": reads.strong_ref(post.uri, cid)}
        if comment[:MAX_REPORT_COMMENT]:
            data["reason"] = comment[:MAX_REPORT_COMMENT]
        self._api.procedure("com.atproto.moderation.createReport", data)

    # -- helpers -----------------------------------------------------------------------------
    def _did_of_author(self, author: Author) -> str:
        if author.user_id.startswith("did:"):
            return author.user_id
        answer = self._api.query("com.atproto.identity.resolveHandle",
                                 {"handle": author.handle.removeprefix("@")})
        did = answer.get("did") if isinstance(answer, dict) else None
        if not isinstance(did, str) or not did:
            raise ServerError("resolveHandle: unexpected answer", account_id=self.account.id,
                              network=NETWORK)
        return did

    def _block_uri(self, did: str) -> str:
        """The URI of this account's block record of ``did``, or "" when it does not block it."""
        viewer = reads.profile(self._api, did).get("viewer")
        blocking = viewer.get("blocking") if isinstance(viewer, dict) else None
        return blocking if isinstance(blocking, str) else ""
