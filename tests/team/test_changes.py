"""LISTEN/NOTIFY: what the team's database announces at commit, and to whom."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest

from paris_desk.core.model import Account, Network, PostRequest
from paris_desk.store.team import schema
from paris_desk.store.team.approvals import ApprovalStore, PlannedPost
from paris_desk.store.team.changes import ChangeListener
from paris_desk.store.team.database import TeamDatabase
from paris_desk.store.team.members import Role, TeamStore
from paris_desk.store.team.outbox import TeamOutboxStore
from paris_desk.store.team.triage import TriageStore
from team.pgcluster import Cluster

MASTO = Account("mastodon:@ville@paris.example", Network.MASTODON, "@ville@paris.example",
                "https://paris.example")
GUARD_S = 30.0  # a hang guard: notifications arrive at commit


@pytest.fixture
def owner(pg_cluster: Cluster, pg_database: str) -> Iterator[TeamDatabase]:
    db = TeamDatabase(pg_cluster.dsn(dbname=pg_database))
    schema.migrate(db)
    yield db
    db.close()


@pytest.fixture
def listener(pg_cluster: Cluster, pg_database: str, owner: TeamDatabase
             ) -> Iterator[ChangeListener]:
    name = f"ecoute_{secrets.token_hex(3)}"
    TeamStore(owner).add_member(name, Role.REDACTEUR, "pw")  # any member may listen
    listening = ChangeListener(pg_cluster.dsn(name, "pw", pg_database))
    yield listening
    listening.close()


def test_jobs_approvals_and_assignments_are_announced_at_commit(
    owner: TeamDatabase, listener: ChangeListener
) -> None:
    outbox = TeamOutboxStore(owner)
    with owner.transaction():
        (job,) = outbox.add_batch("b", [(MASTO, PostRequest("Bonjour"))])
        assert listener.wait(0.2) == []  # not before the commit
    (queued,) = listener.wait(GUARD_S)
    assert (queued.kind, queued.data["id"], queued.data["state"]) == ("job", job.id, 0)

    outbox.claim(job.id)
    (claimed,) = listener.wait(GUARD_S)
    assert (claimed.data["id"], claimed.data["state"]) == (job.id, 1)

    approval = ApprovalStore(owner, outbox).submit("Texte", PlannedPost((), (), None))
    TriageStore(owner).assign(("mastodon:@ville@paris.example", "42"), "marie")
    changes = listener.wait(GUARD_S)
    changes += listener.wait(GUARD_S) if len(changes) < 2 else []
    assert [(c.kind, c.data.get("id") or c.data.get("item")) for c in changes] == [
        ("approval", approval.id), ("assignment", "42")]
    assert changes[1].data["assigned_to"] == "marie"


def test_a_state_left_unchanged_is_not_announced(
    owner: TeamDatabase, listener: ChangeListener
) -> None:
    (job,) = TeamOutboxStore(owner).add_batch("b", [(MASTO, PostRequest("Bonjour"))])
    listener.wait(GUARD_S)
    owner.execute("UPDATE outbox_jobs SET last_error = 'x' WHERE id = %s", (job.id,))
    assert listener.wait(0.3) == []
