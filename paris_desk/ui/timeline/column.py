"""One timeline column: a list of posts (model, delegate), the per-account error banners and
the "N new posts" bar. It shows the unified home of all accounts, or one account's home.

Keys in the list: j/k next/previous post, Enter thread, r reply, l like, b repost, o open in
browser, F5 refresh.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from paris_desk.core.model import Account, Post
from paris_desk.services.timeline import TimelineService
from paris_desk.services.workers import TaskManager
from paris_desk.ui import accessible, links
from paris_desk.ui.accessible import RowAction
from paris_desk.ui.accounts.naming import account_title
from paris_desk.ui.avatars import ImageLoader
from paris_desk.ui.errors import describe
from paris_desk.ui.timeline.actions import PostActions
from paris_desk.ui.timeline.batching import TimedList
from paris_desk.ui.timeline.covers import HiddenRows
from paris_desk.ui.timeline.feed import TimelineFeed
from paris_desk.ui.timeline.image_viewer import ImageViewer
from paris_desk.ui.timeline.model import TimelineModel
from paris_desk.ui.timeline.post_delegate import PostDelegate
from paris_desk.ui.timeline.post_text import account_name

log = logging.getLogger(__name__)

UNIFIED = "unified"


class ErrorBanners(QWidget):
    """One small banner per failing account, with Retry and Close."""

    retry_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(1)
        self.banners: dict[str, QWidget] = {}

    def show_errors(self, errors: dict[str, Exception], accounts: dict[str, Account]) -> None:
        for account_id in [a for a in self.banners if a not in errors]:
            self.banners.pop(account_id).deleteLater()
        for account_id, exc in errors.items():
            text = describe(exc, account_name(account_id, accounts) if account_id else "")
            banner = self.banners.get(account_id)
            if banner is None:
                banner = self._banner(account_id)
                self.banners[account_id] = banner
                self._layout.addWidget(banner)
            label = banner.findChild(QLabel)
            if label.text() != text:
                accessible.announce(label, text, assertive=True)
            label.setText(text)
            label.setAccessibleDescription(text)
        self.setVisible(bool(self.banners))

    def text_of(self, account_id: str) -> str:
        banner = self.banners.get(account_id)
        return banner.findChild(QLabel).text() if banner is not None else ""

    def _banner(self, account_id: str) -> QWidget:
        banner = QWidget()
        banner.setObjectName("timeline_error")
        banner.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        banner.setStyleSheet("#timeline_error { background: #fde7e9; } QLabel { color: #1f1f1f; }")
        label = QLabel()
        label.setWordWrap(True)
        label.setAccessibleName(self.tr("Account error"))
        retry = QToolButton()
        retry.setText(self.tr("Retry"))
        retry.setAccessibleName(self.tr("Retry"))
        retry.clicked.connect(lambda: self.retry_requested.emit(account_id))
        close = QToolButton()
        close.setText("✕")
        close.setAccessibleName(self.tr("Close the message"))
        close.clicked.connect(banner.hide)
        row = QHBoxLayout(banner)
        row.setContentsMargins(8, 2, 2, 2)
        row.addWidget(label, 1)
        row.addWidget(retry)
        row.addWidget(close)
        return banner


class PostList(TimedList):
    """The list of a column. ``rows_painted`` comes once, right after the first paint that
    showed rows, with that moment's ``time.time()`` (the start-up figure).

    Its layout passes are sized by time (``batching.TimedList``; the delegate counts the
    rows it sized)."""

    rows_painted = Signal(float)

    def __init__(self) -> None:
        super().__init__()
        self._rows_painted = False

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if not self._rows_painted and (model := self.model()) is not None and model.rowCount():
            self._rows_painted = True
            self.rows_painted.emit(time.time())


class TimelineColumn(QWidget):
    """One column: header, error banners, "new posts" bar, the list."""

    close_requested = Signal()
    message = Signal(str, bool)  # text, is_error
    first_painted = Signal()  # the first paint that showed posts

    def __init__(
        self,
        spec: str,
        tasks: TaskManager,
        service: TimelineService,
        images: ImageLoader,
        accounts: dict[str, Account],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.spec = spec
        self.tasks, self.service, self.images = tasks, service, images
        self._accounts = accounts
        self.model = TimelineModel(parent=self)
        self.model.set_accounts(accounts)
        self.delegate = PostDelegate(images, self)
        self.delegate.set_accounts(accounts)
        self.view = self._list_view()
        self.hidden_rows = HiddenRows(self.view, self.model, self.delegate.covers, self)
        self.feed = TimelineFeed(tasks, service, self.model, self._ids(), self.reading_row, self,
                                 geometry=lambda: self.delegate.geometry(self.view))
        self.actions_ = PostActions(tasks, lambda: self._accounts, self)
        self.title = QLabel()
        self.title.setObjectName("column_title")
        self.title.setWordWrap(True)  # a long account name never widens the column
        self.banners = ErrorBanners()
        self.banners.hide()
        self.new_posts = QPushButton()
        self.new_posts.setObjectName("new_posts_bar")
        self.new_posts.setAccessibleName(self.tr("Show the new posts"))
        self.new_posts.hide()
        self.new_posts.clicked.connect(self.show_new_posts)
        self._first_paint_logged = False
        self._wire(images)
        self._build()
        self._update_title()

    # -- building ---------------------------------------------------------------------------

    @staticmethod
    def make_list_view(model: TimelineModel, delegate: PostDelegate) -> PostList:
        """The list of a column (and of ``bench/timeline_bench.py``).

        QListView sizes every row again after each insertion or removal: ``Batched`` spreads
        that over event-loop passes, each sized to take about ``batching.LAYOUT_BUDGET_S``
        (``PostList``), so ten thousand rows never block the GUI thread for a frame."""
        view = PostList()
        view.setModel(model)
        view.setItemDelegate(delegate)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Always there, so the rows' width (and every measured height) does not change the
        # moment the list first overflows.
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        view.verticalScrollBar().setSingleStep(24)
        view.setResizeMode(QListView.ResizeMode.Adjust)
        # A list of one column lays its rows out again on a resize only when it wraps text:
        # without this, a narrower column (another one added) keeps the rows' old heights,
        # and they overlap or are cut.
        view.setWordWrap(True)
        view.setLayoutMode(QListView.LayoutMode.Batched)
        return view

    def _list_view(self) -> PostList:
        view = self.make_list_view(self.model, self.delegate)
        view.rows_painted.connect(self._on_rows_painted)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.setMouseTracking(True)
        view.setAccessibleName(self.tr("Posts"))
        accessible.set_row_actions(view, self.row_actions)
        return view

    def row_actions(self, index: QModelIndex) -> list[RowAction]:
        """What a screen reader offers on a post's row: the single-letter keys' actions."""
        post = self.model.post_at(index.row())
        like = self.tr("Unlike") if post.liked else self.tr("Like")
        repost = self.tr("Undo the share") if post.reposted else self.tr("Share")

        def on_row(run: Callable[[], object]) -> Callable[[], None]:
            def go() -> None:
                self.view.setCurrentIndex(index)
                run()
            return go

        return [
            RowAction("reply", self.tr("Reply"), on_row(lambda: self.actions_.reply(post)), "R"),
            RowAction("repost", repost,
                      on_row(lambda: self.actions_.toggle_repost(post)), "B"),
            RowAction("like", like, on_row(lambda: self.actions_.toggle_like(post)), "L"),
            RowAction("open", self.tr("Open in the browser"),
                      on_row(lambda: self.actions_.open_in_browser(post)), "O"),
            RowAction("quote", self.tr("Quote"),
                      on_row(lambda: self.actions_.reply(post, quote=True))),
            RowAction("thread", self.tr("Show the conversation"), on_row(self.open_thread),
                      "Enter"),
        ]

    def _wire(self, images: ImageLoader) -> None:
        images.image_loaded.connect(lambda _url: self.view.viewport().update())
        self.model.pending_changed.connect(self._on_pending)
        self.feed.errors_changed.connect(self._on_errors)
        self.banners.retry_requested.connect(self.feed.retry)
        self.delegate.link_activated.connect(self.open_link)
        self.delegate.image_activated.connect(self.open_image)
        self.view.customContextMenuRequested.connect(self._on_context_menu)
        self.actions_.post_updated.connect(self.model.update_post)
        self.actions_.error_occurred.connect(lambda text: self.message.emit(text, True))
        self.actions_.notice.connect(lambda text: self.message.emit(text, False))
        self._keys: dict[int, Callable[[], object]] = {
            Qt.Key.Key_J: lambda: self.move(1),
            Qt.Key.Key_K: lambda: self.move(-1),
            Qt.Key.Key_Return: self.open_thread,
            Qt.Key.Key_Enter: self.open_thread,
            Qt.Key.Key_R: lambda: self._with_post(self.actions_.reply),
            Qt.Key.Key_L: lambda: self._with_post(self.actions_.toggle_like),
            Qt.Key.Key_B: lambda: self._with_post(self.actions_.toggle_repost),
            Qt.Key.Key_O: lambda: self._with_post(self.actions_.open_in_browser),
            Qt.Key.Key_F5: self.refresh,
        }
        self.view.installEventFilter(self)

    def _build(self) -> None:
        close = QToolButton()
        close.setText("✕")
        close.setAccessibleName(self.tr("Close the column"))
        close.setToolTip(self.tr("Close the column"))
        close.clicked.connect(self.close_requested)
        header = QHBoxLayout()
        header.setContentsMargins(8, 4, 4, 4)
        header.addWidget(self.title, 1)
        header.addWidget(close)
        self.new_posts.setStyleSheet(
            "#new_posts_bar { background: #0b57d0; color: white; border: none; padding: 6px;"
            " font-weight: bold; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.banners)
        layout.addWidget(self.new_posts)
        layout.addWidget(self.hidden_rows.button)
        layout.addWidget(self.view, 1)

    def _ids(self) -> list[str]:
        if self.spec == UNIFIED:
            return sorted(self._accounts, key=lambda a: self._accounts[a].position)
        return [self.spec] if self.spec in self._accounts else []

    def _update_title(self) -> None:
        if self.spec == UNIFIED:
            text = self.tr("Unified home")
        else:
            account = self._accounts.get(self.spec)
            text = self.tr("Home of {account}").format(  # its handle and network: twins apart
                account=account_title(account) if account is not None
                else account_name(self.spec, self._accounts))
        self.title.setText(f"<b>{text}</b>")
        self.title.setAccessibleName(text)
        self.setAccessibleName(text)

    # -- state ------------------------------------------------------------------------------

    def set_accounts(self, accounts: dict[str, Account]) -> None:
        self._accounts = accounts
        self.model.set_accounts(accounts)
        self.delegate.set_accounts(accounts)
        self._update_title()
        self.feed.set_account_ids(self._ids())
        self.view.viewport().update()

    def start(self) -> None:
        self.feed.start()

    def refresh(self) -> None:
        self.feed.refresh()

    def show_own(self, posts: Sequence[Post]) -> int:
        """Posts the user just published: those of this column's accounts go in at once, at
        the top, without the "new posts" bar; a user reading further down keeps the same post
        at the top of the list. Returns how many rows were inserted."""
        ids = set(self.feed.account_ids)
        mine = [post for post in posts if post.seen_by[:1] and post.seen_by[0] in ids]
        if not mine:
            return 0
        index = self.view.indexAt(QPoint(4, 1))
        at_top = not index.isValid() or self.view.verticalScrollBar().value() == 0
        reading = QPersistentModelIndex(index)
        offset = self.view.visualRect(index).top()
        inserted = self.model.add_now(mine, {})
        if not at_top and reading.isValid():
            self.view.scrollTo(QModelIndex(reading), QAbstractItemView.ScrollHint.PositionAtTop)
            bar = self.view.verticalScrollBar()
            bar.setValue(bar.value() - offset)  # the row as far up as it was
        return inserted

    def reading_row(self) -> int:
        """The first row visible at the top of the list (what the user is reading)."""
        index = self.view.indexAt(QPoint(4, 1))
        return index.row() if index.isValid() else 0

    def current_post(self) -> Post | None:
        index = self.view.currentIndex()
        if not index.isValid():
            index = self.view.indexAt(QPoint(4, 1))
        return self.model.post_at(index.row()) if index.isValid() else None

    def move(self, delta: int) -> None:
        rows = self.model.rowCount()
        if not rows:
            return
        current = self.view.currentIndex()
        row = current.row() + delta if current.isValid() else self.reading_row()
        index = self.model.index(max(0, min(rows - 1, row)))
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtTop)

    def show_new_posts(self) -> None:
        self.model.show_pending()
        if self.model.rowCount():
            self.view.scrollToTop()
            self.view.setCurrentIndex(self.model.index(0))

    def open_thread(self) -> None:
        post = self.current_post()
        if post is not None:
            from paris_desk.ui.timeline.thread_dialog import ThreadDialog  # opened rarely

            ThreadDialog(self, post).open()

    def open_link(self, url: str) -> bool:
        """In the system's browser; a message in the window when none opens it."""
        return links.open_link(url, lambda text: self.message.emit(text, True))

    def open_image(self, post: Post, index: int) -> ImageViewer:
        """The post's images in the app, with their descriptions (a click on an image)."""
        return _open_image(self, post, index)

    def _with_post(self, action: Callable[[Post], object]) -> None:
        post = self.current_post()
        if post is not None:
            action(post)

    # -- slots ------------------------------------------------------------------------------

    def _on_pending(self, count: int) -> None:
        self.new_posts.setText(self.tr("%n new post(s)", "", count))
        self.new_posts.setAccessibleName(self.new_posts.text())
        if count > 0 and not self.new_posts.isVisible():
            accessible.announce(self.new_posts, self.new_posts.text())  # new posts arrived
        self.new_posts.setVisible(count > 0)

    def _on_errors(self) -> None:
        self.banners.show_errors(self.feed.errors, self._accounts)

    def _on_context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        self.view.setCurrentIndex(index)
        menu = self.actions_.menu(self.model.post_at(index.row()), self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.view.viewport().mapToGlobal(pos))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            return self._on_key(event)
        return False

    def _on_key(self, event: QEvent) -> bool:
        """The reading keys (j/k, Enter, r, l, b, o, F5), without modifiers."""
        if not isinstance(event, QKeyEvent) or event.modifiers() & ~(
            Qt.KeyboardModifier.KeypadModifier
        ):
            return False
        action = self._keys.get(event.key())
        if action is None:
            return False
        action()
        return True

    @property
    def painted(self) -> bool:
        return self._first_paint_logged

    def _on_rows_painted(self, at: float) -> None:
        self._first_paint_logged = True
        QTimer.singleShot(0, self, lambda: self._after_first_paint(at))  # not inside the paint

    def _after_first_paint(self, at: float) -> None:
        # The process's CPU time beside the moment: the bench's figure on a busy machine.
        log.info("timeline: first paint with %d posts at %.3f (process CPU %.0f ms)",
                 self.model.rowCount(), at, time.process_time() * 1000)
        self.first_painted.emit()


def _open_image(column: TimelineColumn, post: Post, index: int) -> ImageViewer:
    viewer = ImageViewer(post, index, column.images, column.open_link, column)
    viewer.open()
    return viewer


