"""Full garbage collections wait for an idle moment (``ui/shell/idle_collector.py``): none runs
while a column takes 15,000 posts, the next quiet moment frees cyclic garbage, and posts that
leave the column are freed at once all the same; a list painting postpones it, a spinner does
not. Counted with ``gc.callbacks``; nothing is timed: the waits are hang guards, and the list
repaints every 20 ms for as long as it is watched."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QListView, QWidget
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Author, Network, Post, TextSpan
from paris_desk.ui.shell.idle_collector import POSTPONED, IdleCollector
from paris_desk.ui.timeline.model import TimelineModel
from paris_desk.ui.timeline.post_text import PostText, prepare_all

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
AUTHOR = Author("@marie@paris.example", "Marie")


class Node:
    """One link of a ring: garbage only the cyclic collector frees."""

    def __init__(self) -> None:
        self.next: Node | None = None


def post(n: int) -> Post:
    spans = (
        TextSpan(f"Travaux rue {n} "),
        TextSpan("paris.fr", "https://paris.fr", "link"),
        TextSpan(" #Paris", "Paris", "tag"),
    )
    return Post(
        uri=f"https://paris.example/statuses/{n}",
        native_id=str(n),
        network=Network.MASTODON,
        author=AUTHOR,
        created_at=T0 + timedelta(seconds=n),
        text="".join(s.text for s in spans),
        spans=spans,
        seen_by=("mastodon:@a@paris.example",),
    )


def fill(model: TimelineModel, start: int, count: int) -> None:
    """As a column takes refreshes: posts made and prepared (a worker's part), then added."""
    for first in range(start, start + count, 1000):
        posts = [post(n) for n in range(first, first + 1000)]
        model.add(posts, prepare_all(posts))


def old_garbage_ring(size: int = 100) -> weakref.ref[Node]:
    """A ring that lived long enough to reach the oldest generation, then was dropped."""
    nodes = [Node() for _ in range(size)]
    for node, following in zip(nodes, [*nodes[1:], nodes[0]], strict=True):
        node.next = following
    gc.collect(1)  # a young collection: the ring, still in use, moves to the oldest generation
    return weakref.ref(nodes[0])


def live(kind: type) -> int:
    return sum(type(o) is kind for o in gc.get_objects())


@pytest.fixture
def full_collections() -> Iterator[list[int]]:
    """The objects freed by each full collection from now on."""
    freed: list[int] = []

    def counted(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == 2:
            freed.append(info["collected"])

    gc.callbacks.append(counted)
    yield freed
    gc.callbacks.remove(counted)


@pytest.fixture
def after_start_up() -> Iterator[None]:
    """What the app does once started: all there is now leaves the collector's care. Then a
    full collection over what is left (nothing): CPython runs a full collection only when the
    objects that reached the oldest generation since the last one exceed a quarter of those it
    counted then, a count ``freeze`` leaves as it was; late in a test session it was the whole
    session's objects, and 15,000 posts were too few to make one due."""
    gc.collect()
    gc.freeze()
    gc.collect()
    yield
    gc.unfreeze()


@pytest.fixture
def collector(qapp: QApplication) -> Iterator[IdleCollector]:
    installed = IdleCollector(qapp, idle_ms=50)
    installed.start()
    yield installed
    installed.stop()


@pytest.mark.usefixtures("after_start_up")
def test_no_full_collection_while_a_column_takes_posts_then_one_when_idle(
    qtbot: QtBot, collector: IdleCollector, full_collections: list[int]
) -> None:
    ring = old_garbage_ring()
    model = TimelineModel()

    fill(model, 0, 15_000)

    assert full_collections == []  # CPython would have run one or more in there
    assert ring() is not None
    make_due(collector)  # should the posts not have made enough young collections
    with qtbot.waitSignal(collector.collected, timeout=10_000) as done:
        pass  # nothing happens: the window is idle
    assert ring() is None
    assert done.args[0] >= 100 and full_collections == done.args
    assert model.rowCount() == 15_000


@pytest.mark.usefixtures("after_start_up")
def test_without_it_cpython_collects_everything_inside_the_adds(
    full_collections: list[int],
) -> None:
    """What the collector is for (and the proof that the first test fills enough)."""
    model = TimelineModel()

    fill(model, 0, 15_000)

    assert full_collections


def test_posts_leaving_the_column_are_freed_at_once(
    collector: IdleCollector, full_collections: list[int]
) -> None:
    model = TimelineModel(max_rows=1000)
    fill(model, 0, 3000)
    held = live(Post), live(PostText), live(TextSpan)

    model.add([post(10_000)], {}, hold_newer_than=0)  # the "new posts" bar shows one ...
    model.show_pending()  # ... and the oldest rows beyond 1,000 go

    assert model.rowCount() == 1000 and full_collections == []
    after = live(Post), live(PostText), live(TextSpan)
    assert [before - now for before, now in zip(held, after, strict=True)] == [2000, 2000, 3 * 2000]


def make_due(collector: IdleCollector) -> None:
    """Young collections, as a column taking posts makes them, until a full one is due."""
    while not collector.is_due():
        gc.collect(1)


def repainting(widget: QWidget) -> QTimer:
    """Repaints ``widget`` every 20 ms, as scrolling or rows being laid out do, until stopped."""
    timer = QTimer(widget)
    timer.timeout.connect(widget.repaint)
    timer.start(20)
    return timer


def test_a_list_painting_postpones_it_until_it_stops(qtbot: QtBot, qapp: QApplication) -> None:
    collector = IdleCollector(qapp, idle_ms=1000)
    collector.start()
    try:
        view = QListView()
        qtbot.addWidget(view)
        view.show()
        frames = repainting(view.viewport())
        ring = old_garbage_ring()
        make_due(collector)

        with qtbot.assertNotEmitted(collector.collected, wait=1500):
            pass  # 75 frames, none of them waits for a full collection
        assert ring() is not None
        frames.stop()
        with qtbot.waitSignal(collector.collected, timeout=10_000):
            pass
        assert ring() is None
    finally:
        collector.stop()


def test_a_blinking_cursor_or_a_spinner_does_not_keep_it_waiting(
    qtbot: QtBot, collector: IdleCollector
) -> None:
    label = QLabel("Actualisation…")
    qtbot.addWidget(label)
    label.show()
    spinner = repainting(label)
    ring = old_garbage_ring()
    make_due(collector)

    with qtbot.waitSignal(collector.collected, timeout=10_000):
        pass

    spinner.stop()
    assert ring() is None


def test_stopping_gives_cpython_its_thresholds_back(qapp: QApplication) -> None:
    before = gc.get_threshold()
    installed = IdleCollector(qapp)

    installed.start()
    assert gc.get_threshold() == (*before[:2], POSTPONED)
    installed.stop()

    assert gc.get_threshold() == before
