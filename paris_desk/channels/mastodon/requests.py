"""Notification requests on Mastodon 4.3+ (``SupportsRequests`` for ``MastodonChannel``):
the mentions the account's notification policy filtered, per sender. Read as plain JSON
(``GET /api/v1/notifications/requests``, ``/api/v1/notifications?account_id=…``); accepted
and dismissed through Mastodon.py's ``accept_notification_request`` and
``dismiss_notification_request``. A server older than 4.3 answers 404: no request."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from paris_desk.channels.mastodon import convert, reads
from paris_desk.channels.mastodon.errors import ConversionError
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

        def _plain(self) -> AbstractContextManager[reads.Api]: ...

    def mention_requests(self, limit: int = 40) -> list[MentionRequest]:
        try:
            with self._plain() as api:
                answer = reads.get(api, "/api/v1/notifications/requests",
                                   {"limit": min(limit, MAX_REQUESTS)})
        except NotFound:  # before 4.3: the server filters nothing
            return []
        return [self._request(r) for r in _objects(answer)]

    def request_notifications(self, request: MentionRequest) -> list[Notification]:
        with self._plain() as api:
            answer = reads.get(api, reads.NOTIFICATIONS,
                               {"account_id": request.author.user_id, "limit": 40})
        return [convert.notification_from(n, self.account.id, user_id=self.account.user_id)
                for n in _objects(answer)]

    def accept_request(self, request: MentionRequest) -> None:
        with self._api() as m:
            m.accept_notification_request(request.id)

    def dismiss_request(self, request: MentionRequest) -> None:
        with self._api() as m:
            m.dismiss_notification_request(request.id)

    def _request(self, r: Any) -> MentionRequest:
        status = r.get("last_status")
        return MentionRequest(
            id=str(r["id"]), account_id=self.account.id,
            author=convert.author_from(r["account"], self.account.id),
            count=int(str(r.get("notifications_count") or 0)),
            updated_at=_moment(r.get("updated_at") or r.get("created_at")),
            last_post=convert.post_from_status(status, self.account.id) if status else None,
        )


def _objects(answer: object) -> list[dict[str, Any]]:
    return [item for item in answer if isinstance(item, dict)] if isinstance(answer, list) else []


def _moment(value: object) -> datetime:
    """A date of the answer; now when it has none or an unreadable one."""
    try:
        return convert.parse_datetime(value, "notification_request.updated_at")
    except ConversionError:
        return datetime.now(UTC)
