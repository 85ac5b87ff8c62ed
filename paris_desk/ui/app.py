"""Start the desktop application: QApplication, translators, profile, services, main window.

The app opens on the sandbox (local fake servers, sample data) when asked to with
``sandbox=True``, and also when no real account is configured yet; then new accounts still go
to the real profile. ``PARIS_DESK_QUIT_AFTER_MS=N`` quits N ms after start-up work is done
(tests and packaging smoke tests).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from paris_desk.core.errors import StoreError
from paris_desk.services import sandbox_keyring
from paris_desk.services.accounts import AccountService
from paris_desk.services.logging_setup import setup_logging
from paris_desk.services.workers import TaskManager
from paris_desk.store.profile import Profile
from paris_desk.ui import i18n, sandbox_session
from paris_desk.ui.errors import describe
from paris_desk.ui.main_window import MainWindow
from paris_desk.ui.session import Session

if TYPE_CHECKING:
    from paris_desk.sandbox.serve import Sandboxes

log = logging.getLogger(__name__)

QUIT_AFTER_ENV = "PARIS_DESK_QUIT_AFTER_MS"


def _options(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    """Our options (``--lang``); the rest of ``argv`` goes to Qt (``-style``, ``-platform``…)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--lang", choices=i18n.LANGUAGES)
    parser.add_argument("--sandbox", action="store_true")
    options, rest = parser.parse_known_args(list(argv[1:]))
    return options, [argv[0] if argv else "paris_desk", *rest]


class _Run:
    """The objects that live as long as the event loop, and their orderly shutdown."""

    def __init__(self) -> None:
        self.tasks = TaskManager()
        self.services: list[AccountService] = []
        self.sandboxes: Sandboxes | None = None

    def shutdown(self) -> None:
        self.tasks.shutdown(timeout=1.0)
        for service in self.services:
            service.close()
        if self.sandboxes is not None:
            self.sandboxes.stop()


def run(sandbox: bool = False, argv: Sequence[str] | None = None) -> int:
    """Run the GUI until the main window closes; returns the process exit code."""
    options, qt_argv = _options(sys.argv if argv is None else argv)
    sandbox = sandbox or options.sandbox
    app = QApplication.instance() or QApplication(qt_argv)
    assert isinstance(app, QApplication)  # noqa: S101 - for mypy: we made a QApplication
    app.setApplicationName("paris_desk")
    app.setOrganizationName("Ville")
    real = Profile.default()
    language = i18n.choose_language(
        options.lang,
        os.environ.get(i18n.ENV_VAR),
        i18n.saved_language(real.settings_path),
        QLocale.system().name(),
    )
    i18n.install_translators(app, language)

    state = _Run()
    try:
        session = _open_session(state, real, sandbox, language)
    except StoreError as exc:
        state.shutdown()
        QMessageBox.critical(None, "paris_desk", describe(exc))
        return 1
    app.aboutToQuit.connect(state.shutdown)
    window = MainWindow(session)
    # -- timeline view (issue 4): cached posts first, network after the first paint ---------
    from paris_desk.ui.timeline_view import install_timeline

    install_timeline(window, session)
    # -- end of timeline view ----------------------------------------------------------------
    window.show()
    _start_up(state, session, window)
    return app.exec()


def _open_session(state: _Run, real: Profile, sandbox: bool, language: str) -> Session:
    keychain_ok = sandbox_keyring.system_keychain_available()
    accounts = add_accounts = None
    if not sandbox:
        setup_logging(real)
        accounts = add_accounts = AccountService(real)
        state.services.append(accounts)
        sandbox = not accounts.list()  # nothing configured yet: show the sandbox
    if sandbox:
        profile = Profile.sandbox()
        setup_logging(profile)
        if not keychain_ok:
            sandbox_keyring.install()  # sandbox secrets only, in memory
        accounts = AccountService(profile)
        state.services.append(accounts)
        if add_accounts is None:  # explicit sandbox mode: adding goes to the sandbox too
            add_accounts, keychain_ok = accounts, True
    assert accounts is not None and add_accounts is not None  # noqa: S101 - set above
    log.info("starting (%s, %s)", "sandbox" if sandbox else "accounts", language)
    return Session(
        tasks=state.tasks,
        accounts=accounts,
        add_accounts=add_accounts,
        settings_path=real.settings_path,
        language=language,
        sandbox=sandbox,
        keychain_available=keychain_ok,
    )


def _start_up(state: _Run, session: Session, window: MainWindow) -> None:
    """Load the accounts (after starting the sandbox servers, in sandbox mode), off the GUI
    thread; then arm the smoke-test timer if asked."""
    quit_after = int(os.environ.get(QUIT_AFTER_ENV, "0") or 0)

    def ready() -> None:
        window.accounts_panel.reload()
        if quit_after > 0:
            QTimer.singleShot(quit_after, QApplication.quit)

    if not session.sandbox:
        ready()
        return

    def started(boxes: Sandboxes) -> None:
        state.sandboxes = boxes
        ready()

    def failed(exc: Exception) -> None:
        window.show_error(describe(exc))
        ready()

    service = session.accounts
    session.tasks.run(lambda: sandbox_session.start(service), started, failed)
