"""State, clock, authentication and visibility rules shared by every route group."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TypeVar
from urllib.parse import quote_plus

from ..http import Handler, Request, Response, SandboxServer
from .state import (
    Account,
    ApiError,
    App,
    Grant,
    Media,
    Mute,
    Notification,
    Scheduled,
    Status,
    Token,
    not_found,
    snowflake,
)

T = TypeVar("T")

SCOPE_PARENTS = ("read", "write", "follow", "push", "profile")


class Core(SandboxServer):
    """The server's in-memory state and the checks every endpoint makes."""

    name = "mastodon"
    version = "4.5.0"
    anchor: datetime  # "now" for the sample data (``MastodonSandbox``)

    def __init__(self, port: int = 0, latency_ms: int = 0, seed: int = 0) -> None:
        super().__init__(port=port, latency_ms=latency_ms, seed=seed)
        self.seed = seed
        self.accounts: list[dict[str, str]] = []  # the city accounts, for tests
        self.users: dict[str, Account] = {}
        self.by_acct: dict[str, str] = {}
        self.statuses: dict[str, Status] = {}
        self.media: dict[str, Media] = {}
        self.notifications: list[Notification] = []
        self.apps: dict[str, App] = {}  # by client_id
        self.tokens: dict[str, Token] = {}
        self.grants: dict[str, Grant] = {}
        self.markers: dict[str, dict[str, dict[str, object]]] = {}
        self.mutes: dict[str, dict[str, Mute]] = {}
        self.blocks: dict[str, set[str]] = {}
        self.reports: list[dict[str, object]] = []
        self.scheduled: dict[str, Scheduled] = {}
        self.idempotency: dict[tuple[str, str], tuple[str, str, float]] = {}
        self.clock_offset = 0.0
        self.idempotency_ttl = 3600.0
        self.media_processing_seconds = 1.0
        self.issue_refresh_tokens = False
        self._last_id = 0
        self._next_notification = 31_000_000

    # -- clock and ids ------------------------------------------------------------------------
    def clock(self) -> float:
        return time.time() + self.clock_offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    def advance_time(self, seconds: float) -> None:
        """Move the server's clock forward (idempotency expiry, scheduled posts)."""
        with self.lock:
            self.clock_offset += seconds

    def new_id(self, at: datetime | None = None) -> str:
        value = snowflake(at or self.now())
        self._last_id = max(self._last_id + 1, value)
        return str(self._last_id)

    def new_notification_id(self) -> int:
        self._next_notification += 1
        return self._next_notification

    # -- routing ------------------------------------------------------------------------------
    def api(self, method: str, pattern: str, handler: Handler) -> None:
        """A route that also answers with a trailing slash, as Rails does."""
        self.route(method, pattern + "/?", handler)

    def dispatch(self, req: Request) -> Response:
        try:
            with self.lock:
                self.publish_due()
                return super().dispatch(req)
        except ApiError as exc:
            return exc.response()

    def publish_due(self) -> None:
        """Hook: post the scheduled statuses whose time has come (statuses module)."""

    def account_of(self, req: Request) -> str:
        with self.lock:
            token = self.tokens.get(_bearer(req))
            acc = self.users.get(token.account_id or "") if token else None
        return acc.acct if acc else ""

    # -- authentication -----------------------------------------------------------------------
    def token_of(self, req: Request, scopes: Sequence[str]) -> Token | None:
        """Doorkeeper's check: no header = anonymous; a bad, revoked or narrow token fails."""
        header = req.header("authorization")
        if not header:
            return None
        token = self.tokens.get(_bearer(req))
        if token is None:
            raise _unauthorized("The access token is invalid")
        if token.revoked:
            raise _unauthorized("The access token was revoked")
        if scopes and not set(scopes) & set(token.scopes):
            raise ApiError(403, "This action is outside the authorized scopes")
        return token

    def viewer(self, req: Request, *scopes: str) -> Account | None:
        """``authorize_if_got_token!``: anonymous allowed, a given token must be valid."""
        token = self.token_of(req, scopes)
        if token is None or token.account_id is None:
            return None
        return self.users[token.account_id]

    def user(self, req: Request, *scopes: str) -> Account:
        """``doorkeeper_authorize!`` + ``require_user!``."""
        token = self.token_of(req, scopes)
        if token is None:
            raise _unauthorized("The access token is invalid")
        if token.account_id is None:
            raise ApiError(422, "This method requires an authenticated user")
        return self.users[token.account_id]

    # -- lookups and rules --------------------------------------------------------------------
    def account(self, account_id: str) -> Account:
        acc = self.users.get(account_id)
        if acc is None:
            raise not_found()
        return acc

    def find_status(self, status_id: str, viewer: Account | None) -> Status:
        st = self.statuses.get(status_id)
        if st is None or not self.can_see(st, viewer):
            raise not_found()
        return st

    def notification_filtered(self, n: Notification) -> bool:
        """Whether the notification policy keeps ``n`` out of the list (``requests``)."""
        return False

    def blocked(self, owner: str, target: str) -> bool:
        return target in self.blocks.get(owner, set())

    def muted(self, owner: str, target: str, for_notifications: bool = False) -> bool:
        mute = self.mutes.get(owner, {}).get(target)
        if mute is None:
            return False
        if mute.expires_at is not None and mute.expires_at <= self.now():
            del self.mutes[owner][target]
            return False
        return mute.notifications or not for_notifications

    def can_see(self, st: Status, viewer: Account | None) -> bool:
        if st.deleted:
            return False
        vid = viewer.id if viewer else None
        if vid is not None and self.blocked(st.account_id, vid):
            return False
        if st.reblog_of is not None:
            original = self.statuses.get(st.reblog_of)
            if original is None or not self.can_see(original, viewer):
                return False
        if st.visibility in ("public", "unlisted"):
            return True
        if vid is None:
            return False
        if vid == st.account_id or vid in st.mention_ids:
            return True
        return st.visibility == "private" and vid in self.users[st.account_id].followers

    def in_home(self, st: Status, viewer: Account) -> bool:
        """FeedManager's filters for the home timeline of ``viewer``."""
        vid = viewer.id
        if st.account_id != vid and st.account_id not in viewer.following:
            return False
        if not self.can_see(st, viewer):
            return False
        if st.account_id != vid and (self.muted(vid, st.account_id)
                                     or self.blocked(vid, st.account_id)):
            return False
        if st.reblog_of is not None:
            original = self.statuses[st.reblog_of]
            if original.account_id == vid or self.muted(vid, original.account_id) \
                    or self.blocked(vid, original.account_id):
                return False
        reply_to = st.in_reply_to_account_id
        return reply_to is None or reply_to in (vid, st.account_id) or reply_to in viewer.following

    def notify(self, recipient: str, kind: str, sender: str, status: Status | None,
               at: datetime | None = None) -> Notification | None:
        """Create a notification for a local recipient (never for oneself)."""
        target = self.users.get(recipient)
        if target is None or not target.local or recipient == sender:
            return None
        when = at or self.now()
        note = Notification(self.new_notification_id(), recipient, kind, sender, when,
                            status.id if status else None)
        note.group_key = group_key(note, status)
        self.notifications.append(note)
        return note

    def count_status(self, st: Status, delta: int) -> None:
        acc = self.users[st.account_id]
        acc.statuses_count += delta
        if delta > 0 and (acc.last_status_at is None or st.created_at > acc.last_status_at):
            acc.last_status_at = st.created_at

    # -- pagination ---------------------------------------------------------------------------
    def page(self, items: list[T], key: Callable[[T], int], req: Request,
             default: int) -> list[T]:
        """Mastodon's ``paginate_by_id`` on items sorted newest first."""
        max_id, since_id, min_id = (_int_param(req, n) for n in ("max_id", "since_id", "min_id"))
        limit = limit_param(req, default)
        chosen = [x for x in items
                  if (max_id is None or key(x) < max_id)
                  and (since_id is None or key(x) > since_id)
                  and (min_id is None or key(x) > min_id)]
        if min_id is not None:
            return list(reversed(sorted(chosen, key=key)[:limit]))
        return chosen[:limit]

    def link_header(self, path: str, req: Request, keep: Sequence[str],
                    next_id: str | None, prev_id: str | None) -> dict[str, str]:
        """``Link: <…max_id=X>; rel="next", <…min_id=Y>; rel="prev"`` with Rails' sorted query."""
        links = []
        if next_id is not None:
            links.append(f'<{self._page_url(path, req, keep, "max_id", next_id)}>; rel="next"')
        if prev_id is not None:
            links.append(f'<{self._page_url(path, req, keep, "min_id", prev_id)}>; rel="prev"')
        return {"Link": ", ".join(links)} if links else {}

    def _page_url(self, path: str, req: Request, keep: Sequence[str], key: str,
                  value: str) -> str:
        pairs: list[tuple[str, str]] = []
        for name in keep:
            if name.endswith("[]"):
                pairs += [(name, v) for v in req.params(name[:-2])]
            elif req.param(name):
                pairs.append((name, req.param(name)))
        pairs.append((key, value))
        pairs.sort(key=lambda kv: kv[0])
        query = "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in pairs)
        return f"{self.base_url}{path}?{query}"


