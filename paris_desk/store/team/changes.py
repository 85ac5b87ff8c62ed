"""Live changes from the team's database: ``LISTEN paris_desk`` (schema version 4).

The triggers of ``sql/0004_notify.sql`` announce, at commit, every job queued or changing
state, every submission and decision, every assignment. A ``ChangeListener`` holds its own
connection (a listening connection must not run the stores' transactions) and hands the
changes over as ``Change`` values; ``wait`` blocks at most ``timeout`` seconds, so a loop that
listens still sees its stop flag.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from paris_desk.store.team.database import connect, translate

log = logging.getLogger(__name__)

CHANNEL = "paris_desk"


@dataclass(frozen=True, slots=True)
class Change:
    kind: str  # "job", "approval" or "assignment"
    data: dict[str, Any]


class ChangeListener:
    def __init__(self, conninfo: str, password: str | None = None, *,
                 allow_unverified: bool = False) -> None:
        self._conn = connect(conninfo, password, allow_unverified=allow_unverified)
        self._conn.execute(f"LISTEN {CHANNEL}")

    def wait(self, timeout: float, *, most: int = 100) -> list[Change]:
        """The changes announced until ``timeout`` seconds have passed with none, or as soon as
        one arrives (then also those already there, up to ``most``)."""
        import psycopg

        changes: list[Change] = []
        try:
            for notify in self._conn.notifies(timeout=timeout, stop_after=1):
                changes.append(_change(notify.payload))
            # whatever else is already there, without waiting again
            if changes:
                for notify in self._conn.notifies(timeout=0.0, stop_after=most - 1):
                    changes.append(_change(notify.payload))
        except psycopg.Error as exc:
            raise translate(exc) from exc
        return changes

    def close(self) -> None:
        self._conn.close()


def _change(payload: str) -> Change:
    try:
        data = json.loads(payload)
    except ValueError:
        log.warning("team: unreadable notification %r", payload[:200])
        return Change("unknown", {})
    return Change(str(data.get("kind", "unknown")), data)
