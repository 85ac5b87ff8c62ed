"""Attack: a handle or name with a bidi override, to pass for another account (issue 13).

``@ville\\u202efr.sirap@…`` would read ``@villeparis.rf…``-like once reversed. The timeline row
must paint it exactly as the same handle without the control characters: pixel for pixel.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Author, Network, Post
from paris_desk.services.workers import TaskManager
from paris_desk.ui.avatars import ImageLoader
from paris_desk.ui.timeline.column import TimelineColumn
from paris_desk.ui.timeline.model import TimelineModel
from paris_desk.ui.timeline.post_delegate import PostDelegate
from paris_desk.ui.timeline.post_layout import measure_texts
from paris_desk.ui.timeline.post_text import prepare_all

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def a_post(handle: str, sharer: str, reply_to: str) -> Post:
    return Post(
        uri="https://paris.example/statuses/1", native_id="1", network=Network.MASTODON,
        author=Author(handle, ""), created_at=T0, text="Fermeture de la piscine samedi.",
        seen_by=("mastodon:@ville@paris.example",), repost_by=Author("@x@paris.example", sharer),
        reply_to_handle=reply_to,
    )


def rendered(qtbot: QtBot, tmp_path: Path, post: Post) -> QImage:
    tasks = TaskManager()
    model = TimelineModel()
    delegate = PostDelegate(ImageLoader(tasks, tmp_path))
    view = TimelineColumn.make_list_view(model, delegate)
    qtbot.addWidget(view)
    view.resize(640, 300)
    view.show()
    qtbot.waitExposed(view)
    model.add([post], measure_texts([post], prepare_all([post]), delegate.geometry(view)))
    qtbot.waitUntil(lambda: view.visualRect(model.index(0)).height() > 0)
    image = view.viewport().grab(view.visualRect(model.index(0))).toImage()
    tasks.shutdown()
    return image


def test_a_bidi_override_in_a_handle_or_name_changes_nothing_on_screen(
    qtbot: QtBot, tmp_path: Path
) -> None:
    hostile = a_post("@ville\u202efr.sirap@paris.example", "Mairie\u202e de Paris",
                     "@presse\u2067@paris.example")
    clean = a_post("@villefr.sirap@paris.example", "Mairie de Paris", "@presse@paris.example")
    assert rendered(qtbot, tmp_path, hostile) == rendered(qtbot, tmp_path, clean)

