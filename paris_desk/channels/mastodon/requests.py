"""Notification requests on Mastodon 4.3+ (``SupportsRequests`` for ``MastodonChannel``):
the mentions the account's notification policy filtered, per sender, through Mastodon.py's
``notification_requests``, ``notifications(account_id=…)``, ``accept_notification_request``
and ``dismiss_notification_request``. A server older than 4.3 answers 404: no request."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from paris_desk.channels.mastodon import convert
from paris_desk.core.errors import NotFound
from paris_desk.core.model import Account, Notification
from paris_desk.core.requests import MentionRequest

if TYPE_CHECKING:
    from mastodon import Mastodon

MAX_REQUESTS = 80


class MastodonRequests:
    """Mixed into ``MastodonChannel``, whose ``account`` and ``_api()`` it uses."""

    account: Account

    if TYPE_CHECKING:

        def _api(self) -> AbstractContextManager[Mastodon]: ...

    def mention_requests(self, limit: int = 40) -> list[MentionRequest]:
        try:
            with self._api() as m:
                answer = m.notification_requests(limit=min(limit, MAX_REQUESTS))
        except NotFound:  # before 4.3: the server filters nothing
            return []
        return [self._request(r) for r in answer]

    def request_notifications(self, request: MentionRequest) -> list[Notification]:
        with self._api() as m:
            answer = m.notifications(account_id=request.author.user_id, limit=40)
        return [convert.notification_from(n, self.account.id, user_id=self.account.user_id)
                for n in answer]

    def accept_request(self, request: MentionRequest) -> None:
        with self._api() as m:
            m.accept_notification_request(request.id)

    def dismiss_request(self, request: MentionRequest) -> None:
        with self._api() as m:
            m.dismiss_notification_request(request.id)

    def _request(self, r: Any) -> MentionRequest:
        status = r.get("last_status")
        updated = r.get("updated_at") or r.get("created_at")
        return MentionRequest(
            id=str(r["id"]), account_id=self.account.id,
            author=convert.author_from(r["account"], self.account.id),
            count=int(str(r.get("notifications_count") or 0)),
            updated_at=updated if isinstance(updated, datetime) else datetime.now(UTC),
            last_post=convert.post_from_status(status, self.account.id) if status else None,
        )