def limit_param(req: Request, default: int) -> int:
    """``limit_param``: absent = default, else |limit| capped at twice the default."""
    raw = req.param("limit")
    if not raw:
        return default
    try:
        return min(abs(int(raw)), default * 2)
    except ValueError:
        return default


def _int_param(req: Request, name: str) -> int | None:
    raw = req.param(name)
    if not raw:
        return None
    return int(raw) if raw.isdigit() else 0


def _bearer(req: Request) -> str:
    header = req.header("authorization")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return ""


def _unauthorized(description: str) -> ApiError:
    challenge = (f'Bearer realm="Doorkeeper", error="invalid_token", '
                 f'error_description="{description}"')
    return ApiError(401, description, headers={"WWW-Authenticate": challenge})


def group_key(note: Notification, status: Status | None) -> str:
    """Mastodon's grouping key: favourites, boosts and follows group by hour."""
    bucket = int(note.created_at.timestamp()) // 3600
    if note.type in ("favourite", "reblog") and status is not None:
        return f"{note.type}-{status.id}-{bucket}"
    if note.type == "follow":
        return f"follow-{bucket}"
    return f"ungrouped-{note.id}"


def parse_time(value: str) -> datetime:
    """An ISO 8601 time as clients send it (``Z``, offsets, or Python's ``str(datetime)``)."""
    try:
        dt = datetime.fromisoformat(value.strip().replace(" ", "T", 1))
    except ValueError:
        raise ApiError(422, "Validation failed: Scheduled at is invalid") from None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def expires_in(seconds: str, now: datetime) -> datetime | None:
    return now + timedelta(seconds=int(seconds)) if seconds and seconds.isdigit() \
        and int(seconds) > 0 else None
