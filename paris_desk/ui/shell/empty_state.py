"""The page shown when there is no account: what paris_desk is for and how to start, with
buttons to add a Mastodon or a Bluesky account and, outside the sandbox, to go back to it.

It is the window's "welcome" view. ``follow_accounts`` shows it when the last account is
removed (the window was blank before) and goes back to the timeline when one is added.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from paris_desk.ui.accounts.panel import AccountsPanel
    from paris_desk.ui.shell.main_window import MainWindow


class EmptyState(QWidget):
    def __init__(self, panel: AccountsPanel, in_sandbox: bool,
                 back_to_sandbox: Callable[[], object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("empty_state")
        self.setAccessibleName(self.tr("Welcome"))
        self.title = QLabel(self.tr("<h2>No account yet</h2>"))
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.text = QLabel(self.tr(
            "paris_desk shows the timelines and notifications of the city's Mastodon and "
            "Bluesky accounts in one window, and publishes to all of them at once. Add an "
            "account to begin; its password or token is kept in the system keychain."))
        self.text.setWordWrap(True)
        self.mastodon_button = self._button(panel.add_mastodon_action.text(),
                                            panel.add_mastodon_action.trigger)
        self.bluesky_button = self._button(panel.add_bluesky_action.text(),
                                           panel.add_bluesky_action.trigger)
        self.sandbox_button = self._button(self.tr("Go back to the &sandbox (sample data)"),
                                           back_to_sandbox)
        self.sandbox_button.setVisible(not in_sandbox)
        column = QWidget()  # a readable measure, centred; the labels take its whole width
        column.setMaximumWidth(600)
        inner = QVBoxLayout(column)
        for widget in (self.title, self.text, self.mastodon_button, self.bluesky_button,
                       self.sandbox_button):
            inner.addWidget(widget)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 3)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)

    def _button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", ""))
        button.clicked.connect(lambda _checked=False: slot())
        return button


def follow_accounts(window: MainWindow) -> None:
    """Show the empty state when the last account goes, the timeline when one comes."""
    model = window.accounts_panel.model

    def changed(*_args: object) -> None:
        if model.rowCount() == 0:
            window.show_view("welcome")
        elif window.current_view() == "welcome":
            with contextlib.suppress(KeyError):  # a window without a timeline (tests)
                window.show_view("timeline")

    for signal in (model.modelReset, model.rowsRemoved, model.rowsInserted):
        signal.connect(changed)
