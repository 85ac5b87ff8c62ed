"""Inbox assignment in team mode: "this mention is Marie's". Qt-free, blocking.

The notifications stay in each workstation's cache (``services.inbox``); only who takes care
of which item is shared, in the team's database (``store.team.triage``).
"""

from __future__ import annotations

from paris_desk.services.team import workstation
from paris_desk.store.team.errors import TeamError
from paris_desk.store.team.members import TeamStore
from paris_desk.store.team.triage import (
    Assignment,
    ItemKey,
    TriageStore,
    item_id,
    parse_item_id,
)

__all__ = ["Assignment", "ItemKey", "NotAMember", "TriageService", "item_id", "parse_item_id"]


class NotAMember(TeamError):
    """The name given is no member of the team."""


class TriageService:
    def __init__(self, store: TriageStore) -> None:
        self.store = store
        self._team = TeamStore(store.db)

    @property
    def me(self) -> str:
        return str(self.store.db.scalar("SELECT current_user"))

    def assign(self, key: ItemKey, to: str, *, url: str = "") -> None:
        """``to`` must be a member (``NotAMember``); recorded with an audit row."""
        if self._team.role_of(to) is None:
            raise NotAMember(to)
        self.store.assign(key, to, url=url, workstation=workstation())

    def unassign(self, key: ItemKey, *, url: str = "") -> bool:
        """Nobody takes care of it any more (audited); False when nobody did."""
        return self.store.unassign(key, url=url, workstation=workstation())

    def members(self) -> list[str]:
        """Who an item can be assigned to."""
        return self._team.members()

    def assigned_to_me(self) -> set[ItemKey]:
        return self.store.assigned_to(self.me)

    def assignments(self, keys: list[ItemKey]) -> dict[ItemKey, Assignment]:
        return self.store.assignments(keys)
