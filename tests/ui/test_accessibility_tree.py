"""The window as a screen reader reads it (issue 17): the accessibility tree walked from the
main window with ``QAccessible.queryAccessibleInterface``, on both sandboxes, each view with
a current row in every list: every focusable object is named, one object says "focused",
every row exposes its actions (and they work), images' alt texts and link cards are in the
rows' descriptions, counters have values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from a11y_tree import count, own_actions, walk
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QApplication, QListView, QWidget
from pytestqt.qtbot import QtBot
from whole_app import WAIT_MS

from paris_desk.core.model import Network
from paris_desk.ui.composer.widget import ComposerWidget
from paris_desk.ui.inbox.model import InboxRole
from paris_desk.ui.inbox.view import InboxView
from paris_desk.ui.shell.main_window import MainWindow
from paris_desk.ui.timeline.column import TimelineColumn
from paris_desk.ui.timeline.view import TimelineView

TIMELINE_ACTIONS = {"reply", "repost", "like", "open"}


@pytest.fixture
def window(qtbot: QtBot, window: MainWindow) -> MainWindow:
    """The whole window (tests/ui/conftest.py), with the first timeline and inbox rows in."""
    timeline, inbox = parts(window)[:2]
    qtbot.waitUntil(lambda: bool(timeline.columns())
                    and timeline.columns()[0].model.rowCount() > 10, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: inbox.proxy.rowCount() > 5, timeout=WAIT_MS)
    return window


def parts(window: MainWindow) -> tuple[TimelineView, InboxView, ComposerWidget, TimelineColumn]:
    timeline = window.findChild(TimelineView)
    inbox = window.findChild(InboxView)
    composer = window.findChild(ComposerWidget, "composer")
    assert timeline is not None and inbox is not None and composer is not None
    return timeline, inbox, composer, timeline.columns()[0] if timeline.columns() else None


def tree(widget: QWidget) -> QAccessibleInterface:
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface


def settle(qtbot: QtBot) -> None:
    qtbot.wait(50)  # pending layout passes and focus events
    QApplication.processEvents()


def with_current_rows(window: MainWindow) -> dict[str, QWidget]:
    """A current row in every list (as after going through each view); the main control of
    each view."""
    _timeline, inbox, composer, column = parts(window)
    column.view.setCurrentIndex(column.model.index(0))
    inbox.list.setCurrentIndex(inbox.proxy.index(0, 0))
    accounts = window.accounts_panel.findChild(QListView)
    if accounts is not None and accounts.model() is not None and accounts.model().rowCount():
        accounts.setCurrentIndex(accounts.model().index(0, 0))
    targets = composer.targets_panel.list
    targets.setCurrentRow(0)
    return {"timeline": column.view, "composer": composer.editor.common, "inbox": inbox.list}


def test_each_view_names_every_focusable_object_and_has_one_focused(
    qtbot: QtBot, window: MainWindow
) -> None:
    main = with_current_rows(window)
    for view, control in main.items():
        window.show_view(view)
        control.setFocus(Qt.FocusReason.OtherFocusReason)
        qtbot.waitUntil(control.hasFocus, timeout=2000)
        settle(qtbot)
        counts = count(tree(window))
        assert counts.unnamed == [], view
        assert counts.named_focusable > 8, view
        assert counts.focused == 1, (view, counts.focused_objects)
        focused = next(n for n in walk(tree(window)) if n.state().focused)
        if control is main["composer"]:
            assert focused.object() is control
        else:  # a list with the focus: its current row says it, not the list
            assert focused.parent().object() is control
            assert focused.parent().focusChild() is not None


def test_the_focus_leaves_a_list_and_its_row_stops_saying_focused(
    qtbot: QtBot, window: MainWindow
) -> None:
    main = with_current_rows(window)
    window.show_view("timeline")
    post_list = main["timeline"]
    post_list.setFocus()
    qtbot.waitUntil(post_list.hasFocus, timeout=2000)
    row = tree(post_list).child(0)
    assert row.state().focused and not tree(post_list).state().focused
    window.show_view("composer")  # Ctrl+3: the text takes the focus
    qtbot.waitUntil(main["composer"].hasFocus, timeout=2000)
    assert not row.state().focused
    assert tree(main["composer"]).state().focused


def test_every_row_exposes_its_actions_and_they_act_on_that_row(
    qtbot: QtBot, window: MainWindow, mastodon_sandbox: Any
) -> None:
    _timeline, inbox, composer, column = parts(window)
    window.show_view("timeline")
    settle(qtbot)
    posts = tree(column.view)
    assert posts.role() == QAccessible.Role.List
    assert posts.childCount() == column.model.rowCount()
    shown = [n for n in walk(posts) if n.role() == QAccessible.Role.ListItem]
    assert len(shown) >= 3
    for row in shown:
        assert set(own_actions(row)) >= TIMELINE_ACTIONS, row.text(QAccessible.Text.Name)
        actions = row.actionInterface()
        assert actions.localizedActionName("reply")
        assert actions.keyBindingsForAction("like") == ["L"]

    # "like" on the third row likes that post (not the current one), on its server
    index = next(i for i in range(2, column.model.rowCount())
                 if column.model.post_at(i).network is Network.MASTODON
                 and not column.model.post_at(i).liked)
    post = column.model.post_at(index)
    posts.child(index).actionInterface().doAction("like")
    qtbot.waitUntil(lambda: column.model.post_at(column.model.row_of(
        (post.uri, post.repost_by.handle if post.repost_by else ""))).liked
        if column.model.row_of((post.uri, post.repost_by.handle if post.repost_by else ""))
        >= 0 else True, timeout=WAIT_MS)
    assert column.view.currentIndex().row() == index

    # "reply" opens the composer on that post, the text focused after the mention
    posts.child(index).actionInterface().doAction("reply")
    qtbot.waitUntil(composer.editor.common.hasFocus, timeout=2000)
    assert window.current_view() == "composer"
    assert composer.current_draft().reply_to is not None
    assert composer.current_draft().reply_to.uri == post.uri

    window.show_view("inbox")
    settle(qtbot)
    rows = [n for n in walk(tree(inbox.list)) if n.role() == QAccessible.Role.ListItem]
    assert len(rows) >= 3
    for row in rows:
        names = set(own_actions(row))
        assert {"thread", "unread"} <= names, row.text(QAccessible.Text.Name)
    mention = next(r for r in range(inbox.proxy.rowCount())
                   if inbox.proxy.index(r, 0).data(InboxRole.KIND) == "mention")
    row = tree(inbox.list).child(mention)
    assert {"reply", "thread", "handled"} <= set(own_actions(row))
    row.actionInterface().doAction("reply")
    assert inbox.list.currentIndex().row() == mention
    qtbot.waitUntil(inbox.detail.reply_edit.hasFocus, timeout=2000)
    assert inbox.detail.reply_edit.toPlainText().startswith("@")


def test_a_row_reads_its_images_alt_texts_and_its_link_card_after_its_text(
    qtbot: QtBot, window: MainWindow
) -> None:
    column = parts(window)[3]
    window.show_view("timeline")
    posts = tree(column.view)
    rows = range(column.model.rowCount())
    described = next(r for r in rows if any(m.alt for m in column.model.post_at(r).media))
    post = column.model.post_at(described)
    row = posts.child(described)
    name, description = row.text(QAccessible.Text.Name), row.text(QAccessible.Text.Description)
    assert post.text[:20] in name
    for media in post.media:
        if media.alt:
            assert " ".join(media.alt.split()) in description
    with_card = next(r for r in rows if column.model.post_at(r).card is not None)
    card = column.model.post_at(with_card).card
    assert card is not None
    description = posts.child(with_card).text(QAccessible.Text.Description)
    domain = card.url.split("://", 1)[1].split("/", 1)[0].removeprefix("www.")
    assert domain in description
    if card.title:
        assert " ".join(card.title.split()) in description


def test_counters_expose_their_values(
    qtbot: QtBot, window: MainWindow, type_keys: Callable[..., None]
) -> None:
    _timeline, inbox, composer, _column = parts(window)
    window.show_view("inbox")
    counts = tree(inbox.counts_label)
    value = counts.text(QAccessible.Text.Value)
    assert counts.text(QAccessible.Text.Name) == inbox.counts_label.accessibleName()
    numbers = inbox.counts()
    assert value == inbox.counts_label.text()
    assert str(numbers.unread) in value and str(numbers.to_handle) in value

    window.show_view("composer")
    composer.targets_panel.set_checked([a.id for a in window.accounts_panel.model.accounts()])
    type_keys(composer.editor.common, "Fermeture du parc Monceau")
    qtbot.waitUntil(lambda: len(composer.editor.counter_texts()) == 2, timeout=WAIT_MS)
    labels = composer.editor._counter_labels
    for label in labels:
        interface = tree(label)
        assert interface.text(QAccessible.Text.Name).startswith(label.accessibleName())
        assert interface.text(QAccessible.Text.Value) == label.text()
        assert "25" in interface.text(QAccessible.Text.Value)


def test_the_inbox_filter_boxes_are_labelled(window: MainWindow) -> None:
    inbox = parts(window)[1]
    for box in (inbox.account_filter, inbox.kind_filter):
        interface = tree(box)
        labels = [other for other, _relation in interface.relations(
            QAccessible.RelationFlag.Label)]  # "the other is the label of this one"
        names = [other.text(QAccessible.Text.Name) for other in labels]
        assert names and all(names), box.accessibleName()


@pytest.fixture
def type_keys(qtbot: QtBot) -> Callable[..., None]:
    def put(widget: QWidget, text: str) -> None:
        widget.setFocus()
        qtbot.keyClicks(widget, text)

    return put
