"""One way to name an account wherever the window lists or offers one (choosers, filters,
Préférences, menus): its colour, its network's badge and its handle beside its name, so "Ville
de Paris" on Mastodon and "Ville de Paris" on Bluesky are told apart at a glance."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from paris_desk.core.model import Account, Network
from paris_desk.ui.accounts.model import NETWORK_NAMES, display_text

NETWORK_COLORS = {Network.MASTODON: "#563acc", Network.BLUESKY: "#0560d4"}
NETWORK_LETTERS = {Network.MASTODON: "M", Network.BLUESKY: "B"}


def account_title(account: Account) -> str:
    """"Ville de Paris · @ville@paris.social · Mastodon": name, handle and network."""
    name = display_text(account)
    parts = [name] if name == account.handle else [name, account.handle]
    return " · ".join([*parts, NETWORK_NAMES[account.network]])


def account_icon(account: Account, height: int = 16) -> QIcon:
    """The account's colour chip and its network's letter badge, side by side."""
    ratio = 2
    pixmap = QPixmap(height * 2 * ratio, height * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    chip = QColor(account.color)
    painter.setPen(chip.darker(130))
    painter.setBrush(chip)
    painter.drawEllipse(QRectF(1, 3, height - 6, height - 6))
    badge = QRectF(height - 2, 1, height + 1, height - 2)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(NETWORK_COLORS[account.network]))
    painter.drawRoundedRect(badge, 3, 3)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(height - 5)
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, NETWORK_LETTERS[account.network])
    painter.end()
    return QIcon(pixmap)
