"""The system tray icon: the inbox's unread count, and a desktop notification when a citizen
mentions or answers one of the accounts (never for likes, shares or follows).

Where the desktop has no tray (``QSystemTrayIcon.isSystemTrayAvailable()`` is false: some
Linux desktops, the offscreen platform of the tests), there is no icon and no notification;
nothing else changes. Notifications can be turned off (``notifications_action``), a choice
kept in the ``QSettings`` given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QObject, QRect, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from paris_desk.core.model import NotificationKind
from paris_desk.core.notifications import GroupKey
from paris_desk.services.inbox import InboxCounts, InboxItem
from paris_desk.ui.inbox.model import summary
from paris_desk.ui.timeline.post_text import clean

ANNOUNCED = frozenset({NotificationKind.MENTION, NotificationKind.REPLY})
SETTING = "tray/notifications"
ICON_SIZE = 64
MESSAGE_MS = 10_000


@dataclass(frozen=True, slots=True)
class Announcement:
    key: GroupKey
    title: str
    body: str


class InboxTray(QObject):
    open_requested = Signal()  # the icon was clicked: show the inbox
    item_activated = Signal(object)  # a notification was clicked: show that item (GroupKey)
    announced = Signal(object)  # an Announcement was made (shown when the desktop has a tray)
    notified = Signal(str, str)  # notify(): title, body (shown when the desktop has a tray)
    view_requested = Signal(str)  # a notify() message was clicked: show that view

    def __init__(self, settings: QSettings | None = None, parent: QObject | None = None, *,
                 since: datetime | None = None) -> None:
        """``since``: older notifications are never announced (default: a minute before now,
        so the first refresh after start-up does not replay the backlog)."""
        super().__init__(parent)
        self._settings = settings
        self._since = since or datetime.now(UTC) - timedelta(minutes=1)
        self.available = QSystemTrayIcon.isSystemTrayAvailable()
        self._seen: set[GroupKey] = set()
        self._primed = False
        self._last: GroupKey | None = None
        self._last_view = ""  # set by notify(): its click shows that view
        self._unread = 0
        self._announced: frozenset[NotificationKind] = ANNOUNCED  # issue 7: the preferences
        self.notifications_action = QAction(self.tr("Desktop notifications"), self)
        self.notifications_action.setCheckable(True)
        self.notifications_action.setChecked(self._saved_enabled())
        self.notifications_action.toggled.connect(self._on_enabled)
        self.icon: QSystemTrayIcon | None = self._make_icon() if self.available else None

    @property
    def enabled(self) -> bool:
        return self.notifications_action.isChecked()

    def set_enabled(self, on: bool) -> None:
        self.notifications_action.setChecked(on)

    def set_announced(self, kinds: Iterable[NotificationKind]) -> None:
        """The kinds announced (Preferences → Desktop notifications; default ``ANNOUNCED``).
        Mentions, replies and quotes only while they are still to handle."""
        self._announced = frozenset(kinds)

    def _make_icon(self) -> QSystemTrayIcon:
        icon = QSystemTrayIcon(self._badge(0), self)
        menu = QMenu()
        menu.setAccessibleName(self.tr("Notification area menu"))
        open_action = menu.addAction(self.tr("Open the inbox"))
        open_action.triggered.connect(self.open_requested)
        menu.addAction(self.notifications_action)
        icon.setContextMenu(menu)
        self._menu = menu
        icon.activated.connect(self._on_activated)
        icon.messageClicked.connect(self._on_message_clicked)
        icon.setToolTip("paris_desk")
        icon.show()
        return icon

    # -- counts ------------------------------------------------------------------------------
    def set_counts(self, counts: InboxCounts) -> None:
        self._unread = counts.unread
        if self.icon is None:
            return
        self.icon.setIcon(self._badge(counts.unread))
        self.icon.setToolTip(self.tr("paris_desk: {unread} unread, {todo} to handle").format(
            unread=counts.unread, todo=counts.to_handle))

    @staticmethod
    def _badge(count: int) -> QIcon:
        pixmap = QPixmap(ICON_SIZE, ICON_SIZE)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#1f6feb"))
        painter.drawRoundedRect(4, 12, 56, 40, 8, 8)
        painter.setPen(QColor("white"))
        painter.drawLine(8, 16, 32, 34)
        painter.drawLine(56, 16, 32, 34)
        if count:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#cf222e"))
            painter.drawEllipse(30, 0, 34, 34)
            font = QFont()
            font.setBold(True)
            font.setPixelSize(18 if count < 100 else 13)
            painter.setFont(font)
            painter.setPen(QColor("white"))
            painter.drawText(QRect(30, 0, 34, 34), Qt.AlignmentFlag.AlignCenter,
                             str(count) if count < 1000 else "999+")
        painter.end()
        return QIcon(pixmap)

    # -- notifications -----------------------------------------------------------------------
    def announce(self, items: Iterable[InboxItem]) -> list[Announcement]:
        """Tell the user about new unread mentions and replies to handle: not those of the
        first call (the inbox at start-up), nor older than ``since``. Returns what was
        announced (nothing when turned off)."""
        fresh = [i for i in items if i.key not in self._seen]
        self._seen.update(i.key for i in fresh)
        if not self._primed:  # the inbox as it was at start-up is not news
            self._primed = True
            return []
        wanted = [i for i in fresh if i.group.kind in self._announced and i.unread
                  and (i.to_handle or not i.group.needs_action)
                  and i.latest.created_at >= self._since]
        if not wanted or not self.enabled:
            return []
        announcement = self._announcement(wanted)
        self._last, self._last_view = announcement.key, ""
        if self.icon is not None:
            self.icon.showMessage(announcement.title, announcement.body,
                                  QSystemTrayIcon.MessageIcon.Information, MESSAGE_MS)
        self.announced.emit(announcement)
        return [announcement]

    def _announcement(self, items: list[InboxItem]) -> Announcement:
        first = items[0]
        if len(items) == 1:
            body = clean(first.post.text) if first.post is not None else ""
            return Announcement(first.key, summary(first), body[:200])
        title = self.tr("%n new message(s) to handle", "", len(items))
        body = "\n".join(summary(i) for i in items[:3])
        return Announcement(first.key, title, body)

    def notify(self, title: str, body: str, view: str = "") -> bool:
        """A desktop notification that is not about the inbox (team mode: an approval
        requested or decided); a click on it asks for ``view``. False when turned off."""
        if not self.enabled:
            return False
        self._last, self._last_view = None, view
        if self.icon is not None:
            self.icon.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information,
                                  MESSAGE_MS)
        self.notified.emit(title, body)
        return True

    @Slot()
    def _on_message_clicked(self) -> None:
        if self._last is not None:
            self.item_activated.emit(self._last)
        elif self._last_view:
            self.view_requested.emit(self._last_view)

    @Slot(QSystemTrayIcon.ActivationReason)
    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.open_requested.emit()

    # -- settings ----------------------------------------------------------------------------
    def _saved_enabled(self) -> bool:
        if self._settings is None:
            return True
        return str(self._settings.value(SETTING, "1")) == "1"

    @Slot(bool)
    def _on_enabled(self, on: bool) -> None:
        if self._settings is not None:
            self._settings.setValue(SETTING, "1" if on else "0")
            self._settings.sync()
