"""The shared outbox on PostgreSQL answers which sent posts came from one submission, with the
same parameter-free query as the local one (``OutboxStore.sent_results``; the same checks as
tests/store/test_outbox_cross_posts.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from paris_desk.core.model import Account, Author, Network, Post, PostRequest
from paris_desk.services.outbox import OutboxService
from paris_desk.store.outbox import OutboxStore
from paris_desk.store.team import schema
from paris_desk.store.team.database import TeamDatabase
from paris_desk.store.team.outbox import TeamOutboxStore
from team.pgcluster import Cluster

MASTO = Account("mastodon:@ville@paris.example", Network.MASTODON, "@ville@paris.example",
                "https://paris.example")
BSKY = Account("bluesky:ville.example", Network.BLUESKY, "ville.example", "https://pds.example")


def published(account: Account, key: str) -> Post:
    return Post(uri=f"{account.base_url}/p/{key}", native_id=key, network=account.network,
                author=Author(handle=account.handle), created_at=datetime.now(UTC),
                origin_account=account.id)


def send_all(store: OutboxStore, batch_id: str, items: list[tuple[Account, str]]) -> list[str]:
    """Add a batch and mark every job sent, as the outbox does; the posts' uris."""
    uris = []
    for job in store.add_batch(batch_id, [(a, PostRequest(text)) for a, text in items]):
        post = published(MASTO if job.account_id == MASTO.id else BSKY, f"{batch_id}-{job.id}")
        assert store.claim(job.id) is not None and store.mark_sent(job.id, post)
        uris.append(post.uri)
    return uris


def check_cross_posts(store: OutboxStore) -> None:
    service = OutboxService(store, channel_for=lambda _id: pytest.fail("no send here"))
    m0, m1, b0, b1 = send_all(store, "thread", [(MASTO, "1/2"), (MASTO, "2/2"), (BSKY, "1/2"),
                                                (BSKY, "2/2")])
    (alone,) = send_all(store, "alone", [(MASTO, "Seulement sur Mastodon")])
    store.add_batch("waiting", [(MASTO, PostRequest("pas encore")), (BSKY, PostRequest("idem"))])

    groups = service.cross_posts()

    assert groups == {m0: ("thread#0", MASTO.id), b0: ("thread#0", BSKY.id),
                      m1: ("thread#1", MASTO.id), b1: ("thread#1", BSKY.id)}
    assert alone not in groups
    assert service.cross_posts(limit=1) == {}  # the newest sent job only: no group


@pytest.fixture
def store(pg_cluster: Cluster, pg_database: str) -> Iterator[TeamOutboxStore]:
    db = TeamDatabase(pg_cluster.dsn(dbname=pg_database))
    schema.migrate(db)
    yield TeamOutboxStore(db)
    db.close()


def test_the_team_outbox_groups_a_cross_post_per_part(store: TeamOutboxStore) -> None:
    check_cross_posts(store)
