"""``BlueskyChannel``: the ``paris_desk.core.channel.Channel`` of one Bluesky account."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from atproto_client import models

from paris_desk.core.errors import NotFound, Rejected
from paris_desk.core.model import (
    Account,
    Limits,
    Notification,
    Page,
    Post,
    PostRequest,
    Thread,
)

from . import records
from .convert import (
    did_of,
    notification_from_view,
    notification_post_uri,
    parse_datetime,
    post_from_feed_item,
    rkey_of,
    thread_from_view,
)
from .errors import NETWORK
from .filters import BlueskyFilters
from .gates import BlueskyThreadControls
from .identity import normalize_handle
from .moderation import BlueskyModeration
from .publish import Publisher
from .session import (
    REQUEST_TIMEOUT,
    SessionCaller,
    decode_secret,
    display_name,
    new_client,
    pds_url,
)

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


def restore(account: Account, secret: str, save_secret: Callable[[str], None], *,
            timeout: float = REQUEST_TIMEOUT) -> BlueskyChannel:
    """The channel of ``account`` from its stored session string. No network: the session is
    refreshed on first use when it is near expiry, or when the server says ``ExpiredToken``.
    ``save_secret`` receives every new session string (refresh tokens are single-use).
    ``timeout``: seconds per HTTP request."""
    session = decode_secret(secret)
    client = new_client(pds_url(session.pds_endpoint) or account.base_url, timeout)
    caller = SessionCaller(client, account, save_secret)
    caller.import_secret(secret)
    return BlueskyChannel(account, caller)


def _page_size(limit: int) -> int:
    return max(1, min(limit, MAX_PAGE))


def _is_after(item: models.AppBskyNotificationListNotifications.Notification,
              held: Notification | None) -> bool:
    if held is None:
        return True
    indexed = parse_datetime(item.indexed_at)
    return indexed > held.created_at or (indexed == held.created_at and item.uri != held.id)


def seen_at(moment: datetime) -> str:
    """The ``seenAt`` that marks as read every notification indexed at or before ``moment``.

    The AppView compares ISO strings, read = ``seenAt > indexedAt`` (strictly; bsky
    ``views/index.ts`` ``notification()``), both in milliseconds: so the next millisecond."""
    moment = moment.astimezone(UTC)
    moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    return records.iso(moment + timedelta(milliseconds=1))


class BlueskyChannel(BlueskyModeration, BlueskyFilters, BlueskyThreadControls):
    """Blocking, thread-agnostic; one SDK client per account. Raises only ``ChannelError``s
    (and whatever ``save_secret`` raises, e.g. a locked keychain, when a session renews)."""

    def __init__(self, account: Account, caller: SessionCaller) -> None:
        self.account = account
        self._api = caller
        self._client = caller.client
        self._publisher = Publisher(caller, account)
        # Like/repost records this channel made, by post URI, for an unlike without a lookup.
        self._likes: dict[str, str] = {}
        self._reposts: dict[str, str] = {}

    def limits(self) -> Limits:
        return LIMITS

    def verify(self) -> Account:
        session = self._api.call(self._client.com.atproto.server.get_session)
        name = display_name(self._client, session.did) or self.account.display_name
        self.account = replace(self.account, handle=session.handle, user_id=session.did,
                               display_name=name)
        return self.account

    # -- reading -----------------------------------------------------------------------------
    def home_timeline(
        self, cursor: str | None = None, limit: int = 40, *, newer_than: str | None = None
    ) -> Page[Post]:
        """``newer_than`` is ignored: getTimeline has no lower bound, and its newest page is
        cheap to decode (``Page.top`` stays None)."""
        del newer_than
        params = models.AppBskyFeedGetTimeline.Params(cursor=cursor, limit=_page_size(limit))
        response = self._api.call(self._client.app.bsky.feed.get_timeline, params)
        posts: dict[str, Post] = {}
        for item in response.feed:
            post = post_from_feed_item(item)
            posts.setdefault(post.uri, post)  # a post and its repost: keep the newest item
        return Page(items=tuple(posts.values()), cursor=response.cursor if posts else None)

    def notifications(
        self, cursor: str | None = None, limit: int = 40, *,
        newer_than: Notification | None = None,
    ) -> Page[Notification]:
        """``newer_than``: listNotifications has no lower bound, so the page is cut at it here,
        and only the posts of what is new are looked up (getPosts). ``Page.read_until``: just
        before the account's ``seenAt`` (read = ``seenAt > indexedAt``)."""
        params = models.AppBskyNotificationListNotifications.Params(cursor=cursor,
                                                                   limit=_page_size(limit))
        response = self._api.call(self._client.app.bsky.notification.list_notifications, params)
        items = [n for n in response.notifications if _is_after(n, newer_than)]
        uris = list(dict.fromkeys(u for u in map(notification_post_uri, items) if u))
        posts = self._publisher.posts_by_uri(uris) if uris else {}
        page = tuple(notification_from_view(n, posts, self.account.id) for n in items)
        seen = parse_datetime(response.seen_at) if response.seen_at else None
        return Page(items=page, cursor=response.cursor if page else None,
                    read_until=seen - timedelta(microseconds=1) if seen else None)

    def mark_notifications_read(self, newest: Notification) -> None:
        data = models.AppBskyNotificationUpdateSeen.Data(seen_at=seen_at(newest.created_at))
        self._api.call(self._client.app.bsky.notification.update_seen, data)

    def thread(self, post: Post) -> Thread:
        params = models.AppBskyFeedGetPostThread.Params(uri=post.uri)
        response = self._api.call(self._client.app.bsky.feed.get_post_thread, params)
        if not isinstance(response.thread, models.AppBskyFeedDefs.ThreadViewPost):
            raise NotFound("post deleted or blocked", account_id=self.account.id,
                           network=NETWORK)
        return thread_from_view(response.thread)

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
        return self._publisher.did_of(normalize_handle(handle))

    # -- writing -----------------------------------------------------------------------------
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
        self._api.call(self._client.app.bsky.feed.post.delete, self._api.did, rkey_of(post.uri))

    def like(self, post: Post) -> Post:
        if post.liked:
            return post
        record = models.AppBskyFeedLike.Record(subject=self._ref(post),
                                               created_at=records.iso(datetime.now(UTC)))
        made = self._api.call(self._client.app.bsky.feed.like.create, self._api.did, record)
        self._likes[post.uri] = made.uri
        return replace(post, liked=True, like_count=post.like_count + 1)

    def unlike(self, post: Post) -> Post:
        like_uri = self._likes.pop(post.uri, "") or self._viewer(post).like or ""
        if not like_uri:
            return replace(post, liked=False)
        self._api.call(self._client.app.bsky.feed.like.delete, self._api.did, rkey_of(like_uri))
        return replace(post, liked=False, like_count=max(post.like_count - 1, 0))

    def repost(self, post: Post) -> Post:
        if post.reposted:
            return post
        record = models.AppBskyFeedRepost.Record(subject=self._ref(post),
                                                 created_at=records.iso(datetime.now(UTC)))
        made = self._api.call(self._client.app.bsky.feed.repost.create, self._api.did, record)
        self._reposts[post.uri] = made.uri
        return replace(post, reposted=True, repost_count=post.repost_count + 1)

    def unrepost(self, post: Post) -> Post:
        repost_uri = self._reposts.pop(post.uri, "") or self._viewer(post).repost or ""
        if not repost_uri:
            return replace(post, reposted=False)
        self._api.call(self._client.app.bsky.feed.repost.delete, self._api.did,
                       rkey_of(repost_uri))
        return replace(post, reposted=False, repost_count=max(post.repost_count - 1, 0))

    # -- helpers -----------------------------------------------------------------------------
    def _ref(self, post: Post) -> models.ComAtprotoRepoStrongRef.Main:
        cid = post.cid or self._view(post).cid
        return records.strong_ref(post.uri, cid)

    def _view(self, post: Post) -> models.AppBskyFeedDefs.PostView:
        response = self._api.call(self._client.app.bsky.feed.get_posts, {"uris": [post.uri]})
        if not response.posts:
            raise NotFound("post deleted", account_id=self.account.id, network=NETWORK)
        return response.posts[0]

    def _viewer(self, post: Post) -> models.AppBskyFeedDefs.ViewerState:
        """This account's like/repost of ``post``, as the AppView knows it."""
        return self._view(post).viewer or models.AppBskyFeedDefs.ViewerState()
