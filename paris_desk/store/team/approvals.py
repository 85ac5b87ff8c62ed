"""Publications submitted for approval, in the team's database (schema versions 1 and 2).

A submission holds the planned requests (``Plan``: who publishes now, who waits until the
schedule, with the images already prepared), not the draft, so the validateur approves what
was checked on the author's workstation. Approving writes the decision and the outbox jobs in
one transaction, plus an audit row; rejecting writes the decision and its comment. The rules
are the database's (``sql/0001_team.sql``): only a validateur may write a decision (a
redacteur's UPDATE is "permission denied"), never on a submission of their own (row-level
security), and only while it is pending.
"""

from __future__ import annotations

import base64
import enum
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from paris_desk.core.model import Account, Network, PostRequest, PreparedMedia
from paris_desk.store import codec
from paris_desk.store.outbox import CARD_THUMB_POSITION, Job, _blobs, _request_json
from paris_desk.store.team.database import TeamDatabase
from paris_desk.store.team.errors import TeamError, TeamRefused
from paris_desk.store.team.outbox import TeamOutboxStore

Items = tuple[tuple[Account, tuple[PostRequest, ...]], ...]


class ApprovalState(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Approval:
    id: int
    author: str
    submitted_at: datetime
    text: str
    targets: tuple[str, ...]
    schedule: datetime | None
    state: ApprovalState
    decided_by: str | None = None
    decided_at: datetime | None = None
    comment: str = ""
    batch_id: str | None = None


class ApprovalNotFound(TeamError):
    """No submission with that id."""


class AlreadyDecided(TeamError):
    """The submission was approved or rejected already."""

    def __init__(self, approval: Approval) -> None:
        super().__init__(f"approval {approval.id} is {approval.state.value}")
        self.approval = approval


class OwnSubmission(TeamRefused):
    """Nobody decides on their own submission (four eyes)."""


@dataclass(frozen=True, slots=True)
class PlannedPost:
    """What approving queues: ``now`` and ``later`` (held until ``when``) as in ``Plan``."""

    now: Items
    later: Items
    when: datetime | None


class ApprovalStore:
    def __init__(self, db: TeamDatabase, outbox: TeamOutboxStore) -> None:
        self.db = db
        self.outbox = outbox

    def submit(self, text: str, planned: PlannedPost, *, workstation: str = "",
               draft_json: str = "{}", schedule: datetime | None = None) -> Approval:
        """``draft_json``: the author's draft (``codec`` JSON), given back if rejected;
        ``schedule``: the time asked for, shown to the validateur (default: the time the
        plan holds jobs until; a Mastodon-only post is scheduled on the server instead)."""
        targets = sorted({a.id for a, _ in (*planned.now, *planned.later)})
        with self.db.transaction():
            row = self.db.execute(
                "INSERT INTO approvals (draft_json, text, targets, schedule, plan_json)"
                " VALUES (%s, %s, %s, %s, %s) RETURNING *",
                (draft_json, text, targets, schedule or planned.when,
                 _encode_plan(planned)))[0]
            self._audit("submit", row["id"], ", ".join(targets), workstation)
        return _approval(row)

    def get(self, approval_id: int) -> Approval:
        rows = self.db.execute("SELECT * FROM approvals WHERE id = %s", (approval_id,))
        if not rows:
            raise ApprovalNotFound(f"no approval {approval_id}")
        return _approval(rows[0])

    def draft_json(self, approval_id: int) -> str:
        """The author's draft as submitted (``"{}"`` for a submission that kept none)."""
        rows = self.db.execute("SELECT draft_json FROM approvals WHERE id = %s", (approval_id,))
        if not rows:
            raise ApprovalNotFound(f"no approval {approval_id}")
        return str(rows[0]["draft_json"])

    def decided(self, author: str, since: datetime | None = None) -> list[Approval]:
        """``author``'s submissions decided after ``since`` (all when None), in the order
        they were decided."""
        rows = self.db.execute(
            "SELECT * FROM approvals WHERE author = %s AND state <> 'pending'"
            " AND (%s::timestamptz IS NULL OR decided_at > %s) ORDER BY decided_at, id",
            (author, since, since))
        return [_approval(r) for r in rows]

    def list(self, state: ApprovalState | None = ApprovalState.PENDING) -> list[Approval]:
        rows = self.db.execute(
            "SELECT * FROM approvals WHERE (%s::text IS NULL OR state = %s)"
            " ORDER BY submitted_at, id", (state and state.value, state and state.value))
        return [_approval(r) for r in rows]

    def approve(self, approval_id: int, batch_id: str, *, workstation: str = ""
                ) -> tuple[Approval, list[Job]]:
        """Decide and queue the jobs, in one transaction (all of it or nothing)."""
        with self.db.transaction():
            row = self._decide(approval_id, ApprovalState.APPROVED, "", batch_id)
            planned = _decode_plan(row["plan_json"])
            jobs = self.outbox.add_batch(batch_id, _flat(planned.now)) if planned.now else []
            if planned.later:
                jobs += self.outbox.add_batch(batch_id, _flat(planned.later), planned.when)
            self._audit("approve", approval_id, ", ".join(row["targets"]), workstation)
        return _approval(row), jobs

    def reject(self, approval_id: int, comment: str, *, workstation: str = "") -> Approval:
        with self.db.transaction():
            row = self._decide(approval_id, ApprovalState.REJECTED, comment, None)
            self._audit("reject", approval_id, ", ".join(row["targets"]), workstation,
                        comment)
        return _approval(row)

    def _decide(self, approval_id: int, state: ApprovalState, comment: str,
                batch_id: str | None) -> dict[str, Any]:
        before = self.get(approval_id)  # not found: say so, before any permission matter
        if before.state is not ApprovalState.PENDING:
            raise AlreadyDecided(before)
        rows = self.db.execute(
            "UPDATE approvals SET state = %s, decided_by = current_user, decided_at = now(),"
            " comment = %s, batch_id = %s WHERE id = %s AND state = 'pending' RETURNING *",
            (state.value, comment, batch_id, approval_id))
        if rows:
            return rows[0]
        current = self.get(approval_id)
        if current.state is not ApprovalState.PENDING:
            raise AlreadyDecided(current)  # decided by someone else meanwhile
        raise OwnSubmission(f"approval {approval_id} is {current.author}'s own")

    def _audit(self, action: str, approval_id: int, accounts: str, workstation: str,
               comment: str = "") -> None:
        detail = f"approval {approval_id}" + (f": {comment}" if comment else "")
        self.db.execute(
            "INSERT INTO audit_log (workstation, account, action, detail)"
            " VALUES (%s, %s, %s, %s)", (workstation, accounts, action, detail))


def _flat(items: Items) -> list[tuple[Account, PostRequest]]:
    return [(account, request) for account, requests in items for request in requests]


def _approval(r: dict[str, Any]) -> Approval:
    return Approval(id=r["id"], author=r["author"], submitted_at=r["submitted_at"],
                    text=r["text"], targets=tuple(r["targets"]), schedule=r["schedule"],
                    state=ApprovalState(r["state"]), decided_by=r["decided_by"],
                    decided_at=r["decided_at"], comment=r["comment"], batch_id=r["batch_id"])


# -- the plan as JSON (images inline, base64) ------------------------------------------------


def _encode_plan(planned: PlannedPost) -> str:
    return json.dumps({
        "now": [_encode_item(a, rs) for a, rs in planned.now],
        "later": [_encode_item(a, rs) for a, rs in planned.later],
        "when": planned.when.isoformat() if planned.when else None,
    }, ensure_ascii=False)


def _encode_item(account: Account, requests: tuple[PostRequest, ...]) -> dict[str, Any]:
    return {
        "account": {"id": account.id, "network": account.network.value,
                    "handle": account.handle, "base_url": account.base_url},
        "requests": [{"request": json.loads(_request_json(r)),
                      "media": [_encode_media(i, m) for i, m in _blobs(r)]} for r in requests],
    }


def _encode_media(position: int, media: PreparedMedia) -> dict[str, Any]:
    return {"position": position, "mime_type": media.mime_type, "alt": media.alt,
            "width": media.width, "height": media.height, "file_name": media.file_name,
            "data": base64.b64encode(media.data).decode("ascii")}


def _decode_plan(text: str) -> PlannedPost:
    data = json.loads(text)
    return PlannedPost(now=tuple(_decode_item(i) for i in data["now"]),
                       later=tuple(_decode_item(i) for i in data["later"]),
                       when=datetime.fromisoformat(data["when"]) if data["when"] else None)


def _decode_item(item: dict[str, Any]) -> tuple[Account, tuple[PostRequest, ...]]:
    a = item["account"]
    account = Account(a["id"], Network(a["network"]), a["handle"], a["base_url"])
    requests = []
    for entry in item["requests"]:
        request = codec.from_dict(PostRequest, entry["request"])
        blobs = {m["position"]: PreparedMedia(
            data=base64.b64decode(m["data"]), mime_type=m["mime_type"], alt=m["alt"],
            width=m["width"], height=m["height"], file_name=m["file_name"])
            for m in entry["media"]}
        thumb = blobs.pop(CARD_THUMB_POSITION, None)
        requests.append(_with_media(request, tuple(blobs[i] for i in sorted(blobs)), thumb))
    return account, tuple(requests)


def _with_media(request: PostRequest, media: tuple[PreparedMedia, ...],
                thumb: PreparedMedia | None) -> PostRequest:
    import dataclasses

    return dataclasses.replace(request, media=media, link_card_thumb=thumb)
