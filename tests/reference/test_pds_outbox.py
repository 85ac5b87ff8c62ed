"""The outbox publishing scenario against the official Bluesky PDS (@atproto/pds 0.5.35): an
image post and a three-part thread on two accounts, then a crash after the PDS committed; the
records are counted on the PDS (listRecords), one per record key, never two."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from paris_desk.channels import bluesky
from paris_desk.core.channel import Channel
from paris_desk.core.model import Account, PostRequest, PreparedMedia
from paris_desk.sandbox.corpus import png_image
from paris_desk.services.outbox import OutboxService, RetryPolicy
from paris_desk.store.db import Database
from paris_desk.store.outbox import JobState, OutboxStore

pytestmark = pytest.mark.reference

POST = "app.bsky.feed.post"
FAST = RetryPolicy(max_attempts=3, base_delay=0.05, max_delay=0.2)
IMAGE = PreparedMedia(
    png_image(64, 48, seed=9), "image/png", "Plan du marché de Noël", 64, 48, "plan.png"
)


@pytest.fixture
def accounts(reference_pds: Any) -> dict[str, tuple[Account, Channel]]:
    out: dict[str, tuple[Account, Channel]] = {}
    for prefix in ("ville", "culture"):
        handle, password, _ = reference_pds.create_account(prefix)
        app_password = reference_pds.create_app_password(handle, password, name="paris_desk")
        account, secret = bluesky.login(handle, app_password, service=reference_pds.url)
        out[account.id] = (account, bluesky.restore(account, secret, lambda s: None))
    return out


@pytest.fixture
def outbox(
    tmp_path: Path, accounts: dict[str, tuple[Account, Channel]]
) -> Iterator[tuple[Path, OutboxService]]:
    path = tmp_path / "outbox.sqlite3"
    db = Database(path)
    yield path, OutboxService(OutboxStore(db), lambda account_id: accounts[account_id][1], FAST)
    db.close()


def records(pds: Any, did: str) -> list[dict[str, Any]]:
    """Every post record of ``did`` on the PDS, as a list (duplicates would show)."""
    out: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"repo": did, "collection": POST, "limit": 100}
        if cursor:
            params["cursor"] = cursor
        page = pds.xrpc("com.atproto.repo.listRecords", params=params).json()
        out.extend(page["records"])
        cursor = page.get("cursor")
        if not cursor or not page["records"]:
            return sorted(out, key=lambda r: r["uri"])


def test_cross_post_and_threads_land_once_each(
    reference_pds: Any,
    accounts: dict[str, tuple[Account, Channel]],
    outbox: tuple[Path, OutboxService],
) -> None:
    _, service = outbox
    marker = uuid.uuid4().hex[:8]
    image = PostRequest(f"Marché de Noël : le plan 🎄 #{marker}", media=(IMAGE,))
    thread = [PostRequest(f"Fermetures de voies, {i}/3 #{marker}") for i in (1, 2, 3)]
    targets = [(account, [image]) for account, _ in accounts.values()]
    service.publish("image", targets)
    service.publish("thread", [(account, thread) for account, _ in accounts.values()])

    service.drain(timeout=30)

    jobs = service.jobs("image") + service.jobs("thread")
    assert {j.state for j in jobs} == {JobState.SENT}
    for account, _ in accounts.values():
        stored = records(reference_pds, account.user_id)
        assert Counter(r["uri"].rsplit("/", 1)[1] for r in stored) == Counter(
            j.idempotency_key for j in jobs if j.account_id == account.id
        )
        by_text = {r["value"]["text"]: r for r in stored}
        embed = by_text[image.text]["value"]["embed"]
        assert embed["images"][0]["alt"] == IMAGE.alt
        ratio = embed["images"][0]["aspectRatio"]
        assert (ratio["width"], ratio["height"]) == (64, 48)
        chain = [by_text[p.text] for p in thread]
        assert "reply" not in chain[0]["value"]
        for i in (1, 2):
            reply = chain[i]["value"]["reply"]
            assert (reply["parent"]["uri"], reply["parent"]["cid"]) == (
                chain[i - 1]["uri"],
                chain[i - 1]["cid"],
            )
            assert (reply["root"]["uri"], reply["root"]["cid"]) == (
                chain[0]["uri"],
                chain[0]["cid"],
            )


def test_a_crash_after_the_pds_committed_is_recovered_once(
    reference_pds: Any,
    accounts: dict[str, tuple[Account, Channel]],
    outbox: tuple[Path, OutboxService],
) -> None:
    path, before = outbox
    account, channel = next(iter(accounts.values()))
    text = f"Piscine fermée demain #{uuid.uuid4().hex[:8]}"
    (job,) = before.publish("crash", [(account, [PostRequest(text, media=(IMAGE,))])])
    claimed = before.store.claim(job.id)
    assert claimed is not None
    channel.post(claimed.request)  # committed on the PDS; the app dies before recording it

    db = Database(path)  # the next start of the app
    try:
        after = OutboxService(OutboxStore(db), lambda account_id: accounts[account_id][1], FAST)
        assert after.recover(stale_after=0) == [job.id]
        after.drain(timeout=30)
        done = after.store.get(job.id)
    finally:
        db.close()

    assert (done.state, done.attempts) == (JobState.SENT, 2)
    mine = [r for r in records(reference_pds, account.user_id) if r["value"]["text"] == text]
    assert [r["uri"] for r in mine] == [done.result_uri]
    assert done.result_uri.endswith(f"/{POST}/{job.idempotency_key}")


def test_the_same_text_twice_with_a_crash_gives_two_posts_each_its_own(
    reference_pds: Any,
    accounts: dict[str, tuple[Account, Channel]],
    outbox: tuple[Path, OutboxService],
) -> None:
    path, before = outbox
    account, channel = next(iter(accounts.values()))
    text = f"Collecte des sapins lundi #{uuid.uuid4().hex[:8]}"
    (first,) = before.publish("one", [(account, [PostRequest(text)])])
    before.drain(timeout=30)
    (second,) = before.publish("two", [(account, [PostRequest(text)])])
    claimed = before.store.claim(second.id)
    assert claimed is not None
    channel.post(claimed.request)  # committed on the PDS; the app dies before recording it

    db = Database(path)  # the next start of the app
    try:
        after = OutboxService(OutboxStore(db), lambda account_id: accounts[account_id][1], FAST)
        assert after.recover(stale_after=0) == [second.id]
        after.drain(timeout=30)
        jobs = [after.store.get(j.id) for j in (first, second)]
    finally:
        db.close()

    assert [j.state for j in jobs] == [JobState.SENT, JobState.SENT]
    assert jobs[0].result_uri != jobs[1].result_uri
    mine = [r for r in records(reference_pds, account.user_id) if r["value"]["text"] == text]
    assert sorted(r["uri"] for r in mine) == sorted(j.result_uri for j in jobs)
