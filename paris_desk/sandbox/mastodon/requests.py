"""Notification policy and requests (Mastodon 4.3+): ``/api/v2/notifications/policy`` and
``/api/v1/notifications/requests`` (app/models/notification_policy.rb,
notification_request.rb, api/v1/notifications/requests_controller.rb).

- The default policy filters private mentions from accounts the recipient does not follow
  (``for_private_mentions: filter``) and accepts everything else; ``filter`` on
  ``for_not_following`` filters every mention from an account not followed.
- A filtered notification is left out of ``/api/v1/notifications`` unless
  ``include_filtered=true`` or ``account_id`` (the request's notifications) is given.
- One request per sender: ``{id, created_at, updated_at, account, notifications_count (a
  string), last_status}``. Accepting lets the sender through from then on (its notifications
  join the list); dismissing drops the request, its notifications stay filtered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..http import Request, Response
from .core import Core
from .state import ApiError, Notification, iso, not_found

POLICY_KEYS = ("for_not_following", "for_not_followers", "for_new_accounts",
               "for_private_mentions", "for_limited_accounts")
DEFAULT_POLICY = {"for_not_following": "accept", "for_not_followers": "accept",
                  "for_new_accounts": "accept", "for_private_mentions": "filter",
                  "for_limited_accounts": "filter"}
VALUES = ("accept", "filter", "drop")


@dataclass
class MentionRequest:
    id: str
    created_at: datetime
    dismissed: bool = False


class RequestRoutes(Core):
    def register_requests(self) -> None:
        self.policies: dict[str, dict[str, str]] = {}
        self.permissions: set[tuple[str, str]] = set()  # (recipient, sender) accepted
        self.mention_requests: dict[tuple[str, str], MentionRequest] = {}
        base = r"/api/v1/notifications/requests"
        self.api("GET", r"/api/v2/notifications/policy", self._h_policy)
        self.api("PATCH", r"/api/v2/notifications/policy", self._h_set_policy)
        self.api("PUT", r"/api/v2/notifications/policy", self._h_set_policy)
        self.api("GET", base, self._h_mention_requests)
        self.api("GET", base + r"/merged", lambda req: Response(200, {"merged": True}))
        self.api("GET", base + r"/(?P<id>\d+)", self._h_request)
        self.api("POST", base + r"/(?P<id>\d+)/accept", self._h_request_accept)
        self.api("POST", base + r"/(?P<id>\d+)/dismiss", self._h_request_dismiss)

    # -- the policy --------------------------------------------------------------------------
    def policy(self, user_id: str) -> dict[str, str]:
        return self.policies.setdefault(user_id, dict(DEFAULT_POLICY))

    def notification_filtered(self, n: Notification) -> bool:
        if n.type != "mention" or (n.account_id, n.from_id) in self.permissions:
            return False
        recipient = self.users[n.account_id]
        if n.from_id in recipient.following:
            return False
        policy = self.policy(n.account_id)
        if policy["for_not_following"] != "accept":
            return True
        st = self.statuses.get(n.status_id or "")
        return (policy["for_private_mentions"] != "accept" and st is not None
                and st.visibility == "direct")

    def _h_policy(self, req: Request) -> Response:
        me = self.user(req, "read", "read:notifications")
        return Response(200, self._policy_json(me.id))

    def _h_set_policy(self, req: Request) -> Response:
        me = self.user(req, "write", "write:notifications")
        policy = self.policy(me.id)
        for key in POLICY_KEYS:
            value = req.param(key)
            if value:
                if value not in VALUES:
                    raise ApiError(422, f"Validation failed: {key} is not included in the list")
                policy[key] = value
        return Response(200, self._policy_json(me.id))

    def _policy_json(self, user_id: str) -> dict[str, Any]:
        pending = self._pending_requests(user_id)
        return {**self.policy(user_id), "summary": {
            "pending_requests_count": len(pending),
            "pending_notifications_count": sum(len(notes) for _, notes in pending)}}

    # -- requests ----------------------------------------------------------------------------
    def _pending_requests(self, user_id: str) -> list[tuple[MentionRequest, list[Notification]]]:
        """Open requests of ``user_id``, most recently updated first, with their notes."""
        by_sender: dict[str, list[Notification]] = {}
        for n in self.notifications:
            if n.account_id == user_id and self.notification_filtered(n):
                by_sender.setdefault(n.from_id, []).append(n)
        out = []
        for sender, notes in by_sender.items():
            key = (user_id, sender)
            request = self.mention_requests.get(key)
            if request is None:
                request = self.mention_requests[key] = MentionRequest(
                    self.new_id(notes[0].created_at), notes[0].created_at)
            if not request.dismissed:
                out.append((request, notes))
        out.sort(key=lambda pair: pair[1][-1].created_at, reverse=True)
        return out

    def _request_json(self, request: MentionRequest, notes: list[Notification],
                      viewer: Any) -> dict[str, Any]:
        last = notes[-1]
        st = self.statuses.get(last.status_id or "")
        return {"id": request.id, "created_at": iso(request.created_at),
                "updated_at": iso(last.created_at),
                "account": self.account_json(self.users[last.from_id]),
                "notifications_count": str(len(notes)),
                "last_status": self.status_json(st, viewer) if st else None}

    def _h_mention_requests(self, req: Request) -> Response:
        me = self.user(req, "read", "read:notifications")
        pending = self._pending_requests(me.id)
        return Response(200, [self._request_json(r, notes, me) for r, notes in pending])

    def _find_request(self, user_id: str, request_id: str
              ) -> tuple[str, MentionRequest, list[Notification]]:
        for (recipient, sender), request in self.mention_requests.items():
            if recipient == user_id and request.id == request_id and not request.dismissed:
                notes = [n for n in self.notifications if n.account_id == user_id
                         and n.from_id == sender and self.notification_filtered(n)]
                if notes:
                    return sender, request, notes
        raise not_found()

    def _h_request(self, req: Request) -> Response:
        me = self.user(req, "read", "read:notifications")
        _, request, notes = self._find_request(me.id, req.match["id"])
        return Response(200, self._request_json(request, notes, me))

    def _h_request_accept(self, req: Request) -> Response:
        me = self.user(req, "write", "write:notifications")
        sender, _, _ = self._find_request(me.id, req.match["id"])
        self.permissions.add((me.id, sender))
        del self.mention_requests[(me.id, sender)]
        return Response(200, {})

    def _h_request_dismiss(self, req: Request) -> Response:
        me = self.user(req, "write", "write:notifications")
        _, request, _ = self._find_request(me.id, req.match["id"])
        request.dismissed = True
        return Response(200, {})
