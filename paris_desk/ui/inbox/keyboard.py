"""The inbox list from the keyboard: ``InboxView``'s keys and row actions, as a mixin.

When the list has focus: j/k next/previous, Enter opens the conversation (and moves the focus
into it), r reply, e handled, u unread. A screen reader offers the same on each row
(``row_actions``). Strings keep the ``InboxView`` context: PySide's ``tr`` takes its context
from the runtime class, so this base class names it explicitly.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent

from paris_desk.services.inbox import InboxItem
from paris_desk.ui.accessible import RowAction
from paris_desk.ui.inbox.model import InboxRole

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QListView, QWidget

    from paris_desk.ui.inbox.detail import InboxDetail
    from paris_desk.ui.inbox.model import InboxFilterModel

translate = QCoreApplication.translate


class InboxKeyboard:
    """Needs from the view: its list, proxy, detail pane and the actions the keys run."""

    if TYPE_CHECKING:
        list: QListView  # the view's attribute: ``builtins.list`` below
        proxy: InboxFilterModel
        detail: InboxDetail
        _thread_timer: QTimer

        def open_thread(self) -> None: ...

        def start_reply(self) -> None: ...

        def toggle_handled(self) -> None: ...

        def toggle_unread(self) -> None: ...

        def open_in_browser(self) -> None: ...

    def move_selection(self, delta: int) -> None:
        count = self.proxy.rowCount()
        if count:
            row = min(max(self.list.currentIndex().row() + delta, 0), count - 1)
            self.list.setCurrentIndex(self.proxy.index(row, 0))

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

    def row_actions(self, index: QModelIndex) -> builtins.list[RowAction]:
        """What a screen reader offers on a row: the list's keys, on that row."""
        item = index.data(InboxRole.ITEM)
        if not isinstance(item, InboxItem):
            return []

        def on_row(run: Callable[[], object]) -> Callable[[], None]:
            def go() -> None:
                self.list.setCurrentIndex(index)
                run()
            return go

        actions = [RowAction("thread", translate("InboxView", "Show the conversation"),
                             on_row(self._enter), "Enter")]
        if item.post is not None:
            actions.append(RowAction("reply", translate("InboxView", "Reply"),
                                     on_row(self.start_reply), "R"))
            actions.append(RowAction("open", translate("InboxView", "Open in the browser"),
                                     on_row(self.open_in_browser)))
        if item.group.needs_action:
            handled = (translate("InboxView", "Not handled") if item.handled
                       else translate("InboxView", "Handled"))
            actions.append(RowAction("handled", handled, on_row(self.toggle_handled), "E"))
        unread = (translate("InboxView", "Mark as read") if item.unread
                  else translate("InboxView", "Keep unread"))
        actions.append(RowAction("unread", unread, on_row(self.toggle_unread), "U"))
        return actions

    def _enter(self) -> None:
        self._thread_timer.stop()
        self.open_thread()
        self.detail.thread_view.setFocus()
