"""A post with its conversation (Enter in a timeline), painted like the timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QDialog, QLabel, QListView, QVBoxLayout

from paris_desk.core.model import Post, Thread
from paris_desk.ui.errors import describe
from paris_desk.ui.timeline.covers import HiddenRows
from paris_desk.ui.timeline.model import TimelineModel
from paris_desk.ui.timeline.post_delegate import PostDelegate
from paris_desk.ui.timeline.post_text import account_name, prepare_all

if TYPE_CHECKING:
    from paris_desk.ui.timeline.column import TimelineColumn


class ThreadDialog(QDialog):
    def __init__(self, column: TimelineColumn, post: Post) -> None:
        super().__init__(column)
        self.setWindowTitle(self.tr("Conversation"))
        self.setAccessibleName(self.windowTitle())
        self.resize(560, 640)
        self.model = TimelineModel(parent=self)
        self.delegate = PostDelegate(column.images, self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(self.delegate)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setAccessibleName(self.tr("Posts of the conversation"))
        self.delegate.covers.set_matcher(column.delegate.covers.matcher)  # the same filters
        self.hidden_rows = HiddenRows(self.view, self.model, self.delegate.covers, self)
        self.status = QLabel(self.tr("Loading the conversation…"))
        self.status.setAccessibleName(self.tr("Status"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.hidden_rows.button)
        layout.addWidget(self.view, 1)
        self.finished.connect(self.deleteLater)
        column.images.image_loaded.connect(lambda _u: self.view.viewport().update())
        account_id = post.seen_by[0] if post.seen_by else ""
        self._label = account_name(account_id, {})
        service = column.service
        column.tasks.run(lambda: self._load(service, account_id, post), self._loaded,
                         self._failed)

    @staticmethod
    def _load(service: object, account_id: str, post: Post
              ) -> tuple[list[Post], dict, frozenset[str]]:  # type: ignore[type-arg]
        thread: Thread = service.thread(account_id, post)  # type: ignore[attr-defined]
        posts = [*thread.ancestors, thread.post, *thread.replies]
        return posts, prepare_all(posts), frozenset(thread.hidden_replies)

    def _loaded(self, loaded: tuple[list[Post], dict, frozenset[str]]  # type: ignore[type-arg]
                ) -> None:
        posts, texts, hidden = loaded
        self.delegate.covers.hide_uris(hidden)  # replies the thread's author hid
        # The model orders newest first: the conversation reads from its latest reply down.
        self.model.add(posts, texts)
        self.status.hide()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _failed(self, exc: Exception) -> None:
        self.status.setText(describe(exc, self._label))
