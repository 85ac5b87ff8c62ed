"""The views follow the preferences: the timeline's refresh timer, the tray's notifications,
the composer's new drafts. ``install_settings(window, session)`` runs once the views are in
the window (``app.py``); each view that is missing (a build without it) is skipped.

The views keep their own state (the timeline its ``timeline.ini``, the composer its drafts),
so this module drives them through their public widgets and signals, in both directions for
the refresh interval (the timeline's toolbar menu changes the preference too).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction

from paris_desk.channels import transport
from paris_desk.ui.settings.prefs import (
    NOTIFY_GROUP,
    PROXY_MODE_KEY,
    REFRESH_CHOICES,
    REFRESH_KEY,
    THREAD_KEY,
    Settings,
    ThreadSplit,
)

if TYPE_CHECKING:
    from paris_desk.ui.composer.widget import ComposerWidget
    from paris_desk.ui.shell.main_window import MainWindow
    from paris_desk.ui.shell.session import Session
    from paris_desk.ui.shell.tray import InboxTray
    from paris_desk.ui.timeline.view import TimelineView

log = logging.getLogger(__name__)


def install_settings(window: MainWindow, session: Session) -> None:
    """Make the window's views follow ``session.settings`` from now on."""
    settings = session.settings
    try:
        from paris_desk.ui.timeline.view import TimelineView
    except ImportError:  # a build without the timeline
        TimelineView = None  # type: ignore[misc,assignment]  # noqa: N806
    if TimelineView is not None and (view := window.findChild(TimelineView)) is not None:
        follow_in_timeline(view, settings, session)
    try:
        from paris_desk.ui.shell.tray import InboxTray
    except ImportError:
        InboxTray = None  # type: ignore[misc,assignment]  # noqa: N806
    if InboxTray is not None and (tray := window.findChild(InboxTray)) is not None:
        follow_in_tray(tray, settings)
    try:
        from paris_desk.ui.composer.widget import ComposerWidget
    except ImportError:
        ComposerWidget = None  # type: ignore[misc,assignment]  # noqa: N806
    if ComposerWidget is not None and (
        composer := window.findChild(ComposerWidget, "composer")
    ) is not None:
        follow_in_composer(composer, settings)


def follow_proxy(settings: Settings) -> None:
    """The preferences' proxy is the process's from now on, and at each change: requests and
    urllib follow at once, Bluesky clients at their next connection (``channels.transport``)."""

    def apply() -> None:
        transport.apply_proxy_setting(settings.proxy_mode, settings.proxy_url)
        log.info("proxy: %s", settings.proxy_mode.value)

    apply()
    settings.changed.connect(lambda key: apply() if key == PROXY_MODE_KEY else None)


# -- timeline ---------------------------------------------------------------------------------


def interval_actions(view: TimelineView) -> dict[int, QAction]:
    """The timeline toolbar's "Automatic refresh" choices, by their number of seconds."""
    found = {}
    for action in view.findChildren(QAction):
        data = action.data()
        if action.isCheckable() and isinstance(data, int) and data in REFRESH_CHOICES:
            found[data] = action
    return found


def follow_in_timeline(view: TimelineView, settings: Settings, session: Session) -> None:
    """The preference drives the timeline's timer; the toolbar menu updates the preference.

    The timeline reads its saved interval on the database thread when it starts; a job queued
    after that read calls back after the view has applied it, and then the preference wins.
    """
    actions = interval_actions(view)

    def apply() -> None:
        seconds = settings.refresh_interval
        action = actions.get(seconds)
        if action is not None:
            action.trigger()  # checks it in the menu, restarts the timer, saves timeline.ini
        else:
            view.set_interval(seconds)

    for seconds, action in actions.items():
        action.triggered.connect(
            lambda _checked=False, s=seconds: settings.set_refresh_interval(s)
        )
    settings.changed.connect(lambda key: apply() if key == REFRESH_KEY else None)
    session.tasks.run_db(lambda: None, lambda _none: apply())


# -- tray ---------------------------------------------------------------------------------------


def follow_in_tray(tray: InboxTray, settings: Settings) -> None:
    """Desktop notifications only for the kinds the user chose."""
    tray.set_announced(settings.notified_kinds())
    settings.changed.connect(
        lambda key: tray.set_announced(settings.notified_kinds()) if key == NOTIFY_GROUP else None
    )


# -- composer -----------------------------------------------------------------------------------


def follow_in_composer(composer: ComposerWidget, settings: Settings) -> None:
    """A new composer starts from the default accounts, language, visibility and thread
    behaviour; later new drafts get the default visibility and thread behaviour again (the
    composer itself keeps the checked accounts and the language from one draft to the next)."""
    from paris_desk.ui.composer.widget import new_draft

    composer.open_draft(
        new_draft(
            targets=settings.default_targets,
            language=settings.default_language,
            visibility=settings.default_visibility,
            as_thread=settings.thread_split is ThreadSplit.SPLIT,
        )
    )
    apply_thread_split(composer, settings)
    composer.publisher.queued.connect(lambda _draft: _defaults_on_new(composer, settings))
    composer.drafts_panel.new_requested.connect(lambda: _defaults_on_new(composer, settings))
    settings.changed.connect(
        lambda key: apply_thread_split(composer, settings) if key == THREAD_KEY else None
    )


def apply_thread_split(composer: ComposerWidget, settings: Settings) -> None:
    """"Never split": the composer's "Split into a thread" button is turned off."""
    never = settings.thread_split is ThreadSplit.NEVER
    button = composer.editor.thread_button
    if never and button.isChecked():
        button.setChecked(False)
    button.setEnabled(not never)
    button.setToolTip(
        QCoreApplication.translate(
            "Settings", "Splitting into a thread is turned off in the preferences."
        )
        if never else ""
    )


def _defaults_on_new(composer: ComposerWidget, settings: Settings) -> None:
    """Runs after the composer opened a fresh draft (its own slot is connected first)."""
    draft = composer.current_draft()
    if draft.text or draft.images or draft.batch_id:
        return
    combo = composer.options.visibility
    index = combo.findData(settings.default_visibility.value)
    if index >= 0:
        combo.setCurrentIndex(index)
    composer.editor.thread_button.setChecked(settings.thread_split is ThreadSplit.SPLIT)
    composer.autosaver.discard()  # an empty draft is not worth a row in the drafts list
