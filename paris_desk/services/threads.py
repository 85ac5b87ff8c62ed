"""Protecting the city's own threads after publishing (issue 15): one place for the window,
the CLI and any later worker. Blocking and Qt-free.

Each action goes to the adapter of the account that owns the post: ``SupportsThreadControl``
(Bluesky's threadgate: hidden replies, who may reply) and ``SupportsQuoteControl`` (Bluesky's
postgate, Mastodon 4.5's quote policy and revocation). A network without it raises
``Rejected`` with a reason the shells word ("unsupported"); ``supports`` and
``supports_quotes`` say so beforehand, to offer the action or not.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from paris_desk.core.errors import Rejected
from paris_desk.core.threads import (
    ReplyGate,
    SupportsQuoteControl,
    SupportsThreadControl,
    ThreadControls,
)

if TYPE_CHECKING:
    from paris_desk.core.channel import Channel
    from paris_desk.core.model import Post

log = logging.getLogger(__name__)

UNSUPPORTED = "unsupported"


class AccountSource(Protocol):
    def channel(self, account_id: str) -> Channel: ...


class ThreadGuard:
    def __init__(self, accounts: AccountSource) -> None:
        self._accounts = accounts

    def supports(self, account_id: str) -> bool:
        return isinstance(self._accounts.channel(account_id), SupportsThreadControl)

    def supports_quotes(self, account_id: str) -> bool:
        return isinstance(self._accounts.channel(account_id), SupportsQuoteControl)

    def controls(self, account_id: str, post: Post) -> ThreadControls:
        return self._control(account_id).thread_controls(post)

    def hide_reply(self, account_id: str, reply: Post, hidden: bool = True) -> ThreadControls:
        controls = self._control(account_id).hide_reply(reply, hidden)
        log.info("%s: reply %s %s", account_id, reply.uri, "hidden" if hidden else "shown")
        return controls

    def set_reply_gate(self, account_id: str, post: Post, gate: ReplyGate) -> ThreadControls:
        controls = self._control(account_id).set_reply_gate(post, gate)
        log.info("%s: who may reply to %s: %s", account_id, post.uri, gate.value)
        return controls

    def set_quotes_allowed(self, account_id: str, post: Post, allowed: bool) -> ThreadControls:
        controls = self._quotes(account_id).set_quotes_allowed(post, allowed)
        log.info("%s: quotes of %s %s", account_id, post.uri,
                 "allowed" if allowed else "forbidden")
        return controls

    def detach_quote(self, account_id: str, post: Post, quote_uri: str,
                     detached: bool = True) -> ThreadControls:
        controls = self._quotes(account_id).detach_quote(post, quote_uri, detached)
        log.info("%s: quote %s of %s %s", account_id, quote_uri, post.uri,
                 "detached" if detached else "attached")
        return controls

    def _control(self, account_id: str) -> SupportsThreadControl:
        channel = self._accounts.channel(account_id)
        if not isinstance(channel, SupportsThreadControl):
            raise Rejected(UNSUPPORTED, account_id=account_id,
                           network=channel.account.network.value)
        return channel

    def _quotes(self, account_id: str) -> SupportsQuoteControl:
        channel = self._accounts.channel(account_id)
        if not isinstance(channel, SupportsQuoteControl):
            raise Rejected(UNSUPPORTED, account_id=account_id,
                           network=channel.account.network.value)
        return channel
