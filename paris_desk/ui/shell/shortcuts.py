"""Help → Keyboard shortcuts: a table of every shortcut of the window.

Menu and toolbar actions are listed from the window itself (each ``QAction`` with a shortcut,
under its menu text), so a new action appears without editing this file. Keys handled inside
the lists and editors (J/K in the timeline, Ctrl+Enter in the composer…) are not actions; they
are listed by ``key_entries()``, which the accessibility test checks against the window's
``QShortcut`` objects.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

NATIVE = QKeySequence.SequenceFormat.NativeText
translate = QCoreApplication.translate


def key_text(sequence: QKeySequence | str) -> str:
    """A key sequence as the user's platform writes it ("Ctrl+Q", "⌘Q")."""
    return QKeySequence(sequence).toString(NATIVE)


def action_entries(window: QWidget) -> list[tuple[str, str]]:
    """(what, keys) for every action of ``window`` and its children that has a shortcut."""
    rows = set()
    for action in window.findChildren(QAction):
        keys = ", ".join(key_text(s) for s in action.shortcuts() if not s.isEmpty())
        name = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
        name = name.rstrip("…").rstrip(".").strip()
        if keys and name:
            rows.add((name, keys))
    return sorted(rows, key=lambda row: row[0].casefold())


def key_entries() -> list[tuple[str, str]]:
    """(what, keys) for the keys handled inside views and editors. Keep in step with the
    views' key handlers (timeline_column.py, inbox_view.py, composer.py, inbox_detail.py)."""
    keys = (
        ("Tab", translate("Shortcuts", "Move to the next control")),
        ("Shift+Tab", translate("Shortcuts", "Move to the previous control")),
        ("Esc", translate("Shortcuts", "Cancel or close a dialog")),
        ("Ctrl+Return|Ctrl+Enter", translate(
            "Shortcuts", "Publish the post (composer) or send the reply (inbox)")),
        ("Ctrl+Shift+R", translate("Shortcuts", "Insert a saved reply (inbox reply box)")),
        ("J", translate("Shortcuts", "Next post or message (timeline, inbox)")),
        ("K", translate("Shortcuts", "Previous post or message (timeline, inbox)")),
        ("Return|Enter", translate("Shortcuts", "Open the conversation (timeline, inbox)")),
        ("R", translate("Shortcuts", "Reply (timeline, inbox)")),
        ("L", translate("Shortcuts", "Like or unlike (timeline)")),
        ("B", translate("Shortcuts", "Repost or undo the repost (timeline)")),
        ("O", translate("Shortcuts", "Open in the web browser (timeline)")),
        ("E", translate("Shortcuts", "Mark as handled or to handle (inbox)")),
        ("U", translate("Shortcuts", "Mark as read or unread (inbox)")),
    )  # fmt: skip
    return [(what, ", ".join(key_text(s) for s in sequences.split("|")))
            for sequences, what in keys]


class ShortcutsSheet(QDialog):
    """A two-column table (what, keys), read by screen readers cell by cell."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.setAccessibleName(self.windowTitle())
        self.rows = action_entries(window) + key_entries()
        intro = QLabel(self.tr("Every command of paris_desk can be reached with the keyboard."))
        intro.setWordWrap(True)
        self.table = QTableWidget(len(self.rows), 2)
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setAccessibleDescription(
            self.tr("Each row: what the shortcut does, then its keys.")
        )
        self.table.setHorizontalHeaderLabels([self.tr("Command"), self.tr("Keys")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, to the Close button
        for row, (what, keys) in enumerate(self.rows):
            self.table.setItem(row, 0, QTableWidgetItem(what))
            self.table.setItem(row, 1, QTableWidgetItem(keys))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(close.text().replace("&", ""))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(620, 560)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.finished.connect(self.deleteLater)

    def text(self) -> str:
        """The sheet as plain text, one "what: keys" line per row."""
        return "\n".join(f"{what}: {keys}" for what, keys in self.rows)
