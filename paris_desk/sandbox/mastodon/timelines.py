"""Home timeline, notifications, markers and search (v2)."""

from __future__ import annotations

from typing import Any

from ..http import Request, Response
from .compose import Composer
from .core import limit_param
from .state import ApiError, Notification, iso, not_found

MARKER_TIMELINES = ("home", "notifications")


class TimelineRoutes(Composer):
    def register_timelines(self) -> None:
        self.api("GET", r"/api/v1/timelines/home", self._h_home)
        self.api("GET", r"/api/v1/notifications", self._h_notifications)
        self.api("GET", r"/api/v1/notifications/unread_count", self._h_unread_count)
        self.api("GET", r"/api/v1/notifications/(?P<id>\d+)", self._h_notification)
        self.api("POST", r"/api/v1/notifications/clear", self._h_clear)
        self.api("POST", r"/api/v1/notifications/(?P<id>\d+)/dismiss", self._h_dismiss)
        self.api("GET", r"/api/v1/markers", self._h_markers_get)
        self.api("POST", r"/api/v1/markers", self._h_markers_set)
        self.api("GET", r"/api/v2/search", self._h_search)

    # -- home ---------------------------------------------------------------------------------
    def _h_home(self, req: Request) -> Response:
        me = self.user(req, "read", "read:statuses")
        items = sorted((s for s in self.statuses.values() if self.in_home(s, me)),
                       key=lambda s: s.num, reverse=True)
        page = self.page(items, lambda s: s.num, req, 20)
        headers = self.link_header("/api/v1/timelines/home", req, ("limit", "local"),
                                   page[-1].id if page else None, page[0].id if page else None)
        return Response(200, [self.status_json(s, me) for s in page], headers)

    # -- notifications ------------------------------------------------------------------------
    def _visible_notifications(self, req: Request, me_id: str) -> list[Notification]:
        types = set(req.params("types"))
        excluded = set(req.params("exclude_types"))
        sender = req.param("account_id")
        filtered = bool(sender) or req.param("include_filtered").lower() in ("1", "true")
        return [n for n in reversed(self.notifications)
                if n.account_id == me_id and (not types or n.type in types)
                and (filtered or not self.notification_filtered(n))
                and n.type not in excluded and (not sender or n.from_id == sender)
                and not self.blocked(me_id, n.from_id)
                and not self.muted(me_id, n.from_id, for_notifications=True)]

    def _h_notifications(self, req: Request) -> Response:
        me = self.user(req, "read", "read:notifications")
        page = self.page(self._visible_notifications(req, me.id), lambda n: n.id, req, 40)
        keep = ("account_id", "exclude_types[]", "include_filtered", "limit", "types[]")
        headers = self.link_header("/api/v1/notifications", req, keep,
                                   str(page[-1].id) if page else None,
                                   str(page[0].id) if page else None)
        return Response(200, [self.notification_json(n, me) for n in page], headers)

    def _h_unread_count(self, req: Request) -> Response:
        me = self.user(req, "read", "read:notifications")
        marker = self.markers.get(me.id, {}).get("notifications")
        last = int(str(marker["last_read_id"])) if marker else 0
        unread = [n for n in self._visible_notifications(req, me.id) if n.id > last]
        return Response(200, {"count": min(len(unread), limit_param(req, 100))})

    def _own_notification(self, req: Request, me_id: str) -> Notification:
        for n in self.notifications:
            if str(n.id) == req.match["id"] and n.account_id == me_id:
                return n
        raise not_found()

    def _h_notification(self, req: Request) -> Response:
        me = self.user(req, "read", "read:notifications")
        return Response(200, self.notification_json(self._own_notification(req, me.id), me))

    def _h_dismiss(self, req: Request) -> Response:
        me = self.user(req, "write", "write:notifications")
        gone = self._own_notification(req, me.id)
        self.notifications = [n for n in self.notifications if n is not gone]
        return Response(200, {})

    def _h_clear(self, req: Request) -> Response:
        me = self.user(req, "write", "write:notifications")
        self.notifications = [n for n in self.notifications if n.account_id != me.id]
        return Response(200, {})

    # -- markers ------------------------------------------------------------------------------
    def _h_markers_get(self, req: Request) -> Response:
        me = self.user(req, "read", "read:statuses")
        wanted = req.params("timeline") or list(MARKER_TIMELINES)
        mine = self.markers.get(me.id, {})
        return Response(200, {t: dict(mine[t]) for t in wanted if t in mine})

    def _h_markers_set(self, req: Request) -> Response:
        me = self.user(req, "write", "write:statuses")
        given = _marker_params(req)
        if not given:
            raise ApiError(400, "Missing timeline parameters")  # ActionController::ParameterMissing
        mine = self.markers.setdefault(me.id, {})
        out: dict[str, Any] = {}
        for timeline, last_read_id in given.items():
            marker = mine.get(timeline)
            if marker is None:
                marker = {"last_read_id": last_read_id, "version": 0,
                          "updated_at": iso(self.now())}
                mine[timeline] = marker
            elif marker["last_read_id"] != last_read_id:
                marker.update(last_read_id=last_read_id, version=int(str(marker["version"])) + 1,
                              updated_at=iso(self.now()))
            out[timeline] = dict(marker)
        return Response(200, out)

    # -- search -------------------------------------------------------------------------------
    def _h_search(self, req: Request) -> Response:
        me = self.viewer(req, "read", "read:search")
        q = req.param("q").strip()
        resolve = req.param("resolve").lower() in ("1", "true")
        if resolve and me is None:
            raise ApiError(401, "Search queries that resolve remote resources are not "
                                "supported without authentication")
        if req.param("offset") and me is None:
            raise ApiError(401, "Search queries pagination is not supported without "
                                "authentication")
        kind = req.param("type")
        limit = limit_param(req, 20)
        offset = int(req.param("offset") or 0) if req.param("offset").isdigit() else 0
        result: dict[str, list[Any]] = {"accounts": [], "statuses": [], "hashtags": []}
        if q.startswith(("http://", "https://")):
            if resolve:
                self._resolve_url(q, me, result)
        else:
            if kind in ("", "accounts"):
                result["accounts"] = self._search_accounts(q)[offset:offset + limit]
            if kind in ("", "hashtags"):
                result["hashtags"] = self._search_tags(q)[offset:offset + limit]
        return Response(200, result)

    def _resolve_url(self, url: str, me: Any, result: dict[str, list[Any]]) -> None:
        for st in self.statuses.values():
            if url in (st.uri, st.url) and st.reblog_of is None and self.can_see(st, me):
                result["statuses"] = [self.status_json(st, me)]
                return
        for acc in self.users.values():
            if url in self.profile_urls(acc):
                result["accounts"] = [self.account_json(acc)]
                return

    def _search_accounts(self, q: str) -> list[Any]:
        needle = q.lstrip("@").lower()
        if not needle:
            return []
        found = [a for a in self.users.values()
                 if a.acct.lower().startswith(needle) or needle in a.display_name.lower()]
        found.sort(key=lambda a: (not a.acct.lower().startswith(needle), a.acct))
        return [self.account_json(a) for a in found]

    def _search_tags(self, q: str) -> list[Any]:
        needle = q.lstrip("#").lower()
        if not needle:
            return []
        tags = sorted({t for s in self.statuses.values() if not s.deleted for t in s.tags
                       if t.startswith(needle)})
        day = int(self.now().timestamp()) // 86400 * 86400
        return [{"name": t, "url": f"{self.base_url}/tags/{t}", "following": False,
                 "history": [{"day": str(day - 86400 * i), "accounts": "0", "uses": "0"}
                             for i in range(7)]} for t in tags]


def _marker_params(req: Request) -> dict[str, str]:
    """``home[last_read_id]`` from a form, or ``{"home": {"last_read_id": …}}`` in JSON."""
    out: dict[str, str] = {}
    if "application/json" in req.header("content-type"):
        data = req.json() or {}
        for timeline in MARKER_TIMELINES:
            value = (data.get(timeline) or {}).get("last_read_id")
            if value is not None:
                out[timeline] = str(value)
        return out
    form = req.form()
    for timeline in MARKER_TIMELINES:
        values = form.get(f"{timeline}[last_read_id]")
        if values:
            out[timeline] = values[0]
    return out
