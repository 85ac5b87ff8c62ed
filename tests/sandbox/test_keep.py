"""sandbox.keep: what the city accounts did on the sandbox servers, done again on servers
seeded afresh for the same seed and anchor (issue 12, point 3)."""

from __future__ import annotations

from datetime import UTC, datetime

from paris_desk.sandbox import keep
from paris_desk.sandbox.serve import start_sandboxes

ANCHOR = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_likes_boosts_and_records_come_back_after_a_restart() -> None:
    boxes = start_sandboxes(seed=3, anchor=ANCHOR)
    try:
        keep.seeded(boxes)
        masto = boxes.mastodon
        me = masto.users[masto.account_id(masto.accounts[0]["acct"])]
        liked, boosted = [s for s in masto.statuses.values()
                          if s.account_id != me.id and not s.reblog_of][:2]
        with masto.lock:
            masto.favourite(me, liked)
            masto.create_reblog(me, boosted)
        did = boxes.bluesky.accounts[0]["did"]
        subject = next(r for r in boxes.bluesky.state.by_uri.values()
                       if r.collection == "app.bsky.feed.post" and r.did != did)
        like = {"subject": {"uri": subject.uri, "cid": subject.cid},
                "createdAt": "2026-12-01T12:00:00.000Z"}
        with boxes.bluesky.lock:
            boxes.bluesky.state.create(did, "app.bsky.feed.like", "3kkeepkeep222", like)
        kept = keep.changes(boxes)
    finally:
        boxes.stop()

    again = start_sandboxes(seed=3, anchor=ANCHOR)
    try:
        keep.seeded(again)
        assert me.id not in again.mastodon.statuses[liked.id].favourited_by  # a fresh seed
        keep.apply(again, kept)
        assert me.id in again.mastodon.statuses[liked.id].favourited_by
        assert me.id in again.mastodon.statuses[boosted.id].reblogged_by
        assert "3kkeepkeep222" in again.bluesky.state.collection(did, "app.bsky.feed.like")
        assert keep.changes(again)["mastodon"] == kept["mastodon"]
    finally:
        again.stop()
