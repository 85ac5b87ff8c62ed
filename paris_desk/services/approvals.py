"""Approval before publication (team mode): submit, list, approve, reject.

The author's workstation runs the publishing pipeline up to the plan (``Publisher.plan``:
the same checks, images, card, split and schedule as a direct post) and submits that plan;
the draft stays in the author's local drafts. A validateur approves it (its jobs are queued in
the shared outbox with their schedule, in the transaction of the decision) or rejects it with
a comment. The database enforces who may decide (``store.team.approvals``); this service
checks first, to refuse with a clear reason before any write.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from paris_desk.core.model import Draft
from paris_desk.services.composition import Rules
from paris_desk.services.publisher import FETCH_CARD, CardChoice, Publisher
from paris_desk.services.team import workstation
from paris_desk.store import codec
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
    "Returned",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Returned:
    """A decision for the submission's author. Rejected: the decision (who, the comment) and
    the draft, now in the author's local drafts (``restored``: it had to be written back).
    Approved: the local draft when it now follows the approved jobs, else None."""

    approval: Approval
    draft: Draft | None
    restored: bool


class ApprovalService:
    def __init__(self, store: ApprovalStore, publisher: Publisher, drafts: DraftStore) -> None:
        self.store = store
        self._publisher = publisher
        self._drafts = drafts
        self._team = TeamStore(store.db)

    @property
    def me(self) -> str:
        """This member's name (the database role)."""
        return str(self.store.db.scalar("SELECT current_user"))

    def submit(self, draft: Draft, *, card: CardChoice = FETCH_CARD,
               rules: Mapping[str, Rules] | None = None, now: datetime | None = None
               ) -> Approval:
        """Check and prepare ``draft`` (``Refused``: nothing submitted), keep it as a local
        draft, and submit its plan (with the draft, given back if it is rejected)."""
        plan = self._publisher.plan(draft, card=card, rules=rules, now=now)
        saved = self._drafts.save(replace(draft, batch_id=""))
        return self.store.submit(draft.text, PlannedPost(plan.now, plan.later, plan.when),
                                 workstation=workstation(), draft_json=codec.dumps(saved),
                                 schedule=draft.scheduled_at)

    def can_decide(self) -> bool:
        """This member may approve or reject (validateur or admin)."""
        return self._team.role_of() in (Role.VALIDATEUR, Role.ADMIN)

    def decisions_since(self, since: datetime | None) -> list[Returned]:
        """This member's submissions decided after ``since`` (all when None), in order; the
        rejected ones are taken back to the drafts (``take_back``). What the author's window
        says at start (decided while it was closed) and on each decision."""
        out = []
        for approval in self.store.decided(self.me, since):
            if approval.state is ApprovalState.REJECTED:
                out.append(self.take_back(approval.id) or Returned(approval, None, False))
            else:
                out.append(Returned(approval, self._follow(approval), restored=False))
        return out

    def _follow(self, approval: Approval) -> Draft | None:
        """An approved submission's local draft, unchanged since it was submitted, follows its
        jobs (its ``batch_id``): the composer shows where they stand, and it goes from the
        drafts once every one is sent (``Publisher.forget_published``), as a post published
        directly. An edited one is left alone. The draft, when it now follows."""
        submitted = _draft(self.store.draft_json(approval.id), approval.id)
        if submitted is None or not approval.batch_id:
            return None
        kept = self._drafts.get(submitted.id)
        if kept is None or kept.batch_id or kept.updated_at != submitted.updated_at:
            return None
        return self._drafts.save(replace(kept, batch_id=approval.batch_id))

    def take_back(self, approval_id: int) -> Returned | None:
        """A rejected submission of this member's goes back to the drafts: written back to
        the local drafts unless they still hold it (it may have been edited since: kept as
        it is). None when ``approval_id`` is not this member's, or not rejected."""
        approval = self.store.get(approval_id)
        if approval.state is not ApprovalState.REJECTED or approval.author != self.me:
            return None
        draft = _draft(self.store.draft_json(approval_id), approval_id)
        if draft is None:
            return Returned(approval, None, restored=False)
        kept = self._drafts.get(draft.id)
        if kept is not None:
            return Returned(approval, kept, restored=False)
        return Returned(approval, self._drafts.save(replace(draft, batch_id="")), restored=True)

    def needs_approval(self, account_ids: Sequence[str]) -> bool:
        """A publication to ``account_ids`` by this member must be submitted: a redacteur,
        and one of them is set to need approval (``team require-approval``)."""
        if self._team.role_of() is not Role.REDACTEUR:
            return False
        return bool(self._team.requiring_approval() & set(account_ids))

    def requiring_my_approval(self) -> set[str]:
        """The accounts a publication of this member's to is submitted for approval (none
        for a validateur or an admin)."""
        if self._team.role_of() is not Role.REDACTEUR:
            return set()
        return self._team.requiring_approval()

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


def _draft(text: str, approval_id: int) -> Draft | None:
    try:
        data = json.loads(text)
        return codec.from_dict(Draft, data) if data else None
    except (codec.CodecError, ValueError) as exc:
        log.warning("approval %s: its draft is unreadable (%s)", approval_id, exc)
        return None
