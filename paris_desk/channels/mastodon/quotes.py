"""Quote controls on Mastodon 4.5 (``SupportsQuoteControl`` for ``MastodonChannel``), through
Mastodon.py: ``status_update_quote_approval_policy`` (who may quote: public, or nobody when
forbidden) and ``status_quote_revoke`` (detach a quote; final on Mastodon: a revoked quote
cannot be attached again). The quoting status is found among ``status_quotes`` of the post.
The client assumes 4.3 (no version probing, ``oauth.make_client``), so Mastodon.py's own
version check is lifted for these calls only; a server before 4.5 answers 404: ``NotFound``,
which the window words."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING

from paris_desk.core.errors import Rejected
from paris_desk.core.model import Account, Post
from paris_desk.core.threads import ThreadControls

from .errors import NETWORK

if TYPE_CHECKING:
    from mastodon import Mastodon


class MastodonQuotes:
    """Mixed into ``MastodonChannel``, whose ``account``, ``_api()`` and ``_native_id`` it
    uses."""

    account: Account

    if TYPE_CHECKING:

        def _api(self) -> AbstractContextManager[Mastodon]: ...

        def _native_id(self, post: Post) -> str: ...

    def set_quotes_allowed(self, post: Post, allowed: bool) -> ThreadControls:
        status_id = self._own(post)
        with self._api() as m, _unchecked(m):
            m.status_update_quote_approval_policy(status_id, "public" if allowed else "nobody")
        return ThreadControls(quotes_allowed=allowed)

    def detach_quote(self, post: Post, quote_uri: str, detached: bool = True
                     ) -> ThreadControls:
        if not detached:
            raise Rejected("unsupported", account_id=self.account.id, network=NETWORK)
        status_id = self._own(post)
        with self._api() as m, _unchecked(m):
            quoting = [q for q in m.status_quotes(status_id, limit=80)
                       if str(q.get("uri")) == quote_uri]
            for q in quoting:
                m.status_quote_revoke(status_id, q["id"])
        return ThreadControls(detached_quotes=(quote_uri,))

    def _own(self, post: Post) -> str:
        if post.author.user_id != self.account.user_id or (
                post.origin_account and post.origin_account != self.account.id):
            raise Rejected("only the account's own posts can be protected",
                           account_id=self.account.id, network=NETWORK)
        return self._native_id(post)


@contextmanager
def _unchecked(m: Mastodon) -> Iterator[None]:
    """Mastodon.py's version check off for the calls in the block (under the channel's lock)."""
    mode = m.version_check_mode
    m.version_check_mode = "none"
    try:
        yield
    finally:
        m.version_check_mode = mode
