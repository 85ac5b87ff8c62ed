"""Accounts: credentials, profiles, their statuses, relationships, mutes, blocks, reports."""

from __future__ import annotations

from typing import Any

from ..http import Request, Response
from .compose import Composer
from .core import expires_in, limit_param
from .state import Account, ApiError, Mute, iso, not_found

REPORT_CATEGORIES = ("spam", "legal", "violation", "other")
REPORT_COMMENT_LIMIT = 1000


class AccountRoutes(Composer):
    def register_accounts(self) -> None:
        aid = r"/api/v1/accounts/(?P<id>\d+)"
        self.api("GET", r"/api/v1/accounts/verify_credentials", self._h_verify)
        self.api("GET", r"/api/v1/accounts/lookup", self._h_lookup)
        self.api("GET", r"/api/v1/accounts/relationships", self._h_relationships)
        self.api("GET", aid, self._h_account)
        self.api("GET", aid + "/statuses", self._h_account_statuses)
        for action in ("follow", "unfollow", "mute", "unmute", "block", "unblock"):
            self.api("POST", f"{aid}/{action}", self._relation_handler(action))
        self.api("GET", r"/api/v1/mutes", self._h_mutes)
        self.api("GET", r"/api/v1/blocks", self._h_blocks)
        self.api("POST", r"/api/v1/reports", self._h_report)

    def _h_verify(self, req: Request) -> Response:
        me = self.user(req, "read", "read:accounts", "profile")
        return Response(200, self.credential_account_json(me))

    def _h_account(self, req: Request) -> Response:
        self.viewer(req, "read", "read:accounts")
        return Response(200, self.account_json(self.account(req.match["id"])))

    def _h_lookup(self, req: Request) -> Response:
        self.viewer(req, "read", "read:accounts")
        acct = req.param("acct").lstrip("@").lower()
        host = self.base_url.split("//", 1)[1]
        if acct.endswith("@" + host):
            acct = acct[: -len(host) - 1]
        found = self.by_acct.get(acct)
        if found is None:
            raise not_found()
        return Response(200, self.account_json(self.users[found]))

    def _h_account_statuses(self, req: Request) -> Response:
        me = self.viewer(req, "read", "read:statuses")
        acc = self.account(req.match["id"])
        if req.param("pinned").lower() in ("1", "true"):
            return Response(200, [])
        flags = {n: req.param(n).lower() in ("1", "true")
                 for n in ("exclude_replies", "exclude_reblogs", "only_media")}
        tagged = req.param("tagged").lstrip("#").lower()
        items = [s for s in sorted(self.statuses.values(), key=lambda s: s.num, reverse=True)
                 if s.account_id == acc.id and self.can_see(s, me)
                 and not (flags["exclude_reblogs"] and s.reblog_of)
                 and not (flags["exclude_replies"] and s.in_reply_to_account_id
                          not in (None, acc.id))
                 and not (flags["only_media"] and not s.media_ids)
                 and (not tagged or tagged in s.tags)]
        page = self.page(items, lambda s: s.num, req, 20)
        keep = ("exclude_reblogs", "exclude_replies", "limit", "only_media", "tagged")
        more = len(page) == limit_param(req, 20)
        headers = self.link_header(f"/api/v1/accounts/{acc.id}/statuses", req, keep,
                                   page[-1].id if page and more else None,
                                   page[0].id if page else None)
        return Response(200, [self.status_json(s, me) for s in page], headers)

    def _h_relationships(self, req: Request) -> Response:
        me = self.user(req, "read", "read:follows", "follow")
        return Response(200, [self.relationship_json(me, self.users[i])
                              for i in req.params("id") if i in self.users])

    # -- follow, mute, block ------------------------------------------------------------------
    def _relation_handler(self, action: str) -> Any:
        scopes = {"follow": "write:follows", "unfollow": "write:follows",
                  "mute": "write:mutes", "unmute": "write:mutes",
                  "block": "write:blocks", "unblock": "write:blocks"}[action]

        def handler(req: Request) -> Response:
            me = self.user(req, "follow", "write", scopes)
            target = self.account(req.match["id"])
            if target.id != me.id:
                getattr(self, "_do_" + action)(req, me, target)
            return Response(200, self.relationship_json(me, target))

        return handler

    def _do_follow(self, req: Request, me: Account, target: Account) -> None:
        if self.blocked(target.id, me.id) or self.blocked(me.id, target.id):
            raise ApiError(403, "This action is not allowed")
        if target.id not in me.following:
            me.following.add(target.id)
            target.followers.add(me.id)
            self.notify(target.id, "follow", me.id, None)

    def _do_unfollow(self, req: Request, me: Account, target: Account) -> None:
        me.following.discard(target.id)
        target.followers.discard(me.id)

    def _do_mute(self, req: Request, me: Account, target: Account) -> None:
        notifications = req.param("notifications", "true").lower() not in ("0", "false")
        until = expires_in(req.param("duration"), self.now())
        self.mutes.setdefault(me.id, {})[target.id] = Mute(notifications, until)

    def _do_unmute(self, req: Request, me: Account, target: Account) -> None:
        self.mutes.get(me.id, {}).pop(target.id, None)

    def _do_block(self, req: Request, me: Account, target: Account) -> None:
        self.blocks.setdefault(me.id, set()).add(target.id)
        for a, b in ((me, target), (target, me)):
            a.following.discard(b.id)
            b.followers.discard(a.id)

    def _do_unblock(self, req: Request, me: Account, target: Account) -> None:
        self.blocks.get(me.id, set()).discard(target.id)

    def _h_mutes(self, req: Request) -> Response:
        me = self.user(req, "read", "read:mutes", "follow")
        out = []
        for target_id, mute in list(self.mutes.get(me.id, {}).items()):
            if self.muted(me.id, target_id):
                data = self.account_json(self.users[target_id])
                data["mute_expires_at"] = iso(mute.expires_at) if mute.expires_at else None
                out.append(data)
        return Response(200, out)

    def _h_blocks(self, req: Request) -> Response:
        me = self.user(req, "read", "read:blocks", "follow")
        return Response(200, [self.account_json(self.users[t])
                              for t in sorted(self.blocks.get(me.id, set()))])

    # -- reports ------------------------------------------------------------------------------
    def _h_report(self, req: Request) -> Response:
        me = self.user(req, "write", "write:reports")
        target = self.account(req.param("account_id"))
        status_ids = req.params("status_ids")
        for sid in status_ids:
            st = self.statuses.get(sid)
            if st is None or st.account_id != target.id:
                raise not_found()
        comment = req.param("comment")
        if len(comment) > REPORT_COMMENT_LIMIT:
            raise ApiError(422, "Validation failed: Comment is too long (maximum is "
                                f"{REPORT_COMMENT_LIMIT} characters)")
        rule_ids = req.params("rule_ids")
        category = req.param("category") or ("violation" if rule_ids else "other")
        if category not in REPORT_CATEGORIES:
            raise ApiError(422, f"'{category}' is not a valid category")
        report: dict[str, Any] = {
            "id": str(len(self.reports) + 1), "action_taken": False, "action_taken_at": None,
            "category": category, "comment": comment,
            "forwarded": req.param("forward").lower() in ("1", "true") and not target.local,
            "created_at": iso(self.now()), "status_ids": status_ids or None,
            "rule_ids": rule_ids or None, "target_account": self.account_json(target),
        }
        self.reports.append({**report, "reporter": me.acct})
        return Response(200, report)
