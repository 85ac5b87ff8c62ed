"""The views follow the preferences: the timeline's refresh timer (both ways with its toolbar
menu), the tray's notifications per kind, the composer's new drafts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from paris_desk.core.model import (
    Account,
    Author,
    Network,
    Notification,
    NotificationKind,
    Post,
    Visibility,
)
from paris_desk.core.notifications import group
from paris_desk.services.inbox import InboxItem
from paris_desk.ui.composer.install import install_composer
from paris_desk.ui.settings.prefs import ThreadSplit
from paris_desk.ui.settings.wiring import install_settings, interval_actions
from paris_desk.ui.shell.main_window import MainWindow
from paris_desk.ui.shell.tray import InboxTray
from paris_desk.ui.timeline.view import SETTINGS_FILE, install_timeline

MINUTES = 60_000


def test_the_timeline_refreshes_at_the_preferred_interval(
    qtbot: QtBot, make_window: Callable[..., MainWindow], seeded: list[Account]
) -> None:
    window = make_window()
    settings = window.session.settings
    settings.set_refresh_interval(300)
    ini = Path(window.session.accounts.profile.root) / SETTINGS_FILE
    QSettings(str(ini), QSettings.Format.IniFormat).setValue("refresh_seconds", 60)  # older
    view = install_timeline(window, window.session)
    install_settings(window, window.session)
    qtbot.waitUntil(lambda: view.timer.interval() == 5 * MINUTES)  # the preference won
    actions = interval_actions(view)
    assert sorted(actions) == [0, 60, 120, 300, 900]
    assert [s for s, a in actions.items() if a.isChecked()] == [300]

    settings.set_refresh_interval(900)  # from the preferences
    assert view.timer.interval() == 15 * MINUTES and view.timer.isActive()
    assert actions[900].isChecked()

    actions[0].trigger()  # from the timeline's toolbar: never
    assert not view.timer.isActive()
    assert settings.refresh_interval == 0
    qtbot.waitUntil(lambda: QSettings(str(ini), QSettings.Format.IniFormat).value(
        "refresh_seconds") in (0, "0"))


def inbox_item(n: int, kind: NotificationKind) -> InboxItem:
    author = Author(handle=f"@p{n}@example.org", display_name=f"Personne {n}", user_id=str(n))
    now = datetime.now(UTC)
    post = Post(uri=f"https://example.org/s/{n}", native_id=str(n), network=Network.MASTODON,
                author=author, created_at=now, text=f"@ville message {n}")
    note = Notification(id=str(n), account_id="mastodon:@ville@paris.example", kind=kind,
                        author=author, created_at=now, post=post,
                        subject_uri="https://example.org/s/1" if kind in (
                            NotificationKind.LIKE, NotificationKind.REPOST) else "",
                        unread=True)  # fmt: skip
    (grouped,) = group([note])
    return InboxItem(grouped, True)


def test_the_tray_announces_only_the_chosen_kinds(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    tray = InboxTray(parent=window)
    settings = window.session.settings
    settings.set_notified_kinds([NotificationKind.LIKE, NotificationKind.FOLLOW])
    install_settings(window, window.session)
    tray.announce([])  # the inbox at start-up

    assert tray.announce([inbox_item(1, NotificationKind.MENTION)]) == []
    (like,) = tray.announce([inbox_item(2, NotificationKind.LIKE)])
    assert "Personne 2" in like.title
    assert tray.announce([inbox_item(3, NotificationKind.FOLLOW)])

    settings.set_notified_kinds([NotificationKind.MENTION])  # changed in the preferences
    assert tray.announce([inbox_item(4, NotificationKind.LIKE)]) == []
    assert tray.announce([inbox_item(5, NotificationKind.MENTION)])


def test_a_new_composer_starts_from_the_defaults(
    qtbot: QtBot, make_window: Callable[..., MainWindow], seeded: list[Account]
) -> None:
    window = make_window()
    settings = window.session.settings
    settings.set_default_targets([seeded[0].id, seeded[2].id])
    settings.set_default_language("en")
    settings.set_default_visibility(Visibility.PRIVATE)
    settings.set_thread_split(ThreadSplit.SPLIT)
    composer = install_composer(window, window.session)
    install_settings(window, window.session)
    try:
        qtbot.waitUntil(lambda: composer.loaded, timeout=10_000)
        draft = composer.current_draft()
        assert draft.targets == (seeded[0].id, seeded[2].id)
        assert (draft.language, draft.visibility, draft.as_thread) == ("en", Visibility.PRIVATE,
                                                                      True)

        composer.options.visibility.setCurrentIndex(0)  # public, for this post only
        composer.drafts_panel.new_requested.emit()  # "New draft"
        draft = composer.current_draft()
        assert draft.visibility is Visibility.PRIVATE and draft.as_thread
        assert composer.editor.thread_button.isEnabled()
    finally:
        composer.shutdown()


def test_never_split_turns_the_thread_button_off(
    qtbot: QtBot, make_window: Callable[..., MainWindow], seeded: list[Account], french: Any
) -> None:
    window = make_window()
    composer = install_composer(window, window.session)
    install_settings(window, window.session)
    try:
        button = composer.editor.thread_button
        button.setChecked(True)
        window.session.settings.set_thread_split(ThreadSplit.NEVER)
        assert not button.isEnabled() and not button.isChecked()
        assert button.toolTip() == (
            "Le découpage en fil est désactivé dans les préférences.")
        window.session.settings.set_thread_split(ThreadSplit.ASK)
        assert button.isEnabled()
    finally:
        composer.shutdown()
