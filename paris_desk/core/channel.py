"""The one small interface every network adapter implements.

An adapter is a blocking, thread-agnostic object bound to one account (one SDK client per
account, as both SDKs require). Callers run it on worker threads. Every method raises only
``paris_desk.core.errors.ChannelError`` subclasses.

A third network is one new module in ``paris_desk.channels`` plus one line in its registry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from paris_desk.core.model import (
    Account,
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

    def home_timeline(self, cursor: str | None = None, limit: int = 40) -> Page[Post]: ...

    def notifications(self, cursor: str | None = None, limit: int = 40) -> Page[Notification]: ...

    def mark_notifications_read(self, newest: Notification) -> None: ...

    def post(self, request: PostRequest) -> Post:
        """Publish. Idempotent for one ``request.idempotency_key``."""
        ...

    def find_sent(self, request: PostRequest) -> Post | None:
        """After an ambiguous failure: the post made with this key, if it exists."""
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
