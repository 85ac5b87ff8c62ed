"""The inbox kept in the profile: notifications as last fetched, and what the team did with them.

Two tables (migration 4). ``inbox_notifications`` is a cache of the servers' notifications,
refreshed at will and pruned to the newest ``KEEP_PER_ACCOUNT`` per account.
``inbox_state`` is ours and outlives the cache: whether an item was handled (answered from the
inbox, or dismissed) and when, and the read state the user set by hand ("keep unread").

Read state: an item is unread when the user said so, else when the server said so at the last
fetch, or since the inbox marked it read (``mark_read_until``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from paris_desk.core.model import Notification
from paris_desk.store import codec
from paris_desk.store.cache import sort_key_us
from paris_desk.store.db import Database

KEEP_PER_ACCOUNT = 5000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Handling(enum.StrEnum):
    ANSWERED = "answered"
    DISMISSED = "dismissed"


@dataclass(frozen=True, slots=True)
class Handled:
    """Someone dealt with a notification: answered it (``reply_uri``) or dismissed it."""

    how: Handling
    at: datetime
    reply_uri: str = ""
    by: str = ""  # team mode: the member who did (store.team.inbox); "" on a lone profile


@dataclass(frozen=True, slots=True)
class Assigned:
    """Team mode: the member who takes care of an item (``store.team.inbox``)."""

    to: str
    by: str
    at: datetime


ItemKey = tuple[str, str]  # (account_id, notification id)


def from_us(value: int) -> datetime:
    return _EPOCH + timedelta(microseconds=value)


class InboxStore:
    def __init__(self, db: Database, keep_per_account: int = KEEP_PER_ACCOUNT) -> None:
        self._db = db
        self._keep = keep_per_account

    # -- notifications -----------------------------------------------------------------------
    def save(self, account_id: str, notifications: Iterable[Notification]) -> int:
        """Store (or refresh) notifications of ``account_id``; returns how many were written.

        An account removed meanwhile (a fetch that finished late) writes nothing."""
        rows = [
            (account_id, n.id, sort_key_us(n.created_at), n.kind.value, int(n.unread),
             codec.notification_to_json(n))
            for n in notifications
        ]
        with self._db.transaction():
            if self._db.scalar("SELECT 1 FROM accounts WHERE id = ?", (account_id,)) is None:
                return 0
            self._db.executemany(
                "INSERT INTO inbox_notifications (account_id, id, created_us, kind,"
                " server_unread, notification_json) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (account_id, id) DO UPDATE SET created_us = excluded.created_us,"
                " kind = excluded.kind, server_unread = excluded.server_unread,"
                " notification_json = excluded.notification_json",
                rows,
            )
            self._prune(account_id)
        return len(rows)

    def _prune(self, account_id: str) -> None:
        self._db.execute(
            "DELETE FROM inbox_notifications WHERE account_id = ? AND id NOT IN ("
            " SELECT id FROM inbox_notifications WHERE account_id = ?"
            " ORDER BY created_us DESC, id DESC LIMIT ?)",
            (account_id, account_id, self._keep),
        )

    def known(self, account_id: str, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` the store already holds for ``account_id``."""
        if not ids:
            return set()
        marks = ", ".join("?" for _ in ids)
        rows = self._db.execute(
            f"SELECT id FROM inbox_notifications WHERE account_id = ? AND id IN ({marks})",  # noqa: S608 - only placeholders
            (account_id, *ids),
        )
        return {row["id"] for row in rows}

    def load(self, account_ids: Sequence[str], limit_per_account: int = KEEP_PER_ACCOUNT,
             known: Mapping[ItemKey, Notification] | None = None) -> list[Notification]:
        """The newest notifications of each account, with their effective read state.

        ``known``: notifications the caller holds as stored (by account and id), used instead
        of decoding their JSON again (decoding is most of the cost)."""
        known = known or {}
        out: list[Notification] = []
        for account_id in dict.fromkeys(account_ids):
            rows = self._db.execute(
                "SELECT n.id, n.server_unread, s.unread_override"
                " FROM inbox_notifications n LEFT JOIN inbox_state s"
                " ON s.account_id = n.account_id AND s.notification_id = n.id"
                " WHERE n.account_id = ? ORDER BY n.created_us DESC, n.id DESC LIMIT ?",
                (account_id, limit_per_account),
            )
            # Only the JSON of what the caller does not hold is read (and decoded).
            stored = self._json(account_id, [r["id"] for r in rows
                                             if (account_id, r["id"]) not in known])
            for row in rows:
                override = row["unread_override"]
                unread = bool(row["server_unread"] if override is None else override)
                notification = known.get((account_id, row["id"])) \
                    or codec.notification_from_json(stored[row["id"]])
                out.append(notification if notification.unread == unread
                           else replace(notification, unread=unread))
        return out

    def _json(self, account_id: str, ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ", ".join("?" for _ in chunk)
            out.update(self._db.execute(
                "SELECT id, notification_json FROM inbox_notifications"  # noqa: S608 - only placeholders
                f" WHERE account_id = ? AND id IN ({marks})",
                (account_id, *chunk),
            ))
        return out

    def get(self, account_id: str, notification_id: str) -> Notification | None:
        rows = self._db.execute(
            "SELECT notification_json FROM inbox_notifications WHERE account_id = ? AND id = ?",
            (account_id, notification_id),
        )
        return codec.notification_from_json(rows[0][0]) if rows else None

    def newest(self, account_id: str) -> Notification | None:
        rows = self._db.execute(
            "SELECT notification_json FROM inbox_notifications WHERE account_id = ?"
            " ORDER BY created_us DESC, id DESC LIMIT 1",
            (account_id,),
        )
        return codec.notification_from_json(rows[0][0]) if rows else None

    def has_server_unread(self, account_id: str) -> bool:
        return self._db.scalar(
            "SELECT 1 FROM inbox_notifications WHERE account_id = ? AND server_unread = 1"
            " LIMIT 1", (account_id,)) is not None

    def mark_read_until(self, account_id: str, newest: Notification) -> None:
        """The server now has everything up to ``newest`` read (markers, seenAt)."""
        self.mark_read_at(account_id, newest.created_at)

    def mark_read_at(self, account_id: str, moment: datetime) -> None:
        """The server has everything created at or before ``moment`` read."""
        self._db.execute(
            "UPDATE inbox_notifications SET server_unread = 0"
            " WHERE account_id = ? AND created_us <= ? AND server_unread = 1",
            (account_id, sort_key_us(moment)),
        )

    def seen_until(self, account_id: str, *, complete: bool = False) -> Notification | None:
        """The newest notification the server may be told is read: every stored notification
        up to it was seen here (read on the server already, or read or kept unread here), and
        at least one of them is still unread on the server. None when there is none.

        The server's read state is a watermark that covers older notifications too, so it moves
        only over notifications known to be seen: from a stored one the server already counts
        as read, or from the very first one when ``complete`` (the store holds the account's
        whole history)."""
        rows = self._db.execute(
            "SELECT n.id, n.created_us, n.server_unread, s.unread_override"
            " FROM inbox_notifications n LEFT JOIN inbox_state s"
            " ON s.account_id = n.account_id AND s.notification_id = n.id"
            " WHERE n.account_id = ? ORDER BY n.created_us, n.id",
            (account_id,),
        )
        floor, cutoff, candidates = complete, None, []
        for row in rows:
            if row["server_unread"] and row["unread_override"] is None:
                cutoff = row["created_us"]  # not seen yet: the watermark stays below it
                break
            if not row["server_unread"]:
                floor = True
            elif floor:
                candidates.append(row)
        # A watermark is a time: it cannot part notifications of the same instant.
        best = next((r["id"] for r in reversed(candidates)
                     if cutoff is None or r["created_us"] < cutoff), None)
        return self.get(account_id, best) if best is not None else None

    def delete(self, account_id: str, ids: Sequence[str]) -> None:
        """Drop these notifications from the cache (a muted or blocked author's)."""
        self._db.executemany("DELETE FROM inbox_notifications WHERE account_id = ? AND id = ?",
                             [(account_id, i) for i in ids])

    def forget(self, account_id: str) -> None:
        with self._db.transaction():
            self._db.execute("DELETE FROM inbox_notifications WHERE account_id = ?",
                             (account_id,))
            self._db.execute("DELETE FROM inbox_state WHERE account_id = ?", (account_id,))

    # -- our state ---------------------------------------------------------------------------
    def set_unread(self, keys: Iterable[ItemKey], unread: bool | None) -> None:
        """Keep items unread (True) or read (False) whatever the server says; None: follow
        the server again."""
        value = None if unread is None else int(unread)
        self._db.executemany(
            "INSERT INTO inbox_state (account_id, notification_id, unread_override)"
            " SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM accounts WHERE id = ?1)"
            " ON CONFLICT (account_id, notification_id)"
            " DO UPDATE SET unread_override = excluded.unread_override",
            [(a, n, value) for a, n in keys],
        )

    def set_handled(self, keys: Iterable[ItemKey], how: Handling, at: datetime,
                    reply_uri: str = "") -> None:
        rows = [(a, n, how.value, sort_key_us(at), reply_uri) for a, n in keys]
        self._db.executemany(
            "INSERT INTO inbox_state (account_id, notification_id, handled, handled_us,"
            " reply_uri) SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS"
            " (SELECT 1 FROM accounts WHERE id = ?1)"
            " ON CONFLICT (account_id, notification_id) DO UPDATE SET"
            " handled = excluded.handled, handled_us = excluded.handled_us,"
            " reply_uri = excluded.reply_uri",
            rows,
        )

    def clear_handled(self, keys: Iterable[ItemKey]) -> None:
        self._db.executemany(
            "UPDATE inbox_state SET handled = '', handled_us = 0, reply_uri = ''"
            " WHERE account_id = ? AND notification_id = ?",
            list(keys),
        )

    def assignments(self, account_ids: Sequence[str]) -> dict[ItemKey, Assigned]:
        """Who takes care of which item: none on a lone profile (team mode only)."""
        return {}

    def handled(self, account_ids: Sequence[str]) -> dict[ItemKey, Handled]:
        if not account_ids:
            return {}
        marks = ", ".join("?" for _ in account_ids)
        rows = self._db.execute(
            "SELECT account_id, notification_id, handled, handled_us, reply_uri FROM inbox_state"  # noqa: S608 - only placeholders
            f" WHERE handled != '' AND account_id IN ({marks})",
            tuple(account_ids),
        )
        return {
            (r["account_id"], r["notification_id"]):
                Handled(Handling(r["handled"]), from_us(r["handled_us"]), r["reply_uri"])
            for r in rows
        }
