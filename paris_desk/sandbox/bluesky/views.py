"""Hydrated AppView views (``app.bsky.*.defs``) built from the stored records for one viewer.

Members of open unions carry their ``$type`` (``app.bsky.feed.defs#postView``…): clients such
as the atproto SDK pick the model from it and fall back to a plain dict without it.
"""

from __future__ import annotations

from typing import Any

from paris_desk.sandbox.bluesky.repo import (
    POST,
    PROFILE,
    Notification,
    Record,
    RepoState,
    reply_parent,
    reply_root,
    split_uri,
)
from paris_desk.sandbox.bluesky.xrpc import iso

THREADGATE = "app.bsky.feed.threadgate"
POST_VIEW = "app.bsky.feed.defs#postView"
THREAD_VIEW = "app.bsky.feed.defs#threadViewPost"
NOT_FOUND = "app.bsky.feed.defs#notFoundPost"
BLOCKED = "app.bsky.feed.defs#blockedPost"
_EXT = {"image/png": "png", "image/jpeg": "jpeg", "image/webp": "webp", "image/gif": "gif"}


class Views:
    def __init__(self, repo: RepoState, base_url: str, viewer: str) -> None:
        self.repo = repo
        self.base_url = base_url
        self.viewer = viewer
        self.hidden = repo.hidden_for(viewer)

    # -- images ----------------------------------------------------------------------------
    def image_url(self, preset: str, did: str, blob: dict[str, Any]) -> str:
        cid = str((blob.get("ref") or {}).get("$link", ""))
        ext = _EXT.get(str(blob.get("mimeType", "")), "jpeg")
        return f"{self.base_url}/img/{preset}/plain/{did}/{cid}@{ext}"

    # -- actors ----------------------------------------------------------------------------
    def actor_viewer(self, did: str) -> dict[str, Any]:
        repo, me = self.repo, self.viewer
        out: dict[str, Any] = {"muted": did in repo.mutes.get(me, set()),
                               "blockedBy": me in repo.blocks.get(did, {})}
        for key, value in (("blocking", repo.blocks.get(me, {}).get(did)),
                           ("following", repo.follows.get(me, {}).get(did)),
                           ("followedBy", repo.follows.get(did, {}).get(me))):
            if value:
                out[key] = value
        return out

    def _profile_record(self, did: str) -> dict[str, Any]:
        record = self.repo.collection(did, PROFILE).get("self")
        return record.value if record else {}

    def profile_basic(self, did: str) -> dict[str, Any]:
        account = self.repo.accounts[did]
        profile = self._profile_record(did)
        out: dict[str, Any] = {
            "did": did,
            "handle": account.handle,
            "displayName": profile.get("displayName", account.display_name),
            "viewer": self.actor_viewer(did),
            "labels": [],
            "createdAt": iso(account.created_at),
        }
        if isinstance(profile.get("avatar"), dict):
            out["avatar"] = self.image_url("avatar", did, profile["avatar"])
        return out

    def profile_view(self, did: str) -> dict[str, Any]:
        out = self.profile_basic(did)
        profile = self._profile_record(did)
        if profile.get("description"):
            out["description"] = profile["description"]
        record = self.repo.collection(did, PROFILE).get("self")
        out["indexedAt"] = iso(record.indexed_at if record else self.repo.accounts[did].created_at)
        return out

    def profile_detailed(self, did: str) -> dict[str, Any]:
        out = self.profile_view(did)
        profile = self._profile_record(did)
        if isinstance(profile.get("banner"), dict):
            out["banner"] = self.image_url("banner", did, profile["banner"])
        out["followersCount"] = len(self.repo.followers.get(did, {}))
        out["followsCount"] = len(self.repo.follows.get(did, {}))
        out["postsCount"] = len(self.repo.collection(did, POST))
        out["associated"] = {"lists": 0, "feedgens": 0, "starterPacks": 0, "labeler": False}
        return out

    # -- posts -----------------------------------------------------------------------------
    def post_view(self, record: Record) -> dict[str, Any]:
        repo, uri = self.repo, record.uri
        viewer: dict[str, Any] = {"threadMuted": False, "embeddingDisabled": False,
                                  "bookmarked": False}
        like = repo.likes.get(uri, {}).get(self.viewer)
        repost = repo.reposts.get(uri, {}).get(self.viewer)
        if like:
            viewer["like"] = like
        if repost:
            viewer["repost"] = repost
        out: dict[str, Any] = {
            "$type": POST_VIEW,
            "uri": uri,
            "cid": record.cid,
            "author": self.profile_basic(record.did),
            "record": record.value,
            "bookmarkCount": 0,
            "replyCount": len(repo.replies.get(uri, set())),
            "repostCount": len(repo.reposts.get(uri, {})),
            "likeCount": len(repo.likes.get(uri, {})),
            "quoteCount": len(repo.quotes.get(uri, set())),
            "indexedAt": iso(record.indexed_at),
            "viewer": viewer,
            "labels": self_labels(uri, record),
        }
        embed = self.embed_view(record.did, record.value.get("embed"), 0)
        if embed is not None:
            out["embed"] = embed
        gate = self.threadgate_view(record)
        if gate is not None:
            out["threadgate"] = gate
        return out

    def threadgate_view(self, record: Record) -> dict[str, Any] | None:
        """A root post's threadgate, as the AppView hydrates it into the post view (bsky
        ``views/index.ts`` ``post()``: only for a post that is not a reply)."""
        if record.value.get("reply"):
            return None
        rkey = record.uri.rsplit("/", 1)[-1]
        gate = self.repo.collection(record.did, THREADGATE).get(rkey)
        if gate is None:
            return None
        return {"uri": gate.uri, "cid": gate.cid, "record": gate.value, "lists": []}

    def embed_view(self, did: str, embed: Any, depth: int) -> dict[str, Any] | None:
        if not isinstance(embed, dict):
            return None
        kind = embed.get("$type")
        if kind == "app.bsky.embed.images":
            return {"$type": "app.bsky.embed.images#view",
                    "images": [self._image_view(did, image) for image in embed.get("images", [])]}
        if kind == "app.bsky.embed.external":
            ext = embed.get("external") or {}
            view = {"uri": ext.get("uri", ""), "title": ext.get("title", ""),
                    "description": ext.get("description", "")}
            if isinstance(ext.get("thumb"), dict):
                view["thumb"] = self.image_url("feed_thumbnail", did, ext["thumb"])
            return {"$type": "app.bsky.embed.external#view", "external": view}
        if kind == "app.bsky.embed.record":
            uri = str((embed.get("record") or {}).get("uri", ""))
            return {"$type": "app.bsky.embed.record#view", "record": self._embedded(uri, depth)}
        if kind == "app.bsky.embed.recordWithMedia":
            uri = str(((embed.get("record") or {}).get("record") or {}).get("uri", ""))
            media = self.embed_view(did, embed.get("media"), depth)
            record = {"$type": "app.bsky.embed.record#view", "record": self._embedded(uri, depth)}
            return {"$type": "app.bsky.embed.recordWithMedia#view", "record": record,
                    "media": media}
        if kind == "app.bsky.embed.video":
            cid = str(((embed.get("video") or {}).get("ref") or {}).get("$link", ""))
            return {"$type": "app.bsky.embed.video#view", "cid": cid,
                    "playlist": f"{self.base_url}/video/{did}/{cid}/playlist.m3u8",
                    "alt": embed.get("alt", "")}
        return None

    def _image_view(self, did: str, image: dict[str, Any]) -> dict[str, Any]:
        blob = image.get("image") or {}
        view = {"thumb": self.image_url("feed_thumbnail", did, blob),
                "fullsize": self.image_url("feed_fullsize", did, blob),
                "alt": image.get("alt", "")}
        if isinstance(image.get("aspectRatio"), dict):
            view["aspectRatio"] = image["aspectRatio"]
        return view

    def _embedded(self, uri: str, depth: int) -> dict[str, Any]:
        record = self.repo.by_uri.get(uri)
        if record is None or record.collection != POST:
            return {"$type": "app.bsky.embed.record#viewNotFound", "uri": uri, "notFound": True}
        if record.did in self.hidden:
            return {"$type": "app.bsky.embed.record#viewBlocked", "uri": uri, "blocked": True,
                    "author": {"did": record.did, "viewer": self.actor_viewer(record.did)}}
        out: dict[str, Any] = {
            "$type": "app.bsky.embed.record#viewRecord",
            "uri": uri, "cid": record.cid, "author": self.profile_basic(record.did),
            "value": record.value, "labels": [], "indexedAt": iso(record.indexed_at),
            "likeCount": len(self.repo.likes.get(uri, {})),
            "replyCount": len(self.repo.replies.get(uri, set())),
            "repostCount": len(self.repo.reposts.get(uri, {})),
            "quoteCount": len(self.repo.quotes.get(uri, set())),
        }
        inner = self.embed_view(record.did, record.value.get("embed"), depth + 1)
        if inner is not None and depth < 1:
            out["embeds"] = [inner]
        return out

    def _post_or_missing(self, uri: str | None) -> dict[str, Any]:
        record = self.repo.by_uri.get(uri or "")
        if record is None:
            return {"$type": NOT_FOUND, "uri": uri or "", "notFound": True}
        if record.did in self.hidden and record.did != self.viewer:
            return {"$type": BLOCKED, "uri": record.uri, "blocked": True,
                    "author": {"did": record.did, "viewer": self.actor_viewer(record.did)}}
        return self.post_view(record)

    def reply_ref(self, record: Record) -> dict[str, Any] | None:
        parent_uri = reply_parent(record.value)
        if not parent_uri:
            return None
        out = {"root": self._post_or_missing(reply_root(record.value) or parent_uri),
               "parent": self._post_or_missing(parent_uri)}
        parent = self.repo.by_uri.get(parent_uri)
        grand = reply_parent(parent.value) if parent else None
        grand_did = split_uri(grand)[0] if grand else ""
        if grand_did in self.repo.accounts:
            out["grandparentAuthor"] = self.profile_basic(grand_did)
        return out

    def feed_item(self, record: Record) -> dict[str, Any] | None:
        """A FeedViewPost for a post, or for a repost (with reasonRepost)."""
        reason = None
        if record.collection != POST:
            subject = self.repo.by_uri.get(str((record.value.get("subject") or {}).get("uri")))
            if subject is None or subject.did in self.hidden:
                return None
            reason = {"$type": "app.bsky.feed.defs#reasonRepost",
                      "by": self.profile_basic(record.did), "uri": record.uri,
                      "cid": record.cid, "indexedAt": iso(record.indexed_at)}
            record = subject
        item: dict[str, Any] = {"post": self.post_view(record)}
        reply = self.reply_ref(record)
        if reply is not None:
            item["reply"] = reply
        if reason is not None:
            item["reason"] = reason
        return item

    # -- threads ---------------------------------------------------------------------------
    def thread(self, record: Record, depth: int, parent_height: int) -> dict[str, Any]:
        node = self._thread_down(record, depth)
        parent = self._thread_up(reply_parent(record.value), parent_height)
        if parent is not None:
            node["parent"] = parent
        return node

    def _thread_up(self, uri: str | None, height: int) -> dict[str, Any] | None:
        if not uri or height <= 0:
            return None
        record = self.repo.by_uri.get(uri)
        if record is None or record.did in self.hidden:
            return self._post_or_missing(uri)
        node: dict[str, Any] = {"$type": THREAD_VIEW, "post": self.post_view(record)}
        parent = self._thread_up(reply_parent(record.value), height - 1)
        if parent is not None:
            node["parent"] = parent
        return node

    def _thread_down(self, record: Record, depth: int) -> dict[str, Any]:
        node: dict[str, Any] = {"$type": THREAD_VIEW, "post": self.post_view(record)}
        if depth > 0:
            children = [self.repo.by_uri[u] for u in self.repo.replies.get(record.uri, set())
                        if u in self.repo.by_uri]
            children = [c for c in children if c.did not in self.hidden]
            children.sort(key=lambda c: (c.sort_at, c.uri))
            node["replies"] = [self._thread_down(c, depth - 1) for c in children]
        return node

    # -- notifications ---------------------------------------------------------------------
    def notification(self, notif: Notification, seen_at: str | None) -> dict[str, Any] | None:
        record = self.repo.by_uri.get(notif.uri)
        if record is None:
            return None
        indexed = iso(notif.at)
        out: dict[str, Any] = {
            "uri": notif.uri, "cid": record.cid, "author": self.profile_view(notif.author),
            "reason": notif.reason, "record": record.value,
            "isRead": seen_at > indexed if seen_at else True,
            "indexedAt": indexed, "labels": [],
        }
        if notif.reason_subject:
            out["reasonSubject"] = notif.reason_subject
        return out


def self_labels(uri: str, record: Record) -> list[dict[str, Any]]:
    """The post's self-labels as the AppView hydrates them into ``labels``: one label per
    value, from the author (bsky ``hydration/label.ts``: self-labels are labels whose ``src``
    is the record's author)."""
    values = record.value.get("labels", {}).get("values") if isinstance(
        record.value.get("labels"), dict) else None
    return [{"src": record.did, "uri": uri, "cid": record.cid, "val": str(v.get("val")),
             "cts": iso(record.indexed_at)}
            for v in values or () if isinstance(v, dict) and v.get("val")]
