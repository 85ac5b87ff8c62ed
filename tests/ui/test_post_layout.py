"""Row heights: measured ahead by a worker thread (``measure_texts``) exactly as the list would
measure them, and rows that follow the width of their view."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtGui import QFont
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Author, LinkCard, Media, Network, Post
from paris_desk.services.workers import TaskManager
from paris_desk.ui.avatars import ImageLoader
from paris_desk.ui.timeline.column import TimelineColumn
from paris_desk.ui.timeline.model import TimelineModel
from paris_desk.ui.timeline.post_delegate import PostDelegate
from paris_desk.ui.timeline.post_layout import (
    Fonts,
    Geometry,
    layout_post,
    measure_texts,
    row_height,
)
from paris_desk.ui.timeline.post_text import prepare_all

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
WORDS = "La piscine du quartier rouvre samedi après trois semaines de travaux. " * 4


def post(n: int, **changes: Any) -> Post:
    values: dict[str, Any] = {
        "uri": f"https://paris.example/statuses/{n}", "native_id": str(n),
        "network": Network.MASTODON, "author": Author("@marie@paris.example", "Marie"),
        "created_at": T0 + timedelta(minutes=n), "text": WORDS[: 40 + 30 * n],
        "seen_by": ("mastodon:@ville@paris.example",),
    }
    values.update(changes)
    return Post(**values)


def every_kind() -> list[Post]:
    plain = post(1)
    return [
        plain,
        replace(plain, repost_by=Author("@karim@paris.example", "Karim")),  # same uri, shared
        post(2, reply_to_handle="@ville@paris.example"),
        post(3, content_warning="Travaux et bruit"),
        post(4, media=(Media("", "Le bassin"), Media("", "Les vestiaires"))),
        post(5, card=LinkCard("https://www.paris.fr/piscines", "Piscines", "Horaires")),
        post(6, quote=post(7)),
    ]


def test_heights_measured_on_a_worker_are_the_ones_the_list_would_measure(
    qapp: Any,
) -> None:
    posts = every_kind()
    font = QFont(qapp.font())
    measured: dict[str, Any] = {}
    worker = threading.Thread(target=lambda: measured.update(
        measure_texts(posts, prepare_all(posts), Geometry(480, font))))
    worker.start()
    worker.join(10)
    fonts = Fonts.from_font(font)

    for item in posts:
        text = measured[item.uri]
        assert text.measured_width == 480
        expected = layout_post(item, text, 480, fonts, expanded=False, measure=True).height
        assert row_height(item, text, 480, fonts, expanded=False) == expected
        wider = layout_post(item, text, 700, fonts, expanded=False, measure=True).height
        assert row_height(item, text, 700, fonts, expanded=False) == wider
    warned = posts[3]
    opened = layout_post(warned, measured[warned.uri], 480, fonts, expanded=True, measure=True)
    assert row_height(warned, measured[warned.uri], 480, fonts, expanded=True) == opened.height
    assert opened.height > measured[warned.uri].measured_height


def test_rows_take_the_width_of_their_view_and_follow_it(qtbot: QtBot, tmp_path: Path) -> None:
    tasks = TaskManager()
    model = TimelineModel()
    delegate = PostDelegate(ImageLoader(tasks, tmp_path))
    view = TimelineColumn.make_list_view(model, delegate)
    qtbot.addWidget(view)
    view.resize(640, 500)
    view.show()
    qtbot.waitExposed(view)
    posts = every_kind()
    model.add(posts, measure_texts(posts, prepare_all(posts), delegate.geometry(view)))

    qtbot.waitUntil(lambda: view.visualRect(model.index(6)).width() == view.viewport().width())
    tall = view.visualRect(model.index(0)).height()
    view.resize(360, 500)

    qtbot.waitUntil(lambda: view.visualRect(model.index(0)).width() == view.viewport().width())
    assert view.visualRect(model.index(0)).height() > tall  # narrower: the text wraps more
    tasks.shutdown()
