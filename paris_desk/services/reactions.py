"""Like, repost and their undo: one action, wherever the post is shown (the timeline, the
inbox), called through the Desk (``Desk.react``). Qt-free and blocking.

The acting account's server answers with the post's new counts and that account's own state.
The answer is kept in the timeline's cache for the posts it already holds (a notification's
post does not join the timeline), and, in team mode, the action is written to the team's
audit log with the account and the post.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from paris_desk.core.errors import ParisDeskError
from paris_desk.core.model import Post

if TYPE_CHECKING:
    from paris_desk.core.channel import Channel
    from paris_desk.services.executors import Executors
    from paris_desk.store.cache import PostCache

log = logging.getLogger(__name__)


class PostAction(enum.StrEnum):
    """What can be done to a post as an account; the values are ``Channel`` method names."""

    LIKE = "like"
    UNLIKE = "unlike"
    REPOST = "repost"
    UNREPOST = "unrepost"


class ChannelSource(Protocol):
    def channel(self, account_id: str) -> Channel: ...


Audit = Callable[[str, PostAction, Post], None]  # (account id, action, the post acted on)


class Reactions:
    def __init__(self, accounts: ChannelSource, cache: PostCache, executors: Executors, *,
                 audit: Audit | None = None) -> None:
        self._accounts = accounts
        self._cache = cache
        self._executors = executors
        self._audit = audit

    def react(self, account_id: str, action: PostAction, post: Post) -> Post:
        """Like, repost or undo ``post`` as ``account_id``; returns ``post`` with the new
        counts, and the new state when ``account_id`` owns the item (the first account that
        saw it, or the only one)."""
        owner = not post.seen_by or post.seen_by[0] == account_id
        # Another account's own like/repost state is unknown here: let its server decide.
        target = post if owner else replace(post, liked=False, reposted=False)
        method: Callable[[Post], Post] = getattr(self._accounts.channel(account_id),
                                                 action.value)
        answer = method(target)
        updated = replace(post, reply_count=answer.reply_count,
                          repost_count=answer.repost_count, like_count=answer.like_count)
        if owner:
            updated = replace(updated, liked=answer.liked, reposted=answer.reposted)
            self._remember(account_id, updated)
        log.info("%s: %s %s", account_id, action.value, post.uri)
        if self._audit is not None:
            try:
                self._audit(account_id, action, updated)
            except ParisDeskError as exc:  # done on the network: the action stands
                log.warning("%s not written to the audit log: %s", action.value,
                            type(exc).__name__)
        return updated

    def _remember(self, account_id: str, post: Post) -> None:
        """The new state in the cache, if the account's timeline holds the post (on the
        writer thread, after the refreshes' writes)."""
        try:
            self._executors.write(lambda: self._cache.refresh_posts(account_id, [post]))
        except RuntimeError:  # closed: the app is quitting
            log.debug("cache: closed, %s not refreshed", post.uri)
