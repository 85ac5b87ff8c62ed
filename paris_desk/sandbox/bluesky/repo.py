"""The sandbox's data: accounts, repositories of records, blobs, and the indexes an AppView
derives from them (counts, follows, blocks, notifications). Callers hold the server lock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from paris_desk.sandbox.bluesky import cbor
from paris_desk.sandbox.bluesky.xrpc import S32, internal, iso, now, parse_datetime, tid_for

POST = "app.bsky.feed.post"
LIKE = "app.bsky.feed.like"
REPOST = "app.bsky.feed.repost"
FOLLOW = "app.bsky.graph.follow"
BLOCK = "app.bsky.graph.block"
PROFILE = "app.bsky.actor.profile"
MENTION = "app.bsky.richtext.facet#mention"
REPLY_NOTIF_DEPTH = 5


@dataclass
class Account:
    did: str
    handle: str
    display_name: str
    email: str
    app_password: str
    password: str  # the main password (email 2FA can apply to it, never to app passwords)
    created_at: datetime
    city: bool = False


@dataclass
class Record:
    uri: str
    did: str
    collection: str
    rkey: str
    value: dict[str, Any]
    cid: str
    indexed_at: datetime
    sort_at: datetime


@dataclass
class Notification:
    recipient: str
    uri: str
    author: str
    reason: str
    reason_subject: str | None
    at: datetime


@dataclass
class Blob:
    cid: str
    data: bytes
    mime: str
    owners: set[str] = field(default_factory=set)


def at_uri(did: str, collection: str, rkey: str) -> str:
    return f"at://{did}/{collection}/{rkey}"


def split_uri(uri: str) -> tuple[str, str, str]:
    parts = uri.removeprefix("at://").split("/")
    if len(parts) != 3:
        return "", "", ""
    return parts[0], parts[1], parts[2]


class RepoState:
    """Every account's records plus derived indexes, updated on each write."""

    def __init__(self) -> None:
        self.accounts: dict[str, Account] = {}
        self.handles: dict[str, str] = {}
        self.repos: dict[str, dict[str, dict[str, Record]]] = {}
        self.by_uri: dict[str, Record] = {}
        self.blobs: dict[str, Blob] = {}
        self.likes: dict[str, dict[str, str]] = {}  # subject uri -> liker did -> like uri
        self.reposts: dict[str, dict[str, str]] = {}
        self.replies: dict[str, set[str]] = {}  # parent uri -> reply uris
        self.quotes: dict[str, set[str]] = {}
        self.follows: dict[str, dict[str, str]] = {}  # follower -> subject -> follow uri
        self.followers: dict[str, dict[str, str]] = {}  # subject -> follower -> follow uri
        self.blocks: dict[str, dict[str, str]] = {}  # blocker -> subject -> block uri
        self.mutes: dict[str, set[str]] = {}
        self.notifications: dict[str, list[Notification]] = {}
        self.seen: dict[str, datetime] = {}
        self.reports: list[dict[str, Any]] = []
        self.commits: dict[str, tuple[str, str]] = {}
        self._last_rev = ""

    # -- accounts --------------------------------------------------------------------------
    def add_account(self, account: Account) -> None:
        self.accounts[account.did] = account
        self.handles[account.handle] = account.did
        self.repos[account.did] = {}

    def resolve(self, actor: str) -> Account | None:
        """An account by DID or handle (case-insensitive handle)."""
        if actor.startswith("did:"):
            return self.accounts.get(actor)
        did = self.handles.get(actor.lower().removeprefix("@"))
        return self.accounts.get(did) if did else None

    def collection(self, did: str, collection: str) -> dict[str, Record]:
        return self.repos.get(did, {}).get(collection, {})

    # -- commits ---------------------------------------------------------------------------
    def next_rev(self) -> str:
        rev = tid_for(now())
        if rev <= self._last_rev:
            rev = _tid_after(self._last_rev)
        self._last_rev = rev
        return rev

    def commit(self, did: str) -> dict[str, str]:
        rev = self.next_rev()
        prev = self.commits.get(did, ("", ""))[0]
        cid = cbor.cid_for_record({"did": did, "rev": rev, "prev": prev or None, "version": 3})
        self.commits[did] = (cid, rev)
        return {"cid": cid, "rev": rev}

    # -- writes ----------------------------------------------------------------------------
    def create(self, did: str, collection: str, rkey: str, value: dict[str, Any],
               at: datetime | None = None) -> Record:
        """Store a new record; a taken rkey is an MST conflict (500), as on the PDS."""
        if rkey in self.collection(did, collection):
            raise internal()
        record = self._make(did, collection, rkey, value, at or now())
        self._drop_backlink_conflicts(record)
        self._store(record)
        return record

    def update(self, did: str, collection: str, rkey: str, value: dict[str, Any]) -> Record:
        old = self.collection(did, collection).get(rkey)
        if old is not None:
            self._remove(old)
        record = self._make(did, collection, rkey, value, now())
        self._store(record)
        return record

    def delete(self, did: str, collection: str, rkey: str) -> Record | None:
        record = self.collection(did, collection).get(rkey)
        if record is not None:
            self._remove(record)
        return record

    def _make(self, did: str, collection: str, rkey: str, value: dict[str, Any],
              at: datetime) -> Record:
        value = dict(value)
        value.setdefault("$type", collection)
        created = parse_datetime(str(value.get("createdAt", "")))
        sort_at = min(created, at) if created else at
        return Record(at_uri(did, collection, rkey), did, collection, rkey, value,
                      cbor.cid_for_record(value), at, sort_at)

    def _drop_backlink_conflicts(self, record: Record) -> None:
        """A second like/repost of one post (follow/block of one account) replaces the first."""
        subject = record.value.get("subject")
        index = {LIKE: self.likes, REPOST: self.reposts, FOLLOW: self.follows,
                 BLOCK: self.blocks}.get(record.collection)
        if index is None:
            return
        if record.collection in (LIKE, REPOST):
            key = subject.get("uri") if isinstance(subject, dict) else None
            old_uri = index.get(str(key), {}).get(record.did)
        else:
            old_uri = index.get(record.did, {}).get(str(subject))
        old = self.by_uri.get(old_uri or "")
        if old is not None:
            self._remove(old)

    def _store(self, record: Record) -> None:
        self.repos.setdefault(record.did, {}).setdefault(record.collection, {})[
            record.rkey] = record
        self.by_uri[record.uri] = record
        self._index(record)

    def _remove(self, record: Record) -> None:
        del self.repos[record.did][record.collection][record.rkey]
        del self.by_uri[record.uri]
        self._unindex(record)
        for items in self.notifications.values():
            items[:] = [n for n in items if n.uri != record.uri]

    # -- indexes ---------------------------------------------------------------------------
    def _index(self, record: Record) -> None:
        value, did = record.value, record.did
        if record.collection in (LIKE, REPOST):
            subject = str((value.get("subject") or {}).get("uri", ""))
            index = self.likes if record.collection == LIKE else self.reposts
            index.setdefault(subject, {})[did] = record.uri
            reason = "like" if record.collection == LIKE else "repost"
            self._notify(split_uri(subject)[0], record, reason, subject)
        elif record.collection == FOLLOW:
            subject = str(value.get("subject", ""))
            self.follows.setdefault(did, {})[subject] = record.uri
            self.followers.setdefault(subject, {})[did] = record.uri
            self._notify(subject, record, "follow", None)
        elif record.collection == BLOCK:
            self.blocks.setdefault(did, {})[str(value.get("subject", ""))] = record.uri
        elif record.collection == POST:
            parent = reply_parent(value)
            if parent:
                self.replies.setdefault(parent, set()).add(record.uri)
            quoted = quoted_uri(value)
            if quoted:
                self.quotes.setdefault(quoted, set()).add(record.uri)
            self._notify_post(record)

    def _unindex(self, record: Record) -> None:
        value, did = record.value, record.did
        if record.collection in (LIKE, REPOST):
            subject = str((value.get("subject") or {}).get("uri", ""))
            index = self.likes if record.collection == LIKE else self.reposts
            index.get(subject, {}).pop(did, None)
        elif record.collection == FOLLOW:
            subject = str(value.get("subject", ""))
            self.follows.get(did, {}).pop(subject, None)
            self.followers.get(subject, {}).pop(did, None)
        elif record.collection == BLOCK:
            self.blocks.get(did, {}).pop(str(value.get("subject", "")), None)
        elif record.collection == POST:
            self.replies.get(reply_parent(value) or "", set()).discard(record.uri)
            self.quotes.get(quoted_uri(value) or "", set()).discard(record.uri)

    def _notify(self, recipient: str, record: Record, reason: str, subject: str | None) -> None:
        if recipient == record.did or recipient not in self.accounts:
            return
        self.notifications.setdefault(recipient, []).append(
            Notification(recipient, record.uri, record.did, reason, subject, record.sort_at))

    def _notify_post(self, record: Record) -> None:
        """Mentions, then quote, then reply ancestors; each account once (AppView order)."""
        notified = {record.did}

        def once(did: str, reason: str, subject: str | None) -> None:
            if did not in notified:
                notified.add(did)
                self._notify(did, record, reason, subject)

        for facet in record.value.get("facets") or []:
            features = facet.get("features") if isinstance(facet, dict) else None
            for feature in features or []:
                if isinstance(feature, dict) and feature.get("$type") == MENTION:
                    once(str(feature.get("did", "")), "mention", None)
        quoted = quoted_uri(record.value)
        if quoted and split_uri(quoted)[1] == POST:
            once(split_uri(quoted)[0], "quote", quoted)
        ancestor = reply_parent(record.value)
        for _ in range(REPLY_NOTIF_DEPTH):
            if not ancestor:
                break
            once(split_uri(ancestor)[0], "reply", ancestor)
            parent = self.by_uri.get(ancestor)
            ancestor = reply_parent(parent.value) if parent else None

    # -- blobs -----------------------------------------------------------------------------
    def put_blob(self, did: str, data: bytes, mime: str) -> Blob:
        cid = cbor.cid_for_blob(data)
        blob = self.blobs.get(cid)
        if blob is None:
            blob = self.blobs[cid] = Blob(cid, data, mime)
        if did:
            blob.owners.add(did)
        return blob

    def blob_ref(self, blob: Blob) -> dict[str, Any]:
        return {"$type": "blob", "ref": {"$link": blob.cid}, "mimeType": blob.mime,
                "size": len(blob.data)}

    # -- notifications ---------------------------------------------------------------------
    def hidden_for(self, viewer: str) -> set[str]:
        """Accounts whose content the viewer does not see: muted, blocked either way."""
        hidden = set(self.mutes.get(viewer, set())) | set(self.blocks.get(viewer, {}))
        hidden |= {did for did, blocked in self.blocks.items() if viewer in blocked}
        return hidden

    def visible_notifications(self, viewer: str) -> list[Notification]:
        hidden = self.hidden_for(viewer)
        items = [n for n in self.notifications.get(viewer, []) if n.author not in hidden]
        return sorted(items, key=lambda n: (n.at, n.uri), reverse=True)

    def unread_count(self, viewer: str) -> int:
        seen = self.seen.get(viewer)
        return sum(1 for n in self.visible_notifications(viewer) if seen is None or n.at > seen)

    def seen_iso(self, viewer: str) -> str | None:
        seen = self.seen.get(viewer)
        return iso(seen) if seen else None


def reply_parent(value: dict[str, Any]) -> str | None:
    reply = value.get("reply")
    if isinstance(reply, dict) and isinstance(reply.get("parent"), dict):
        return str(reply["parent"].get("uri", "")) or None
    return None


def reply_root(value: dict[str, Any]) -> str | None:
    reply = value.get("reply")
    if isinstance(reply, dict) and isinstance(reply.get("root"), dict):
        return str(reply["root"].get("uri", "")) or None
    return None


def quoted_uri(value: dict[str, Any]) -> str | None:
    embed = value.get("embed")
    if not isinstance(embed, dict):
        return None
    if embed.get("$type") == "app.bsky.embed.record":
        ref = embed.get("record")
    elif embed.get("$type") == "app.bsky.embed.recordWithMedia":
        ref = (embed.get("record") or {}).get("record")
    else:
        return None
    if not isinstance(ref, dict):
        return None
    return str(ref.get("uri", "")) or None


def _tid_after(tid: str) -> str:
    digits = [S32.index(c) for c in tid]
    i = len(digits) - 1
    while digits[i] == 31:
        digits[i] = 0
        i -= 1
    digits[i] += 1
    return "".join(S32[d] for d in digits)
