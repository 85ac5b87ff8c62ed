"""A reply starts with real mentions and the cursor after them (issue 17), on both networks,
from the timeline (the composer in reply mode) and from the inbox's reply box; once sent, the
Bluesky mention is a facet and the parent's reply count follows at once."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from whole_app import WAIT_MS

from paris_desk.core.mentions import reply_text
from paris_desk.core.merge import item_key
from paris_desk.core.model import Account, Network, Post
from paris_desk.services.api import JobState
from paris_desk.ui.composer.widget import ComposerWidget
from paris_desk.ui.inbox.model import InboxRole
from paris_desk.ui.inbox.view import InboxView
from paris_desk.ui.shell.main_window import MainWindow
from paris_desk.ui.timeline.column import TimelineColumn
from paris_desk.ui.timeline.view import TimelineView

POST = "app.bsky.feed.post"


def column_of(qtbot: QtBot, window: MainWindow) -> TimelineColumn:
    timeline = window.findChild(TimelineView)
    assert timeline is not None
    qtbot.waitUntil(lambda: bool(timeline.columns())
                    and timeline.columns()[0].model.rowCount() > 10, timeout=WAIT_MS)
    return timeline.columns()[0]


def first_post(column: TimelineColumn, network: Network, accounts: list[Account]) -> Post:
    own = {a.handle.lstrip("@") for a in accounts}
    return next(p for p in column.model.posts()
                if p.network is network and p.repost_by is None
                and p.author.handle.lstrip("@") not in own)


@pytest.mark.parametrize("network", [Network.MASTODON, Network.BLUESKY])
def test_the_timelines_reply_opens_the_composer_after_real_mentions(
    qtbot: QtBot, window: MainWindow, accounts: list[Account], network: Network
) -> None:
    column = column_of(qtbot, window)
    composer = window.findChild(ComposerWidget, "composer")
    assert composer is not None
    post = first_post(column, network, accounts)
    own = next(a for a in accounts if a.network is network)
    column.view.setFocus()
    column.view.setCurrentIndex(column.model.index(column.model.row_of(item_key(post))))
    qtbot.keyClick(column.view, Qt.Key.Key_R)  # the timeline's reply key

    qtbot.waitUntil(composer.editor.common.hasFocus, timeout=2000)
    text = composer.editor.common.toPlainText()
    author = post.author.handle.lstrip("@")
    if network is Network.BLUESKY:
        assert text == f"@{author} "  # "@culture.test", not "culture.test"
    else:
        assert text.startswith("@" + author.split("@")[0])
        assert text == reply_text(post, own.handle)
    assert composer.editor.common.textCursor().position() == len(text)
    qtbot.keyClicks(composer.editor.common, "Merci pour l'info")
    assert composer.editor.common.toPlainText() == text + "Merci pour l'info"


def test_a_bluesky_reply_mentions_for_real_and_the_parent_counts_it_at_once(
    qtbot: QtBot, window: MainWindow, accounts: list[Account], bluesky_sandbox: Any
) -> None:
    column = column_of(qtbot, window)
    composer = window.findChild(ComposerWidget, "composer")
    assert composer is not None
    post = first_post(column, Network.BLUESKY, accounts)
    before = post.reply_count
    column.actions_.reply(post)
    qtbot.waitUntil(composer.editor.common.hasFocus, timeout=2000)
    qtbot.keyClicks(composer.editor.common, "Merci, nous relayons.")
    qtbot.waitUntil(composer.publish_button.isEnabled, timeout=WAIT_MS)
    with qtbot.waitSignal(composer.replied, timeout=WAIT_MS) as replied:
        qtbot.keyClick(composer.editor.common, Qt.Key.Key_Return,
                       Qt.KeyboardModifier.ControlModifier)
    assert replied.args == [post.uri]

    row = column.model.row_of(item_key(post))
    assert column.model.post_at(row).reply_count == before + 1  # before any refresh
    (job,) = [j for j in composer.outbox.jobs(composer.publisher.watched)
              if j.state is JobState.SENT]
    bluesky = next(a for a in accounts if a.network is Network.BLUESKY)
    record = bluesky_sandbox.records(bluesky.user_id, POST)[job.idempotency_key]
    assert record["text"].startswith(f"@{post.author.handle} Merci")
    mentioned = [feature["did"] for facet in record.get("facets", [])
                 for feature in facet["features"]
                 if feature["$type"] == "app.bsky.richtext.facet#mention"]
    assert mentioned == [post.author.user_id]
    assert record["reply"]["parent"]["uri"] == post.uri


@pytest.mark.parametrize("network", [Network.MASTODON, Network.BLUESKY])
def test_the_inbox_reply_box_starts_with_the_authors_mention_and_the_cursor_after_it(
    qtbot: QtBot, window: MainWindow, accounts: list[Account], network: Network
) -> None:
    inbox = window.findChild(InboxView)
    assert inbox is not None
    qtbot.waitUntil(lambda: inbox.proxy.rowCount() > 5, timeout=WAIT_MS)
    account = next(a for a in accounts if a.network is network)
    row = next(r for r in range(inbox.proxy.rowCount())
               if inbox.proxy.index(r, 0).data(InboxRole.KIND) in ("mention", "reply", "quote")
               and inbox.proxy.index(r, 0).data(InboxRole.ACCOUNT_ID) == account.id)
    window.show_view("inbox")
    inbox.list.setCurrentIndex(inbox.proxy.index(row, 0))
    item = inbox.current_item()
    assert item is not None and item.post is not None
    qtbot.keyClick(inbox.list, Qt.Key.Key_R)

    box = inbox.detail.reply_edit
    assert QApplication.focusWidget() is box
    text = box.toPlainText()
    assert text == reply_text(item.post, account.handle)
    user = item.post.author.handle.lstrip("@").split("@")[0]
    assert text.startswith("@" + user) and text.endswith(" ")
    assert box.textCursor().position() == len(text)
    qtbot.keyClicks(box, "Bien recu")
    assert box.toPlainText() == text + "Bien recu"
