"""The first run: a short welcome that offers to add a Mastodon account, a Bluesky account, or
to try the sandbox.

Shown once, when the user's profile has no account yet (the app then opens on the sandbox,
``Session.auto_sandbox``) and the welcome was never closed before. The account buttons open the
accounts panel's own dialogs; "Try the sandbox" closes the welcome on the sample data, or,
outside the sandbox, starts paris_desk again in sandbox mode.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QProcess, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from paris_desk.core.errors import KeychainUnavailable
from paris_desk.ui.errors import describe

if TYPE_CHECKING:
    from paris_desk.ui.shell.main_window import MainWindow
    from paris_desk.ui.shell.session import Session

log = logging.getLogger(__name__)


class WelcomeDialog(QDialog):
    mastodon_requested = Signal()
    bluesky_requested = Signal()
    sandbox_requested = Signal()

    def __init__(self, adding_allowed: bool = True, parent: QWidget | None = None, *,
                 in_sandbox: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("welcome_dialog")
        self.setWindowTitle(self.tr("Welcome to paris_desk"))
        self.setAccessibleName(self.windowTitle())
        text = self.tr(
            "paris_desk publishes and follows the city's Mastodon and Bluesky accounts from "
            "one window. Start by adding an account, or try it first on the sandbox: sample "
            "data, nothing is published."
        )
        if in_sandbox:  # the window already shows the sample data
            text = self.tr(
                "paris_desk publishes and follows the city's Mastodon and Bluesky accounts "
                "from one window. What you see now is the sandbox: sample data, nothing is "
                "published. Add an account when you are ready, or explore first."
            )
        self.intro = QLabel(text)
        self.intro.setWordWrap(True)
        self.intro.setAccessibleName(self.tr("Welcome"))
        self.intro.setAccessibleDescription(text)
        self.mastodon_button = self._button(
            self.tr("Add a &Mastodon account"),
            self.tr("Sign in to a Mastodon account of the city"),
            self.mastodon_requested,
        )
        self.bluesky_button = self._button(
            self.tr("Add a &Bluesky account"),
            self.tr("Sign in to a Bluesky account of the city with an app password"),
            self.bluesky_requested,
        )
        self.sandbox_button = self._button(
            self.tr("&Explore the sample data") if in_sandbox else self.tr("&Try the sandbox"),
            self.tr("Explore paris_desk with sample data; nothing is published"),
            self.sandbox_requested,
        )
        self.unavailable = QLabel()
        self.unavailable.setWordWrap(True)
        self.unavailable.setAccessibleName(self.tr("Why accounts cannot be added"))
        self.unavailable.hide()
        if not adding_allowed:
            reason = describe(KeychainUnavailable())
            for button in (self.mastodon_button, self.bluesky_button):
                button.setEnabled(False)
                button.setToolTip(reason)
            self.unavailable.setText(reason)
            self.unavailable.show()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close the welcome"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        for button in (self.mastodon_button, self.bluesky_button, self.sandbox_button):
            layout.addWidget(button)
        layout.addWidget(self.unavailable)
        layout.addWidget(buttons)
        first = self.mastodon_button if adding_allowed else self.sandbox_button
        first.setDefault(True)
        first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _button(self, text: str, description: str, signal: object) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", ""))
        button.setAccessibleDescription(description)
        button.setToolTip(description)
        button.setAutoDefault(False)
        button.clicked.connect(self.accept)
        button.clicked.connect(signal)
        return button


def should_welcome(session: Session) -> bool:
    """The real profile has no account (so the sandbox is shown) and the welcome was never
    closed."""
    return session.auto_sandbox and not session.settings.welcome_seen


def sandbox_command(argv: list[str] | None = None) -> tuple[str, list[str]]:
    """The program and arguments that start paris_desk again in sandbox mode (a frozen
    build is its own program; from source, ``python -m paris_desk``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    args = [a for a in args if a != "--sandbox"] + ["--sandbox"]
    if getattr(sys, "frozen", False):
        return sys.executable, args
    return sys.executable, ["-m", "paris_desk", *args]


def restart_in_sandbox() -> bool:
    """Start a sandbox instance and quit this one; False (and nothing quits) on failure."""
    program, args = sandbox_command()
    started, _pid = QProcess.startDetached(program, args)
    if not started:
        log.warning("could not start the sandbox instance (%s)", program)
        return False
    QTimer.singleShot(0, QApplication.quit)
    return True


def install_welcome(window: MainWindow, session: Session) -> WelcomeDialog | None:
    """Open the welcome over ``window`` when ``should_welcome``; it is not shown again once
    closed, whichever way."""
    if not should_welcome(session):
        return None
    panel = window.accounts_panel
    dialog = WelcomeDialog(session.keychain_available, window, in_sandbox=session.sandbox)
    dialog.mastodon_requested.connect(panel.add_mastodon)
    dialog.bluesky_requested.connect(panel.add_bluesky)
    dialog.sandbox_requested.connect(lambda: _try_sandbox(window, session))
    dialog.finished.connect(lambda _result: session.settings.set_welcome_seen())
    dialog.finished.connect(dialog.deleteLater)
    QTimer.singleShot(0, dialog.open)  # once the window is on screen
    return dialog


def _try_sandbox(window: MainWindow, session: Session) -> None:
    if session.sandbox:  # already on the sample data: show the timeline
        try:
            window.show_view("timeline")
        except KeyError:
            log.debug("no timeline view to show")
        return
    if not restart_in_sandbox():
        window.show_error(QCoreApplication.translate(
            "WelcomeDialog", "The sandbox could not be started: run paris_desk --sandbox."))
