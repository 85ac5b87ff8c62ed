"""What changes on screen reaches a screen reader and goes away (issue 17): a publication, new
posts and errors are announced; notices leave the message bar by themselves, errors stay; a
Bluesky link card shows its picture."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from PySide6.QtCore import QRect
from pytestqt.qtbot import QtBot
from whole_app import WAIT_MS

from paris_desk.core.model import Account, Network
from paris_desk.services.api import JobState
from paris_desk.ui import accessible
from paris_desk.ui.composer.widget import ComposerWidget
from paris_desk.ui.shell.main_window import MainWindow
from paris_desk.ui.timeline.column import TimelineColumn
from paris_desk.ui.timeline.post_delegate import card_thumb
from paris_desk.ui.timeline.post_layout import CARD_HEIGHT
from paris_desk.ui.timeline.post_text import prepare
from paris_desk.ui.timeline.view import TimelineView


def column_of(qtbot: QtBot, window: MainWindow) -> TimelineColumn:
    timeline = window.findChild(TimelineView)
    assert timeline is not None
    qtbot.waitUntil(lambda: bool(timeline.columns())
                    and timeline.columns()[0].model.rowCount() > 10, timeout=WAIT_MS)
    return timeline.columns()[0]


def test_a_publication_is_announced_as_it_goes_out(
    qtbot: QtBot, window: MainWindow, accounts: list[Account]
) -> None:
    composer = window.findChild(ComposerWidget, "composer")
    assert composer is not None
    accessible.announced.clear()  # what earlier tests of this process announced
    composer.targets_panel.set_checked([accounts[0].id])
    composer.editor.common.setPlainText("Collecte des sapins à partir du 2 janvier.")
    qtbot.waitUntil(composer.publish_button.isEnabled, timeout=WAIT_MS)
    composer.publish()
    def all_sent() -> bool:
        batch = composer.publisher.watched
        jobs = composer.outbox.jobs(batch) if batch else []
        return bool(jobs) and all(j.state is JobState.SENT for j in jobs)

    qtbot.waitUntil(all_sent, timeout=WAIT_MS)
    summary = composer.publish_panel.summary.text()  # "1 of 1 sent", in the window's language
    qtbot.waitUntil(lambda: summary in accessible.announced, timeout=WAIT_MS)
    assert list(accessible.announced).count(summary) == 1  # said once


def test_new_posts_and_errors_are_announced(qtbot: QtBot, window: MainWindow) -> None:
    column = column_of(qtbot, window)
    newest = column.model.post_at(0)
    fresh = [replace(newest, uri=f"{newest.uri}-new{n}", native_id=f"new{n}",
                     created_at=newest.created_at + timedelta(minutes=n + 1), repost_by=None,
                     repost_created_at=None) for n in range(3)]
    column.model.add(fresh, {p.uri: prepare(p) for p in fresh}, hold_newer_than=2)
    assert column.new_posts.isVisibleTo(column)
    assert accessible.announced[-1] == column.new_posts.text()
    assert column.new_posts.text().startswith("3 new post")

    window.show_error("Mairie (Mastodon) : le serveur ne répond pas.")
    assert accessible.announced[-1] == "Mairie (Mastodon) : le serveur ne répond pas."


def test_a_notice_goes_by_itself_and_an_error_stays(qtbot: QtBot, window: MainWindow) -> None:
    bar = window.message_bar
    bar.notice_timer.setInterval(50)  # 8 s in the window
    window.show_notice("Aimé en tant que Mairie (Mastodon).")
    assert bar.isVisible()
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=WAIT_MS)
    window.show_notice("Partagé en tant que Mairie (Mastodon).")
    window.show_error("Mairie (Bluesky) : connexion refusée.")
    assert bar.isVisible() and not bar.notice_timer.isActive()  # until closed


def test_a_bluesky_link_cards_picture_is_drawn(qtbot: QtBot, window: MainWindow) -> None:
    column = column_of(qtbot, window)
    window.show_view("timeline")
    viewport = column.view.viewport()

    def with_picture() -> int:
        """A Bluesky post with a card picture, below the rows on screen (never painted yet,
        so its picture was never asked for)."""
        return next((r for r in range(column.model.rowCount())
                     if column.model.post_at(r).network is Network.BLUESKY
                     and (card := column.model.post_at(r).card) is not None
                     and card.image_url
                     and not viewport.rect().intersects(
                         column.view.visualRect(column.model.index(r)))), -1)

    for _ in range(20):  # older pages until a card with a picture comes (about 1 post in 20)
        if with_picture() >= 0 or not column.model.canFetchMore():
            break
        rows = column.model.rowCount()
        column.model.fetchMore()
        qtbot.waitUntil(lambda rows=rows: column.model.rowCount() > rows
                        or not column.model.is_fetching, timeout=WAIT_MS)
    row = with_picture()
    assert row >= 0
    card = column.model.post_at(row).card
    assert card is not None
    size = card_thumb(QRect(0, 0, 300, CARD_HEIGHT)).size()
    index = column.model.index(row)
    loaded: list[str] = []
    column.images.image_loaded.connect(loaded.append)

    def painted_with_picture() -> bool:
        column.view.scrollTo(index)
        viewport.grab()  # paints the rows shown: the delegate asks for the card's picture
        return card.image_url in loaded

    qtbot.waitUntil(painted_with_picture, timeout=WAIT_MS)
    assert column.images.image(card.image_url, size) is not None  # at the thumbnail's size
