"""Controls over the account's own threads (issue 15: protect the city's threads). Pure.

Bluesky keeps them in two records beside the post, at the post's record key: the threadgate
(who may reply: ``allow``; replies hidden by the author: ``hiddenReplies``, at most 300) on
the thread's root post, and the postgate (quotes forbidden: ``embeddingRules``; quotes
detached: ``detachedEmbeddingUris``, at most 50) on any post.

``SupportsThreadControl`` is the capability of an adapter that can change who replies and
hide replies (Bluesky); ``SupportsQuoteControl`` of one that can forbid or detach quotes
(Bluesky's postgate; Mastodon 4.5's quote policy and revocation). Each call acts on a post of
the adapter's own account (else ``Rejected``) and is idempotent.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from paris_desk.core.model import Post

MAX_HIDDEN_REPLIES = 300
MAX_DETACHED_QUOTES = 50


class ReplyGate(enum.StrEnum):
    """Who may reply (the composer's ``reply_gate`` values); CUSTOM: rules this app does not
    write (lists, several rules), kept as they are."""

    EVERYONE = "everyone"
    MENTIONED = "mentioned"
    FOLLOWERS = "followers"
    FOLLOWING = "following"
    NOBODY = "nobody"
    CUSTOM = "custom"


@dataclass(frozen=True, slots=True)
class ThreadControls:
    """How a post is protected now."""

    reply_gate: ReplyGate = ReplyGate.EVERYONE
    hidden_replies: tuple[str, ...] = ()  # uris
    quotes_allowed: bool = True
    detached_quotes: tuple[str, ...] = ()  # uris of quote posts


@runtime_checkable
class SupportsThreadControl(Protocol):
    def thread_controls(self, post: Post) -> ThreadControls: ...

    def hide_reply(self, reply: Post, hidden: bool = True) -> ThreadControls:
        """Hide (or show again) ``reply`` under the root of its thread, the account's post."""
        ...

    def set_reply_gate(self, post: Post, gate: ReplyGate) -> ThreadControls:
        """Change who may reply to ``post`` (a root post), after it was published."""
        ...


@runtime_checkable
class SupportsQuoteControl(Protocol):
    def set_quotes_allowed(self, post: Post, allowed: bool) -> ThreadControls: ...

    def detach_quote(self, post: Post, quote_uri: str, detached: bool = True
                     ) -> ThreadControls:
        """Detach (or attach again, where the network allows it) the quote post
        ``quote_uri`` from ``post``."""
        ...
