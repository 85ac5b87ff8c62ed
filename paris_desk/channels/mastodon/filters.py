"""Keyword filters on Mastodon: filters v2 (``SupportsFilterSync`` for ``MastodonChannel``).

One app filter is one server filter titled with the word, holding that one whole-word keyword,
for the contexts home, notifications and thread, with the same action (``warn``/``hide``).
A server filter made elsewhere may hold several keywords: each comes in as its own filter,
``remote_id`` ``"<filter id>/<keyword id>"``; removing one deletes just that keyword, or the
filter with its last keyword. Filters that apply to none of our contexts (only ``public`` or
``account``), that have expired, or whose action is not ``warn``/``hide`` (4.4's ``blur``
acts on media only) are left out. Status filters (one post, not a word) are not keywords and
are left out too.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from paris_desk.channels.mastodon import convert, reads
from paris_desk.channels.mastodon.errors import ConversionError
from paris_desk.core.errors import NotFound
from paris_desk.core.filters import FilterAction, RemoteFilter

if TYPE_CHECKING:
    from mastodon import Mastodon

CONTEXTS = ["home", "notifications", "thread"]


def _applies(f: Any) -> bool:
    if f.get("filter_action") not in ("warn", "hide"):
        return False
    if not set(f.get("context") or ()) & set(CONTEXTS):
        return False
    expires = f.get("expires_at")
    if expires is None:
        return True
    try:  # a date string as read (``reads``), or a datetime as Mastodon.py casts it
        return convert.parse_datetime(expires, "filter.expires_at") > datetime.now(UTC)
    except ConversionError:
        return True  # an unreadable date: kept, as the server keeps applying it


class MastodonFilters:
    """Mixed into ``MastodonChannel``, whose ``_api()`` it uses."""

    if TYPE_CHECKING:

        def _api(self) -> AbstractContextManager[Mastodon]: ...

        def _plain(self) -> AbstractContextManager[reads.Api]: ...

    def server_filters(self) -> list[RemoteFilter]:
        """Read as plain JSON (``GET /api/v2/filters``); written through Mastodon.py."""
        with self._plain() as api:
            answer = reads.get(api, "/api/v2/filters")
        filters = [f for f in answer if isinstance(f, dict)] if isinstance(answer, list) else []
        return [
            RemoteFilter(f"{f['id']}/{k['id']}", str(k["keyword"]),
                         FilterAction(f["filter_action"]))
            for f in filters if _applies(f) for k in f.get("keywords") or ()
        ]

    def add_server_filter(self, text: str, action: FilterAction) -> RemoteFilter:
        with self._api() as m:
            made = m.create_filter_v2(
                title=text, context=CONTEXTS, filter_action=action.value,
                keywords_attributes=[{"keyword": text, "whole_word": True}],
            )
        keyword = made["keywords"][0]
        return RemoteFilter(f"{made['id']}/{keyword['id']}", text, action)

    def remove_server_filter(self, remote_id: str) -> None:
        filter_id, _, keyword_id = remote_id.partition("/")
        try:
            with self._api() as m:
                held = m.filter_v2(filter_id)
                others = [k for k in held.get("keywords") or () if str(k["id"]) != keyword_id]
                if others:
                    m.delete_filter_keyword_v2(keyword_id)
                else:
                    m.delete_filter_v2(filter_id)
        except NotFound:
            return  # already gone
