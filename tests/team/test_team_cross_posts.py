"""The shared outbox on PostgreSQL answers which sent posts came from one submission, with the
same parameter-free query as the local one (``OutboxStore.sent_results``; the same checks as
tests/store/test_outbox_cross_posts.py, in tests/cross_post_checks.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cross_post_checks import check_cross_posts

from paris_desk.store.team import schema
from paris_desk.store.team.database import TeamDatabase
from paris_desk.store.team.outbox import TeamOutboxStore
from team.pgcluster import Cluster


@pytest.fixture
def store(pg_cluster: Cluster, pg_database: str) -> Iterator[TeamOutboxStore]:
    db = TeamDatabase(pg_cluster.dsn(dbname=pg_database))
    schema.migrate(db)
    yield TeamOutboxStore(db)
    db.close()


def test_the_team_outbox_groups_a_cross_post_per_part(store: TeamOutboxStore) -> None:
    check_cross_posts(store)
