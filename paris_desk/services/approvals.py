"""Approval before publication (team mode): submit, list, approve, reject.

The author's workstation runs the publishing pipeline up to the plan (``Publisher.plan``:
the same checks, images, card, split and schedule as a direct post) and submits that plan;
the draft stays in the author's local drafts. A validateur approves it (its jobs are queued in
the shared outbox with their schedule, in the transaction of the decision) or rejects it with
a comment. The database enforces who may decide (``store.team.approvals``); this service
checks first, to refuse with a clear reason before any write.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace

from paris_desk.core.model import Draft
from paris_desk.services.publisher import FETCH_CARD, CardChoice, Publisher
from paris_desk.services.team import workstation
from paris_desk.store.drafts import DraftStore
from paris_desk.store.outbox import Job
from paris_desk.store.team.approvals import (
    AlreadyDecided,
    Approval,
    ApprovalNotFound,
    ApprovalState,
    ApprovalStore,
    OwnSubmission,
    PlannedPost,
)
from paris_desk.store.team.errors import TeamRefused
from paris_desk.store.team.members import Role, TeamStore

__all__ = [
    "AlreadyDecided",
    "Approval",
    "ApprovalNotFound",
    "ApprovalService",
    "ApprovalState",
    "OwnSubmission",
]


class ApprovalService:
    def __init__(self, store: ApprovalStore, publisher: Publisher, drafts: DraftStore) -> None:
        self.store = store
        self._publisher = publisher
        self._drafts = drafts
        self._team = TeamStore(store.db)

    def submit(self, draft: Draft, *, card: CardChoice = FETCH_CARD) -> Approval:
        """Check and prepare ``draft`` (``Refused``: nothing submitted), keep it as a local
        draft, and submit its plan."""
        plan = self._publisher.plan(draft, card=card)
        self._drafts.save(replace(draft, batch_id=""))
        return self.store.submit(draft.text, PlannedPost(plan.now, plan.later, plan.when),
                                 workstation=workstation())

    def needs_approval(self, account_ids: Sequence[str]) -> bool:
        """A publication to ``account_ids`` by this member must be submitted: a redacteur,
        and one of them is set to need approval (``team require-approval``)."""
        if self._team.role_of() is not Role.REDACTEUR:
            return False
        return bool(self._team.requiring_approval() & set(account_ids))

    def list(self, *, all_states: bool = False) -> list[Approval]:
        return self.store.list(None if all_states else ApprovalState.PENDING)

    def approve(self, approval_id: int) -> tuple[Approval, list[Job]]:
        self._check_decider(approval_id)
        return self.store.approve(approval_id, uuid.uuid4().hex, workstation=workstation())

    def reject(self, approval_id: int, comment: str) -> Approval:
        self._check_decider(approval_id)
        return self.store.reject(approval_id, comment, workstation=workstation())

    def _check_decider(self, approval_id: int) -> None:
        """The app's own checks (the database makes the same ones, and has the last word)."""
        approval = self.store.get(approval_id)
        if self._team.role_of() not in (Role.VALIDATEUR, Role.ADMIN):
            raise TeamRefused("only a validateur decides")
        if approval.author == self._team.db.scalar("SELECT current_user"):
            raise OwnSubmission(f"approval {approval_id} is its author's own")
