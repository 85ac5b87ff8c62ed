"""Start the desktop application: QApplication, translators, profile, services, main window.

The app opens on the sandbox (local fake servers, sample data) when asked to with
``sandbox=True``, and also when no real account is configured yet; then new accounts still go
to the real profile. ``PARIS_DESK_QUIT_AFTER_MS=N`` quits N ms after start-up work is done
(tests and packaging smoke tests).
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from paris_desk.channels.transport import install_trust
from paris_desk.core.errors import KeychainUnavailable, StoreError
from paris_desk.services import sandbox_keyring
from paris_desk.services.accounts import AccountService
from paris_desk.services.api import Profile
from paris_desk.services.logging_setup import setup_logging
from paris_desk.services.workers import TaskManager
from paris_desk.ui import i18n
from paris_desk.ui.errors import describe
from paris_desk.ui.settings.prefs import Settings
from paris_desk.ui.settings.wiring import follow_proxy
from paris_desk.ui.shell import sandbox_session
from paris_desk.ui.shell.idle_collector import IdleCollector
from paris_desk.ui.shell.main_window import MainWindow
from paris_desk.ui.shell.repair_offer import offer_repair
from paris_desk.ui.shell.session import Session
from paris_desk.ui.shell.window_state import FILE_NAME as WINDOW_FILE
from paris_desk.ui.shell.window_state import remember
from paris_desk.ui.theme import ThemeFollower

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
    install_trust()  # the OS trust store for every TLS connection (idempotent)
    real = Profile.default()
    settings = Settings.open(real.root, app)  # preferences, the language among them
    follow_proxy(settings)  # the proxy chosen in the preferences, if any
    language = i18n.choose_language(
        options.lang,
        os.environ.get(i18n.ENV_VAR),
        settings.ui_language,
        QLocale.system().name(),
    )
    i18n.install_translators(app, language)
    ThemeFollower(app, settings)  # light/dark palette and focus outline

    state = _Run()
    try:
        session = _open_session(state, real, sandbox, language, settings)
    except StoreError as exc:
        state.shutdown()
        if not offer_repair(real, exc):  # a damaged database is rebuilt on request
            return 1
        state = _Run()
        try:
            session = _open_session(state, real, sandbox, language, settings)
        except StoreError as again:
            state.shutdown()
            QMessageBox.critical(None, "paris_desk", describe(again))
            return 1
    app.aboutToQuit.connect(state.shutdown)
    window = MainWindow(session)
    remember(window, real.root / WINDOW_FILE)  # size, position, dock widths
    # Timeline view: cached posts first, network after the first paint.
    from paris_desk.ui.timeline.view import install_timeline

    timeline = install_timeline(window, session)
    if not session.sandbox:  # the OS keychain is asked once the cached timeline is shown
        timeline.first_painted.connect(lambda: _check_keychain(session, window))
    # The other views come once it is shown too: their start-up work (the composer, the
    # inbox's loads) would compete with that first paint for the GIL.
    timeline.first_painted.connect(lambda: _install_views(window, session))
    window.show()
    _start_up(state, session, window)
    return app.exec()


def _install_views(window: MainWindow, session: Session) -> None:
    """The views after the timeline, installed once its cached posts are on screen (``run``)."""
    # Composer: the view, and the outbox pump that sends scheduled posts.
    from paris_desk.ui.composer.install import install_composer

    install_composer(window, session)
    # Inbox: every account's notifications, counts in the title and the tray.
    from paris_desk.ui.inbox.install import install_inbox

    inbox = install_inbox(window, session)
    # Team mode: a colleague's "traité" or assignment, live (LISTEN/NOTIFY).
    from paris_desk.ui.team_live import install_team_live

    live = install_team_live(window, session.accounts.profile, inbox.reload)
    if live is not None:  # approvals (the list, notifications, rejected drafts coming back)
        from paris_desk.ui.approvals import install_approvals  # and inbox assignment
        from paris_desk.ui.inbox.assignment import install_assignment

        install_approvals(window, session, live)
        assignment = install_assignment(inbox, session)
        if assignment is not None:
            assignment.notice.connect(window.show_notice)
    # Preferences and first run: the views follow them; the welcome, once.
    from paris_desk.ui.settings.wiring import install_settings
    from paris_desk.ui.shell.welcome import install_welcome

    install_settings(window, session)
    install_welcome(window, session)
    # Start-up is over: what it made (modules, Qt wrappers, the views: about 80,000 objects;
    # no SDK, reading needs neither, they come with a sign-in or the first write) leaves
    # the cyclic collector's care, so a full collection scans only what came after (12-40 ms
    # with 10,000 posts shown, bench/timeline_bench.py). Frozen objects are still freed when
    # no longer referenced. Full collections then wait for an idle moment (a second without
    # input or a list painting), out of the passes the user waits on (ui/shell/idle_collector).
    gc.freeze()
    app = QApplication.instance()
    if app is not None:
        IdleCollector(app).start()  # the application owns it


def _open_session(
    state: _Run, real: Profile, sandbox: bool, language: str, settings: Settings
) -> Session:
    keychain_ok = True  # with real accounts: asked after the first paint (_check_keychain)
    accounts = add_accounts = None
    if not sandbox:
        setup_logging(real)
        accounts = add_accounts = AccountService(real)
        state.services.append(accounts)
        sandbox = not accounts.list()  # nothing configured yet: show the sandbox
    if sandbox:
        keychain_ok = sandbox_keyring.system_keychain_available()  # before install()
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
        settings=settings,
    )


def _check_keychain(session: Session, window: MainWindow) -> None:
    """Is there an OS keychain for new accounts? Finding the backend imports and probes every
    keyring plug-in (50 to 150 ms): on a worker, after the first paint. Without one, adding
    accounts is refused, as ``MainWindow`` does when it knows at construction."""

    def answered(available: bool) -> None:
        session.keychain_available = available
        if not available:
            log.info("no OS keychain: adding accounts is refused")
            reason = describe(KeychainUnavailable())
            window.accounts_panel.set_adding_allowed(False, reason)
            window.show_error(reason)

    session.tasks.run(sandbox_keyring.system_keychain_available, answered)


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
        # The columns showed the cache and may have asked the servers before these were up
        # (with the last run's sessions): ask again now that the accounts are registered.
        from paris_desk.ui.timeline.view import TimelineView

        timeline = window.findChild(TimelineView)
        if timeline is not None:
            timeline.refresh()

    def failed(exc: Exception) -> None:
        window.show_error(describe(exc))
        ready()

    service = session.accounts
    session.tasks.run(lambda: sandbox_session.start(service), started, failed)
