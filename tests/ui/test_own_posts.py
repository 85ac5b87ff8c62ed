"""Your own posts in the timeline (issue 12, point 7), through the whole window on both
sandboxes: a post published from the composer is in the unified column and in its account's
column at once, with no refresh and no click on the "new posts" bar; a cross-post to two
accounts is one row, "published on 2 accounts" with both chips, the toolbar's toggle shows the
two rows, and a refresh never doubles it; a user reading further down keeps reading the same
post. An answer to a mention from the inbox is in the timeline at once too, once even when the
outbox pump reports the job again, and a composer post whose retry came up, which the answer
sent too, is there at once with it."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot
from whole_app import WAIT_MS, open_whole_app, tear_down

from paris_desk.core.model import Account
from paris_desk.sandbox.http import Fault
from paris_desk.services.outbox import Job, JobState, RetryPolicy
from paris_desk.store.outbox import now_us
from paris_desk.ui.composer.widget import ComposerWidget
from paris_desk.ui.inbox.model import InboxRole
from paris_desk.ui.inbox.view import InboxView
from paris_desk.ui.shell.main_window import MainWindow
from paris_desk.ui.timeline.column import TimelineColumn
from paris_desk.ui.timeline.model import PostRole
from paris_desk.ui.timeline.view import TimelineView, read_settings


@pytest.fixture
def window(qtbot: QtBot, make_window: Callable[..., MainWindow], accounts: list[Account]
           ) -> Iterator[MainWindow]:
    """tests/ui/conftest.py's window, sized 1600 x 1000 before it is shown."""
    made = open_whole_app(qtbot, make_window, size=(1600, 1000))
    yield made
    tear_down(made)


def timeline_of(qtbot: QtBot, window: MainWindow) -> TimelineView:
    timeline = window.findChild(TimelineView)
    assert timeline is not None
    qtbot.waitUntil(lambda: bool(timeline.columns()), timeout=WAIT_MS)
    return timeline


def loaded(qtbot: QtBot, column: TimelineColumn) -> None:
    """The column's first refresh is done."""
    qtbot.waitUntil(lambda: column.model.rowCount() > 0 and not column.feed.refreshing
                    and bool(column.feed._pages), timeout=WAIT_MS)


def rows_with(column: TimelineColumn, text: str) -> list[int]:
    return [row for row, post in enumerate(column.model.posts()) if text in post.text]


