"""A reader far down a long column keeps their place when rows come in below (a page of older
posts, the cache read further back): QListView lays every row out again after an insertion,
in batches, and used to set its scroll range from the first batch — the reader was moved up
thousands of rows, and one at the bottom asked for page after page of older posts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QListView
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Author, Network, Post
from paris_desk.services.workers import TaskManager
from paris_desk.ui.avatars import ImageLoader
from paris_desk.ui.timeline.column import PostList, TimelineColumn
from paris_desk.ui.timeline.feed import prepared
from paris_desk.ui.timeline.model import TimelineModel
from paris_desk.ui.timeline.post_delegate import PostDelegate

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
ROWS = 5000  # more than a layout batch can ever hold (its ceiling is 4,000 rows)


def post(n: int) -> Post:
    words = " ".join(["travaux", "quartier", "mairie", "conseil", "jardin"] * (1 + n % 6))
    return Post(uri=f"https://paris.example/statuses/{n}", native_id=str(n),
                network=Network.MASTODON, author=Author("@ville@paris.example", "Ville"),
                created_at=T0 - timedelta(minutes=n), text=f"{n} {words}",
                seen_by=("mastodon:@ville@paris.example",))


@pytest.fixture
def column(qtbot: QtBot, tasks: TaskManager, tmp_path: Path) -> Iterator[PostList]:
    model = TimelineModel()
    delegate = PostDelegate(ImageLoader(tasks, tmp_path))
    view = TimelineColumn.make_list_view(model, delegate)
    qtbot.addWidget(view)
    view.resize(600, 800)
    view.show()
    qtbot.waitExposed(view)
    add(view, range(ROWS))
    yield view


def add(view: PostList, numbers: range) -> None:
    posts = [post(n) for n in numbers]
    model: TimelineModel = view.model()  # type: ignore[assignment]
    delegate: PostDelegate = view.itemDelegate()  # type: ignore[assignment]
    model.add(posts, prepared(posts, delegate.geometry(view)))


def settle(qtbot: QtBot, view: PostList) -> None:
    """Until the layout is done: the range covers every row, the last one included."""
    model = view.model()
    qtbot.waitUntil(lambda: view.visualRect(model.index(model.rowCount() - 1, 0)).isValid(),
                    timeout=20000)
    qtbot.wait(300)  # the range follows the end of the layout


def top_row(view: PostList) -> int:
    return view.indexAt(QPoint(4, 1)).row()


def test_a_reader_far_down_keeps_their_place_when_older_posts_come_in(
        qtbot: QtBot, column: PostList) -> None:
    settle(qtbot, column)
    column.scrollTo(column.model().index(4500, 0), QListView.ScrollHint.PositionAtTop)
    reading = top_row(column)
    assert reading > 4000

    add(column, range(ROWS, ROWS + 40))
    settle(qtbot, column)

    # A row or two of difference: rows above measured again a few pixels apart. Before, the
    # reader was moved up to the end of the first batch (row ~1,000).
    assert abs(top_row(column) - reading) <= 3
    assert column.model().rowCount() == ROWS + 40


def test_a_reader_at_the_bottom_asks_for_one_page_of_older_posts(
        qtbot: QtBot, column: PostList) -> None:
    model: TimelineModel = column.model()  # type: ignore[assignment]
    asked: list[int] = []
    model.older_requested.connect(lambda: asked.append(model.rowCount()))
    settle(qtbot, column)
    model.set_can_fetch(True)

    column.scrollToBottom()
    qtbot.waitUntil(lambda: asked == [ROWS], timeout=5000)
    add(column, range(ROWS, ROWS + 40))  # the page arrives
    model.finish_fetch(has_more=True)
    settle(qtbot, column)

    assert asked == [ROWS]  # the new rows are below the reader: no other page asked for
    assert top_row(column) > ROWS - 20


def test_rows_come_within_reach_with_rows_hidden_above(qtbot: QtBot, column: PostList) -> None:
    # Hidden rows are laid out without being measured: the range still follows the layout's
    # end, and the last row can be scrolled to.
    settle(qtbot, column)
    for row in range(0, 200, 10):
        column.setRowHidden(row, True)
    add(column, range(ROWS, ROWS + 40))
    settle(qtbot, column)

    last = column.model().index(ROWS + 39, 0)
    column.scrollTo(last, QListView.ScrollHint.PositionAtBottom)

    assert column.viewport().rect().contains(column.visualRect(last).center())
