"""The inbox: notifications grouped the way people read them.

- Likes and reposts of the same post, for the same account, form one group whatever their
  age ("12 people liked your post"), placed at the newest one, authors newest first.
- Follows of one account are grouped per calendar day (in ``tz``, UTC unless told).
- Mentions, replies and quotes are never grouped: each needs an answer (``needs_action``).
- Everything else, and a like/repost whose post is unknown (no ``subject_uri``), stays alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, tzinfo

from paris_desk.core.model import Author, Notification, NotificationKind

ACTION_KINDS = frozenset({NotificationKind.MENTION, NotificationKind.REPLY, NotificationKind.QUOTE})
_BY_POST = frozenset({NotificationKind.LIKE, NotificationKind.REPOST})

GroupKey = tuple[str, str, str]


def needs_action(notification: Notification) -> bool:
    """True for what someone should read and maybe answer: mentions, replies, quotes."""
    return notification.kind in ACTION_KINDS


@dataclass(frozen=True, slots=True)
class NotificationGroup:
    """One inbox row. ``notifications`` and ``authors`` are newest first; ``authors`` holds
    each person once. ``key`` is stable across refreshes: ``(kind, account_id, subject)`` where
    subject is the post URI (likes, reposts), the day (follows) or the notification id."""

    key: GroupKey
    kind: NotificationKind
    account_id: str
    notifications: tuple[Notification, ...]
    authors: tuple[Author, ...]
    subject_uri: str = ""

    @property
    def latest(self) -> Notification:
        return self.notifications[0]

    @property
    def count(self) -> int:
        return len(self.notifications)

    @property
    def unread(self) -> bool:
        return any(n.unread for n in self.notifications)

    @property
    def needs_action(self) -> bool:
        return self.kind in ACTION_KINDS


def group_key(notification: Notification, tz: tzinfo = UTC) -> GroupKey:
    """The group a notification belongs to (see the module docstring)."""
    n = notification
    if n.kind in _BY_POST and n.subject_uri:
        return (n.kind.value, n.account_id, n.subject_uri)
    if n.kind is NotificationKind.FOLLOW:
        return (n.kind.value, n.account_id, n.created_at.astimezone(tz).date().isoformat())
    return (n.kind.value, n.account_id, "id:" + n.id)


def _person(author: Author) -> str:
    return author.user_id or author.url or author.handle.lower()


def _make_group(key: GroupKey, members: list[Notification]) -> NotificationGroup:
    members.sort(key=lambda n: (n.created_at, n.id), reverse=True)
    authors: dict[str, Author] = {}
    for n in members:  # newest first: each person at their latest notification
        authors.setdefault(_person(n.author), n.author)
    ordered = tuple(authors.values())
    first = members[0]
    subject = first.subject_uri if first.kind in _BY_POST else ""
    return NotificationGroup(key, first.kind, first.account_id, tuple(members), ordered, subject)


def group(notifications: Iterable[Notification], *, tz: tzinfo = UTC) -> list[NotificationGroup]:
    """Group ``notifications`` (any order, from any accounts) into inbox rows, newest first.

    A notification given twice (same ``account_id`` and ``id``) counts once, the later copy
    winning (e.g. its ``unread`` flag)."""
    unique = {(n.account_id, n.id): n for n in notifications}
    buckets: dict[GroupKey, list[Notification]] = {}
    for n in unique.values():
        buckets.setdefault(group_key(n, tz), []).append(n)
    groups = [_make_group(key, members) for key, members in buckets.items()]
    groups.sort(key=lambda g: g.key)
    groups.sort(key=lambda g: g.latest.created_at, reverse=True)
    return groups
