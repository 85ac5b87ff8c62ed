"""Reading, deleting and acting on statuses: show, context, favourite, reblog."""

from __future__ import annotations

from ..http import Request, Response
from .compose import Composer
from .state import Account, ApiError, Status, not_found

ANCESTORS_LIMIT = 40
DESCENDANTS_LIMIT_ANONYMOUS = 60
CONTEXT_LIMIT = 4096


class StatusRoutes(Composer):
    def register_statuses(self) -> None:
        sid = r"/api/v1/statuses/(?P<id>\d+)"
        self.api("GET", sid, self._h_show)
        self.api("DELETE", sid, self._h_delete)
        self.api("GET", sid + "/context", self._h_context)
        self.api("POST", sid + "/favourite", self._h_favourite)
        self.api("POST", sid + "/unfavourite", self._h_unfavourite)
        self.api("POST", sid + "/reblog", self._h_reblog)
        self.api("POST", sid + "/unreblog", self._h_unreblog)
        self.api("GET", sid + "/favourited_by", self._h_favourited_by)
        self.api("GET", sid + "/reblogged_by", self._h_reblogged_by)

    def _original(self, st: Status) -> Status:
        return self.statuses[st.reblog_of] if st.reblog_of else st

    def _h_show(self, req: Request) -> Response:
        me = self.viewer(req, "read", "read:statuses")
        return Response(200, self.status_json(self.find_status(req.match["id"], me), me))

    def _h_delete(self, req: Request) -> Response:
        me = self.user(req, "write", "write:statuses")
        st = self.statuses.get(req.match["id"])
        if st is None or st.deleted or st.account_id != me.id:
            raise not_found()
        self.remove_status(st)
        return Response(200, self.status_json(st, me, source=True))

    def _h_context(self, req: Request) -> Response:
        me = self.viewer(req, "read", "read:statuses")
        st = self.find_status(req.match["id"], me)
        ancestors: list[Status] = []
        parent = self.statuses.get(st.in_reply_to_id or "")
        while parent is not None and len(ancestors) < ANCESTORS_LIMIT:
            if self.can_see(parent, me):
                ancestors.append(parent)
            parent = self.statuses.get(parent.in_reply_to_id or "")
        limit = CONTEXT_LIMIT if me else DESCENDANTS_LIMIT_ANONYMOUS
        descendants = self._descendants(st, me, limit)
        return Response(200, {
            "ancestors": [self.status_json(s, me) for s in reversed(ancestors)],
            "descendants": [self.status_json(s, me) for s in descendants],
        })

    def _descendants(self, root: Status, me: Account | None, limit: int) -> list[Status]:
        """Depth first, siblings oldest first, as the recursive query orders them."""
        children: dict[str, list[Status]] = {}
        for s in sorted(self.statuses.values(), key=lambda s: s.num):
            hidden = me is not None and (self.blocked(me.id, s.account_id)
                                         or self.muted(me.id, s.account_id))
            if s.in_reply_to_id and s.reblog_of is None and not hidden and self.can_see(s, me):
                children.setdefault(s.in_reply_to_id, []).append(s)
        out: list[Status] = []
        stack = list(reversed(children.get(root.id, [])))
        while stack and len(out) < limit:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(children.get(node.id, [])))
        return out

    def _h_favourite(self, req: Request) -> Response:
        me = self.user(req, "write", "write:favourites")
        st = self._original(self.find_status(req.match["id"], me))
        self.favourite(me, st)
        return Response(200, self.status_json(st, me))

    def _h_unfavourite(self, req: Request) -> Response:
        me = self.user(req, "write", "write:favourites")
        st = self._original(self.find_status(req.match["id"], me))
        if me.id in st.favourited_by:
            st.favourited_by.discard(me.id)
            self.notifications = [n for n in self.notifications if not (
                n.type == "favourite" and n.from_id == me.id and n.status_id == st.id)]
        return Response(200, self.status_json(st, me))

    def _h_reblog(self, req: Request) -> Response:
        me = self.user(req, "write", "write:statuses")
        st = self._original(self.find_status(req.match["id"], me))
        if st.visibility == "direct" or (st.visibility == "private" and st.account_id != me.id):
            raise ApiError(403, "This action is not allowed")
        visibility = req.param("visibility") or "public"
        if visibility not in ("public", "unlisted", "private"):
            visibility = "public"
        reblog = self.create_reblog(me, st, visibility=visibility)
        return Response(200, self.status_json(reblog, me))

    def _h_unreblog(self, req: Request) -> Response:
        me = self.user(req, "write", "write:statuses")
        target = self.statuses.get(req.match["id"])
        if target is None:
            raise not_found()
        original = self._original(target)
        for st in list(self.statuses.values()):
            if st.reblog_of == original.id and st.account_id == me.id and not st.deleted:
                self.remove_status(st)
        if not self.can_see(original, me):
            raise not_found()
        return Response(200, self.status_json(original, me))

    def _h_favourited_by(self, req: Request) -> Response:
        me = self.viewer(req, "read", "read:accounts")
        st = self._original(self.find_status(req.match["id"], me))
        return Response(200, [self.account_json(self.users[a]) for a in sorted(st.favourited_by)])

    def _h_reblogged_by(self, req: Request) -> Response:
        me = self.viewer(req, "read", "read:accounts")
        st = self._original(self.find_status(req.match["id"], me))
        return Response(200, [self.account_json(self.users[a]) for a in sorted(st.reblogged_by)])
