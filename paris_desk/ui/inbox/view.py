"""The inbox view: every account's notifications in one filtered list, the conversation of the
selected one beside it, answered in place as the account that was mentioned.

Network and database work goes through the ``TaskManager`` (``InboxService`` methods run on
its pool); slots only update the model and widgets. Each snapshot request carries a generation
number and an older answer is dropped. This module builds the view, loads and shows the
inbox, and follows the selection; its behaviours are mixins, one module each: the keyboard
and row actions (``keyboard``), read and "à traiter" state and the counts (``reading``), the
reply box (``replying``), likes, shares and links (``reacting``), mute, block and report
(``moderation``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QModelIndex, QObject, QSettings, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDesktopServices, QHideEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from paris_desk.core.model import Account, NotificationKind, Post
from paris_desk.core.notifications import GroupKey
from paris_desk.services.api import Handled
from paris_desk.services.inbox import InboxItem, InboxService, InboxSnapshot
from paris_desk.services.reactions import PostAction
from paris_desk.services.workers import TaskManager
from paris_desk.ui import accessible
from paris_desk.ui.accounts.naming import account_icon, account_title
from paris_desk.ui.avatars import ImageLoader
from paris_desk.ui.errors import describe
from paris_desk.ui.inbox.actions import UndoBar
from paris_desk.ui.inbox.delegate import InboxDelegate
from paris_desk.ui.inbox.detail import InboxDetail
from paris_desk.ui.inbox.keyboard import InboxKeyboard
from paris_desk.ui.inbox.model import InboxFilterModel, InboxModel, InboxRole, summary
from paris_desk.ui.inbox.moderation import InboxModeration
from paris_desk.ui.inbox.reacting import InboxReacting
from paris_desk.ui.inbox.reading import InboxReading
from paris_desk.ui.inbox.replying import InboxReplying
from paris_desk.ui.shell.tray import InboxTray
from paris_desk.ui.timeline.post_text import account_name

log = logging.getLogger(__name__)
T = TypeVar("T")

THREAD_DELAY_MS = 200
REFRESH_INTERVAL_MS = 60_000
ACTION_KINDS = ("mention", "reply", "quote")


class InboxView(InboxKeyboard, InboxReading, InboxReplying, InboxReacting, InboxModeration,
                QWidget):
    counts_changed = Signal(object)  # InboxCounts
    error_occurred = Signal(str)
    loaded = Signal()  # a snapshot was shown
    marked_read = Signal()
    thread_loaded = Signal(object)  # Thread
    reply_sent = Signal(object)  # Post
    jobs_sent = Signal(list)  # the outbox jobs an answer sent (SENT, with their posts)
    replied_to = Signal(str)  # the uri of the post just answered (its reply count, at once)
    action_done = Signal(str)  # "like", "repost", "mute", "unmute", "block", "unblock", "report"

    def __init__(self, tasks: TaskManager, service: InboxService,
                 accounts: Callable[[], list[Account]], settings: QSettings | None = None, *,
                 images: ImageLoader | None = None, tray: InboxTray | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inbox_view")
        self.setAccessibleName(self.tr("Inbox"))
        self.tasks, self.service, self.tray = tasks, service, tray
        self._list_accounts = accounts
        self.open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl
        self._open_in_composer: Callable[[Post, str], None] | None = None
        self.confirm_shares: Callable[[], bool] = lambda: True  # the Préférences, once wired
        self.stop_confirming: Callable[[], object] = lambda: None
        self._accounts: dict[str, Account] = {}
        self._generation = self._applied = 0
        self._edits = {}  # the user's changes still on their way to the store (InboxReading)
        self._thread_generation = 0
        self.answer: Callable[[InboxItem, str], Any] | None = None  # Desk.answer, once installed
        self.react: Callable[[str, PostAction, Post], Post] | None = None  # Desk.react, idem
        self._posts: dict[GroupKey, Post] = {}  # the selected posts after a like or share
        self._shown_key: GroupKey | None = None
        self.model = InboxModel(self)
        self.proxy = InboxFilterModel(settings, self)
        self.proxy.setSourceModel(self.model)
        self.model.older_requested.connect(self._on_older_requested)
        self._build(images)
        self._timers()
        if tray is not None:
            tray.item_activated.connect(self.select)

    # -- building ----------------------------------------------------------------------------
    def _build(self, images: ImageLoader | None) -> None:
        self.list = QListView()
        self.list.setAccessibleName(self.tr("Notifications"))
        accessible.set_row_actions(self.list, self.row_actions)
        self.list.setModel(self.proxy)
        self.list.setItemDelegate(InboxDelegate(images, self.list))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # Rows take the list's width (their texts are elided), never a sideways scroll.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.installEventFilter(self)
        self.list.selectionModel().currentChanged.connect(self._on_current_changed)
        self.detail = InboxDetail()
        self.undo_bar = UndoBar()
        self._wire_detail()
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._filter_bar())
        layout.addWidget(self.undo_bar)
        layout.addWidget(splitter, 1)

    def _filter_bar(self) -> QVBoxLayout:
        self.account_filter = QComboBox()
        self.account_filter.setAccessibleName(self.tr("Filter by account"))
        # "Tous les comptes" whole at any width; the popup shows each account's whole name.
        self.account_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.account_filter.setMinimumContentsLength(16)
        self.account_filter.view().setTextElideMode(Qt.TextElideMode.ElideNone)
        self.account_filter.currentIndexChanged.connect(self._on_account_filter)
        self.kind_filter = QComboBox()
        self.kind_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.kind_filter.setMinimumContentsLength(16)
        self.kind_filter.setAccessibleName(self.tr("Filter by kind"))
        for label, kinds in (
            (self.tr("All kinds"), ()),
            (self.tr("Mentions, replies and quotes"), ACTION_KINDS),
            (self.tr("Likes"), ("like",)),
            (self.tr("Shares"), ("repost",)),
            (self.tr("Follows"), ("follow",)),
        ):
            self.kind_filter.addItem(label, ",".join(kinds))
        self.kind_filter.setCurrentIndex(max(0, self.kind_filter.findData(
            ",".join(sorted(self.proxy.kinds, key=_kind_order)))))
        self.kind_filter.currentIndexChanged.connect(self._on_kind_filter)
        self.unread_check = QCheckBox(self.tr("&Unread only"))
        self.unread_check.setAccessibleName(self.tr("Unread only"))
        self.unread_check.setChecked(self.proxy.unread_only)
        self.unread_check.toggled.connect(self.proxy.set_unread_only)
        self.todo_check = QCheckBox(self.tr("&To handle"))
        self.todo_check.setAccessibleName(self.tr("To handle only"))
        self.todo_check.setChecked(self.proxy.to_handle_only)
        self.todo_check.toggled.connect(self.proxy.set_to_handle_only)
        self.mark_all_button = QToolButton()
        self.mark_all_button.setText(self.tr("Mark all as read"))
        self.mark_all_button.setAccessibleName(self.tr("Mark all as read"))
        self.mark_all_button.setToolTip(self.tr(
            "Mark as read every notification of the accounts shown, here and on the servers"))
        self.mark_all_button.clicked.connect(self.mark_shown_read)
        self.refresh_button = QToolButton()
        self.refresh_button.setText(self.tr("Refresh"))
        self.refresh_button.setAccessibleName(self.tr("Refresh the inbox"))
        self.refresh_button.clicked.connect(self.refresh)
        self.counts_label = QLabel()
        accessible.mark_counter(self.counts_label)  # its counts are its value
        self.counts_label.setAccessibleName(self.tr("Inbox counts"))
        account_label = QLabel(self.tr("&Account:"))
        account_label.setAccessibleName(self.tr("Account:"))
        account_label.setBuddy(self.account_filter)  # the box is announced with this label
        kind_label = QLabel(self.tr("&Kind:"))
        kind_label.setAccessibleName(self.tr("Kind:"))
        kind_label.setBuddy(self.kind_filter)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 6, 6, 0)
        for widget in (account_label, self.account_filter, kind_label, self.kind_filter,
                       self.unread_check, self.todo_check):
            bar.addWidget(widget)
        bar.addStretch(1)
        # The counts and the actions on a second line: on one, the inbox alone was 1,014 px
        # wide at least, and the window did not fit a 1,100 px screen.
        actions = QHBoxLayout()
        actions.setContentsMargins(6, 2, 6, 0)
        actions.addWidget(self.counts_label)
        actions.addStretch(1)
        actions.addWidget(self.mark_all_button)
        actions.addWidget(self.refresh_button)
        rows = QVBoxLayout()
        rows.setSpacing(0)
        rows.addLayout(bar)
        rows.addLayout(actions)
        return rows

    def _wire_detail(self) -> None:
        d = self.detail
        d.reply_button.clicked.connect(self.start_reply)
        d.composer_button.clicked.connect(self.reply_in_composer)
        d.like_button.clicked.connect(lambda on: self._react("like", on))
        d.repost_button.clicked.connect(self._share)
        d.open_button.clicked.connect(self.open_in_browser)
        d.handled_button.clicked.connect(lambda _on: self.toggle_handled())
        d.unread_button.clicked.connect(lambda _on: self.toggle_unread())
        d.mute_button.clicked.connect(lambda: self.moderate("mute"))
        d.block_button.clicked.connect(lambda: self.moderate("block"))
        d.report_button.clicked.connect(self.report)
        d.send_requested.connect(self.send_reply)
        d.link_activated.connect(self._on_link)

    def _timers(self) -> None:
        self._thread_timer = _single_shot(self, THREAD_DELAY_MS, self.open_thread)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(REFRESH_INTERVAL_MS)
        self._refresh_timer.timeout.connect(self.refresh)

    # -- loading -----------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the accounts, show the stored inbox at once, then fetch what is new."""
        def loaded(result: tuple[list[Account], InboxSnapshot]) -> None:
            accounts, snapshot = result
            self.set_accounts(accounts)
            self._apply(snapshot, 0)
            self.refresh()
            self._refresh_timer.start()

        def work() -> tuple[list[Account], InboxSnapshot]:
            accounts = self._list_accounts()
            return accounts, self.service.snapshot([a.id for a in accounts])

        self.tasks.run(work, loaded, self._report)

    @Slot()
    def refresh(self) -> None:
        self._request(lambda ids: self.service.refresh(ids))

    def _request(self, op: Callable[[list[str]], InboxSnapshot],
                 after: Callable[[InboxSnapshot], None] | None = None) -> None:
        self._generation += 1
        generation, ids = self._generation, list(self._accounts)

        def done(snapshot: InboxSnapshot) -> None:
            self._apply(snapshot, generation, fresh=True)
            if after is not None:
                after(snapshot)

        self.tasks.run(lambda: op(ids), done, self._report)

    def _apply(self, snapshot: InboxSnapshot, generation: int, *, fresh: bool = False) -> None:
        """Show ``snapshot``; ``fresh`` when it holds what the servers just sent."""
        if generation < self._applied:
            return  # an older answer than the one shown
        self._applied = generation
        snapshot = self.with_edits(snapshot, generation)
        self.model.set_items(snapshot.items, snapshot.has_older)
        for account_id, exc in snapshot.failures.items():
            self.error_occurred.emit(describe(exc, account_name(account_id, self._accounts)))
        if self.tray is not None:
            self.tray.announce(snapshot.items)  # the first call only learns what is there
        self._counts_changed()
        self._show_current()
        self.loaded.emit()

    @Slot()
    def _on_older_requested(self) -> None:
        self._request(lambda ids: self.service.load_older(ids),
                      lambda snapshot: self.model.finish_fetch(snapshot.has_older))

    def set_accounts(self, accounts: list[Account]) -> None:
        """Names, colours and the account filter (a label or colour changed)."""
        self._accounts = {a.id: a for a in accounts}
        self.model.set_accounts(accounts)
        self.account_filter.blockSignals(True)
        self.account_filter.clear()
        self.account_filter.addItem(self.tr("All accounts"), "")
        for account in accounts:
            self.account_filter.addItem(account_icon(account), account_title(account),
                                        account.id)
        chosen = next(iter(self.proxy.account_ids), "") if len(self.proxy.account_ids) == 1 else ""
        self.account_filter.setCurrentIndex(max(0, self.account_filter.findData(chosen)))
        popup = self.account_filter.view()
        popup.setMinimumWidth(popup.sizeHintForColumn(0) + 24)
        self.account_filter.blockSignals(False)

    # -- life cycle --------------------------------------------------------------------------
    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt API
        super().hideEvent(event)
        self._thread_timer.stop()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        for timer in (self._refresh_timer, self._thread_timer):
            timer.stop()
        super().closeEvent(event)

    # -- selection ---------------------------------------------------------------------------
    def current_item(self) -> InboxItem | None:
        index = self.list.currentIndex()
        item = index.data(InboxRole.ITEM) if index.isValid() else None
        return item if isinstance(item, InboxItem) else None

    def _post_of(self, item: InboxItem) -> Post | None:
        return self._posts.get(item.key, item.post)

    @Slot(object)
    def select(self, key: GroupKey) -> None:
        row = self.model.row_of(key)
        index = self.proxy.mapFromSource(self.model.index(row)) if row >= 0 else QModelIndex()
        if index.isValid():
            self.list.setCurrentIndex(index)
            self.list.scrollTo(index)

    @Slot(QModelIndex, QModelIndex)
    def _on_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if current.data(InboxRole.KEY) == self._shown_key:
            return  # the same item, its row moved
        self.detail.reply_edit.clear()
        self.detail.reply_status.clear()
        self._show_current()
        if current.isValid():
            self._thread_timer.start()
            item = self.current_item()
            self.proxy.pin(item.key if item is not None else None)
            if item is not None:
                self.mark_seen(item)

    def _show_current(self) -> None:
        """Fill the pane for the selected item; only its state when it is already shown."""
        item = self.current_item()
        if item is not None and item.key == self._shown_key:
            self.detail.set_state(item.handled is not None, item.unread)
            return
        self._shown_key = item.key if item is not None else None
        if item is None:
            self.detail.show_item(None)
            return
        account = self._accounts.get(item.account_id)
        name = account_name(item.account_id, self._accounts)
        header = self.tr("{summary} — for {account}").format(summary=summary(item), account=name)
        self.detail.show_item(header, self._post_of(item), reply_as=name,
                              can_moderate=account is not None)
        self.detail.set_state(item.handled is not None, item.unread)

    @Slot()
    def open_thread(self) -> None:
        """Load the conversation of the selected item (key Enter)."""
        item = self.current_item()
        post = self._post_of(item) if item is not None else None
        if item is None or post is None:
            return
        self._thread_generation += 1
        generation = self._thread_generation

        def work() -> tuple[Any, Handled | None]:
            thread = self.service.thread(item.account_id, post)
            return thread, self.service.note_thread(item, thread)

        def done(result: tuple[Any, Handled | None]) -> None:
            if generation != self._thread_generation:
                return
            thread, mark = result
            self.detail.show_thread(thread)
            if mark is not None:
                self._update_key(item.key, handled=mark)
            self.thread_loaded.emit(thread)

        def failed(exc: Exception) -> None:
            if generation == self._thread_generation:
                self.detail.show_status(describe(exc, self._name(item)))

        self.detail.show_status(self.tr("Loading the conversation…"))
        self.tasks.run(work, done, failed)

    # -- helpers -----------------------------------------------------------------------------
    def _name(self, item: InboxItem) -> str:
        return account_name(item.account_id, self._accounts)

    def _report(self, exc: Exception) -> None:
        self.error_occurred.emit(describe(exc))

    def _on_account_filter(self, index: int) -> None:
        account_id = self.account_filter.itemData(index)
        self.proxy.set_account_ids([account_id] if account_id else [])

    def _on_kind_filter(self, index: int) -> None:
        data = str(self.kind_filter.itemData(index) or "")
        self.proxy.set_kinds([k for k in data.split(",") if k])


def _single_shot(parent: QObject, ms: int, slot: Callable[[], None]) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(ms)
    timer.timeout.connect(slot)
    return timer


def _kind_order(kind: str) -> int:
    order = [k.value for k in NotificationKind]
    return order.index(kind) if kind in order else len(order)


