"""Which sent posts came from one submission on several accounts (the timeline shows each such
group as one row), checked the same way on any outbox store: the local SQLite one
(tests/store/test_outbox_cross_posts.py) and the team's PostgreSQL one
(tests/team/test_team_cross_posts.py). Import it like ``traps``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from paris_desk.core.model import Account, Author, Network, Post, PostRequest
from paris_desk.services.outbox import OutboxService
from paris_desk.store.outbox import OutboxStore

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
    """One group per batch and thread part, read from the sent rows; a post sent to one
    account only, or not sent yet, is in no group."""
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
