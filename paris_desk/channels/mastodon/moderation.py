"""Mute, block and report on Mastodon (API_NOTES §1.9): ``SupportsModeration`` for
``MastodonChannel``, as a mixin over the channel's serialised client.

``POST /api/v1/accounts/:id/mute|unmute|block|unblock`` are idempotent on the server; a mute
also hides the author's notifications. Reports go to ``POST /api/v1/reports`` with the status
and are forwarded to the author's server when it is remote (the city wants its moderators told).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from paris_desk.core.channel import ReportReason
from paris_desk.core.model import Account, Author, Post

if TYPE_CHECKING:
    from mastodon import Mastodon

# Mastodon.py accepts these categories only (the server also knows "legal").
_CATEGORIES: dict[str, str] = {
    ReportReason.SPAM: "spam",
    ReportReason.VIOLATION: "violation",
}
MAX_REPORT_COMMENT = 1000  # app/models/report.rb COMMENT_SIZE_LIMIT


def category(reason: str) -> str:
    """The report category for a ``ReportReason`` value: spam, violation, or other."""
    return _CATEGORIES.get(reason, "other")


class MastodonModeration:
    """Mixed into ``MastodonChannel``, whose ``account``, ``_api()`` and ``_native_id`` it uses."""

    account: Account

    if TYPE_CHECKING:

        def _api(self) -> AbstractContextManager[Mastodon]: ...

        def _native_id(self, post: Post) -> str: ...

    def mute(self, author: Author) -> None:
        with self._api() as m:
            m.account_mute(self._account_id(m, author))

    def unmute(self, author: Author) -> None:
        with self._api() as m:
            m.account_unmute(self._account_id(m, author))

    def block(self, author: Author) -> None:
        with self._api() as m:
            m.account_block(self._account_id(m, author))

    def unblock(self, author: Author) -> None:
        with self._api() as m:
            m.account_unblock(self._account_id(m, author))

    def report(self, post: Post, reason: str, comment: str) -> None:
        status_id = self._native_id(post)
        with self._api() as m:
            status = m.status(status_id)
            author_id = str(status["account"]["id"])
            m.report(
                author_id,
                status_ids=[status_id],
                comment=comment[:MAX_REPORT_COMMENT] or None,
                forward="@" in str(status["account"].get("acct") or ""),
                category=category(reason),
            )

    # -- helpers -----------------------------------------------------------------------------
    @staticmethod
    def _account_id(m: Mastodon, author: Author) -> str:
        """The author's id on this account's server: ``user_id`` when the author was seen by
        this account (always so in its inbox and threads), else a lookup of the handle."""
        if author.user_id:
            return author.user_id
        found: Any = m.account_lookup(author.handle.lstrip("@"))
        return str(found["id"])
