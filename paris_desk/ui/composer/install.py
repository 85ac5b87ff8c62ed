"""Puts the composer in the main window: its view (Ctrl+<n>), its messages in the window's
bar, the account list kept in step, and the outbox pump started (scheduled Bluesky posts and
retries go out every ~15 s while the app runs).

Timeline and inbox reach it with ``window.findChild(ComposerWidget, "composer")`` and call
``open_reply(post, account_id)`` / ``open_quote(post, account_id)``; the window then shows it.
What the outbox sends goes into the timeline at once (``TimelineView.show_sent``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from paris_desk.ui.composer.widget import ComposerWidget
from paris_desk.ui.timeline.view import TimelineView

if TYPE_CHECKING:
    from paris_desk.ui.shell.main_window import MainWindow
    from paris_desk.ui.shell.session import Session

VIEW = "composer"


def install_composer(window: MainWindow, session: Session) -> ComposerWidget:
    composer = ComposerWidget(session, window)
    title = QCoreApplication.translate("ComposerWidget", "&Compose")
    window.add_view(VIEW, composer, title)
    composer.error_occurred.connect(window.show_error)
    composer.activation_requested.connect(lambda: window.show_view(VIEW))
    model = window.accounts_panel.model
    for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.dataChanged,
                   model.rowsMoved):
        signal.connect(lambda *_: composer.reload())
    composer.reload()
    composer.pump.start()
    timeline = window.findChild(TimelineView)
    if timeline is not None:
        timeline.set_composer(lambda post, account_id, quote: (
            composer.open_quote(post, account_id) if quote
            else composer.open_reply(post, account_id)))
        composer.replied.connect(timeline.note_reply)
    return composer
