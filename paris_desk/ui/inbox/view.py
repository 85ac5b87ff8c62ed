"""The inbox view: every account's notifications in one filtered list, the conversation of the
selected one beside it, answered in place as the account that was mentioned.

Network and database work goes through the ``TaskManager`` (``InboxService`` methods run on
its pool); slots only update the model and widgets. Each snapshot request carries a generation
number and an older answer is dropped. Keyboard, when the list has focus: j/k next/previous,
Enter opens the conversation, r reply, e handled, u unread.

Reading is per item: selecting an item or group marks it read, and the servers' read watermark
(Mastodon markers, Bluesky ``updateSeen``) moves only over what was seen (``mark_seen``). "Mark
all as read" is its own button (``mark_shown_read``, the accounts shown). ``counts_changed``
carries the unread and "à traiter" counts (accounts panel, window title, tray).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSettings, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDesktopServices, QGuiApplication, QHideEvent, QKeyEvent
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
from paris_desk.services.api import Handled, Handling
from paris_desk.services.inbox import (
    InboxCounts,
    InboxItem,
    InboxService,
    InboxSnapshot,
    counts_of,
    reply_prefix,
)
from paris_desk.services.outbox import JobState
from paris_desk.services.reactions import PostAction
from paris_desk.services.workers import TaskManager
from paris_desk.ui import accessible, links
from paris_desk.ui.accessible import RowAction
from paris_desk.ui.accounts.naming import account_icon, account_title
from paris_desk.ui.avatars import ImageLoader
from paris_desk.ui.errors import describe
from paris_desk.ui.inbox.actions import UndoBar
from paris_desk.ui.inbox.delegate import InboxDelegate
from paris_desk.ui.inbox.detail import InboxDetail
from paris_desk.ui.inbox.model import InboxFilterModel, InboxModel, InboxRole, summary
from paris_desk.ui.inbox.moderation import InboxModeration
from paris_desk.ui.shell.tray import InboxTray
from paris_desk.ui.timeline.acting import ShareDialog
from paris_desk.ui.timeline.post_text import account_name

log = logging.getLogger(__name__)
T = TypeVar("T")

THREAD_DELAY_MS = 200
REFRESH_INTERVAL_MS = 60_000
ACTION_KINDS = ("mention", "reply", "quote")


class InboxView(InboxModeration, QWidget):
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

    # -- read state --------------------------------------------------------------------------
    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt API
        super().hideEvent(event)
        self._thread_timer.stop()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        for timer in (self._refresh_timer, self._thread_timer):
            timer.stop()
        super().closeEvent(event)

    def mark_seen(self, item: InboxItem) -> None:
        """``item`` was looked at: read here at once, then on its server as far as it can go
        (``InboxService.mark_seen``)."""
        if not item.unread:
            return
        self._update(replace(item, unread=False))

        def failed(exc: Exception) -> None:
            log.info("inbox: read state not sent for %s: %s", item.account_id,
                     type(exc).__name__)
            self.error_occurred.emit(describe(exc, self._name(item)))

        self.tasks.run(lambda: self.service.mark_seen(item), None, failed)

    @Slot()
    def mark_shown_read(self) -> None:
        """"Mark all as read": everything the accounts shown hold, here and on the servers."""
        shown = self.proxy.shown_accounts(self._accounts)

        def done(result: tuple[dict[str, Any], InboxSnapshot]) -> None:
            failures, snapshot = result
            self._apply(snapshot, self._applied)
            for account_id, exc in failures.items():
                self.error_occurred.emit(describe(exc, account_name(account_id, self._accounts)))
            self.marked_read.emit()

        ids = list(self._accounts)
        self.tasks.run(lambda: (self.service.mark_read(shown), self.service.snapshot(ids)),
                       done, self._report)

    def _counts_changed(self) -> None:
        counts = counts_of(self.model.items())
        self.counts_label.setText(self.tr("{unread} unread · {todo} to handle").format(
            unread=counts.unread, todo=counts.to_handle))
        if self.tray is not None:
            self.tray.set_counts(counts)
        self.counts_changed.emit(counts)

    def counts(self) -> InboxCounts:
        return counts_of(self.model.items())

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

    def move_selection(self, delta: int) -> None:
        count = self.proxy.rowCount()
        if count:
            row = min(max(self.list.currentIndex().row() + delta, 0), count - 1)
            self.list.setCurrentIndex(self.proxy.index(row, 0))

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

    # -- triage ------------------------------------------------------------------------------
    @Slot()
    def start_reply(self) -> None:
        item = self.current_item()
        account = self._accounts.get(item.account_id) if item is not None else None
        if item is None or account is None or item.post is None:
            return
        self.detail.start_reply(reply_prefix(item, account))

    def set_composer(self, open_reply: Callable[[Post, str], None] | None) -> None:
        """Offer "Compose…": the window's composer, for a reply with media or a long text
        (its answer is noticed in the thread, which marks the item answered)."""
        self._open_in_composer = open_reply
        self.detail.composer_button.setVisible(open_reply is not None)

    @Slot()
    def reply_in_composer(self) -> None:
        item = self.current_item()
        post = self._post_of(item) if item is not None else None
        if item is not None and post is not None and self._open_in_composer is not None:
            self._open_in_composer(post, item.account_id)

    @Slot(str)
    def send_reply(self, text: str) -> None:
        """Answer the item with ``text`` as the account it was for, through the application
        core: the reply is a draft checked and queued in the durable outbox like any post, so
        a failure or a crash never loses it and a second click never sends it twice."""
        item = self.current_item()
        if item is None or item.post is None or self.answer is None:
            return
        self.detail.set_sending(True)
        answer = self.answer

        def done(outcome: Any) -> None:
            self.detail.set_sending(False)
            self.detail.reply_edit.clear()
            sent = [job for job in outcome.jobs if job.state is JobState.SENT]
            if sent:  # the reply in the timeline at once, as the outbox pump's posts
                self.jobs_sent.emit(sent)
            post = outcome.first_post
            if outcome.sent and post is not None:
                self.detail.reply_status.setText(self.tr("Reply sent as {account}.").format(
                    account=self._name(item)))
                self._update_key(item.key, handled=Handled(Handling.ANSWERED, post.created_at,
                                                            post.uri))
                self.reply_sent.emit(post)
                if item.post is not None:
                    self.replied_to.emit(item.post.uri)
                self.open_thread()
                return
            self.detail.reply_status.setText(self.tr(
                "Reply to send as {account}: kept in the outbox, it will be sent as soon as "
                "possible.").format(account=self._name(item)))

        def failed(exc: Exception) -> None:
            self.detail.set_sending(False)
            self.detail.reply_status.setText(describe(exc, self._name(item)))

        self.tasks.run(lambda: answer(item, text), done, failed)

    @Slot()
    def toggle_handled(self) -> None:
        item = self.current_item()
        if item is None or not item.group.needs_action:
            return
        handled = item.handled is None
        mark = Handled(Handling.DISMISSED, datetime.now(UTC)) if handled else None
        self._update(replace(item, handled=mark))
        self.tasks.run_db(lambda: self.service.set_handled(item, handled),
                          None, self._undo_on_error(item))

    @Slot()
    def toggle_unread(self) -> None:
        item = self.current_item()
        if item is None:
            return
        self._update(replace(item, unread=not item.unread))
        self.tasks.run_db(lambda: self.service.set_unread(item, not item.unread),
                          None, self._undo_on_error(item))

    def _undo_on_error(self, item: InboxItem) -> Callable[[Exception], None]:
        def failed(exc: Exception) -> None:
            self._update(item)
            self._report(exc)
        return failed

    def _update(self, item: InboxItem) -> None:
        self.model.update_item(item)
        self._counts_changed()
        current = self.current_item()
        if current is not None and current.key == item.key:
            self.detail.set_state(item.handled is not None, item.unread)

    def _update_key(self, key: GroupKey, **changes: Any) -> None:
        row = self.model.row_of(key)
        if row >= 0:
            self._update(replace(self.model.item_at(row), **changes))

    # -- acting ------------------------------------------------------------------------------
    def _share(self, on: bool) -> ShareDialog | None:
        """Share as the item's account, after a confirmation that names it (unless the
        Préférences turned it off, as in the timeline); undoing a share asks nothing."""
        item = self.current_item()
        post = self._post_of(item) if item is not None else None
        account = self._accounts.get(item.account_id) if item is not None else None
        if not on or post is None or account is None or not self.confirm_shares():
            self._react("repost", on)
            return None
        dialog = ShareDialog(post, [account], account.id, self)

        def confirmed() -> None:
            if dialog.dont_ask.isChecked():
                self.stop_confirming()
            self._react("repost", True)

        dialog.accepted.connect(confirmed)
        dialog.rejected.connect(lambda: self.detail.set_reacted(post))
        dialog.open()
        return dialog

    def _react(self, what: str, on: bool) -> None:
        item = self.current_item()
        post = self._post_of(item) if item is not None else None
        react = self.react
        if item is None or post is None or react is None:
            return
        if what == "like":
            action = PostAction.LIKE if on else PostAction.UNLIKE
        else:
            action = PostAction.REPOST if on else PostAction.UNREPOST

        def done(fresh: Post) -> None:
            self._posts[item.key] = fresh
            self.detail.set_reacted(fresh)
            self.action_done.emit(what)

        def failed(exc: Exception) -> None:
            self.detail.set_reacted(post)
            self.error_occurred.emit(describe(exc, self._name(item)))

        self.tasks.run(lambda: react(item.account_id, action, post), done, failed)

    @Slot()
    def open_in_browser(self) -> None:
        item = self.current_item()
        post = self._post_of(item) if item is not None else None
        if post is not None:
            self._on_link(post.url or post.uri)

    def _on_link(self, url: str) -> None:
        """In the system's browser; a message in the window when none opens it."""
        if not url.lower().startswith(links.SCHEMES):
            self.error_occurred.emit(self.tr("This link cannot be opened: {url}").format(
                url=url[:200]))
        elif self.open_url(QUrl(url)) is False:
            QGuiApplication.clipboard().setText(url)
            self.error_occurred.emit(self.tr(
                "No browser could open the link. It is copied: paste it in a browser. ({url})"
            ).format(url=url[:200]))

    # -- keyboard ----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)  # noqa: S101 - KeyPress events are QKeyEvents
            if self._on_key(event):
                return True
        return super().eventFilter(watched, event)

    def _on_key(self, event: QKeyEvent) -> bool:
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        key = event.key()
        actions: dict[int, Callable[[], None]] = {
            Qt.Key.Key_J: lambda: self.move_selection(1),
            Qt.Key.Key_K: lambda: self.move_selection(-1),
            Qt.Key.Key_Return: self._enter,
            Qt.Key.Key_Enter: self._enter,
            Qt.Key.Key_R: self.start_reply,
            Qt.Key.Key_E: self.toggle_handled,
            Qt.Key.Key_U: self.toggle_unread,
        }
        action = actions.get(key)
        if action is None:
            return False
        action()
        return True

    def focus_target(self) -> QWidget:
        """What takes the keyboard when the window shows this view (Ctrl+<n>): the list."""
        return self.list

    def row_actions(self, index: QModelIndex) -> list[RowAction]:
        """What a screen reader offers on a row: the list's keys, on that row."""
        item = index.data(InboxRole.ITEM)
        if not isinstance(item, InboxItem):
            return []

        def on_row(run: Callable[[], object]) -> Callable[[], None]:
            def go() -> None:
                self.list.setCurrentIndex(index)
                run()
            return go

        actions = [RowAction("thread", self.tr("Show the conversation"), on_row(self._enter),
                             "Enter")]
        if item.post is not None:
            actions.append(RowAction("reply", self.tr("Reply"), on_row(self.start_reply), "R"))
            actions.append(RowAction("open", self.tr("Open in the browser"),
                                     on_row(self.open_in_browser)))
        if item.group.needs_action:
            handled = self.tr("Not handled") if item.handled else self.tr("Handled")
            actions.append(RowAction("handled", handled, on_row(self.toggle_handled), "E"))
        unread = self.tr("Mark as read") if item.unread else self.tr("Keep unread")
        actions.append(RowAction("unread", unread, on_row(self.toggle_unread), "U"))
        return actions

    def _enter(self) -> None:
        self._thread_timer.stop()
        self.open_thread()
        self.detail.thread_view.setFocus()

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


