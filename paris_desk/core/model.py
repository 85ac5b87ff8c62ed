"""Plain, immutable data types that every layer speaks.

Network words (status, toot, record, cid, rkey) stay in ``paris_desk.channels``; here we say
``Post``, ``Account`` and ``Network``. Datetimes are always timezone-aware UTC.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

T = TypeVar("T")


class Network(enum.StrEnum):
    MASTODON = "mastodon"
    BLUESKY = "bluesky"


class NotificationKind(enum.StrEnum):
    MENTION = "mention"
    REPLY = "reply"
    QUOTE = "quote"
    LIKE = "like"
    REPOST = "repost"
    FOLLOW = "follow"
    OTHER = "other"


class Visibility(enum.StrEnum):
    PUBLIC = "public"
    UNLISTED = "unlisted"
    PRIVATE = "private"
    DIRECT = "direct"

    def at_most_as_open_as(self, other: str) -> Visibility:
        """The narrower of this and ``other`` (a reply to a private or direct post must not
        go out wider than its parent, as Mastodon's own apps ensure)."""
        order = list(Visibility)
        try:
            parent = Visibility(other)
        except ValueError:
            return self
        return max(self, parent, key=order.index)


@dataclass(frozen=True, slots=True)
class Account:
    """An account the user added. ``id`` is the stable CLI id, e.g. ``bluesky:ville.example.com``.

    Holds no secret: tokens live in the keychain under ``id``.
    """

    id: str
    network: Network
    handle: str
    base_url: str
    user_id: str = ""  # the network's own id (Mastodon account id, Bluesky DID)
    display_name: str = ""
    label: str = ""
    color: str = "#1f6feb"
    position: int = 0

    @staticmethod
    def make_id(network: Network, handle: str) -> str:
        return f"{network.value}:{handle}"


@dataclass(frozen=True, slots=True)
class Author:
    handle: str
    display_name: str = ""
    avatar_url: str = ""
    user_id: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class Media:
    url: str
    alt: str = ""
    preview_url: str = ""
    kind: str = "image"  # image, video, gifv, audio, unknown
    width: int = 0
    height: int = 0


@dataclass(frozen=True, slots=True)
class LinkCard:
    url: str
    title: str = ""
    description: str = ""
    image_url: str = ""


@dataclass(frozen=True, slots=True)
class TextSpan:
    """A run of post text; ``link`` set for links, mentions and hashtags."""

    text: str
    link: str = ""
    kind: str = "text"  # text, link, mention, tag


@dataclass(frozen=True, slots=True)
class Post:
    """A post as seen by one account.

    ``uri`` is the network's canonical identity (ActivityPub ``uri`` or ``at://``), used to
    dedupe across accounts; ``native_id`` is what the seeing account's server calls it (a
    Mastodon status id, or the Bluesky URI) and ``cid`` the Bluesky content id.
    """

    uri: str
    native_id: str
    network: Network
    author: Author
    created_at: datetime
    text: str = ""  # plain text, for search, CLI and accessibility
    html: str = ""  # sanitised rich text, safe for display
    spans: tuple[TextSpan, ...] = ()
    url: str = ""
    cid: str = ""
    media: tuple[Media, ...] = ()
    card: LinkCard | None = None
    content_warning: str = ""
    sensitive: bool = False  # Mastodon: its media are marked sensitive (blurred until shown)
    labels: tuple[str, ...] = ()  # Bluesky: self-labels and labelers' labels (values, in force)
    language: str = ""
    visibility: str = ""  # a Visibility value on Mastodon; "" where the network has none
    reply_count: int = 0
    repost_count: int = 0
    like_count: int = 0
    liked: bool = False
    reposted: bool = False
    reply_to_uri: str = ""
    reply_to_handle: str = ""
    reply_to_native_id: str = ""  # the parent's id on ``origin_account``'s server (Mastodon)
    reply_root_uri: str = ""
    reply_root_cid: str = ""
    reply_parent_cid: str = ""
    quote: Post | None = None
    repost_by: Author | None = None  # set when this timeline item is a boost/repost
    repost_created_at: datetime | None = None
    seen_by: tuple[str, ...] = ()  # account ids that saw it
    origin_account: str = ""  # the account whose server ``native_id`` belongs to

    @property
    def sort_time(self) -> datetime:
        """When the item entered the timeline (the repost time for reposts)."""
        return self.repost_created_at or self.created_at


@dataclass(frozen=True, slots=True)
class Notification:
    id: str
    account_id: str
    kind: NotificationKind
    author: Author
    created_at: datetime
    post: Post | None = None  # the post that mentions/replies/quotes, or that was liked
    subject_uri: str = ""  # for likes/reposts: the account's post that was liked/reposted
    unread: bool = True
    network: Network = Network.MASTODON
    from_stranger: bool = False  # Bluesky: a mention, reply or quote by an account not followed


@dataclass(frozen=True, slots=True)
class Limits:
    """What a network (or instance) accepts in one post."""

    max_characters: int
    counting: str  # "graphemes" (Bluesky) or "mastodon" (graphemes, URLs as a fixed cost)
    characters_reserved_per_url: int = 23
    max_bytes: int = 0  # Bluesky: 3000 UTF-8 bytes; 0 = no byte limit
    max_media: int = 4
    image_size_limit: int = 0  # bytes
    image_matrix_limit: int = 0  # pixels (width * height); 0 = unknown
    description_limit: int = 1500
    supports_visibility: bool = False
    supports_content_warning: bool = True
    supports_scheduling: bool = False
    supports_threadgate: bool = False


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of results and the cursor for the next (older) page; ``None`` at the end.

    ``top``: an opaque marker of the newest item of the page, which the same adapter takes
    back as ``home_timeline(newer_than=...)`` to read only what is newer (None: the network
    cannot ask for that).

    ``read_until``: notifications only: the server's read watermark when the adapter knows it
    (everything created at or before it is read there: Mastodon's marker, Bluesky's
    ``seenAt``), so that a page with nothing new still carries what another client read."""

    items: tuple[T, ...]
    cursor: str | None = None
    top: str | None = None
    read_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class PreparedMedia:
    """An image made ready for one network's limits: re-encoded, upright, without metadata
    (EXIF, XMP, GPS), under a neutral file name. In the product only
    ``services.images.prepare`` builds one (and the outbox store, reading back bytes that were
    prepared before they were stored): a request cannot carry a file's raw bytes.
    ``tests/test_house_rules.py`` holds that line."""

    data: bytes
    mime_type: str
    alt: str
    width: int = 0
    height: int = 0
    file_name: str = ""


@dataclass(frozen=True, slots=True)
class PostRequest:
    """What to publish on one account. ``idempotency_key`` is chosen and persisted by the
    outbox before the first attempt (Mastodon ``Idempotency-Key``; Bluesky record key)."""

    text: str
    idempotency_key: str = ""
    media: tuple[PreparedMedia, ...] = ()
    reply_to: Post | None = None
    quote: Post | None = None
    content_warning: str = ""
    visibility: Visibility = Visibility.PUBLIC
    language: str = "fr"
    created_at: datetime | None = None
    reply_gate: str = "everyone"  # Bluesky threadgate: everyone, mentioned, followers, nobody
    scheduled_at: datetime | None = None  # Mastodon: publish later as a native scheduled status
    link_card: LinkCard | None = None  # Bluesky: sent as an external embed (Mastodon ignores it)
    link_card_thumb: PreparedMedia | None = None  # the card's image, already re-encoded


@dataclass(frozen=True, slots=True)
class Thread:
    """A post with its ancestors (oldest first) and its replies (flattened, in order)."""

    post: Post
    ancestors: tuple[Post, ...] = ()
    replies: tuple[Post, ...] = ()
    hidden_replies: tuple[str, ...] = ()  # uris the thread's author hid (Bluesky threadgate)


@dataclass(frozen=True, slots=True)
class DraftImage:
    """An image of a draft: the file it was added from, and its alt text."""

    path: str
    alt: str = ""


@dataclass(frozen=True, slots=True)
class Draft:
    id: str
    text: str = ""
    targets: tuple[str, ...] = ()
    variants: dict[str, str] = field(default_factory=dict)  # network -> variant text
    content_warning: str = ""
    updated_at: datetime | None = None
    images: tuple[DraftImage, ...] = ()
    visibility: Visibility = Visibility.PUBLIC
    language: str = "fr"
    reply_gate: str = "everyone"
    scheduled_at: datetime | None = None
    as_thread: bool = False  # over the limit: publish as a numbered thread
    reply_to: Post | None = None
    quote: Post | None = None
    card_dismissed: str = ""  # the link whose card preview the user removed
    batch_id: str = ""  # set once published: the outbox batch (the draft is kept until SENT)
