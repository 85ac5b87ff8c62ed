"""``MastodonChannel``: the ``Channel`` of one Mastodon account: reads, favourites, boosts and
deletions as plain JSON (``reads.Api``); posts, media, filters, requests, moderation and quotes
over Mastodon.py, imported at the first of them.

Blocking and thread-agnostic; calls are serialised by a lock (one ``requests.Session`` and one
rate-limit state per account and path). Every call runs inside :func:`errors.edge`.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from paris_desk.channels.mastodon import convert, matching, reads
from paris_desk.channels.mastodon.errors import ConversionError, edge, rate_limit_wait
from paris_desk.channels.mastodon.filters import MastodonFilters
from paris_desk.channels.mastodon.moderation import MastodonModeration
from paris_desk.channels.mastodon.oauth import (
    TIMEOUT,
    AppCredentials,
    account_from_credentials,
    is_loopback,
    make_client,
)
from paris_desk.channels.mastodon.quotes import MastodonQuotes
from paris_desk.channels.mastodon.requests import MastodonRequests
from paris_desk.core.channel import SecretSaver
from paris_desk.core.errors import BadCredentials, NotFound, Rejected, ServerError
from paris_desk.core.model import (
    Account,
    Limits,
    Network,
    Notification,
    Page,
    Post,
    PostRequest,
    PreparedMedia,
    Thread,
)

if TYPE_CHECKING:
    from mastodon import Mastodon

log = logging.getLogger(__name__)

MEDIA_READY_TIMEOUT = 60.0  # seconds to wait for video/audio processing before giving up
RECENT_STATUSES = 40  # statuses per page (the API's maximum)
FIND_SENT_PAGES = 5  # find_sent searches at most 5 pages (200 own statuses)

Timeout = float | tuple[float, float]  # seconds: (connect, read), or one value for both


def restore(
    account: Account,
    secret: str,
    save_secret: SecretSaver,
    *,
    timeout: Timeout = TIMEOUT,
    app_secret: str | None = None,
) -> MastodonChannel:
    """Registry entry point: ``secret`` is the account's access token. ``timeout``: seconds per
    HTTP request. ``app_secret``: the stored ``AppCredentials`` of the OAuth app registered on
    the instance, which ``sign_out`` needs to revoke the token (unreadable: ignored)."""
    app = None
    if app_secret:
        try:
            app = AppCredentials.from_secret(app_secret)
        except BadCredentials:
            log.warning("%s: stored app credentials unreadable", account.handle)
    return MastodonChannel(account, secret, save_secret, timeout=timeout, app=app)


class MastodonChannel(MastodonModeration, MastodonFilters, MastodonRequests, MastodonQuotes):
    """One Mastodon account. Mastodon tokens never rotate, so ``save_secret`` is never called.
    ``app``: the OAuth app that issued the token, if known (only to revoke it at sign-out)."""

    def __init__(
        self,
        account: Account,
        access_token: str,
        save_secret: SecretSaver | None = None,
        *,
        timeout: Timeout = TIMEOUT,
        app: AppCredentials | None = None,
    ) -> None:
        self.account = account
        self._http = reads.Api(account.base_url, access_token, timeout=timeout,
                               account_id=account.id)
        self._token = access_token
        self._timeout = timeout
        self._client: Mastodon | None = None
        self._app = app
        self._save_secret = save_secret
        self._lock = threading.Lock()
        self._limits: Limits | None = None

    def __repr__(self) -> str:
        return f"MastodonChannel({self.account.handle})"

    @property
    def _m(self) -> Mastodon:
        """Mastodon.py's client, made (and the SDK imported) at the first write."""
        if self._client is None:
            self._client = make_client(self.account.base_url, self._token, self._app,
                                       timeout=self._timeout)
        return self._client

    @contextmanager
    def _api(self) -> Iterator[Mastodon]:
        """Serialise calls and translate errors at the edge (Mastodon.py's calls)."""
        with self._lock, edge(self.account.id, retry_after=self._retry_after):
            yield self._m

    @contextmanager
    def _plain(self) -> Iterator[reads.Api]:
        """The same, for the plain JSON calls (reads, favourites, boosts, deletions)."""
        with self._lock, edge(self.account.id):
            yield self._http

    def _retry_after(self) -> float | None:
        return rate_limit_wait(self._client.ratelimit_reset if self._client else None)

    # -- account and limits -------------------------------------------------------------------
    def verify(self) -> Account:
        with self._plain() as api:
            me = reads.get(api, "/api/v1/accounts/verify_credentials")
        fresh = account_from_credentials(self.account.base_url, me)
        self.account = replace(
            self.account,
            user_id=fresh.user_id,
            display_name=fresh.display_name or self.account.display_name,
        )
        return self.account

    def limits(self) -> Limits:
        if self._limits is None:
            self._limits = convert.limits_from_instance(*self._instance())
        return self._limits

    def _instance(self) -> tuple[Mapping[str, Any] | None, Mapping[str, Any] | None]:
        try:
            with self._plain() as api:
                return reads.get(api, "/api/v2/instance"), None
        except NotFound:
            log.info("%s: no /api/v2/instance, trying v1", self.account.handle)
        try:
            with self._plain() as api:
                return None, reads.get(api, "/api/v1/instance")
        except NotFound:
            return None, None

    # -- reading ------------------------------------------------------------------------------
    def home_timeline(
        self, cursor: str | None = None, limit: int = 40, *, newer_than: str | None = None
    ) -> Page[Post]:
        """``newer_than``: Mastodon's ``min_id`` (the statuses immediately newer, so walking up
        leaves no gap). ``Page.top``: the ``min_id`` of the page's ``prev`` link, i.e. the id
        of its newest timeline item (a boost's own id), or ``newer_than`` when nothing is new."""
        params = {"max_id": cursor, "min_id": newer_than, "limit": limit}
        with self._plain() as api:
            page = reads.get_page(api, reads.HOME, params)
        posts = convert.link_replies(self._posts(page.items))
        return Page(tuple(posts), self._next_cursor(page), self._top(page) or newer_than)

    def notifications(
        self, cursor: str | None = None, limit: int = 40, *,
        newer_than: Notification | None = None,
    ) -> Page[Notification]:
        """``newer_than``: Mastodon's ``since_id``. The read marker comes in the same round
        trip; ``Page.read_until`` is set when it names a notification of the page or
        ``newer_than`` (or one newer than that)."""
        user_id = self._user_id()
        since = newer_than.id if newer_than is not None else None
        params = {"max_id": cursor, "since_id": since, "limit": limit}
        with self._plain() as api:  # the page and the read marker in one round trip
            page, last_read = reads.side_by_side(
                lambda: reads.get_page(api, reads.NOTIFICATIONS, params),
                lambda: reads.last_read_id(api),
            )
        items = []
        for n in page.items:
            try:
                items.append(
                    convert.notification_from(
                        n, self.account.id, user_id=user_id, last_read_id=last_read
                    )
                )
            except ConversionError as exc:
                log.warning("%s: skipped a notification: %s", self.account.handle, exc)
        read_until = convert.marker_time(last_read, [*items, *filter(None, [newer_than])])
        return Page(tuple(items), self._next_cursor(page), read_until=read_until)

    def mark_notifications_read(self, newest: Notification) -> None:
        for attempt in range(2):
            try:
                with self._plain() as api:
                    reads.post(api, reads.MARKERS, {"notifications[last_read_id]": newest.id})
                return
            except Rejected:
                if attempt:  # 409: another client moved the marker at the same time
                    raise

    def thread(self, post: Post) -> Thread:
        native = self._native_id(post)
        with self._plain() as api:
            status, context = reads.side_by_side(
                lambda: reads.get(api, f"/api/v1/statuses/{native}"),
                lambda: reads.get(api, f"/api/v1/statuses/{native}/context"),
            )
        center = self._post(status)
        ancestors = self._posts(context.get("ancestors") or ())
        replies = self._posts(context.get("descendants") or ())
        linked = convert.link_replies([*ancestors, center, *replies])
        n = len(ancestors)
        return Thread(post=linked[n], ancestors=tuple(linked[:n]), replies=tuple(linked[n + 1 :]))

    def resolve(self, post: Post) -> Post:
        if post.network is not Network.MASTODON:
            raise NotFound(
                "not a Mastodon post", account_id=self.account.id, network=Network.MASTODON.value
            )
        if self._is_native(post):
            with self._plain() as api:
                return self._post(reads.get(api, f"/api/v1/statuses/{post.native_id}"))
        with self._plain() as api:
            found = reads.get(api, "/api/v2/search",
                              {"q": post.uri, "resolve": "true", "type": "statuses"})
        for status in (found.get("statuses") if isinstance(found, dict) else None) or ():
            if status.get("uri") == post.uri or status.get("url") == post.uri:
                return self._post(status)
        raise NotFound(
            f"{post.uri} unknown to {self.account.handle}",
            account_id=self.account.id,
            network=Network.MASTODON.value,
        )

    # -- writing ------------------------------------------------------------------------------
    def post(self, request: PostRequest) -> Post:
        reply_to = self._native_id(request.reply_to) if request.reply_to else None
        quoted = self._native_id(request.quote) if request.quote else None
        media_ids = [self._upload(media) for media in request.media]
        visibility = request.visibility
        if request.reply_to is not None:
            visibility = visibility.at_most_as_open_as(request.reply_to.visibility)
        with self._api() as m:
            status = m.status_post(
                request.text,
                in_reply_to_id=reply_to,
                media_ids=media_ids or None,
                spoiler_text=request.content_warning or None,
                sensitive=bool(request.content_warning),
                visibility=visibility.value,
                language=request.language or None,
                idempotency_key=request.idempotency_key or None,
                scheduled_at=request.scheduled_at,
                quoted_status_id=quoted,
            )
        if request.scheduled_at is not None:
            return matching.post_from_scheduled(status, self.account, request)
        log.info("%s: posted %s", self.account.handle, status.get("id"))
        return self._post(status)

    def find_sent(
        self, request: PostRequest, exclude: frozenset[str] = frozenset()
    ) -> Post | None:
        """The status made for ``request``, searched among this account's own statuses back to
        ``request.created_at`` (less the clock skew) or ``FIND_SENT_PAGES``: the oldest one that
        matches (``matching.is_same_post``) and is not in ``exclude`` (other jobs' posts), so
        two jobs with the same text each get their own. A failed read raises."""
        if request.scheduled_at is not None:
            with self._api() as m:
                scheduled = m.scheduled_statuses(limit=RECENT_STATUSES)
            return matching.find_scheduled(scheduled, self.account, request, exclude)
        reply_to = self._native_id(request.reply_to) if request.reply_to else None
        oldest = None
        for posts in self._own_pages():
            for post in posts:
                if post.uri not in exclude and matching.is_same_post(post, request, reply_to):
                    oldest = post  # pages go newest first: the last match is the oldest
            if any(matching.is_before_request(post, request) for post in posts):
                break  # the rest is older than the request
        return oldest

    def like(self, post: Post) -> Post:
        native = self._native_id(post)  # may ask the server: before taking the lock
        with self._plain() as api:
            status = _status(reads.post(api, f"/api/v1/statuses/{native}/favourite", {}))
        return self._keep_context(post, self._post(status))

    def unlike(self, post: Post) -> Post:
        native = self._native_id(post)  # may ask the server: before taking the lock
        with self._plain() as api:
            status = _status(reads.post(api, f"/api/v1/statuses/{native}/unfavourite", {}))
        return self._keep_context(post, self._post(status))

    def repost(self, post: Post) -> Post:
        native = self._native_id(post)  # may ask the server: before taking the lock
        with self._plain() as api:
            status = _status(reads.post(api, f"/api/v1/statuses/{native}/reblog", {}))
        # The answer is our new boost; the post is the original it wraps.
        original = status.get("reblog") or status
        return self._keep_context(post, self._post(original))

    def unrepost(self, post: Post) -> Post:
        native = self._native_id(post)  # may ask the server: before taking the lock
        with self._plain() as api:
            status = _status(reads.post(api, f"/api/v1/statuses/{native}/unreblog", {}))
        return self._keep_context(post, self._post(status.get("reblog") or status))

    def delete(self, post: Post) -> None:
        native = self._native_id(post)
        with self._plain() as api:
            api.request("DELETE", f"/api/v1/statuses/{native}")
        log.info("%s: deleted %s", self.account.handle, post.native_id)

    def sign_out(self) -> None:
        """Revoke the access token on the server (``POST /oauth/revoke``). Only the app that
        issued it may: without its credentials (a pasted token) nothing is sent, and the token
        stays valid until the user revokes it in the instance's settings."""
        if self._app is None:
            log.info("%s: no app credentials, token not revoked", self.account.handle)
            return
        with self._api() as m:
            m.revoke_access_token(allow_http=is_loopback(self.account.base_url))
        log.info("%s: token revoked", self.account.handle)

    # -- helpers ------------------------------------------------------------------------------
    def _own_pages(self) -> Iterator[list[Post]]:
        """This account's statuses (boosts excluded), a page at a time, newest first."""
        endpoint = f"/api/v1/accounts/{self._user_id()}/statuses"
        params = {"exclude_reblogs": "true", "limit": RECENT_STATUSES}
        cursor = None
        for _ in range(FIND_SENT_PAGES):
            with self._plain() as api:
                page = reads.get_page(api, endpoint, {**params, "max_id": cursor})
            if not page.items:
                return
            yield self._posts(page.items)
            cursor = page.next_max_id
            if cursor is None:
                return

    def _upload(self, media: PreparedMedia) -> str:
        with self._api() as m:
            attachment = m.media_post(
                io.BytesIO(media.data),
                mime_type=media.mime_type,
                description=media.alt or None,
                file_name=media.file_name or None,
            )
        media_id = str(attachment["id"])
        if not attachment.get("url"):
            self._wait_processed(media_id)
        return media_id

    def _wait_processed(self, media_id: str) -> None:
        """Video/audio answer 202 without ``url``: poll (bounded) until processed."""
        deadline = time.monotonic() + MEDIA_READY_TIMEOUT
        delay = 0.5
        while time.monotonic() < deadline:
            time.sleep(delay)
            with self._api() as m:
                if m.media(media_id).get("url"):
                    return
            delay = min(delay * 2, 5.0)
        raise ServerError(
            f"media {media_id} still processing after {MEDIA_READY_TIMEOUT:.0f}s",
            account_id=self.account.id,
            network=Network.MASTODON.value,
        )

    def _native_id(self, post: Post) -> str:
        """This server's id for ``post``: as seen, or looked up by its URI."""
        return post.native_id if self._is_native(post) else self.resolve(post).native_id

    def _is_native(self, post: Post) -> bool:
        origin = post.origin_account or (post.seen_by[0] if post.seen_by else "")
        if origin == self.account.id:
            return True
        host = convert.host_of_account_id(self.account.id)
        return bool(origin) and bool(host) and convert.host_of_account_id(origin) == host

    def _user_id(self) -> str:
        if not self.account.user_id:
            self.verify()
        return self.account.user_id

    def _post(self, status: Mapping[str, Any]) -> Post:
        return convert.post_from_status(status, self.account.id)

    def _posts(self, statuses: Sequence[Mapping[str, Any]]) -> list[Post]:
        """Convert a page; a status we cannot read is logged and skipped, not fatal."""
        posts = []
        for status in statuses:
            try:
                posts.append(self._post(status))
            except ConversionError as exc:
                log.warning("%s: skipped a status: %s", self.account.handle, exc)
        return posts

    @staticmethod
    def _next_cursor(page: reads.RawPage) -> str | None:
        return page.next_max_id if page.items else None

    @staticmethod
    def _top(page: reads.RawPage) -> str | None:
        if not page.items:
            return None
        return page.prev_min_id or str(page.items[0].get("id") or "") or None

    @staticmethod
    def _keep_context(before: Post, after: Post) -> Post:
        """The acted-on timeline item keeps its boost context and the accounts that saw it."""
        seen = tuple(dict.fromkeys((*before.seen_by, *after.seen_by)))
        return replace(
            after,
            repost_by=before.repost_by,
            repost_created_at=before.repost_created_at,
            seen_by=seen,
        )


def _status(answer: object) -> Mapping[str, Any]:
    """A status answer (favourite, boost…); an empty one when the server sent something else,
    which the converter then refuses (``ConversionError``)."""
    return answer if isinstance(answer, dict) else {}
