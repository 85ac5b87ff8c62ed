"""The outbox and a Bluesky threadgate whose write failed after the post's: the retry's probe
finds the post and the job is SENT only once the gate is on the server too."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from paris_desk.channels import bluesky
from paris_desk.core.model import PostRequest
from paris_desk.sandbox.http import Fault
from paris_desk.services.outbox import OutboxService, RetryPolicy
from paris_desk.store.db import Database
from paris_desk.store.outbox import JobState, OutboxStore

CREATE = r"com\.atproto\.repo\.createRecord$"
FAST = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = Database(tmp_path / "outbox.sqlite3")
    yield db
    db.close()


def test_a_gate_lost_after_the_post_is_written_before_the_job_is_sent(
    bluesky_sandbox: Any, database: Database
) -> None:
    who = bluesky_sandbox.accounts[0]
    account, secret = bluesky.login(
        who["handle"], who["password"], service=bluesky_sandbox.base_url
    )
    channel = bluesky.restore(account, secret, lambda s: None)
    outbox = OutboxService(OutboxStore(database), {account.id: channel}.__getitem__, FAST)
    bluesky_sandbox.add_fault(Fault(kind="drop_after_commit", method="POST", path=CREATE))
    bluesky_sandbox.add_fault(Fault(kind="500", method="POST", path=CREATE))  # the gate
    (job,) = outbox.publish(
        uuid.uuid4().hex,
        [
            (
                account,
                [PostRequest("Concertation : réponses sur invitation", reply_gate="followers")],
            )
        ],
    )

    outbox.drain(timeout=10)

    done = outbox.store.get(job.id)
    assert (done.state, done.attempts) == (JobState.SENT, 2)
    rkey = done.request.idempotency_key
    assert list(bluesky_sandbox.records(account.user_id, "app.bsky.feed.post")).count(rkey) == 1
    gate = bluesky_sandbox.records(account.user_id, "app.bsky.feed.threadgate")[rkey]
    assert [rule["$type"] for rule in gate["allow"]] == ["app.bsky.feed.threadgate#followerRule"]
    assert done.result is not None and gate["post"] == done.result.uri
