"""Issue 12, point 9: layout. Rows laid out again when a column is added, the new-posts bar
beside the rows (never over the first), the add-account dialogs and the inbox's account filter
unclipped in French, the accounts panel's handles whole, and the window's size, position and
dock width kept from one run to the next."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import test_timeline_view
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Account
from paris_desk.services.accounts import AccountService
from paris_desk.services.workers import TaskManager
from paris_desk.ui.accounts.dialogs import BlueskyAccountDialog, MastodonAccountDialog
from paris_desk.ui.inbox.install import install_inbox
from paris_desk.ui.shell.main_window import MainWindow
from paris_desk.ui.shell.window_state import DOCK_WIDTH, remember
from paris_desk.ui.timeline.column import TimelineColumn
from paris_desk.ui.timeline.view import TimelineView

WAIT = 15_000
loaded = test_timeline_view.loaded
sandbox_accounts = test_timeline_view.sandbox_accounts  # fixtures shared with that file
timeline = test_timeline_view.timeline


def row_rects(column: TimelineColumn, count: int = 6) -> list[Any]:
    return [column.view.visualRect(column.model.index(r)) for r in range(count)]


def laid_out(column: TimelineColumn) -> bool:
    """Each of the first rows as tall as the delegate wants at today's width, none over the
    next one."""
    view = column.view
    rects = row_rects(column)
    option = view.viewOptions() if hasattr(view, "viewOptions") else None
    for row, rect in enumerate(rects):
        index = column.model.index(row)
        if option is None:
            from PySide6.QtWidgets import QStyleOptionViewItem
            option = QStyleOptionViewItem()
            view.initViewItemOption(option)
        option.rect = rect
        if column.delegate.sizeHint(option, index).height() != rect.height():
            return False
    return all(a.bottom() < b.top() for a, b in itertools.pairwise(rects))


def test_rows_are_laid_out_again_when_a_column_is_added(
    qtbot: QtBot, timeline: TimelineView, sandbox_accounts: list[Account]
) -> None:
    window = timeline.window()
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    first = loaded(qtbot, timeline)
    qtbot.waitUntil(lambda: laid_out(first), timeout=WAIT)
    wide = first.view.viewport().width()

    timeline.add_menu.aboutToShow.emit()
    timeline.add_menu.actions()[1].trigger()  # "Add a column" → the first account's home
    qtbot.waitUntil(lambda: first.view.viewport().width() < wide * 0.7, timeout=WAIT)

    qtbot.waitUntil(lambda: laid_out(first), timeout=WAIT)
    widths = [c.width() for c in timeline.columns()]
    assert max(widths) - min(widths) <= 0.1 * max(widths)  # shared evenly
    assert all(c.title.minimumSizeHint().width() < 200 for c in timeline.columns())  # titles wrap


def test_the_new_posts_bar_sits_above_the_rows(
    qtbot: QtBot, timeline: TimelineView, sandbox_accounts: list[Account]
) -> None:
    window = timeline.window()
    window.resize(1100, 720)
    window.show()
    qtbot.waitExposed(window)
    column = loaded(qtbot, timeline)
    column._on_pending(3)  # as when a refresh held three posts back
    qtbot.waitUntil(column.new_posts.isVisible)

    bar = column.new_posts.geometry()
    first = column.view.visualRect(column.model.index(0))
    top_left = column.view.viewport().mapTo(column, first.topLeft())
    assert bar.bottom() < top_left.y()
    assert column.new_posts.text().startswith("3 ")


def fits(widget: QLineEdit | QLabel) -> bool:
    metrics = widget.fontMetrics()
    if isinstance(widget, QLineEdit):
        text = widget.placeholderText() or widget.text()
        return metrics.horizontalAdvance(text) <= widget.width() - 8
    if widget.wordWrap() or not widget.text() or "<" in widget.text():
        return True
    return metrics.horizontalAdvance(widget.text().replace("&", "")) <= widget.width()


def test_the_add_account_dialogs_show_their_texts_whole_in_french(
    qtbot: QtBot, french: object, service: AccountService, tasks: TaskManager
) -> None:
    for kind in (MastodonAccountDialog, BlueskyAccountDialog):
        dialog = kind(service, tasks)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        clipped = [w.placeholderText() or w.text()
                   for w in dialog.findChildren(QLineEdit) + dialog.findChildren(QLabel)
                   if w.isVisible() and not fits(w)]
        assert clipped == [], kind.__name__
        dialog.reject()


def test_the_inbox_account_filter_is_whole_at_1100_wide(
    qtbot: QtBot, french: object, make_window: Callable[..., MainWindow], seeded: list[Account]
) -> None:
    window = make_window()
    inbox = install_inbox(window, window.session)
    window.resize(1100, 720)
    window.show()
    window.show_view("inbox")
    window.accounts_panel.reload()
    qtbot.waitUntil(lambda: inbox.account_filter.count() == 4, timeout=WAIT)
    combo = inbox.account_filter
    assert combo.currentText() == "Tous les comptes"
    assert combo.width() >= combo.fontMetrics().horizontalAdvance(combo.currentText()) + 24


def test_the_accounts_panel_shows_whole_handles_and_counts_on_their_own_line(
    qtbot: QtBot, make_window: Callable[..., MainWindow], seeded: list[Account], tmp_path: Path
) -> None:
    window = make_window()
    remember(window, tmp_path / "window.ini")  # the first start: the dock gets its width
    window.resize(1100, 720)
    window.show()
    qtbot.waitExposed(window)
    panel = window.accounts_panel
    panel.reload()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3, timeout=WAIT)
    panel.model.set_counts({seeded[0].id: (12, 3)})

    assert window.accounts_dock.width() >= DOCK_WIDTH - 10
    rect = panel.view.visualRect(panel.model.index(0))
    metrics = panel.view.fontMetrics()
    assert rect.height() >= 3 * metrics.height()  # name, handle, counts
    text_width = rect.width() - 110  # colour chip, network badge, paddings
    assert metrics.horizontalAdvance(seeded[0].handle) <= text_width


def test_window_size_position_and_dock_width_are_remembered(
    qtbot: QtBot, make_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    path = tmp_path / "window.ini"
    window = make_window()
    remember(window, path)
    window.show()
    qtbot.waitExposed(window)
    window.resize(760, 560)  # the offscreen screen is 800×800: a restored window fits in it
    window.move(QPoint(20, 10))
    window.resizeDocks([window.accounts_dock], [380], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: abs(window.accounts_dock.width() - 380) <= 4)
    window.close()

    again = make_window()
    remember(again, path)
    again.show()
    qtbot.waitExposed(again)
    assert (again.width(), again.height()) == (760, 560)
    dock = again.findChild(QDockWidget, "accounts_dock")
    qtbot.waitUntil(lambda: abs(dock.width() - 380) <= 4)


def test_the_window_fits_a_1100_px_screen_in_french(
    qtbot: QtBot, french: object, make_window: Callable[..., MainWindow], seeded: list[Account]
) -> None:
    from whole_app import install_views, show_window

    window = make_window()
    install_views(qtbot, window)
    show_window(qtbot, window, activate=False)
    assert window.minimumSizeHint().width() <= 1100
    for name in ("timeline", "inbox", "composer", "welcome"):
        window.show_view(name)
        assert window.minimumSizeHint().width() <= 1100, name
