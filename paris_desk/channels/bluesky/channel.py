"""``BlueskyChannel``: the ``paris_desk.core.channel.Channel`` of one Bluesky account."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from paris_desk.core.errors import ChannelError, NotFound, Rejected, ServerError
from paris_desk.core.model import (
    Account,
    Limits,
    Notification,
    Page,
    Post,
    PostRequest,
    Thread,
)

from . import reads
from .convert import (
    THREAD_VIEW,
    did_of,
    notification_from_view,
    notification_post_uri,
    parse_datetime,
    posts_from_feed,
    thread_from_view,
)
from .errors import NETWORK
from .filters import BlueskyFilters
from .gates import BlueskyThreadControls
from .identity import normalize_handle
from .moderation import BlueskyModeration
from .session import REQUEST_TIMEOUT, SessionCaller
from .text import iso

if TYPE_CHECKING:
    from .publish import Publisher

log = logging.getLogger(__name__)

LIMITS = Limits(
    max_characters=300,
    counting="graphemes",
    max_bytes=3000,
    max_media=4,
    image_size_limit=1_000_000,
    description_limit=2000,  # alt text: social-app's MAX_ALT_TEXT (the lexicon sets none)
    supports_threadgate=True,
)
MAX_PAGE = 100
POST = "app.bsky.feed.post"
LIKE = "app.bsky.feed.like"
REPOST = "app.bsky.feed.repost"


def restore(account: Account, secret: str, save_secret: Callable[[str], None], *,
            timeout: float = REQUEST_TIMEOUT) -> BlueskyChannel:
    """The channel of ``account`` from its stored session string. No network, no SDK: the
    session is refreshed on first use when it is near expiry, or when the server says
    ``ExpiredToken``. ``save_secret`` receives every new session string (refresh tokens are
    single-use). ``timeout``: seconds per HTTP request."""
    return BlueskyChannel(account, SessionCaller(account, secret, save_secret, timeout=timeout))


def _page_size(limit: int) -> int:
    return max(1, min(limit, MAX_PAGE))


def _is_after(item: dict[str, Any], held: Notification | None) -> bool:
    if held is None:
        return True
    indexed = parse_datetime(item.get("indexedAt"))
    return indexed > held.created_at or (indexed == held.created_at and item.get("uri") != held.id)


def _field(answer: object, key: str) -> Any:
    return answer.get(key) if isinstance(answer, dict) else None


def _cursor(answer: object) -> str | None:
    cursor = _field(answer, "cursor")
    return cursor if isinstance(cursor, str) and cursor else None


def seen_at(moment: datetime) -> str:
    """The ``seenAt`` that marks as read every notification indexed at or before ``moment``.

    The AppView compares ISO strings, read = ``seenAt > indexedAt`` (strictly; bsky
    ``views/index.ts`` ``notification()``), both in milliseconds: so the next millisecond."""
    moment = moment.astimezone(UTC)
    moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    return iso(moment + timedelta(milliseconds=1))


class BlueskyChannel(BlueskyModeration, BlueskyFilters, BlueskyThreadControls):
    """Blocking, thread-agnostic; one session per account. Raises only ``ChannelError``s
    (and whatever ``save_secret`` raises, e.g. a locked keychain, when a session renews).
    Reads go as plain XRPC; writes through the SDK, imported at the first one."""

    def __init__(self, account: Account, caller: SessionCaller) -> None:
        self.account = account
        self._api = caller
        self._publisher_made: Publisher | None = None
        # Like/repost records this channel made, by post URI, for an unlike without a lookup.
        self._likes: dict[str, str] = {}
        self._reposts: dict[str, str] = {}

    @property
    def _publisher(self) -> Publisher:
        if self._publisher_made is None:
            from .publish import Publisher

            self._publisher_made = Publisher(self._api, self.account)
        return self._publisher_made

    def limits(self) -> Limits:
        return LIMITS

    def verify(self) -> Account:
        session = self._api.query("com.atproto.server.getSession")
        did, handle = _field(session, "did"), _field(session, "handle")
        if not isinstance(did, str) or not isinstance(handle, str):
            raise ServerError("getSession: unexpected answer", account_id=self.account.id,
                           network=NETWORK)
        name = self._display_name(did) or self.account.display_name
        self.account = replace(self.account, handle=handle, user_id=did, display_name=name)
        return self.account

    def _display_name(self, did: str) -> str:
        """The profile's display name, or "" when the server has no AppView (a bare PDS
        answers 502/404) or the lookup fails: a nicety, never a reason to fail."""
        try:
            name = reads.profile(self._api, did).get("displayName")
        except ChannelError as exc:
            log.info("no profile for %s: %s", did, type(exc).__name__)
            return ""
        return name if isinstance(name, str) else ""

    # -- reading -----------------------------------------------------------------------------
    def home_timeline(
        self, cursor: str | None = None, limit: int = 40, *, newer_than: str | None = None
    ) -> Page[Post]:
        """``newer_than`` is ignored: getTimeline has no lower bound, and its newest page is
        cheap to decode (``Page.top`` stays None)."""
        del newer_than
        answer = self._api.query("app.bsky.feed.getTimeline",
                                 {"cursor": cursor, "limit": _page_size(limit)})
        posts: dict[str, Post] = {}
        for post in posts_from_feed(_field(answer, "feed")):
            posts.setdefault(post.uri, post)  # a post and its repost: keep the newest item
        return Page(items=tuple(posts.values()), cursor=_cursor(answer) if posts else None)

    def notifications(
        self, cursor: str | None = None, limit: int = 40, *,
        newer_than: Notification | None = None,
    ) -> Page[Notification]:
        """``newer_than``: listNotifications has no lower bound, so the page is cut at it here,
        and only the posts of what is new are looked up (getPosts). ``Page.read_until``: just
        before the account's ``seenAt`` (read = ``seenAt > indexedAt``)."""
        answer = self._api.query("app.bsky.notification.listNotifications",
                                 {"cursor": cursor, "limit": _page_size(limit)})
        listed = _field(answer, "notifications")
        items = [n for n in listed if isinstance(n, dict) and isinstance(n.get("uri"), str)
                 and _is_after(n, newer_than)] if isinstance(listed, list) else []
        uris = list(dict.fromkeys(u for u in map(notification_post_uri, items) if u))
        posts = reads.posts_by_uri(self._api, uris) if uris else {}
        page = tuple(notification_from_view(n, posts, self.account.id) for n in items)
        seen_at_field = _field(answer, "seenAt")
        seen = parse_datetime(seen_at_field) if isinstance(seen_at_field, str) else None
        return Page(items=page, cursor=_cursor(answer) if page else None,
                    read_until=seen - timedelta(microseconds=1) if seen else None)

    def mark_notifications_read(self, newest: Notification) -> None:
        self._api.procedure("app.bsky.notification.updateSeen",
                            {"seenAt": seen_at(newest.created_at)})

    def thread(self, post: Post) -> Thread:
        answer = self._api.query("app.bsky.feed.getPostThread", {"uri": post.uri})
        node = _field(answer, "thread")
        if not isinstance(node, dict) or node.get("$type") != THREAD_VIEW:
            raise NotFound("post deleted or blocked", account_id=self.account.id,
                           network=NETWORK)
        return thread_from_view(node)

    def resolve(self, post: Post) -> Post:
        return post  # at:// URIs are global: every account sees the same post

    def sign_out(self) -> None:
        """End this session on the server (``com.atproto.server.deleteSession``): its refresh
        token stops working; the app password itself stays valid (revoked in the app's
        settings)."""
        self._api.delete_session()

    def resolve_handle(self, handle: str) -> str | None:
        """The DID of ``handle`` (``@`` optional), or None when no account has that handle.
        Raises ``ChannelError`` when the server cannot answer (unreachable, rate limited…)."""
        return reads.did_of(self._api, normalize_handle(handle))

    # -- writing ---------------------------------------------------------------------------
    # Posts go through the SDK (``publish``: record validation, facets, embeds, blobs), which
    # is imported at the first one; likes, reposts and deletions are small JSON records.
    def post(self, request: PostRequest) -> Post:
        return self._publisher.post(request)

    def find_sent(
        self, request: PostRequest, exclude: frozenset[str] = frozenset()
    ) -> Post | None:
        # The post is looked up at the request's own record key, which no other job has:
        # ``exclude`` cannot name it.
        return self._publisher.find_sent(request)

    def delete(self, post: Post) -> None:
        if did_of(post.uri) != self._api.did:
            raise Rejected("only the account's own posts can be deleted",
                           account_id=self.account.id, network=NETWORK)
        reads.delete_record(self._api, POST, post.uri)

    def like(self, post: Post) -> Post:
        if post.liked:
            return post
        self._likes[post.uri] = reads.create_record(self._api, LIKE, {"subject": self._ref(post)})
        return replace(post, liked=True, like_count=post.like_count + 1)

    def unlike(self, post: Post) -> Post:
        like_uri = self._likes.pop(post.uri, "") or self._viewer(post, "like")
        if not like_uri:
            return replace(post, liked=False)
        reads.delete_record(self._api, LIKE, like_uri)
        return replace(post, liked=False, like_count=max(post.like_count - 1, 0))

    def repost(self, post: Post) -> Post:
        if post.reposted:
            return post
        self._reposts[post.uri] = reads.create_record(self._api, REPOST,
                                                      {"subject": self._ref(post)})
        return replace(post, reposted=True, repost_count=post.repost_count + 1)

    def unrepost(self, post: Post) -> Post:
        repost_uri = self._reposts.pop(post.uri, "") or self._viewer(post, "repost")
        if not repost_uri:
            return replace(post, reposted=False)
        reads.delete_record(self._api, REPOST, repost_uri)
        return replace(post, reposted=False, repost_count=max(post.repost_count - 1, 0))

    # -- helpers -----------------------------------------------------------------------------
    def _ref(self, post: Post) -> dict[str, Any]:
        cid = post.cid or str(reads.post_view(self._api, post.uri).get("cid") or "")
        return reads.strong_ref(post.uri, cid)

    def _viewer(self, post: Post, field: str) -> str:
        """This account's like/repost record of ``post`` (its URI), as the AppView knows it."""
        viewer = reads.post_view(self._api, post.uri).get("viewer")
        value = viewer.get(field) if isinstance(viewer, dict) else None
        return value if isinstance(value, str) else ""
