"""The composer in the main window: a view of its own, shown when a reply starts, its errors
in the window's message bar, its account list following the accounts panel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from paris_desk.core.model import Account, Author, Network, Post
from paris_desk.ui.composer.install import install_composer
from paris_desk.ui.composer.widget import ComposerWidget
from paris_desk.ui.shell.main_window import MainWindow


def test_installed_as_a_view_shown_for_replies(
        qtbot: QtBot, make_window: Callable[..., MainWindow], both: tuple[Account, Account]
) -> None:
    window = make_window()
    composer = install_composer(window, window.session)
    try:
        assert window.findChild(ComposerWidget, "composer") is composer
        titles = [a.text() for a in window.view_menu.actions()]
        assert "&Compose" in titles
        window.accounts_panel.reload()
        qtbot.waitUntil(lambda: len(composer.targets_panel.ids()) == 2)
        window.show_view("welcome")
        post = Post(uri="at://did:plc:x/app.bsky.feed.post/3k", native_id="at://x",
                    network=Network.BLUESKY, author=Author(handle="marie.sandbox.test"),
                    created_at=datetime(2026, 6, 1, tzinfo=UTC), text="Une question ?",
                    cid="bafy")
        composer.open_reply(post, both[1].id)
        assert window.current_view() == "composer"
        composer.error_occurred.emit("Le brouillon n'a pas pu être enregistré.")
        assert window.message_bar.label.text() == "Le brouillon n'a pas pu être enregistré."
        assert composer.pump.timer.isActive()
    finally:
        composer.shutdown()
