"""The team's audit trail as the services see it: one call per action done in the world.

A service that mutes, blocks, reports or changes a filter is given an ``AuditTrail`` by the
Desk (``Desk._audit``): in team mode it appends a row to the team's audit log (the actor and
the time are the database's), outside a team it does nothing. The services never know which.
An action already done on the network stands when its row cannot be written: ``record`` logs
that and goes on.
"""

from __future__ import annotations

import logging
from typing import Protocol

from paris_desk.core.errors import ParisDeskError

log = logging.getLogger(__name__)


class AuditTrail(Protocol):
    def __call__(self, action: str, *, account: str = "", url: str = "",
                 detail: str = "") -> None: ...


def record(trail: AuditTrail | None, action: str, *, account: str = "", url: str = "",
           detail: str = "") -> None:
    """``action`` on ``trail`` (nothing when None); a failure to write it only warns."""
    if trail is None:
        return
    try:
        trail(action, account=account, url=url, detail=detail)
    except ParisDeskError as exc:
        log.warning("%s not written to the audit log: %s", action, type(exc).__name__)
