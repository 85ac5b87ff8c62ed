"""In-memory records of the Mastodon sandbox: accounts, statuses, media, notifications, OAuth.

Plain mutable dataclasses guarded by the server's lock; the JSON shapes live in ``entities``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..http import Response


class ApiError(Exception):
    """An error answered as Mastodon does: ``{"error": message}`` with an HTTP status."""

    def __init__(self, status: int, message: str, extra: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra or {}
        self.headers = headers or {}

    def response(self) -> Response:
        return Response(self.status, {"error": self.message, **self.extra}, dict(self.headers))


def not_found() -> ApiError:
    return ApiError(404, "Record not found")


def iso(dt: datetime) -> str:
    """Mastodon's timestamp format: milliseconds and a Z."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def snowflake(dt: datetime, sequence: int = 0) -> int:
    """Mastodon's id layout: milliseconds since the epoch shifted 16 bits, plus a sequence."""
    return (int(dt.timestamp() * 1000) << 16) | (sequence & 0xFFFF)


@dataclass
class Account:
    id: str
    username: str
    domain: str | None
    display_name: str
    note: str
    created_at: datetime
    avatar_seed: int
    bot: bool = False
    group: bool = False
    following: set[str] = field(default_factory=set)
    followers: set[str] = field(default_factory=set)
    extra_followers: int = 0
    extra_following: int = 0
    privacy: str = "public"
    fields: list[dict[str, Any]] = field(default_factory=list)
    statuses_count: int = 0
    last_status_at: datetime | None = None

    @property
    def acct(self) -> str:
        return self.username if self.domain is None else f"{self.username}@{self.domain}"

    @property
    def local(self) -> bool:
        return self.domain is None


@dataclass
class Media:
    id: str
    account_id: str
    kind: str  # image, video, gifv, audio
    mime: str
    width: int
    height: int
    created_at: datetime
    description: str | None = None
    focus: tuple[float, float] | None = None
    data: bytes | None = None  # uploaded bytes; None = generated from ``seed``
    file_name: str = ""  # the multipart file name, as Mastodon keeps it (file_file_name)
    seed: int = 0
    status_id: str | None = None
    blurhash: str = "00Gj[f"
    ready_at: float = 0.0  # clock time when processing ends

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif",
                "image/webp": "webp", "video/mp4": "mp4", "audio/mpeg": "mp3"}.get(
                    self.mime, self.mime.rsplit("/", 1)[-1])


@dataclass
class Status:
    id: str
    account_id: str
    created_at: datetime
    text: str
    content: str
    uri: str
    url: str | None
    spoiler_text: str = ""
    sensitive: bool = False
    visibility: str = "public"
    language: str | None = "fr"
    in_reply_to_id: str | None = None
    in_reply_to_account_id: str | None = None
    reblog_of: str | None = None
    quote_of: str | None = None
    quote_policy: str = "public"  # who may quote it: public, followers, nobody (4.5)
    quote_revoked: bool = False  # this quote was revoked by the quoted post's author
    media_ids: list[str] = field(default_factory=list)
    mention_ids: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    card: dict[str, Any] | None = None
    application: dict[str, Any] | None = None
    favourited_by: set[str] = field(default_factory=set)
    reblogged_by: set[str] = field(default_factory=set)
    replies: int = 0
    quotes: int = 0
    extra_favourites: int = 0
    extra_reblogs: int = 0
    extra_replies: int = 0
    edited_at: datetime | None = None
    deleted: bool = False

    @property
    def num(self) -> int:
        return int(self.id)


@dataclass
class Notification:
    id: int
    account_id: str  # recipient
    type: str
    from_id: str
    created_at: datetime
    status_id: str | None = None
    group_key: str = ""


@dataclass
class App:
    id: str
    name: str
    website: str | None
    redirect_uris: list[str]
    scopes: list[str]
    client_id: str
    client_secret: str
    vapid_key: str


@dataclass
class Token:
    token: str
    account_id: str | None  # None: client_credentials (app-only) token
    app_id: str | None
    scopes: list[str]
    created_at: datetime
    refresh_token: str | None = None
    revoked: bool = False


@dataclass
class Grant:
    code: str
    app_id: str
    account_id: str
    redirect_uri: str
    scopes: list[str]
    expires_at: float
    challenge: str = ""
    challenge_method: str = ""


@dataclass
class Scheduled:
    id: str
    account_id: str
    scheduled_at: datetime
    params: dict[str, Any]
    media_ids: list[str] = field(default_factory=list)


@dataclass
class Mute:
    notifications: bool = True
    expires_at: datetime | None = None