def publish(qtbot: QtBot, window: MainWindow, targets: list[Account], text: str) -> None:
    """Type ``text`` in the composer, check ``targets``, Ctrl+Enter: as a person would."""
    composer = window.findChild(ComposerWidget, "composer")
    assert composer is not None
    window.show_view("composer")
    composer.targets_panel.set_checked([a.id for a in targets])
    qtbot.keyClicks(composer.editor.common, text)
    qtbot.waitUntil(composer.publish_button.isEnabled, timeout=WAIT_MS)
    qtbot.keyClick(composer.editor.common, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    window.show_view("timeline")


def refresh(qtbot: QtBot, timeline: TimelineView) -> None:
    """F5 in the timeline, and wait for every column's refresh."""
    columns = timeline.columns()
    with qtbot.waitSignals([c.feed.refreshed for c in columns], timeout=WAIT_MS):
        qtbot.keyClick(columns[0].view, Qt.Key.Key_F5)


def brought_back(timeline: TimelineView, accounts: list[Account], text: str) -> bool:
    """Each account's refresh gave the post back (what a refresh reads is cached; a post
    shown at once after publishing is not)."""
    service = timeline._service
    return all(any(text in post.text for post in service.load_cached([account.id], 40))
               for account in accounts)


def group_button(timeline: TimelineView) -> QToolButton:
    return next(b for b in timeline.findChildren(QToolButton)
                if b.defaultAction() is timeline.group_action)


def test_an_own_post_is_in_its_columns_at_once_and_a_refresh_keeps_one_row(
    qtbot: QtBot, window: MainWindow, accounts: list[Account]
) -> None:
    timeline = timeline_of(qtbot, window)
    unified = timeline.columns()[0]
    mastodon = accounts[0]
    own = timeline.add_column(mastodon.id)
    loaded(qtbot, unified)
    loaded(qtbot, own)
    text = f"Fermeture du square Saint-Jacques {uuid.uuid4().hex[:6]}"

    publish(qtbot, window, [mastodon], text)

    # No refresh, no click: the post is the first row of both columns.
    qtbot.waitUntil(lambda: rows_with(unified, text) == [0] and rows_with(own, text) == [0],
                    timeout=WAIT_MS)
    assert unified.model.pending_count == 0 and not unified.new_posts.isVisibleTo(unified)
    assert unified.model.post_at(0).seen_by == (mastodon.id,)

    refresh(qtbot, timeline)  # the server gives it back: the same row, updated

    assert brought_back(timeline, [mastodon], text)
    assert rows_with(unified, text) == [0] and rows_with(own, text) == [0]
    assert unified.model.pending_count == 0 and own.model.pending_count == 0


def test_a_cross_post_is_one_row_with_both_chips_and_the_toggle_shows_two(
    qtbot: QtBot, window: MainWindow, accounts: list[Account]
) -> None:
    timeline = timeline_of(qtbot, window)
    unified = timeline.columns()[0]
    loaded(qtbot, unified)
    text = f"Nuit Blanche : programme en ligne {uuid.uuid4().hex[:6]}"

    publish(qtbot, window, accounts, text)

    def one_grouped_row() -> bool:
        rows = rows_with(unified, text)
        return len(rows) == 1 and len(unified.model.index(rows[0]).data(PostRole.GROUP)) == 2

    qtbot.waitUntil(one_grouped_row, timeout=WAIT_MS)
    (row,) = rows_with(unified, text)
    index = unified.model.index(row)
    assert sorted(index.data(PostRole.GROUP)) == sorted(a.id for a in accounts)
    description = index.data(Qt.ItemDataRole.AccessibleDescriptionRole)
    assert description.startswith("Published on 2 accounts: ")
    assert "Mairie (Mastodon)" in description and "Mairie (Bluesky)" in description
    assert unified.model.pending_count == 0
    assert not unified.view.viewport().grab().isNull()  # the row paints its label and chips

    qtbot.mouseClick(group_button(timeline), Qt.MouseButton.LeftButton)  # one row per account
    assert not timeline.group_action.isChecked()
    assert len(rows_with(unified, text)) == 2
    assert all(unified.model.index(r).data(PostRole.GROUP) == []
               for r in rows_with(unified, text))
    settings = timeline._settings_path
    qtbot.waitUntil(lambda: read_settings(settings)[2] is False, timeout=WAIT_MS)  # kept

    qtbot.mouseClick(group_button(timeline), Qt.MouseButton.LeftButton)  # grouped again
    assert len(rows_with(unified, text)) == 1

    refresh(qtbot, timeline)  # both servers give their post back: still one row
    assert brought_back(timeline, accounts, text)
    assert len(rows_with(unified, text)) == 1 and one_grouped_row()
    assert unified.model.pending_count == 0
    timeline.group_action.trigger()
    assert len(rows_with(unified, text)) == 2  # not four
    timeline.group_action.trigger()

    # A new column reads the cache and the servers: the outbox says the two posts are one.
    second = timeline.add_column(accounts[1].id)
    unified_again = timeline.add_column("unified")
    loaded(qtbot, second)
    loaded(qtbot, unified_again)
    assert len(rows_with(second, text)) == 1
    qtbot.waitUntil(lambda: len(rows_with(unified_again, text)) == 1, timeout=WAIT_MS)
    (row,) = rows_with(unified_again, text)
    assert len(unified_again.model.index(row).data(PostRole.GROUP)) == 2


def test_an_own_post_does_not_move_what_the_user_is_reading(
    qtbot: QtBot, window: MainWindow, accounts: list[Account]
) -> None:
    timeline = timeline_of(qtbot, window)
    unified = timeline.columns()[0]
    loaded(qtbot, unified)
    qtbot.waitUntil(lambda: unified.model.rowCount() > 15, timeout=WAIT_MS)
    unified.view.setFocus()
    for _ in range(8):
        qtbot.keyClick(unified.view, Qt.Key.Key_J)  # read down the list
    # the list scrolls as the keys move down (once it has laid the rows out)
    qtbot.waitUntil(lambda: unified.reading_row() > 3, timeout=WAIT_MS)
    reading = unified.model.key_at(unified.reading_row())
    text = f"Collecte des sapins {uuid.uuid4().hex[:6]}"

    publish(qtbot, window, [accounts[1]], text)

    qtbot.waitUntil(lambda: rows_with(unified, text) == [0], timeout=WAIT_MS)
    # The row being read is still the first one on screen (once the list laid the new row out).
    qtbot.waitUntil(lambda: unified.model.key_at(unified.reading_row()) == reading,
                    timeout=WAIT_MS)


def answer_first_mention(qtbot: QtBot, window: MainWindow, account: Account, text: str
                         ) -> list[Any]:
    """In the inbox, click the first mention of ``account``, r, type ``text``, Ctrl+Enter: as a
    person would. Returns the jobs the answer sent."""
    inbox = window.findChild(InboxView)
    assert inbox is not None
    window.show_view("inbox")

    def mention() -> int:
        return next((r for r in range(inbox.proxy.rowCount())
                     if inbox.proxy.index(r, 0).data(InboxRole.ACCOUNT_ID) == account.id
                     and inbox.proxy.index(r, 0).data(InboxRole.KIND) == "mention"), -1)

    qtbot.waitUntil(lambda: mention() >= 0, timeout=WAIT_MS)
    index = inbox.proxy.index(mention(), 0)
    inbox.list.scrollTo(index)
    with qtbot.waitSignal(inbox.thread_loaded, timeout=WAIT_MS):
        qtbot.mouseClick(inbox.list.viewport(), Qt.MouseButton.LeftButton,
                         pos=inbox.list.visualRect(index).center())
    qtbot.keyClick(inbox.list, Qt.Key.Key_R)
    qtbot.keyClicks(inbox.detail.reply_edit, text)
    with qtbot.waitSignal(inbox.jobs_sent, timeout=WAIT_MS) as sent:
        qtbot.keyClick(inbox.detail.reply_edit, Qt.Key.Key_Return,
                       Qt.KeyboardModifier.ControlModifier)
    window.show_view("timeline")
    return list(sent.args[0])


def test_an_answer_from_the_inbox_is_in_its_columns_at_once(
    qtbot: QtBot, window: MainWindow, accounts: list[Account]
) -> None:
    timeline = timeline_of(qtbot, window)
    unified = timeline.columns()[0]
    mastodon = accounts[0]
    own = timeline.add_column(mastodon.id)
    loaded(qtbot, unified)
    loaded(qtbot, own)
    text = f"Merci, nous transmettons au service voirie {uuid.uuid4().hex[:6]}"

    jobs = answer_first_mention(qtbot, window, mastodon, text)

    # No refresh, no click: the reply is the first row of both columns.
    qtbot.waitUntil(lambda: rows_with(unified, text) == [0] and rows_with(own, text) == [0],
                    timeout=WAIT_MS)
    assert unified.model.pending_count == 0 and not unified.new_posts.isVisibleTo(unified)
    reply = unified.model.post_at(0)
    assert reply.seen_by == (mastodon.id,) and reply.uri == jobs[0].result.uri

    # Liked from the timeline (l), then the same job reported again (a later run that found
    # it sent): the row is not put back as the server first returned it.
    unified.view.setFocus()
    qtbot.mouseClick(unified.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=unified.view.visualRect(unified.model.index(0)).center())
    qtbot.keyClick(unified.view, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: unified.model.post_at(0).liked, timeout=WAIT_MS)
    timeline.show_sent(jobs)
    with qtbot.waitCallback(timeout=WAIT_MS) as read:  # after the reads the report started
        timeline.own.reload(read)
    assert rows_with(unified, text) == [0] and unified.model.post_at(0).liked

    refresh(qtbot, timeline)

    assert len(rows_with(unified, text)) == 1 and len(rows_with(own, text)) == 1
    assert unified.model.pending_count == 0 and own.model.pending_count == 0


def test_a_post_whose_retry_the_answer_sent_is_in_the_timeline_with_it(
    qtbot: QtBot, window: MainWindow, accounts: list[Account], mastodon_sandbox: Any
) -> None:
    timeline = timeline_of(qtbot, window)
    unified = timeline.columns()[0]
    mastodon = accounts[0]
    loaded(qtbot, unified)
    composer = window.findChild(ComposerWidget, "composer")
    assert composer is not None
    composer.pump.stop()  # no timed run of the pump: the retry comes up between two runs
    outbox = window.session.desk.outbox
    outbox.policy = RetryPolicy(base_delay=0.2, max_delay=0.2)  # due again within 0.2 s
    mastodon_sandbox.add_fault(Fault("503", "POST", r"/api/v1/statuses$", count=1))
    post = f"Travaux rue de Rivoli : circulation alternee {uuid.uuid4().hex[:6]}"
    publish(qtbot, window, [mastodon], post)

    def waiting() -> Job | None:
        return next((job for job in outbox.jobs() if post in job.request.text
                     and job.state is JobState.PENDING and job.attempts == 1), None)

    qtbot.waitUntil(lambda: waiting() is not None, timeout=WAIT_MS)  # the first attempt failed
    retry = waiting()
    assert retry is not None
    qtbot.waitUntil(lambda: now_us() >= retry.not_before_us, timeout=WAIT_MS)  # due now
    assert rows_with(unified, post) == []
    answer = f"Merci, la deviation est indiquee sur place {uuid.uuid4().hex[:6]}"

    jobs = answer_first_mention(qtbot, window, mastodon, answer)

    # The answer reports its own job; the post it sent along is in the timeline at once too.
    assert [post in job.request.text for job in jobs] == [False]
    assert outbox.get(retry.id).state is JobState.SENT
    qtbot.waitUntil(lambda: len(rows_with(unified, answer)) == 1
                    and len(rows_with(unified, post)) == 1, timeout=WAIT_MS)
    assert sorted(rows_with(unified, answer) + rows_with(unified, post)) == [0, 1]
    assert unified.model.pending_count == 0 and not unified.new_posts.isVisibleTo(unified)
    texts = [s["content"] for s in mastodon_sandbox.statuses_by("ville")]
    assert sum(post in t for t in texts) == 1
