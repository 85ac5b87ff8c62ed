"""``app.bsky.*`` reads and the mute procedures, answered from the sandbox's own records (the
reference PDS would proxy them to an AppView; here the index is updated synchronously)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from paris_desk.sandbox.bluesky.repo import POST, REPOST, Account, Record
from paris_desk.sandbox.bluesky.views import Views
from paris_desk.sandbox.bluesky.xrpc import (
    XrpcError,
    body,
    int_param,
    invalid,
    iso,
    parse_datetime,
    required,
)
from paris_desk.sandbox.http import Request, Response

if TYPE_CHECKING:
    from paris_desk.sandbox.bluesky.server import BlueskySandbox

Key = tuple[datetime, str]


def _ms_key(key: Key) -> tuple[int, str]:
    return int(key[0].timestamp() * 1000), key[1]


def _cursor_of(key: Key) -> str:
    ms, cid = _ms_key(key)
    return f"{ms}::{cid}"


def _parse_cursor(raw: str) -> tuple[int, str] | None:
    ms, sep, cid = raw.partition("::")
    if not sep or not ms.isdigit():
        raise invalid("Malformed cursor")
    return int(ms), cid


def paginate(items: Iterable[tuple[Key, Any]], req: Request, default: int = 50
             ) -> tuple[list[Any], str | None]:
    """Newest first by (time, cid); the cursor is the last key of the page (older only)."""
    limit = int_param(req, "limit", default, 1, 100)
    raw = req.param("cursor", "")
    after = _parse_cursor(raw) if raw else None
    ordered = sorted(items, key=lambda kv: _ms_key(kv[0]), reverse=True)
    if after is not None:
        ordered = [kv for kv in ordered if _ms_key(kv[0]) < after]
    page = ordered[:limit]
    cursor = _cursor_of(page[-1][0]) if len(ordered) > limit else None
    return [value for _, value in page], cursor


def _page_body(key: str, items: list[Any], cursor: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {key: items}
    if cursor:
        out["cursor"] = cursor
    return out


class AppView:
    def __init__(self, server: BlueskySandbox) -> None:
        self.server = server
        self.state = server.state

    def routes(self) -> list[tuple[str, str, Callable[[Request], Response]]]:
        return [
            ("GET", "app.bsky.feed.getTimeline", self.get_timeline),
            ("GET", "app.bsky.feed.getAuthorFeed", self.get_author_feed),
            ("GET", "app.bsky.feed.getPostThread", self.get_post_thread),
            ("GET", "app.bsky.feed.getPosts", self.get_posts),
            ("GET", "app.bsky.feed.getLikes", self.get_likes),
            ("GET", "app.bsky.feed.getRepostedBy", self.get_reposted_by),
            ("GET", "app.bsky.notification.listNotifications", self.list_notifications),
            ("GET", "app.bsky.notification.getUnreadCount", self.get_unread_count),
            ("POST", "app.bsky.notification.updateSeen", self.update_seen),
            ("GET", "app.bsky.actor.getProfile", self.get_profile),
            ("GET", "app.bsky.actor.getProfiles", self.get_profiles),
            ("POST", "app.bsky.graph.muteActor", self.mute_actor),
            ("POST", "app.bsky.graph.unmuteActor", self.unmute_actor),
        ]

    def _views(self, req: Request) -> Views:
        return Views(self.state, self.server.base_url, self.server.authenticate(req).did)

    def _actor(self, name: str) -> Account:
        account = self.state.resolve(name)
        if account is None:
            raise invalid("Profile not found")
        return account

    def _feed(self, views: Views, records: Iterable[Record], req: Request) -> Response:
        keyed = (((rec.sort_at, rec.cid), rec) for rec in records if rec.did not in views.hidden)
        page, cursor = paginate(keyed, req)
        items = [item for item in (views.feed_item(rec) for rec in page) if item is not None]
        return Response(200, _page_body("feed", items, cursor))

    # -- feeds -----------------------------------------------------------------------------
    def get_timeline(self, req: Request) -> Response:
        views = self._views(req)
        authors = set(self.state.follows.get(views.viewer, {})) | {views.viewer}
        records = [rec for did in authors for coll in (POST, REPOST)
                   for rec in self.state.collection(did, coll).values()]
        return self._feed(views, records, req)

    def get_author_feed(self, req: Request) -> Response:
        views = self._views(req)
        account = self._actor(required(req, "actor"))
        if account.did in self.state.blocks.get(views.viewer, {}):
            raise invalid(f"Requester has blocked actor: {account.did}", "BlockedActor")
        if views.viewer in self.state.blocks.get(account.did, {}):
            raise invalid(f"Requester is blocked by actor: {account.did}", "BlockedByActor")
        kind = req.param("filter", "posts_with_replies")
        posts = list(self.state.collection(account.did, POST).values())
        reposts = list(self.state.collection(account.did, REPOST).values())
        if kind == "posts_no_replies":
            posts = [p for p in posts if "reply" not in p.value]
        elif kind == "posts_with_media":
            posts, reposts = [p for p in posts if _has_media(p.value)], []
        elif kind == "posts_and_author_threads":
            posts = [p for p in posts if _self_thread(p, account.did)]
        views.hidden.discard(account.did)  # asked for explicitly: a mute does not hide it here
        return self._feed(views, posts + reposts, req)

    def get_post_thread(self, req: Request) -> Response:
        views = self._views(req)
        uri = required(req, "uri")
        record = self.state.by_uri.get(uri)
        if record is None or record.collection != POST:
            raise invalid(f"Post not found: {uri}", "NotFound")
        depth = int_param(req, "depth", 6, 0, 1000)
        height = int_param(req, "parentHeight", 80, 0, 1000)
        return Response(200, {"thread": views.thread(record, depth, height)})

    def get_posts(self, req: Request) -> Response:
        views = self._views(req)
        uris = req.params("uris")
        if len(uris) > 25:
            raise invalid("uris must not have more than 25 elements")
        records = [self.state.by_uri.get(u) for u in uris]
        posts = [views.post_view(r) for r in records if r is not None and r.collection == POST]
        return Response(200, {"posts": posts})

    def get_likes(self, req: Request) -> Response:
        return self._interactions(req, self.state.likes, "likes", liked=True)

    def get_reposted_by(self, req: Request) -> Response:
        return self._interactions(req, self.state.reposts, "repostedBy", liked=False)

    def _interactions(self, req: Request, index: dict[str, dict[str, str]], key: str,
                      liked: bool) -> Response:
        views = self._views(req)
        uri = required(req, "uri")
        records = [self.state.by_uri[u] for u in index.get(uri, {}).values()
                   if u in self.state.by_uri]
        keyed = (((r.sort_at, r.cid), r) for r in records if r.did not in views.hidden)
        page, cursor = paginate(keyed, req)
        if liked:
            items: list[Any] = [{"indexedAt": iso(r.indexed_at),
                                 "createdAt": r.value.get("createdAt", iso(r.indexed_at)),
                                 "actor": views.profile_view(r.did)} for r in page]
        else:
            items = [views.profile_view(r.did) for r in page]
        out = _page_body(key, items, cursor)
        out["uri"] = uri
        subject = self.state.by_uri.get(uri)
        if subject is not None:
            out["cid"] = subject.cid
        return Response(200, out)

    # -- notifications ---------------------------------------------------------------------
    def list_notifications(self, req: Request) -> Response:
        views = self._views(req)
        if req.param("seenAt", ""):
            raise invalid("The seenAt parameter is unsupported")
        reasons = set(req.params("reasons"))
        notifs = [n for n in self.state.visible_notifications(views.viewer)
                  if not reasons or n.reason in reasons]
        keyed = (((n.at, n.uri), n) for n in notifs)
        page, cursor = paginate(keyed, req)
        seen = self.state.seen_iso(views.viewer)
        if seen is None and not req.param("cursor", "") and page:
            seen = iso(page[0].at)  # the AppView's "only the newest is unread" fallback
        items = [v for v in (views.notification(n, seen) for n in page) if v is not None]
        out = _page_body("notifications", items, cursor)
        out["priority"] = False
        if seen:
            out["seenAt"] = seen
        return Response(200, out)

    def get_unread_count(self, req: Request) -> Response:
        viewer = self.server.authenticate(req).did
        return Response(200, {"count": self.state.unread_count(viewer)})

    def update_seen(self, req: Request) -> Response:
        viewer = self.server.authenticate(req).did
        seen = parse_datetime(str(body(req).get("seenAt", "")))
        if seen is None:
            raise invalid('Input must have the property "seenAt"')
        self.state.seen[viewer] = seen
        return Response(200, None)

    # -- actors ----------------------------------------------------------------------------
    def get_profile(self, req: Request) -> Response:
        views = self._views(req)
        return Response(200, views.profile_detailed(self._actor(required(req, "actor")).did))

    def get_profiles(self, req: Request) -> Response:
        views = self._views(req)
        actors = req.params("actors")
        if len(actors) > 25:
            raise invalid("actors must not have more than 25 elements")
        found = [self.state.resolve(a) for a in actors]
        return Response(200, {"profiles": [views.profile_detailed(a.did) for a in found if a]})

    def mute_actor(self, req: Request) -> Response:
        return self._mute(req, True)

    def unmute_actor(self, req: Request) -> Response:
        return self._mute(req, False)

    def _mute(self, req: Request, mute: bool) -> Response:
        viewer = self.server.authenticate(req).did
        account = self._actor(str(body(req).get("actor", "")))
        if account.did == viewer:
            raise XrpcError(400, "InvalidRequest",
                            "Cannot mute oneself" if mute else "Cannot unmute oneself")
        muted = self.state.mutes.setdefault(viewer, set())
        if mute:
            muted.add(account.did)
        else:
            muted.discard(account.did)
        return Response(200, None)


def _has_media(value: dict[str, Any]) -> bool:
    embed = value.get("embed") or {}
    kinds = {"app.bsky.embed.images", "app.bsky.embed.video"}
    return embed.get("$type") in kinds or (embed.get("media") or {}).get("$type") in kinds


def _self_thread(record: Record, did: str) -> bool:
    root = ((record.value.get("reply") or {}).get("root") or {}).get("uri", "")
    return "reply" not in record.value or str(root).startswith(f"at://{did}/")
