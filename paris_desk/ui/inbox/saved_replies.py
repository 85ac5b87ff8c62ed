"""Saved replies in the inbox's reply box (issue 15): Ctrl+Shift+R (or the "Réponses types"
button) opens the list; the chosen reply is filled for the selected item ({auteur},
{pseudo}, {compte}) and inserted at the cursor, after the address already typed. The last
entry opens ``SavedRepliesDialog`` to add, change or remove them. Reads and writes run on the
database thread (``desk.saved_replies``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from paris_desk.core.replies import SavedReply
from paris_desk.ui.lifetime import while_alive

if TYPE_CHECKING:
    from paris_desk.services.replies import SavedReplies
    from paris_desk.services.workers import TaskManager
    from paris_desk.ui.inbox.view import InboxView

SHORTCUT = "Ctrl+Shift+R"


class SavedRepliesMenu:
    """The menu of the reply box, its shortcut and its button."""

    def __init__(self, view: InboxView, service: SavedReplies) -> None:
        self._view, self._service = view, service
        self.replies: list[SavedReply] = []
        edit = view.detail.reply_edit
        self.menu = QMenu(edit)
        self.menu.setAccessibleName(QCoreApplication.translate("SavedReplies", "Saved replies"))
        self.button = QToolButton()
        self.button.setObjectName("saved_replies_button")
        self.button.setText(QCoreApplication.translate("SavedReplies", "Saved replies"))
        self.button.setAccessibleName(self.button.text())
        self.button.setToolTip(QCoreApplication.translate(
            "SavedReplies", "Insert a saved reply ({key})").format(
            key=QKeySequence(SHORTCUT).toString(QKeySequence.SequenceFormat.NativeText)))
        self.button.clicked.connect(lambda: self.popup(self.button.mapToGlobal(
            self.button.rect().bottomLeft())))
        shortcut = QShortcut(QKeySequence(SHORTCUT), edit)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(lambda: self.popup(edit.mapToGlobal(
            edit.cursorRect().bottomLeft())))
        self.reload()

    def reload(self) -> None:
        self._view.tasks.run_db(self._service.list, while_alive(self.menu, self._set))

    def _set(self, replies: list[SavedReply]) -> None:
        self.replies = replies

    def fill_menu(self) -> None:
        self.menu.clear()
        for reply in self.replies:
            action = self.menu.addAction(reply.title)
            action.triggered.connect(lambda _c=False, r=reply: self.insert(r))
        if not self.replies:
            empty = self.menu.addAction(QCoreApplication.translate(
                "SavedReplies", "No saved reply yet"))
            empty.setEnabled(False)
        self.menu.addSeparator()
        manage = self.menu.addAction(QCoreApplication.translate(
            "SavedReplies", "&Manage the saved replies…"))
        manage.triggered.connect(self.manage)

    def popup(self, at: QPoint) -> None:
        self.fill_menu()
        self.menu.popup(at)

    def insert(self, reply: SavedReply) -> None:
        """Fill ``reply`` for the selected item and insert it at the reply box's cursor."""
        item = self._view.current_item()
        edit = self._view.detail.reply_edit
        if item is None or edit.isReadOnly():
            return
        author = item.post.author if item.post is not None else item.latest.author
        account = self._view.model.accounts().get(item.account_id)
        edit.insertPlainText(self._service.fill(reply, author, account))
        edit.setFocus()

    def manage(self) -> None:
        dialog = SavedRepliesDialog(self._view.tasks, self._service, self._view)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self.reload())
        dialog.open()


class SavedRepliesDialog(QDialog):
    def __init__(self, tasks: TaskManager, service: SavedReplies,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Saved replies"))
        self.setAccessibleName(self.windowTitle())
        self.resize(560, 420)
        self._tasks, self._service = tasks, service
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Saved replies"))
        self.list.currentItemChanged.connect(self._on_current)
        self.title = QLineEdit()
        self.title.setAccessibleName(self.tr("Title"))
        self.title.setPlaceholderText(self.tr("Title (as shown in the menu)"))
        self.text = QPlainTextEdit()
        self.text.setAccessibleName(self.tr("Text of the reply"))
        self.text.setTabChangesFocus(True)
        hint = QLabel(self.tr("{auteur}: the person answered, {pseudo}: their @address, "
                              "{compte}: the account that answers."))
        hint.setWordWrap(True)
        self.new_button = QPushButton(self.tr("&New"))
        self.new_button.clicked.connect(self._new)
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.clicked.connect(self.save)
        self.remove_button = QPushButton(self.tr("&Remove"))
        self.remove_button.clicked.connect(self.remove)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.save_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.title)
        layout.addWidget(self.text, 1)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        self._editing = ""
        self.reload()

    def reload(self) -> None:
        self._tasks.run_db(self._service.list, while_alive(self, self._show))

    def _show(self, replies: list[SavedReply]) -> None:
        self.list.clear()
        for reply in replies:
            item = QListWidgetItem(reply.title)
            item.setData(Qt.ItemDataRole.UserRole, reply)
            self.list.addItem(item)

    def _on_current(self, current: QListWidgetItem | None, _previous: object) -> None:
        reply = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        if isinstance(reply, SavedReply):
            self._editing = reply.id
            self.title.setText(reply.title)
            self.text.setPlainText(reply.text)

    def _new(self) -> None:
        self._editing = ""
        self.list.setCurrentItem(None)  # type: ignore[arg-type]
        self.title.clear()
        self.text.clear()
        self.title.setFocus()

    def save(self) -> None:
        title, text, reply_id = self.title.text(), self.text.toPlainText(), self._editing
        if not text.strip():
            return
        self._tasks.run_db(lambda: self._service.save(title, text, reply_id),
                           while_alive(self, self._saved))

    def _saved(self, saved: SavedReply) -> None:
        self._editing = saved.id
        self.reload()

    def remove(self) -> None:
        if self._editing:
            reply_id = self._editing
            self._tasks.run_db(lambda: self._service.remove(reply_id),
                               while_alive(self, lambda _removed: self._removed()))

    def _removed(self) -> None:
        self._new()
        self.reload()


def install_saved_replies(view: InboxView, service: SavedReplies) -> SavedRepliesMenu:
    """Add the menu and its button beside "Envoyer" in ``view``'s reply box."""
    menu = SavedRepliesMenu(view, service)
    detail = view.detail
    outer = detail.layout()
    for i in range(outer.count() if outer is not None else 0):
        row = outer.itemAt(i).layout()
        if isinstance(row, QBoxLayout) and row.indexOf(detail.send_button) >= 0:
            row.insertWidget(row.indexOf(detail.send_button), menu.button)
            break
    return menu
