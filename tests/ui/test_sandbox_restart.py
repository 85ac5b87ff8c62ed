"""Issue 12, point 3: restarting in sandbox mode serves the same sample data with the same ids,
and the sandbox profile keeps its state like any other (no duplicate posts, the handled item
and the added column are still there)."""

from __future__ import annotations

import json
from pathlib import Path

from real_profile import run_probe

READY = """
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from paris_desk.ui.inbox.view import InboxView
from paris_desk.ui.timeline.view import TimelineView
from paris_desk.core.merge import item_key

def parts():
    w = window()
    if w is None:
        return None
    inbox, timeline = w.findChild(InboxView), w.findChild(TimelineView)
    if inbox is None or timeline is None or not timeline.columns():
        return None
    if w.accounts_panel.model.rowCount() < 2 or not inbox.model.rowCount():
        return None
    if not all(c.model.rowCount() for c in timeline.columns()):
        return None
    return w, inbox, timeline

def state(w, inbox, timeline):
    posts = [str(item_key(p)) for c in timeline.columns()[:1] for p in c.model.posts()]
    return {
        "accounts": [a.id for a in w.accounts_panel.model.accounts()],
        "columns": timeline.area.specs(),
        "posts": posts,
        "items": {"|".join(i.key): [i.unread, i.to_handle] for i in inbox.model.items()},
        "to_handle": inbox.counts().to_handle,
        "message": w.message_bar.label.text() if w.message_bar.isVisible() else "",
        "banners": [c.banners.isVisible() for c in timeline.columns()],
    }
"""

FIRST = READY + """
def look():
    found = parts()
    if found is None:
        return QTimer.singleShot(200, look)
    w, inbox, timeline = found
    seen["before"] = state(w, inbox, timeline)
    # Add a column for the Mastodon account, from the toolbar's menu.
    timeline.add_menu.aboutToShow.emit()
    timeline.add_menu.actions()[1].trigger()  # the first account's home
    # Dismiss the first "à traiter" item with the key e.
    w.show_view("inbox")
    inbox.todo_check.setChecked(True)
    inbox.list.setFocus()
    inbox.list.setCurrentIndex(inbox.proxy.index(0, 0))
    key = inbox.current_item().key
    QTest.keyClick(inbox.list, Qt.Key.Key_E)
    seen["dismissed"] = "|".join(key)
    # Like a Mastodon post as the account that saw it.
    w.show_view("timeline")
    col = timeline.columns()[0]
    post = next(p for p in col.model.posts() if p.network.value == "mastodon"
                and not p.liked and p.repost_by is None and p.seen_by)
    col.actions_.toggle_like(post, post.seen_by[0])
    seen["liked"] = str(item_key(post))
    QTimer.singleShot(1500, lambda: (seen.update(after=state(w, inbox, timeline)), finish()))

QTimer.singleShot(200, look)
"""

SECOND = READY + """
tries = {"n": 0}

def look():
    found = parts()
    tries["n"] += 1
    if found is None or (any(c.banners.isVisible() for c in found[2].columns())
                         and tries["n"] < 100):  # the refresh after the servers came up
        return QTimer.singleShot(200, look)
    column = found[2].columns()[0]
    def refreshed(*_args):
        seen["again"] = state(*found)
        seen["liked_now"] = [str(item_key(p)) for p in column.model.posts() if p.liked]
        finish()
    column.feed.refreshed.connect(refreshed)
    column.refresh()  # what the servers say now, not the cache

QTimer.singleShot(200, look)
"""


def test_a_sandbox_restart_keeps_the_data_ids_and_the_state(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = run_probe(home, {}, FIRST, "--sandbox", "--lang", "fr", adds=[])
    saved = json.loads((home / "sandbox" / "sandbox.json").read_text(encoding="utf-8"))
    second = run_probe(home, {}, SECOND, "--sandbox", "--lang", "fr", adds=[])

    before, after, again = first["before"], first["after"], second["again"]
    assert len(after["columns"]) == 2
    assert again["accounts"] == before["accounts"]  # the same accounts (same ports)
    assert again["columns"] == after["columns"]  # the added column is still there
    posts = again["posts"]
    assert len(posts) == len(set(posts))  # no post twice (a share is a row of its own)
    same = set(before["posts"]) & set(posts)  # the same posts, the same ids (a row or two
    assert len(same) >= 0.9 * len(before["posts"])  # may leave the window the cache shows)
    assert set(again["items"]) == set(before["items"])  # the same notifications
    assert again["items"][first["dismissed"]][1] is False  # still handled
    assert again["to_handle"] == before["to_handle"] - 1
    assert saved["mastodon_port"] > 0 and saved["anchor"]
    assert first["liked"] in second["liked_now"]  # the servers kept the like
    assert again["message"] == ""  # no "session expired" from the last run's tokens
    assert not any(again["banners"])
