"""The Mastodon sandbox server: every route group, the seed, and helpers for tests."""

from __future__ import annotations

import secrets
import time
from datetime import datetime
from typing import Any

from paris_desk.sandbox.http import Fault, Response

from .accounts import AccountRoutes
from .compose import Draft
from .filters import FilterRoutes
from .instance import InstanceRoutes
from .media import MediaRoutes
from .oauth import OAuthRoutes
from .posting import PostingRoutes
from .quotes import QuoteRoutes
from .requests import RequestRoutes
from .seed import seed
from .state import Account, Token, snowflake
from .statuses import StatusRoutes
from .timelines import TimelineRoutes


class MastodonSandbox(OAuthRoutes, InstanceRoutes, AccountRoutes, PostingRoutes, StatusRoutes,
                      TimelineRoutes, MediaRoutes, FilterRoutes, RequestRoutes, QuoteRoutes):
    """A local server speaking Mastodon 4.5's REST API, seeded with a city's recent days.

    ``accounts`` lists the city accounts with a ready access token; the request log and the
    fault injection come from ``SandboxServer``. Knobs: ``advance_time(s)``,
    ``media_processing_seconds``, ``issue_refresh_tokens``.
    """

    def __init__(self, port: int = 0, latency_ms: int = 0, seed: int = 0,
                 anchor: datetime | None = None) -> None:
        super().__init__(port=port, latency_ms=latency_ms, seed=seed)
        self.anchor = (anchor or self.now()).replace(microsecond=0)
        """The moment the sample data is "now" for: the same anchor and seed give the same
        data, ids included, at every start."""
        self.register_oauth()
        self.register_instance()
        self.register_accounts()
        self.register_posting()
        self.register_statuses()
        self.register_timelines()
        self.register_media()
        self.register_filters()
        self.register_requests()
        self.register_quotes()
        _seed(self)

    def fault_response(self, fault: Fault) -> Response:
        """Injected failures as Mastodon answers them: ``{"error": ...}`` and, for 429, only
        the ``X-RateLimit-*`` headers (Reset in ISO 8601; no Retry-After)."""
        if fault.kind == "429":
            reset = time.strftime(
                "%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() + fault.retry_after)
            )
            return Response(429, {"error": "Too many requests"}, {
                "X-RateLimit-Limit": "300",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": reset,
            })
        message = {"500": "We're sorry, but something went wrong on our end.",
                   "503": "Service Unavailable",
                   "422": "Validation failed: Text can't be blank"}[fault.kind]
        return Response(int(fault.kind), {"error": message})

    # -- helpers for tests --------------------------------------------------------------------
    def account_id(self, acct: str) -> str:
        with self.lock:
            return self.by_acct[acct.lower().lstrip("@")]

    def add_account(self, username: str, display_name: str) -> dict[str, str]:
        """Register a local, city-like account: it follows every account (so its home timeline
        is full) and gets a fresh throwaway access token. Returns its entry, also appended to
        ``accounts`` (same keys as the seeded city accounts)."""
        with self.lock:
            if username.lower() in self.by_acct:
                raise ValueError(f"account {username!r} already exists")
            created = self.now().replace(microsecond=0)
            acc = Account(
                id=str(snowflake(created, len(self.users))), username=username, domain=None,
                display_name=display_name, created_at=created, avatar_seed=1000 + len(self.users),
                note=f"<p>Compte {username} (bac à sable). Informations de service public.</p>",
            )
            for other in self.users.values():
                acc.following.add(other.id)
                other.followers.add(acc.id)
            self.users[acc.id] = acc
            self.by_acct[acc.acct.lower()] = acc.id
            app = next(iter(self.apps.values()))
            token = secrets.token_urlsafe(32)
            self.tokens[token] = Token(token, acc.id, app.id, list(app.scopes), created)
            entry = {"acct": acc.acct, "username": acc.username, "id": acc.id,
                     "access_token": token, "display_name": acc.display_name}
            self.accounts.append(entry)
            return dict(entry)

    def token_for(self, acct: str) -> str:
        for entry in self.accounts:
            if entry["acct"] == acct:
                return entry["access_token"]
        raise KeyError(acct)

    def statuses_by(self, acct: str) -> list[dict[str, Any]]:
        """The account's live statuses as it sees them served, newest first."""
        with self.lock:
            acc = self.users[self.account_id(acct)]
            mine = [s for s in self.statuses.values() if s.account_id == acc.id and not s.deleted]
            mine.sort(key=lambda s: s.num, reverse=True)
            return [self.status_json(s, acc) for s in mine]

    def status_count(self) -> int:
        with self.lock:
            return sum(1 for s in self.statuses.values() if not s.deleted)

    def notifications_for(self, acct: str) -> list[dict[str, Any]]:
        with self.lock:
            acc = self.users[self.account_id(acct)]
            return [self.notification_json(n, acc) for n in reversed(self.notifications)
                    if n.account_id == acc.id]

    def revoke_token(self, token: str) -> None:
        with self.lock:
            self.tokens[token].revoked = True

    def uploaded_file_name(self, media_id: str) -> str:
        """The file name a client gave with an upload."""
        with self.lock:
            return self.media[media_id].file_name

    def uploaded_media(self, media_id: str) -> bytes:
        """The bytes a client uploaded, exactly as received."""
        with self.lock:
            data = self.media[media_id].data
        if data is None:
            raise KeyError(f"media {media_id} was generated, not uploaded")
        return data

    def post_as(self, acct: str, text: str, **draft: Any) -> dict[str, Any]:
        """Make an account post (a citizen's mention arriving while the client runs)."""
        with self.lock:
            author = self.users[self.account_id(acct)]
            st = self.create_status(author, Draft(text, **draft))
            return self.status_json(st, author)


def _seed(server: MastodonSandbox) -> None:
    with server.lock:
        seed(server)
