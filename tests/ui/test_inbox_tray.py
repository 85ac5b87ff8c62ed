"""The tray: desktop notifications for new mentions and replies only, clickable, can be turned
off; no tray on this desktop (offscreen) is handled without error."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Author, Network, Notification, NotificationKind, Post
from paris_desk.core.notifications import group
from paris_desk.services.inbox import InboxCounts, InboxItem
from paris_desk.ui.shell.tray import InboxTray

A = "mastodon:@ville@paris.example"
T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def item(n: int, kind: NotificationKind, unread: bool = True) -> InboxItem:
    author = Author(handle=f"@p{n}@example.org", display_name=f"Personne {n}", user_id=str(n))
    post = Post(uri=f"https://example.org/s/{n}", native_id=str(n), network=Network.MASTODON,
                author=author, created_at=T0, text=f"@ville question {n}")
    note = Notification(id=str(n), account_id=A, kind=kind, author=author,
                        created_at=T0 + timedelta(minutes=n), post=post,
                        subject_uri="https://x/1" if kind is NotificationKind.LIKE else "",
                        unread=unread)
    (g,) = group([note])
    return InboxItem(g, unread)


def test_no_tray_on_this_desktop_is_not_an_error(qapp: Any) -> None:
    tray = InboxTray(since=T0)

    assert tray.available is QSystemTrayIcon.isSystemTrayAvailable()
    assert tray.available is False and tray.icon is None  # offscreen
    tray.set_counts(InboxCounts(unread=4, to_handle=2))
    tray.announce([item(1, NotificationKind.MENTION)])
    assert tray.announce([item(2, NotificationKind.MENTION)])  # decided, even without a tray


def test_only_new_mentions_and_replies_are_announced(qapp: Any) -> None:
    tray = InboxTray(since=T0)
    start = [item(1, NotificationKind.MENTION), item(2, NotificationKind.LIKE)]

    assert tray.announce(start) == []  # the inbox at start-up is not news
    assert tray.announce([*start, item(3, NotificationKind.LIKE),
                          item(4, NotificationKind.FOLLOW)]) == []
    (one,) = tray.announce([*start, item(5, NotificationKind.REPLY)])
    assert one.title == "Personne 5 replied to you" and "question 5" in one.body
    (many,) = tray.announce([item(6, NotificationKind.MENTION), item(7, NotificationKind.REPLY),
                             item(8, NotificationKind.MENTION, unread=False)])
    assert many.title == "2 new message(s) to handle"
    assert tray.announce([item(6, NotificationKind.MENTION)]) == []  # already told


def test_notifications_older_than_the_start_are_not_announced(qapp: Any) -> None:
    tray = InboxTray(since=T0 + timedelta(minutes=10))
    tray.announce([])

    assert tray.announce([item(3, NotificationKind.MENTION)]) == []  # arrived before
    assert [a.key for a in tray.announce([item(12, NotificationKind.REPLY)])] == [
        item(12, NotificationKind.REPLY).key]


def test_a_clicked_notification_opens_its_item(qapp: Any, qtbot: QtBot) -> None:
    tray = InboxTray(since=T0)
    tray.announce([])
    (told,) = tray.announce([item(9, NotificationKind.MENTION)])

    with qtbot.waitSignal(tray.item_activated) as clicked:
        tray._on_message_clicked()

    assert clicked.args == [told.key]


def test_notifications_can_be_turned_off_and_it_is_remembered(qapp: Any,
                                                              tmp_path: Path) -> None:
    path = str(tmp_path / "inbox.ini")
    tray = InboxTray(QSettings(path, QSettings.Format.IniFormat), since=T0)
    tray.announce([])

    tray.notifications_action.trigger()  # the menu entry

    assert tray.enabled is False
    assert tray.announce([item(10, NotificationKind.MENTION)]) == []
    again = InboxTray(QSettings(path, QSettings.Format.IniFormat))
    assert again.enabled is False
    again.set_enabled(True)
    assert InboxTray(QSettings(path, QSettings.Format.IniFormat)).enabled is True
