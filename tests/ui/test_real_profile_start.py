"""Issue 12, point 1: on a real profile (servers in another process, accounts added with the
CLI), starting ``paris-desk`` fetches every account's home timeline and notifications with no
click, and the counts appear in the inbox, the accounts panel and the window title."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from real_profile import requests_seen, run_probe, sandbox_serve

LOOK = """
from paris_desk.ui.accounts.model import AccountRole
from paris_desk.ui.inbox.view import InboxView
from paris_desk.ui.timeline.view import TimelineView

def look():
    w = window()
    inbox = w.findChild(InboxView) if w is not None else None
    timeline = w.findChild(TimelineView) if w is not None else None
    if inbox is None or timeline is None or not timeline.columns():
        return
    items = inbox.model.items()
    posts = timeline.columns()[0].model.posts()
    panel = w.accounts_panel.model
    counts = [panel.index(r).data(AccountRole.COUNTS) for r in range(panel.rowCount())]
    seen.update({
        "inbox_rows": inbox.proxy.rowCount(),
        "inbox_networks": sorted({i.latest.network.value for i in items}),
        "inbox_unread": sum(i.unread for i in items),
        "timeline_rows": timeline.columns()[0].model.rowCount(),
        "timeline_networks": sorted({p.network.value for p in posts}),
        "title": w.windowTitle(),
        "panel_counts": counts,
        "counts_label": inbox.counts_label.text(),
        "view": w.current_view(),
    })
    if (len(seen["inbox_networks"]) == 2 and len(seen["timeline_networks"]) == 2
            and all(c is not None for c in counts) and counts):
        finish()
    else:
        QTimer.singleShot(200, look)

QTimer.singleShot(200, look)
"""


@pytest.fixture(scope="module")
def served() -> Iterator[dict[str, Any]]:
    yield from sandbox_serve()


def test_a_real_profile_loads_timelines_and_notifications_with_no_click(
    tmp_path: Path, served: dict[str, Any]
) -> None:
    seen = run_probe(tmp_path / "home", served, LOOK, "--lang", "fr")

    assert seen["view"] == "timeline"  # nobody clicked anything
    assert seen["timeline_networks"] == ["bluesky", "mastodon"]
    assert seen["timeline_rows"] > 0
    assert seen["inbox_networks"] == ["bluesky", "mastodon"]
    assert seen["inbox_rows"] > 0
    assert seen["inbox_unread"] > 0
    assert f"{seen['inbox_unread']} non lus" in seen["title"]
    assert f"{seen['inbox_unread']} non lus" in seen["counts_label"]
    assert sum(unread for unread, _todo in seen["panel_counts"]) == seen["inbox_unread"]
    mastodon = [r["path"] for r in requests_seen(served["mastodon"]["base_url"])]
    bluesky = [r["path"] for r in requests_seen(served["bluesky"]["base_url"])]
    assert any(p.startswith("/api/v1/notifications") for p in mastodon)
    assert any(p.startswith("/api/v1/timelines/home") for p in mastodon)
    assert any("app.bsky.notification.listNotifications" in p for p in bluesky)
    assert any("app.bsky.feed.getTimeline" in p for p in bluesky)
