"""Issue 12, point 11: a click on a post's image opens it in the app with its description; a
click on a link opens the system's browser, and when none can, the window says so (and the
link is in the clipboard); the Bluesky dialog links to the app-password page."""

from __future__ import annotations

from typing import Any

import pytest
import test_timeline_view
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Account
from paris_desk.services.accounts import AccountService
from paris_desk.services.workers import TaskManager
from paris_desk.ui import links
from paris_desk.ui.accounts.dialogs import APP_PASSWORDS_URL, BlueskyAccountDialog
from paris_desk.ui.timeline.column import TimelineColumn
from paris_desk.ui.timeline.image_viewer import ImageViewer
from paris_desk.ui.timeline.view import TimelineView

WAIT = 15_000
loaded = test_timeline_view.loaded
sandbox_accounts = test_timeline_view.sandbox_accounts  # fixtures shared with that file
timeline = test_timeline_view.timeline


def click_in_row(qtbot: QtBot, column: TimelineColumn, row: int, part: str, n: int = 0) -> None:
    """Click the row's image ``n`` ("media") or its link card ("card") on the viewport."""
    index = column.model.index(row)
    view = column.view
    # As a person does: the row is on screen (laid out, scrolled to) before the click.
    qtbot.waitUntil(lambda: view.visualRect(index).isValid())
    view.scrollTo(index)
    qtbot.waitUntil(lambda: view.viewport().rect().contains(view.visualRect(index).center()))
    option = QStyleOptionViewItem()
    column.view.initViewItemOption(option)
    rect = column.view.visualRect(index)
    option.rect = rect
    lay = column.delegate.layout_for(index, column.delegate._width(option), option)
    target = lay.media[n] if part == "media" else lay.card
    assert target is not None
    qtbot.mouseClick(column.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.topLeft() + target.center())


def shown(qtbot: QtBot, view: TimelineView) -> TimelineColumn:
    window = view.window()
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    return loaded(qtbot, view)


def test_a_click_on_an_image_opens_it_in_the_app_with_its_description(
    qtbot: QtBot, timeline: TimelineView, sandbox_accounts: list[Account]
) -> None:
    column = shown(qtbot, timeline)
    row = next(r for r in range(column.model.rowCount())
               if any(m.alt for m in column.model.post_at(r).media)
               and not column.delegate.covers.media_cover(column.model.post_at(r)))
    post = column.model.post_at(row)
    n = next(i for i, m in enumerate(post.media) if m.alt)

    click_in_row(qtbot, column, row, "media", n)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ImageViewer))
    viewer = QApplication.activeModalWidget()
    assert viewer.alt.text() == post.media[n].alt.strip()
    assert viewer.windowTitle().startswith(f"Image {n + 1} of {len(post.media)}")
    qtbot.waitUntil(lambda: viewer.picture.pixmap() is not None
                    and not viewer.picture.pixmap().isNull(), timeout=WAIT)
    qtbot.keyClick(viewer, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The system's browser: records what it was asked to open; ``browser.append("none")``
    first makes it fail, as on a machine without one."""
    opened: list[str] = []

    def open_url(url: QUrl) -> bool:
        if opened[:1] == ["none"]:
            return False
        opened.append(url.toString())
        return True

    monkeypatch.setattr(links, "opener", open_url)
    return opened


def test_a_link_opens_in_the_browser_or_the_window_says_it_cannot(
    qtbot: QtBot, timeline: TimelineView, sandbox_accounts: list[Account], browser: list[str],
) -> None:
    column = shown(qtbot, timeline)
    window = timeline.window()
    row = next(r for r in range(column.model.rowCount()) if column.model.post_at(r).card)
    url = column.model.post_at(row).card.url

    click_in_row(qtbot, column, row, "card")
    assert browser == [url]

    browser[:] = ["none"]  # no browser on this machine
    click_in_row(qtbot, column, row, "card")
    qtbot.waitUntil(window.message_bar.isVisible)
    assert "No browser could open the link" in window.message_bar.label.text()
    assert QApplication.clipboard().text() == url


def test_the_bluesky_dialog_links_to_the_app_password_page(
    qtbot: QtBot, service: AccountService, tasks: TaskManager
) -> None:
    dialog = BlueskyAccountDialog(service, tasks)
    qtbot.addWidget(dialog)
    link = dialog.app_password_link
    assert f'href="{APP_PASSWORDS_URL}"' in link.text()
    assert link.openExternalLinks()
    assert APP_PASSWORDS_URL == "https://bsky.app/settings/app-passwords"


def test_a_javascript_link_is_refused_with_a_message(qtbot: QtBot, browser: list[str]) -> None:
    said: list[Any] = []
    assert links.open_link("javascript:alert(1)", said.append) is False
    assert browser == [] and said and "cannot be opened" in said[0]
