"""Threadgates and postgates after publishing (``SupportsThreadControl`` for
``BlueskyChannel``): hide a reply, change who may reply, forbid or detach quotes.

Both records sit at the post's record key in the account's repository (API_NOTES §2.7; a gate
under another key is accepted by the PDS and ignored by the AppView). They are read and written
as the server's JSON (``getRecord``/``putRecord``), so fields this app does not know (a list
rule, a newer field) are kept. A record left saying nothing (everyone may reply, nothing
hidden; quotes allowed, nothing detached) is deleted, as the official app does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from paris_desk.core.errors import NotFound, Rejected
from paris_desk.core.model import Account, Post
from paris_desk.core.threads import (
    MAX_DETACHED_QUOTES,
    MAX_HIDDEN_REPLIES,
    ReplyGate,
    ThreadControls,
)

from .convert import did_of, rkey_of
from .errors import NETWORK
from .text import iso

if TYPE_CHECKING:
    from .session import SessionCaller

THREADGATE = "app.bsky.feed.threadgate"
POSTGATE = "app.bsky.feed.postgate"
DISABLE_QUOTES = {"$type": "app.bsky.feed.postgate#disableRule"}
RULES: dict[ReplyGate, list[dict[str, str]]] = {
    ReplyGate.MENTIONED: [{"$type": "app.bsky.feed.threadgate#mentionRule"}],
    ReplyGate.FOLLOWERS: [{"$type": "app.bsky.feed.threadgate#followerRule"}],
    ReplyGate.FOLLOWING: [{"$type": "app.bsky.feed.threadgate#followingRule"}],
    ReplyGate.NOBODY: [],
}

Record = dict[str, Any]


def gate_of(record: Record | None) -> ReplyGate:
    if record is None or "allow" not in record:
        return ReplyGate.EVERYONE
    allow = record["allow"] if isinstance(record["allow"], list) else []
    types = [r.get("$type") for r in allow if isinstance(r, dict)]
    return next((gate for gate, rules in RULES.items()
                 if [r["$type"] for r in rules] == types), ReplyGate.CUSTOM)


def controls_of(threadgate: Record | None, postgate: Record | None) -> ThreadControls:
    rules = (postgate or {}).get("embeddingRules") or []
    return ThreadControls(
        reply_gate=gate_of(threadgate),
        hidden_replies=tuple((threadgate or {}).get("hiddenReplies") or ()),
        quotes_allowed=not any(isinstance(r, dict) and r.get("$type") == DISABLE_QUOTES["$type"]
                               for r in rules),
        detached_quotes=tuple((postgate or {}).get("detachedEmbeddingUris") or ()),
    )


class BlueskyThreadControls:
    """Mixed into ``BlueskyChannel``, whose ``account`` and ``_api`` it uses (plain XRPC)."""

    account: Account
    _api: SessionCaller

    def thread_controls(self, post: Post) -> ThreadControls:
        return self._controls(self._own_rkey(post.uri))

    def hide_reply(self, reply: Post, hidden: bool = True) -> ThreadControls:
        root = reply.reply_root_uri or reply.reply_to_uri
        if not root:
            raise self._rejected("this post is not a reply")
        rkey = self._own_rkey(root)
        gate = self._read(THREADGATE, rkey) or self._new(THREADGATE, root)
        uris = [u for u in gate.get("hiddenReplies") or () if u != reply.uri]
        if hidden:
            uris.append(reply.uri)
        if len(uris) > MAX_HIDDEN_REPLIES:
            raise self._rejected(f"at most {MAX_HIDDEN_REPLIES} hidden replies per thread")
        self._set_list(gate, "hiddenReplies", uris)
        self._write(THREADGATE, rkey, gate, empty="allow" not in gate and not uris)
        return self._controls(rkey)

    def set_reply_gate(self, post: Post, gate: ReplyGate) -> ThreadControls:
        if post.reply_root_uri or post.reply_to_uri:
            raise self._rejected("who may reply is set on the thread's first post")
        if gate is ReplyGate.CUSTOM:
            raise self._rejected("a custom reply gate cannot be written here")
        rkey = self._own_rkey(post.uri)
        record = self._read(THREADGATE, rkey) or self._new(THREADGATE, post.uri)
        record.pop("allow", None)
        if gate is not ReplyGate.EVERYONE:
            record["allow"] = RULES[gate]
        empty = gate is ReplyGate.EVERYONE and not record.get("hiddenReplies")
        self._write(THREADGATE, rkey, record, empty=empty)
        return self._controls(rkey)

    def set_quotes_allowed(self, post: Post, allowed: bool) -> ThreadControls:
        rkey = self._own_rkey(post.uri)
        record = self._read(POSTGATE, rkey) or self._new(POSTGATE, post.uri)
        rules = [r for r in record.get("embeddingRules") or ()
                 if not (isinstance(r, dict) and r.get("$type") == DISABLE_QUOTES["$type"])]
        if not allowed:
            rules.append(dict(DISABLE_QUOTES))
        self._set_list(record, "embeddingRules", rules)
        self._write(POSTGATE, rkey, record, empty=not rules
                    and not record.get("detachedEmbeddingUris"))
        return self._controls(rkey)

    def detach_quote(self, post: Post, quote_uri: str, detached: bool = True
                     ) -> ThreadControls:
        rkey = self._own_rkey(post.uri)
        record = self._read(POSTGATE, rkey) or self._new(POSTGATE, post.uri)
        uris = [u for u in record.get("detachedEmbeddingUris") or () if u != quote_uri]
        if detached:
            uris.append(quote_uri)
        if len(uris) > MAX_DETACHED_QUOTES:
            raise self._rejected(f"at most {MAX_DETACHED_QUOTES} detached quotes per post")
        self._set_list(record, "detachedEmbeddingUris", uris)
        self._write(POSTGATE, rkey, record, empty=not uris
                    and not record.get("embeddingRules"))
        return self._controls(rkey)

    # -- records -----------------------------------------------------------------------------
    def _controls(self, rkey: str) -> ThreadControls:
        return controls_of(self._read(THREADGATE, rkey), self._read(POSTGATE, rkey))

    def _own_rkey(self, uri: str) -> str:
        if did_of(uri) != self._api.did:
            raise self._rejected("only the account's own posts can be protected")
        return rkey_of(uri)

    def _read(self, collection: str, rkey: str) -> Record | None:
        params = {"repo": self._api.did, "collection": collection, "rkey": rkey}
        try:
            answer = self._api.query("com.atproto.repo.getRecord", params)
        except NotFound:
            return None
        value = answer.get("value") if isinstance(answer, dict) else None
        return dict(value) if isinstance(value, dict) else None

    def _write(self, collection: str, rkey: str, record: Record, *, empty: bool) -> None:
        data: dict[str, Any] = {"repo": self._api.did, "collection": collection, "rkey": rkey}
        if empty:
            nsid = "com.atproto.repo.deleteRecord"
        else:
            nsid, data["record"] = "com.atproto.repo.putRecord", record
        self._api.procedure(nsid, data)

    @staticmethod
    def _new(collection: str, post_uri: str) -> Record:
        return {"$type": collection, "post": post_uri,
                "createdAt": iso(datetime.now(UTC))}

    @staticmethod
    def _set_list(record: Record, key: str, values: list[Any]) -> None:
        if values:
            record[key] = values
        else:
            record.pop(key, None)

    def _rejected(self, reason: str) -> Rejected:
        return Rejected(reason, account_id=self.account.id, network=NETWORK)

