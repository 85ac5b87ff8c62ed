"""Team mode runs against a real PostgreSQL server: a private cluster this session makes with
``initdb`` (tests/team/pgcluster.py), on 127.0.0.1 with scram-sha-256 passwords, stopped and
deleted at the end. No Docker, no mock. PostgreSQL missing FAILS the tests (never a skip).
The windows' tests share a TaskManager fixture, as tests/ui/conftest.py has."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from team.pgcluster import Cluster, PostgresMissing, destroy, make_cluster

if TYPE_CHECKING:
    from paris_desk.services.workers import TaskManager


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    try:
        cluster = make_cluster()
    except PostgresMissing as exc:
        pytest.fail(f"team mode needs PostgreSQL: {exc}", pytrace=False)
    try:
        yield cluster
    finally:
        destroy(cluster)


@pytest.fixture
def pg_database(pg_cluster: Cluster) -> Iterator[str]:
    """A new, empty database on the session's cluster; its name. Dropped afterwards."""
    import psycopg

    name = f"team_{secrets.token_hex(4)}"
    with psycopg.connect(pg_cluster.dsn(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(pg_cluster.dsn(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture
def tasks(qapp: Any) -> Iterator[TaskManager]:
    """The window's TaskManager (imported here only when a test asks: most team tests are
    Qt-free)."""
    from paris_desk.services.workers import TaskManager

    manager = TaskManager()
    yield manager
    manager.shutdown()
