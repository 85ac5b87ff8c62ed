"""Puts the inbox in the main window: its view (Ctrl+<n>), its messages in the window's bar,
the unread and "à traiter" counts in the window title and the tray, "Compose…" wired to the
composer when the window has one, and the account list kept in step.

The inbox's filters and the desktop-notification choice live in ``<profile>/inbox.ini``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings

from paris_desk.services.inbox import InboxCounts
from paris_desk.ui.avatars import ImageLoader
from paris_desk.ui.inbox.filtering import install_filters
from paris_desk.ui.inbox.protect import install_protection
from paris_desk.ui.inbox.requests import install_requests
from paris_desk.ui.inbox.saved_replies import install_saved_replies
from paris_desk.ui.inbox.view import InboxView
from paris_desk.ui.shell.tray import InboxTray
from paris_desk.ui.timeline.view import TimelineView

if TYPE_CHECKING:
    from paris_desk.ui.shell.main_window import MainWindow
    from paris_desk.ui.shell.session import Session

VIEW = "inbox"
SETTINGS_FILE = "inbox.ini"
translate = QCoreApplication.translate


def window_title(base: str, counts: InboxCounts) -> str:
    if not counts.unread and not counts.to_handle:
        return base
    return translate("InboxView", "{title} — {unread} unread, {todo} to handle").format(
        title=base, unread=counts.unread, todo=counts.to_handle)


def install_inbox(window: MainWindow, session: Session) -> InboxView:
    accounts = session.accounts
    settings = QSettings(str(accounts.profile.root / SETTINGS_FILE), QSettings.Format.IniFormat)
    service = session.desk.inbox  # follows grouped per local day: the desk's time zone
    tray = InboxTray(settings, window)
    images = ImageLoader(session.tasks, accounts.profile.cache_dir, window)
    view = InboxView(session.tasks, service, accounts.list, settings, images=images, tray=tray,
                     parent=window)
    view.answer = session.desk.answer
    view.react = session.desk.react  # likes and shares: the timeline's action
    window.add_view(VIEW, view, translate("InboxView", "&Inbox"))
    view.confirm_shares = lambda: session.settings.confirm_shares
    view.stop_confirming = lambda: session.settings.set_confirm_shares(False)
    install_filters(view, session.desk.filters.matcher)
    install_protection(view, session.desk.threads)
    install_saved_replies(view, session.desk.saved_replies)
    install_requests(view, session.desk.requests)
    view.error_occurred.connect(window.show_error)
    base_title = window.windowTitle()
    view.counts_changed.connect(lambda counts: window.setWindowTitle(
        window_title(base_title, counts)))
    view.counts_changed.connect(
        lambda counts: window.accounts_panel.model.set_counts(counts.by_account))
    tray.open_requested.connect(lambda: _show(window))
    tray.item_activated.connect(lambda _key: _show(window))
    _connect_composer(window, view)
    timeline = window.findChild(TimelineView)
    if timeline is not None:  # the answered post's reply count (the reply: Session.watch_sent)
        view.replied_to.connect(timeline.note_reply)
    model = window.accounts_panel.model
    for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
        signal.connect(lambda *_: view.reload())
    for signal in (model.dataChanged, model.rowsMoved):
        signal.connect(lambda *_: view.set_accounts(model.accounts()))
    # The accounts panel may have loaded its list before this view existed (the views come
    # after the first paint): then load now. Otherwise its list is still to come (in the
    # sandbox, once the servers are up and the accounts registered anew), and brings the load.
    if model.rowCount():
        view.reload()
    return view


def _connect_composer(window: MainWindow, view: InboxView) -> None:
    try:
        from paris_desk.ui.composer.widget import ComposerWidget
    except ImportError:  # a build without the composer
        return
    composer = window.findChild(ComposerWidget, "composer")
    if composer is not None:
        view.set_composer(composer.open_reply)


def _show(window: MainWindow) -> None:
    window.show_view(VIEW)
    window.showNormal()
    window.raise_()
    window.activateWindow()
