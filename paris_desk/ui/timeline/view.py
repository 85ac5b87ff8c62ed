"""The timeline view: columns side by side (TweetDeck-style), each the unified home of all
accounts or one account's home, with a toolbar to refresh and add columns.

The layout (which columns, in which order), the refresh interval and whether cross-posts are
grouped (``own_posts``) live in ``timeline.ini`` in the profile; they are read and written by
the database thread. At start the cached timeline is shown first; the network refresh (which
loads the adapters, atproto among them) starts only once that first paint is done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCursor, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QMenu, QSplitter, QToolButton, QVBoxLayout, QWidget

from paris_desk.core.filters import Matcher
from paris_desk.core.model import Account
from paris_desk.services.outbox import Job
from paris_desk.services.timeline import TimelineService
from paris_desk.services.workers import TaskManager
from paris_desk.ui.accounts.naming import account_icon, account_title
from paris_desk.ui.avatars import ImageLoader
from paris_desk.ui.errors import describe
from paris_desk.ui.filters.dialog import install_filters_dialog
from paris_desk.ui.inbox.actions import UndoBar
from paris_desk.ui.lifetime import while_alive
from paris_desk.ui.timeline.actions import Compose, React
from paris_desk.ui.timeline.column import UNIFIED, TimelineColumn
from paris_desk.ui.timeline.own_posts import OwnPosts
from paris_desk.ui.timeline.protect import Protection

if TYPE_CHECKING:
    from paris_desk.services.threads import ThreadGuard
    from paris_desk.ui.settings.prefs import Settings as Preferences
    from paris_desk.ui.shell.main_window import MainWindow
    from paris_desk.ui.shell.session import Session

log = logging.getLogger(__name__)

SETTINGS_FILE = "timeline.ini"
DEFAULT_REFRESH_S = 120
REFRESH_CHOICES = (0, 60, 120, 300, 900)
FIRST_PAINT_LATEST_MS = 3000  # ``first_painted`` comes by then, even if the cache never did
Settings = tuple[list[str], int, bool]
Started = tuple[list[Account], Settings]


class ColumnsArea(QSplitter):
    """The columns, side by side; ``specs()`` is the layout that gets saved."""

    changed = Signal()

    def __init__(self, make: Callable[[str], TimelineColumn], parent: QWidget | None = None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self._make = make
        self.setChildrenCollapsible(False)

    def columns(self) -> list[TimelineColumn]:
        return [w for i in range(self.count()) if isinstance(w := self.widget(i), TimelineColumn)]

    def specs(self) -> list[str]:
        return [column.spec for column in self.columns()]

    def add_column(self, spec: str) -> TimelineColumn:
        column = self._make(spec)
        column.close_requested.connect(lambda: self.remove_column(column))
        self.addWidget(column)
        if self.count() > 1 and self.width() > 0:  # the new column as wide as the others
            self.setSizes([self.width() // self.count()] * self.count())
        self.changed.emit()
        return column

    def remove_column(self, column: TimelineColumn) -> None:
        if self.count() <= 1:
            return  # keep one column
        column.hide()
        column.setParent(None)
        column.deleteLater()
        self.changed.emit()


def read_settings(path: Path) -> Settings:
    """The saved columns, refresh interval (seconds) and whether cross-posts are grouped.
    Disk: a worker's job."""
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    specs = settings.value("columns", [UNIFIED])
    specs = [specs] if isinstance(specs, str) else list(specs or [UNIFIED])
    interval = int(settings.value("refresh_seconds", DEFAULT_REFRESH_S))
    grouped = str(settings.value("group_cross_posts", "true")).lower() != "false"
    return [str(s) for s in specs] or [UNIFIED], interval, grouped


def write_settings(path: Path, specs: list[str], interval: int, grouped: bool = True) -> None:
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    settings.setValue("columns", specs)
    settings.setValue("refresh_seconds", interval)
    settings.setValue("group_cross_posts", grouped)
    settings.sync()


