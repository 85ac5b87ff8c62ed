"""Covered media and collapsed posts in the timeline (issue 15), painted by the real delegate
in a real list: a sensitive or labelled image is blurred with its reason until "Voir", a post a
filter warns about shrinks to "Filtré : mot", one it hides leaves the list and is counted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QListView, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from paris_desk.core.filters import Filter, FilterAction, Matcher
from paris_desk.core.model import Author, Media, Network, Post
from paris_desk.services.workers import TaskManager
from paris_desk.ui.avatars import ImageLoader
from paris_desk.ui.timeline import covers as cover
from paris_desk.ui.timeline.column import TimelineColumn
from paris_desk.ui.timeline.covers import HiddenRows
from paris_desk.ui.timeline.model import TimelineModel
from paris_desk.ui.timeline.post_delegate import PostDelegate
from paris_desk.ui.timeline.post_layout import PostLayout
from paris_desk.ui.timeline.post_text import prepare_all

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
ACCOUNT = "mastodon:@ville@paris.example"


def post(n: int, text: str, **changes: Any) -> Post:
    values: dict[str, Any] = {
        "uri": f"https://paris.example/statuses/{n}", "native_id": str(n),
        "network": Network.MASTODON, "author": Author("@marie@paris.example", "Marie"),
        "created_at": T0 - timedelta(minutes=n), "text": text, "seen_by": (ACCOUNT,),
    }
    values.update(changes)
    return Post(**values)


PHOTO = (Media("", "Le bassin"),)  # no URL: drawn as a tile, no network


@pytest.fixture
def listing(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[QListView, TimelineModel,
                                                             PostDelegate]]:
    tasks = TaskManager()
    model = TimelineModel()
    delegate = PostDelegate(ImageLoader(tasks, tmp_path))
    view = TimelineColumn.make_list_view(model, delegate)
    qtbot.addWidget(view)
    view.resize(600, 900)
    view.show()
    qtbot.waitExposed(view)
    yield view, model, delegate
    tasks.shutdown()


def fill(model: TimelineModel, posts: list[Post]) -> None:
    model.add(posts, prepare_all(posts))


def layout_of(view: QListView, delegate: PostDelegate, row: int) -> tuple[PostLayout, QPoint]:
    index = view.model().index(row, 0)
    option = QStyleOptionViewItem()
    option.rect = view.visualRect(index)
    option.widget = view
    option.font = view.font()
    lay = delegate.layout_for(index, delegate._width(option), option)
    return lay, view.visualRect(index).topLeft()


def pixel(view: QListView, at: QPoint) -> QColor:
    return view.viewport().grab().toImage().pixelColor(at)


def click(qtbot: QtBot, view: QListView, at: QPoint) -> None:
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)


@pytest.mark.parametrize("changes", [
    {"sensitive": True},  # Mastodon
    {"labels": ("graphic-media",), "network": Network.BLUESKY},  # Bluesky, a label
])
def test_covered_media_are_blurred_until_voir(
    qtbot: QtBot, listing: Any, changes: dict[str, Any]
) -> None:
    view, model, delegate = listing
    fill(model, [post(1, "Photo de l'accident", media=PHOTO, **changes)])
    qtbot.waitUntil(lambda: view.visualRect(model.index(0)).height() > 100)
    lay, top = layout_of(view, delegate, 0)
    media = lay.media[0].translated(top)
    opened: list[Any] = []
    delegate.image_activated.connect(lambda p, n: opened.append(n))

    covered = pixel(view, media.topLeft() + QPoint(20, 20))
    assert covered.lightness() < 80  # dark: blurred and covered, never the picture
    click(qtbot, view, media.topLeft() + QPoint(20, 20))
    assert opened == []  # a click on covered media does not open them

    button = cover.show_button(lay.media[0], delegate._fonts).translated(top)
    click(qtbot, view, button.center())
    qtbot.waitUntil(lambda: pixel(view, media.topLeft() + QPoint(20, 20)).lightness() > 200)
    click(qtbot, view, media.topLeft() + QPoint(20, 20))
    assert opened == [0]


def test_reasons_are_translated() -> None:
    assert cover.reason_text("graphic-media") == "Graphic media"  # the English source
    assert cover.reason_text("sensitive") == "Sensitive media"
    assert cover.reason_text("unknown-label") == "unknown-label"


def test_a_warned_post_collapses_and_a_hidden_one_is_counted(
    qtbot: QtBot, listing: Any
) -> None:
    view, model, delegate = listing
    hidden_rows = HiddenRows(view, model, delegate.covers)
    posts = [post(1, "Bande d'incapables !"), post(2, "La piscine rouvre lundi ?"),
             post(3, "Encore des travaux, quel bazar"), post(4, "Merci pour l'info")]
    fill(model, posts)
    qtbot.waitUntil(lambda: view.visualRect(model.index(3)).height() > 0)
    tall = view.visualRect(model.index(2)).height()

    delegate.covers.set_matcher(Matcher([
        Filter("h", "incapables", action=FilterAction.HIDE),
        Filter("w", "bazar", action=FilterAction.WARN),
    ]))

    qtbot.waitUntil(lambda: view.isRowHidden(0))
    assert not view.isRowHidden(1) and not view.isRowHidden(3)
    assert hidden_rows.count == 1 and hidden_rows.button.text() == "1 hidden"
    assert not hidden_rows.button.isHidden()
    qtbot.waitUntil(lambda: view.visualRect(model.index(2)).height() < tall)
    assert delegate.covers.collapsed(posts[2]) == "Filtered: bazar"

    row = view.visualRect(model.index(2))
    button = cover.collapsed_button(row, delegate._fonts)
    click(qtbot, view, button.center())
    qtbot.waitUntil(lambda: view.visualRect(model.index(2)).height() == tall)

    hidden_rows.button.click()  # "1 masqué": show it
    assert not view.isRowHidden(0)
    hidden_rows.button.click()
    assert view.isRowHidden(0)

    fill(model, [post(0, "Encore un INCAPABLE ? Non : des incapables")])  # arrives later
    qtbot.waitUntil(lambda: hidden_rows.count == 2)
    assert view.isRowHidden(0)


def test_moderators_labels_collapse_or_hide(qtbot: QtBot, listing: Any) -> None:
    view, model, delegate = listing
    hidden_rows = HiddenRows(view, model, delegate.covers)
    posts = [post(1, "Rien à voir", labels=("!hide",), network=Network.BLUESKY),
             post(2, "Attention", labels=("!warn",), network=Network.BLUESKY),
             post(3, "Un message ordinaire")]
    fill(model, posts)
    qtbot.waitUntil(lambda: view.isRowHidden(0), timeout=5000)
    assert hidden_rows.count == 1
    assert delegate.covers.collapsed(posts[1]) == "Warning from the moderators"
    assert delegate.covers.collapsed(posts[2]) == ""
    assert view.visualRect(model.index(1)).height() < view.visualRect(model.index(2)).height()
