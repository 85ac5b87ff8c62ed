"""Paints one inbox row: unread dot, avatar, what happened, when, for which account, the state
("à traiter", answered, dismissed) and the start of the post. No widget per row.

Avatars come from the timeline's ``ImageLoader`` when one is given (a repaint follows each
arrival); until then, and without one, a disc with the author's initial.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from paris_desk.core.bidi import strip_bidi
from paris_desk.ui.avatars import ImageLoader
from paris_desk.ui.inbox.model import InboxRole

_Index = QModelIndex | QPersistentModelIndex

PADDING = 8
AVATAR = 36
DOT = 8
EXCERPT_LINES = 2
NETWORK_COLORS = {"mastodon": QColor("#563acc"), "bluesky": QColor("#0a66c2")}
TODO_COLOR = QColor("#bc4c00")
DONE_COLOR = QColor("#57606a")
UNREAD_COLOR = QColor("#0969da")


class InboxDelegate(QStyledItemDelegate):
    def __init__(self, images: ImageLoader | None = None, parent: QAbstractItemView | None = None
                 ) -> None:
        super().__init__(parent)
        self._images = images
        if images is not None and parent is not None:
            view = parent
            images.image_loaded.connect(lambda _url: view.viewport().update())

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        rect = option.rect.adjusted(PADDING, PADDING, -PADDING, -PADDING)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if index.data(InboxRole.UNREAD):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(UNREAD_COLOR)
            painter.drawEllipse(rect.left(), rect.top() + AVATAR // 2 - DOT // 2, DOT, DOT)
        self._paint_avatar(painter, QRect(rect.left() + DOT + 4, rect.top(), AVATAR, AVATAR),
                           index)
        text = QRect(rect)
        text.setLeft(rect.left() + DOT + 4 + AVATAR + PADDING)
        self._paint_text(painter, text, index, option, selected)
        painter.restore()

    def _paint_avatar(self, painter: QPainter, rect: QRect, index: _Index) -> None:
        url = str(index.data(InboxRole.AVATAR_URL) or "")
        image = self._images.image(url, rect.size()) if self._images is not None else None
        if image is not None:
            painter.drawImage(rect, image)
            return
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(str(index.data(InboxRole.ACCOUNT_COLOR) or "#888888")))
        painter.drawEllipse(rect)
        painter.setPen(QColor("white"))
        initial = (str(index.data(InboxRole.SUMMARY) or "?").strip() or "?")[0].upper()
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, initial)

    def _paint_text(self, painter: QPainter, rect: QRect, index: _Index,
                    option: QStyleOptionViewItem, selected: bool) -> None:
        palette = option.palette
        main = palette.color(QPalette.ColorRole.HighlightedText if selected
                             else QPalette.ColorRole.Text)
        dim = main if selected else palette.color(QPalette.ColorRole.PlaceholderText)
        base = QFont(option.font)
        bold = QFont(base)
        bold.setBold(bool(index.data(InboxRole.UNREAD)))
        fm, bfm = QFontMetrics(base), QFontMetrics(bold)
        line = bfm.height()

        when = str(index.data(InboxRole.TIME_TEXT) or "")
        when_width = fm.horizontalAdvance(when)
        painter.setFont(base)
        painter.setPen(dim)
        painter.drawText(QRect(rect.right() - when_width, rect.top(), when_width, line),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, when)
        painter.setFont(bold)
        painter.setPen(main)
        title_width = rect.width() - when_width - PADDING
        painter.drawText(QRect(rect.left(), rect.top(), title_width, line),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         bfm.elidedText(strip_bidi(str(index.data(InboxRole.SUMMARY) or "")),
                                        Qt.TextElideMode.ElideRight, title_width))

        y = rect.top() + line + 2
        x = self._paint_account(painter, rect.left(), y, index, base, main)
        end = self._paint_state(painter, x + PADDING, y, index, base)
        team = strip_bidi(str(index.data(InboxRole.TEAM) or ""))
        if team and rect.right() - end > 2 * PADDING:  # "Assigned to marie · Handled by…"
            width = rect.right() - end - PADDING
            painter.setFont(base)
            painter.setPen(dim)
            painter.drawText(QRect(end + PADDING, y, width, fm.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             fm.elidedText(team, Qt.TextElideMode.ElideRight, width))

        excerpt = strip_bidi(str(index.data(InboxRole.EXCERPT) or ""))
        if excerpt:
            painter.setFont(base)
            painter.setPen(dim)
            box = QRect(rect.left(), y + fm.height() + 4, rect.width(),
                        fm.height() * EXCERPT_LINES)
            painter.drawText(box, Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignTop,
                             _elide_lines(excerpt, fm, rect.width(), EXCERPT_LINES))

    @staticmethod
    def _paint_account(painter: QPainter, x: int, y: int, index: _Index, base: QFont,
                       color: QColor) -> int:
        """Colour chip, account name and network badge; returns where they end."""
        fm = QFontMetrics(base)
        h = fm.height()
        chip = QColor(str(index.data(InboxRole.ACCOUNT_COLOR) or "#888888"))
        painter.setPen(chip.darker(130))
        painter.setBrush(chip)
        painter.drawEllipse(x, y + (h - 10) // 2, 10, 10)
        name = strip_bidi(str(index.data(InboxRole.ACCOUNT_NAME) or ""))
        painter.setFont(base)
        painter.setPen(color)
        width = min(fm.horizontalAdvance(name) + 4, 260)  # slack: hinting differs a little
        painter.drawText(QRect(x + 14, y, width, h), Qt.AlignmentFlag.AlignVCenter,
                         fm.elidedText(name, Qt.TextElideMode.ElideMiddle, width))
        network = str(index.data(InboxRole.NETWORK) or "")
        return _pill(painter, x + 14 + width + 6, y, network.capitalize(),
                     NETWORK_COLORS.get(network, DONE_COLOR), base)

    def _paint_state(self, painter: QPainter, x: int, y: int, index: _Index, base: QFont) -> int:
        """The state's pill, if any; returns where it ends."""
        if index.data(InboxRole.TO_HANDLE):
            return _pill(painter, x, y, self.tr("To handle"), TODO_COLOR, base)
        if index.data(InboxRole.HANDLED) == "answered":
            return _pill(painter, x, y, self.tr("Answered"), DONE_COLOR, base)
        if index.data(InboxRole.HANDLED) == "dismissed":
            return _pill(painter, x, y, self.tr("Dismissed"), DONE_COLOR, base)
        return x

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:  # noqa: N802 - Qt API
        fm = QFontMetrics(option.font)
        bold = QFont(option.font)
        bold.setBold(True)
        text = QFontMetrics(bold).height() + 2 + fm.height()
        if index.data(InboxRole.EXCERPT):
            text += 4 + fm.height() * EXCERPT_LINES
        return QSize(320, max(text, AVATAR) + 2 * PADDING + 1)


def _pill(painter: QPainter, x: int, y: int, text: str, color: QColor, base: QFont) -> int:
    font = QFont(base)
    font.setPointSizeF(max(6.0, base.pointSizeF() * 0.85))
    fm = QFontMetrics(font)
    height = QFontMetrics(base).height()
    box = QRect(x, y + 1, fm.horizontalAdvance(text) + 12, height - 2)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawRoundedRect(box, box.height() / 2, box.height() / 2)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
    return box.right()


def _elide_lines(text: str, fm: QFontMetrics, width: int, lines: int) -> str:
    """``text`` cut to ``lines`` wrapped lines, the last one elided."""
    out: list[str] = []
    rest = text
    while rest and len(out) < lines - 1:
        n = len(rest)
        while n > 1 and fm.horizontalAdvance(rest[:n]) > width:
            n = rest.rfind(" ", 0, n - 1) if " " in rest[: n - 1] else n - 1
        out.append(rest[:n])
        rest = rest[n:].lstrip()
    if rest:
        out.append(fm.elidedText(rest, Qt.TextElideMode.ElideRight, width))
    return "\n".join(out)
