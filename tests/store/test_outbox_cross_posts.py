"""Which sent posts came from one submission on several accounts (the timeline shows each such
group as one row): read from the outbox rows, one group per batch and thread part. The checks
are tests/cross_post_checks.py, shared with the team's PostgreSQL outbox."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cross_post_checks import check_cross_posts

from paris_desk.store.db import Database
from paris_desk.store.outbox import OutboxStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[OutboxStore]:
    db = Database(tmp_path / "outbox.sqlite3")
    yield OutboxStore(db)
    db.close()


def test_a_submission_sent_to_two_accounts_is_one_group_per_part(store: OutboxStore) -> None:
    check_cross_posts(store)
