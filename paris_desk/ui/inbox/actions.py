"""Dialogs and bars of the inbox's moderation: a confirmation before muting or blocking, the
report form, and the line that says it is done with an "Undo" where the network allows one.

Dialogs are opened window-modal with ``open()`` (never ``exec()``), so the event loop and the
tests keep running: ``confirm`` calls back ``on_yes``; for the report, connect ``accepted``.
The moderation itself is ``inbox_moderation.InboxModeration``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from paris_desk.core.channel import ReportReason


def confirm(parent: QWidget, title: str, text: str, action: str,
            on_yes: Callable[[], None]) -> QMessageBox:
    """A question with ``action`` and Cancel, opened (not executed); ``on_yes`` runs when the
    user picks ``action``. The box is ``.yes_button`` and ``.cancel_button`` for tests."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton,
                      parent)
    box.setAccessibleName(title)
    yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    yes.setAccessibleName(action)
    yes.clicked.connect(on_yes)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel.setAccessibleName(cancel.text().replace("&", ""))
    box.setDefaultButton(cancel)
    box.yes_button, box.cancel_button = yes, cancel  # type: ignore[attr-defined]
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.finished.connect(box.deleteLater)
    box.open()
    return box


class ReportDialog(QDialog):
    """Why the post is reported, and a note for the moderators."""

    def __init__(self, author: str, account: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Report a post"))
        self.setAccessibleName(self.windowTitle())
        intro = QLabel(self.tr("Report this post by {author} to the moderators, as {account}. "
                               "A report cannot be withdrawn.").format(author=author,
                                                                        account=account))
        intro.setWordWrap(True)
        self.reason = QComboBox()
        self.reason.setAccessibleName(self.tr("Reason"))
        labels = {
            ReportReason.RUDE: self.tr("Insults or harassment"),
            ReportReason.SPAM: self.tr("Spam"),
            ReportReason.MISLEADING: self.tr("Misleading"),
            ReportReason.VIOLATION: self.tr("Breaks the rules or the law"),
            ReportReason.OTHER: self.tr("Other"),
        }
        for reason, label in labels.items():
            self.reason.addItem(label, reason.value)
        self.comment = QPlainTextEdit()
        self.comment.setAccessibleName(self.tr("Note for the moderators"))
        self.comment.setMaximumHeight(100)
        self.comment.setTabChangesFocus(True)  # Tab leaves the box (keyboard-only users)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send = buttons.addButton(self.tr("Report"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.send.setAccessibleName(self.tr("Send the report"))
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(cancel.text().replace("&", ""))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow(self.tr("Reason:"), self.reason)
        form.addRow(self.tr("Note:"), self.comment)
        form.addRow(buttons)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.finished.connect(self.deleteLater)

    def chosen(self) -> tuple[str, str]:
        return str(self.reason.currentData()), self.comment.toPlainText().strip()


class UndoBar(QWidget):
    """"Done" line above the list, with an Undo button when the action can be undone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inbox_undo_bar")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAccessibleName(self.tr("Last action"))
        self.undo_button = QPushButton(self.tr("&Undo"))
        self.undo_button.setAccessibleName(self.tr("Undo the last action"))
        self.undo_button.clicked.connect(self._on_undo)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAccessibleName(self.tr("Close the message"))
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 4, 2)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.undo_button)
        layout.addWidget(self.close_button)
        self._undo: Callable[[], None] | None = None
        self.hide()

    def show_done(self, text: str, undo: Callable[[], None] | None = None) -> None:
        self._undo = undo
        self.label.setText(text)
        self.label.setAccessibleDescription(text)
        self.undo_button.setVisible(undo is not None)
        self.show()

    def _on_undo(self) -> None:
        undo, self._undo = self._undo, None
        self.hide()
        if undo is not None:
            undo()
