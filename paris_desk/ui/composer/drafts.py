"""Drafts in the composer: saved continuously, and a list to reopen any of them.

``DraftAutosaver`` saves at most one second after the first unsaved change (a throttle, not a
debounce that typing would keep postponing), through the task manager's single database
thread, in order: a crash or ``kill -9`` loses at most the last second of typing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QDateTime, QLocale, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from paris_desk.core.model import Draft
from paris_desk.services.api import DraftStore
from paris_desk.services.workers import TaskManager
from paris_desk.ui.errors import describe

log = logging.getLogger(__name__)

SAVE_DELAY_MS = 1000
PREVIEW_CHARS = 80


class DraftAutosaver(QObject):
    """Call ``mark_dirty()`` on every change; ``snapshot()`` (GUI thread, cheap) gives the draft
    to write when the timer fires."""

    saved = Signal(object)  # the Draft as stored
    failed = Signal(str)  # a sentence for the user

    def __init__(
        self,
        tasks: TaskManager,
        store: DraftStore,
        snapshot: Callable[[], Draft],
        delay_ms: int = SAVE_DELAY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._store = store
        self._snapshot = snapshot
        self._dirty = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._on_timeout)

    @property
    def dirty(self) -> bool:
        return self._dirty

    def mark_dirty(self) -> None:
        self._dirty = True
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Save now if anything changed (before switching drafts, at close)."""
        self._timer.stop()
        self._on_timeout()

    def discard(self) -> None:
        """Forget unsaved changes (the draft was deleted)."""
        self._timer.stop()
        self._dirty = False

    @Slot()
    def _on_timeout(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        draft = self._snapshot()
        store = self._store
        try:
            self._tasks.run_db(lambda: store.save(draft), self.saved.emit, self._on_error)
        except RuntimeError:  # the task manager has shut down: the application is quitting
            log.warning("draft %s not saved: the application is quitting", draft.id)

    def _on_error(self, exc: Exception) -> None:
        log.warning("draft not saved: %s", exc)
        self._dirty = True  # try again at the next change
        self.failed.emit(describe(exc))


class DraftsPanel(QWidget):
    """The saved drafts, newest first: open one, delete one, or start a new one."""

    open_requested = Signal(object)  # Draft
    new_requested = Signal()
    delete_requested = Signal(str)  # draft id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("Drafts"))
        self.title.setAccessibleName(self.tr("Drafts"))
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Saved drafts"))
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._on_activated)
        self.list.currentItemChanged.connect(self._update_buttons)
        self.new_button = QPushButton(self.tr("New draft"))
        self.new_button.setAccessibleName(self.tr("New draft"))
        self.new_button.clicked.connect(self.new_requested)
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.setAccessibleName(self.tr("Open the selected draft"))
        self.open_button.clicked.connect(lambda: self._on_activated(self.list.currentItem()))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.setAccessibleName(self.tr("Delete the selected draft"))
        self.delete_button.clicked.connect(self._on_delete)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.delete_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._drafts: dict[str, Draft] = {}
        self._current = ""
        self._update_buttons()

    def set_drafts(self, drafts: list[Draft], current_id: str = "") -> None:
        self._drafts = {d.id: d for d in drafts}
        self._current = current_id
        self.list.clear()
        for draft in drafts:
            item = QListWidgetItem(self._label(draft))
            item.setData(Qt.ItemDataRole.UserRole, draft.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, self._label(draft))
            self.list.addItem(item)
        self._update_buttons()

    def drafts(self) -> list[Draft]:
        return list(self._drafts.values())

    def ids(self) -> list[str]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def select(self, draft_id: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == draft_id:
                self.list.setCurrentRow(row)

    def _label(self, draft: Draft) -> str:
        text = " ".join(draft.text.split()) or self.tr("(empty)")
        if len(text) > PREVIEW_CHARS:
            text = text[: PREVIEW_CHARS - 1] + "…"
        when = ""
        if draft.updated_at is not None:
            moment = QDateTime.fromSecsSinceEpoch(int(draft.updated_at.timestamp()))
            when = QLocale().toString(moment, QLocale.FormatType.ShortFormat)
        label = self.tr("{text}\n{when}").format(text=text, when=when)
        if draft.batch_id:
            label += " — " + self.tr("being published")
        if draft.id == self._current:
            label += " — " + self.tr("open")
        return label

    @Slot()
    def _update_buttons(self, *_args: object) -> None:
        selected = self.list.currentItem() is not None
        self.open_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)

    def _on_activated(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        draft = self._drafts.get(item.data(Qt.ItemDataRole.UserRole))
        if draft is not None:
            self.open_requested.emit(draft)

    def _on_delete(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.delete_requested.emit(item.data(Qt.ItemDataRole.UserRole))
