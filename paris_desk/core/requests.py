"""Strangers' mentions ("Demandes", issue 15). Pure.

Mastodon 4.3+ keeps the notifications its policy filters (by default: private mentions from
accounts the user does not follow) out of the notifications list and groups them per sender
as notification requests, to accept (the sender's notifications join the list, and future
ones too) or dismiss. ``SupportsRequests`` is the capability of an adapter that has them;
an item never disappears silently: what is filtered is listed here until accepted or
dismissed by the user.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from paris_desk.core.model import Author, Notification, Post


@dataclass(frozen=True, slots=True)
class MentionRequest:
    """The filtered notifications of one sender, for one account."""

    id: str  # the server's request id
    account_id: str
    author: Author
    count: int
    updated_at: datetime
    last_post: Post | None = None


@runtime_checkable
class SupportsRequests(Protocol):
    def mention_requests(self, limit: int = 40) -> list[MentionRequest]:
        """The pending requests, most recently updated first."""
        ...

    def request_notifications(self, request: MentionRequest) -> list[Notification]:
        """The filtered notifications of ``request`` ("voir le fil"), newest first."""
        ...

    def accept_request(self, request: MentionRequest) -> None: ...

    def dismiss_request(self, request: MentionRequest) -> None: ...
