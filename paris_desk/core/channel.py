"""The one small interface every network adapter implements.

An adapter is a blocking, thread-agnostic object bound to one account (one SDK client per
account, as both SDKs require). Callers run it on worker threads. Every method raises only
``paris_desk.core.errors.ChannelError`` subclasses.

A third network is one new module in ``paris_desk.channels`` plus one line in its registry.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from paris_desk.core.model import (
    Account,
    Author,
    Limits,
    Notification,
    Page,
    Post,
    PostRequest,
    Thread,
)

SecretSaver = Callable[[str], None]
"""Called with the new secret whenever the adapter's credentials change (token refresh)."""


@runtime_checkable
class Channel(Protocol):
    account: Account

    def limits(self) -> Limits: ...

    def verify(self) -> Account:
        """Check the credentials; returns the account refreshed from the server."""
        ...

    def home_timeline(
        self, cursor: str | None = None, limit: int = 40, *, newer_than: str | None = None
    ) -> Page[Post]:
        """Newest first. ``cursor``: an older page's ``Page.cursor``. ``newer_than``: a
        ``Page.top`` this adapter returned: only the items immediately newer than it (the
        oldest ``limit`` of them; walk up with the new page's ``top``). An adapter that cannot
        ask for that ignores it and returns its newest page, with ``top`` None."""
        ...

    def notifications(
        self, cursor: str | None = None, limit: int = 40, *,
        newer_than: Notification | None = None,
    ) -> Page[Notification]:
        """Newest first. ``newer_than``: the newest notification the caller holds: only those
        newer than it come back (the newest ``limit`` of them; a full page means more may wait
        below it: call again with its ``cursor`` and the same ``newer_than``)."""
        ...

    def mark_notifications_read(self, newest: Notification) -> None: ...

    def post(self, request: PostRequest) -> Post:
        """Publish. Idempotent for one ``request.idempotency_key``."""
        ...

    def find_sent(
        self, request: PostRequest, exclude: frozenset[str] = frozenset()
    ) -> Post | None:
        """After an ambiguous failure: the post made with this key, if it exists. ``exclude``:
        uris of posts that other jobs already hold, never returned. A failed read raises (a
        retryable ``ChannelError``): it never means "not found"."""
        ...

    def like(self, post: Post) -> Post: ...

    def unlike(self, post: Post) -> Post: ...

    def repost(self, post: Post) -> Post: ...

    def unrepost(self, post: Post) -> Post: ...

    def delete(self, post: Post) -> None: ...

    def thread(self, post: Post) -> Thread: ...

    def resolve(self, post: Post) -> Post:
        """The same post as this account's server knows it (ids differ between instances)."""
        ...


class ReportReason(enum.StrEnum):
    """Why a post is reported; each adapter maps it to its network's categories."""

    SPAM = "spam"
    RUDE = "rude"  # insults, harassment
    MISLEADING = "misleading"
    VIOLATION = "violation"  # breaks the server's rules or the law
    OTHER = "other"


@runtime_checkable
class SupportsModeration(Protocol):
    """Mute, block and report, as the adapter's account. A capability: check it with
    ``isinstance(channel, SupportsModeration)`` before offering the actions.

    Each call is idempotent (muting a muted author, unblocking an author not blocked: no
    error). ``author`` comes from this account's own view (``Author.user_id`` is its id on this
    account's server, or its DID); ``reason`` is a ``ReportReason`` value, ``comment`` free text
    for the moderators ("" for none)."""

    def mute(self, author: Author) -> None: ...

    def unmute(self, author: Author) -> None: ...

    def block(self, author: Author) -> None: ...

    def unblock(self, author: Author) -> None: ...

    def report(self, post: Post, reason: str, comment: str) -> None: ...