class TimelineView(QWidget):
    """The toolbar and the columns; one refresh timer for all columns."""

    message = Signal(str, bool)  # text, is_error
    first_painted = Signal()  # once: the cached timeline is on screen (or there was none)
    """What waits for the cached timeline to be on screen connects here (``app.run``)."""

    def __init__(
        self,
        tasks: TaskManager,
        service: TimelineService,
        images: ImageLoader,
        settings_path: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("timeline_view")
        self._tasks = tasks
        self._service = service
        self._images = images
        self._settings_path = settings_path
        self._accounts: dict[str, Account] = {}
        self._interval = DEFAULT_REFRESH_S
        self._painted = False
        self._matcher = Matcher([])
        self.load_matcher: Callable[[], Matcher] | None = None  # the filters (desk.filters)
        self.threads: ThreadGuard | None = None  # "Protect the thread" (desk.threads)
        self.settings: Preferences | None = None  # the Préférences (confirm shares), once wired
        self.undo_bar = UndoBar()
        self.undo_bar.setObjectName("timeline_undo_bar")
        self.own = OwnPosts(tasks, self.columns, self)  # own posts at once, cross-posts
        self.area = ColumnsArea(self._make_column)
        self.area.changed.connect(self._save)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.refresh)
        self.add_menu = QMenu(self.tr("Add a column"), self)
        self.add_menu.aboutToShow.connect(self._fill_add_menu)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(self._toolbar())
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.area, 1)

    def _toolbar(self) -> QHBoxLayout:
        self.refresh_action = QAction(self.tr("&Refresh"), self)
        self.refresh_action.setShortcut(QKeySequence("F5"))
        self.refresh_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.refresh_action.triggered.connect(self.refresh)
        self.addAction(self.refresh_action)
        refresh = QToolButton()
        refresh.setDefaultAction(self.refresh_action)
        refresh.setAccessibleName(self.tr("Refresh"))
        add = QToolButton()
        add.setText(self.tr("Add a column"))
        add.setAccessibleName(self.tr("Add a column"))
        add.setMenu(self.add_menu)
        add.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        every = QToolButton()
        every.setText(self.tr("Automatic refresh"))
        every.setAccessibleName(self.tr("Automatic refresh"))
        every.setMenu(self._interval_menu())
        every.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.group_action = QAction(self.tr("Group cross-posts"), self)
        self.group_action.setCheckable(True)
        self.group_action.setChecked(True)
        self.group_action.setToolTip(self.tr(
            "One row for a post published on several of your accounts; unchecked, one row "
            "per account"))
        self.group_action.toggled.connect(self.set_grouping)
        group = QToolButton()
        group.setDefaultAction(self.group_action)
        group.setAccessibleName(self.tr("Group cross-posts"))
        row = QHBoxLayout()
        row.setContentsMargins(4, 2, 4, 2)
        for button in (refresh, add, every, group):
            row.addWidget(button)
        row.addStretch(1)
        return row

    def _interval_menu(self) -> QMenu:
        menu = QMenu(self)
        self._interval_group = QActionGroup(self)
        for seconds in REFRESH_CHOICES:
            if seconds == 0:
                text = self.tr("Never")
            elif seconds == 60:
                text = self.tr("Every minute")  # "Toutes les minutes", not "Chaque 1 minute"
            else:
                text = self.tr("Every %n minute(s)", "", seconds // 60)
            action = self._interval_group.addAction(text)
            action.setCheckable(True)
            action.setData(seconds)
            action.triggered.connect(lambda _c=False, s=seconds: self.set_interval(s))
        menu.addActions(self._interval_group.actions())
        return menu

    # -- columns ----------------------------------------------------------------------------

    def columns(self) -> list[TimelineColumn]:
        return self.area.columns()

    def set_react(self, react: React) -> None:
        """Likes and reposts go through the core (every column, present and future)."""
        self._react = react
        for column in self.columns():
            column.actions_.react = react

    def set_composer(self, compose: Compose) -> None:
        """Replies and quotes open in the composer (every column, present and future)."""
        self._compose = compose
        for column in self.columns():
            column.actions_.compose = compose

    def note_reply(self, uri: str) -> None:
        """A reply to the post ``uri`` went out: its reply count, in every column, at once."""
        for column in self.columns():
            column.model.note_reply(uri)

    def show_sent(self, jobs: list[Job]) -> None:
        """Jobs the outbox just sent: their posts in the columns of their accounts, at once."""
        self.own.show_sent(jobs)

    def set_grouping(self, on: bool, *, save: bool = True) -> None:
        """A cross-post as one row (on), or one row per account (off); saved."""
        if self.group_action.isChecked() != on:
            self.group_action.setChecked(on)  # comes back here through ``toggled``
            return
        self.own.set_grouping(on)
        if save:
            self._save()

    def _make_column(self, spec: str) -> TimelineColumn:
        column = TimelineColumn(spec, self._tasks, self._service, self._images, self._accounts)
        self.own.prepare(column)
        column.actions_.compose = getattr(self, "_compose", None)
        column.actions_.react = getattr(self, "_react", None)
        column.message.connect(self.message)
        column.delegate.covers.set_matcher(self._matcher)
        if self.threads is not None:
            column.actions_.protection = Protection(
                self._tasks, self.threads, lambda text: column.message.emit(text, False),
                lambda exc, label: column.message.emit(describe(exc, label), True), column)
        column.feed.cached_loaded.connect(lambda n: self._after_cached(column, n))
        actions = column.actions_
        actions.confirm_shares = lambda: self.settings is None or self.settings.confirm_shares
        actions.stop_confirming = lambda: (self.settings is not None
                                           and self.settings.set_confirm_shares(False))
        actions.anchor = lambda: _current_row_point(column)
        actions.done.connect(self.undo_bar.show_done)
        return column

    def add_column(self, spec: str) -> TimelineColumn:
        column = self.area.add_column(spec)
        column.start()
        return column

    def _fill_add_menu(self) -> None:
        self.add_menu.clear()
        self.add_menu.addAction(self.tr("Unified home"), lambda: self.add_column(UNIFIED))
        for account in sorted(self._accounts.values(), key=lambda a: a.position):
            self.add_menu.addAction(account_icon(account), account_title(account),
                                    lambda a=account.id: self.add_column(a))

    # -- start, refresh, accounts -----------------------------------------------------------

    def start(self, accounts: Callable[[], list[Account]]) -> None:
        """Read the accounts and the saved layout (database thread), then show the cache."""
        path = self._settings_path

        def load() -> Started:
            return accounts(), read_settings(path)

        def failed(exc: Exception) -> None:
            self.message.emit(str(exc), True)
            self._mark_painted()

        self._tasks.run_db(load, self._started, failed)
        QTimer.singleShot(FIRST_PAINT_LATEST_MS, self, self._mark_painted)  # whatever happens

    def _started(self, started: Started) -> None:
        accounts, (specs, interval, grouped) = started
        self._accounts = {a.id: a for a in accounts}
        self._interval = interval
        self.group_action.blockSignals(True)
        self.group_action.setChecked(grouped)
        self.group_action.blockSignals(False)
        self.own.set_grouping(grouped)
        self.own.reload()
        self.area.blockSignals(True)
        for spec in specs:
            if spec == UNIFIED or spec in self._accounts:
                self.add_column(spec)
        if not self.columns():
            self.add_column(UNIFIED)
        self.area.blockSignals(False)
        for action in self._interval_group.actions():
            action.setChecked(action.data() == interval)
        self.set_interval(interval, save=False)

    def _after_cached(self, column: TimelineColumn, rows: int) -> None:
        """Refresh once the cached rows are painted: the network, and the adapters' imports
        (atproto takes ~0.45 s), stay off the path to the first paint."""
        if rows == 0 or column.painted:
            column.refresh()
            QTimer.singleShot(0, self, self._mark_painted)
        else:
            column.first_painted.connect(column.refresh, Qt.ConnectionType.SingleShotConnection)
            column.first_painted.connect(self._mark_painted, Qt.ConnectionType.SingleShotConnection)

    def _mark_painted(self) -> None:
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def refresh(self) -> None:
        self.reload_filters()
        self.own.reload()  # cross-posts sent meanwhile by the command line or the inbox
        for column in self.columns():
            column.refresh()

    def reload_filters(self) -> None:
        """Read the filters again (they may have changed in the CLI) for every column."""
        if self.load_matcher is not None:
            self._tasks.run_db(self.load_matcher, while_alive(self, self.set_matcher))

    def set_matcher(self, matcher: Matcher) -> None:
        self._matcher = matcher
        for column in self.columns():
            column.delegate.covers.set_matcher(matcher)

    def set_accounts(self, accounts: list[Account]) -> None:
        """Follow the accounts panel: new labels and colours, accounts added or removed."""
        fresh = {a.id: a for a in accounts}
        if fresh == self._accounts:
            return
        self._accounts = fresh
        for column in self.columns():
            if column.spec != UNIFIED and column.spec not in fresh and len(self.columns()) > 1:
                self.area.remove_column(column)
                continue
            column.set_accounts(fresh)

    def set_interval(self, seconds: int, *, save: bool = True) -> None:
        self._interval = seconds
        if seconds > 0:
            self.timer.start(seconds * 1000)
        else:
            self.timer.stop()
        if save:
            self._save()

    def _save(self) -> None:
        path, specs, interval = self._settings_path, self.area.specs(), self._interval
        grouped = self.group_action.isChecked()
        self._tasks.run_db(lambda: write_settings(path, specs, interval, grouped))


def install_timeline(window: MainWindow, session: Session) -> TimelineView:
    """Add the timeline view to the main window, show it, and start it from the cache."""
    accounts = session.accounts
    service = session.desk.timeline
    images = ImageLoader(session.tasks, accounts.profile.cache_dir, window)
    view = TimelineView(session.tasks, service, images, accounts.profile.root / SETTINGS_FILE)
    view.settings = session.settings
    view.load_matcher = session.desk.filters.matcher
    view.threads = session.desk.threads
    view.set_react(session.desk.react)
    desk = session.desk
    view.own.load_groups = lambda: desk.outbox.cross_posts()  # built on the database thread
    session.watch_sent(view, view.show_sent)  # every post this process sends, at once
    view.reload_filters()
    install_filters_dialog(window, session, view.reload_filters)
    # Filters made on the servers (on a phone) apply without opening the dialog: one sync on
    # the network pool, then the views read them again. It restores every account's channel
    # (keychain, SDK imports), so it waits for the cached timeline to be on screen (issue 14).
    view.first_painted.connect(
        lambda: session.tasks.run(session.desk.filters.sync,
                                  while_alive(view, lambda _failures: view.reload_filters()),
                                  lambda _exc: None),
        Qt.ConnectionType.SingleShotConnection)
    view.message.connect(lambda text, error: (window.show_error(text) if error
                                              else window.show_notice(text)))
    title = QCoreApplication.translate("TimelineView", "&Timeline")
    window.add_view("timeline", view, title)
    window.show_view("timeline")
    model = window.accounts_panel.model
    for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.dataChanged,
                   model.rowsMoved):
        signal.connect(lambda *_: view.set_accounts(model.accounts()))
    window.destroyed.connect(lambda *_: service.close())
    view.start(accounts.list)
    return view


def _current_row_point(column: TimelineColumn) -> QPoint:
    """Where a chooser opens for the selected post: on its row, else at the mouse."""
    index = column.view.currentIndex()
    if not index.isValid():
        return QCursor.pos()
    rect = column.view.visualRect(index)
    return column.view.viewport().mapToGlobal(rect.topLeft() + QPoint(24, 24))
