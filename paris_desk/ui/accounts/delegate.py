"""Paints one account row: colour chip, label, handle, network badge. No widget per row."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from paris_desk.core.model import Network
from paris_desk.ui.accounts.model import NETWORK_NAMES, AccountRole, counts_text

_Index = QModelIndex | QPersistentModelIndex

PADDING = 6
CHIP = 12
BADGE_COLORS = {Network.MASTODON: QColor("#563acc"), Network.BLUESKY: QColor("#0a66c2")}


class AccountDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # we draw the text ourselves
        opt.icon = QIcon()
        opt.features &= ~QStyleOptionViewItem.ViewItemFeature.HasDecoration
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)

        rect = option.rect.adjusted(PADDING, PADDING, -PADDING, -PADDING)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_chip(painter, rect, QColor(index.data(AccountRole.COLOR)))
        network = Network(index.data(AccountRole.NETWORK))
        badge = self._paint_badge(painter, rect, network, option.font)
        text_rect = QRect(rect)
        text_rect.setLeft(rect.left() + CHIP + PADDING)
        text_rect.setRight(badge.left() - PADDING)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        self._paint_text(painter, text_rect, index, option, selected)
        painter.restore()

    @staticmethod
    def _paint_chip(painter: QPainter, rect: QRect, color: QColor) -> None:
        top = rect.top() + (rect.height() - CHIP) // 2
        painter.setPen(color.darker(130))
        painter.setBrush(color)
        painter.drawEllipse(rect.left(), top, CHIP, CHIP)

    @staticmethod
    def _paint_badge(painter: QPainter, rect: QRect, network: Network, base: QFont) -> QRect:
        font = QFont(base)
        font.setPointSizeF(max(6.0, base.pointSizeF() * 0.8))
        metrics = QFontMetrics(font)
        text = NETWORK_NAMES[network]
        width = metrics.horizontalAdvance(text) + 2 * PADDING
        height = metrics.height() + 2
        badge = QRect(
            rect.right() - width, rect.top() + (rect.height() - height) // 2, width, height
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(BADGE_COLORS[network])
        painter.drawRoundedRect(badge, height / 2, height / 2)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
        return badge

    @staticmethod
    def _paint_text(
        painter: QPainter,
        rect: QRect,
        index: _Index,
        option: QStyleOptionViewItem,
        selected: bool,
    ) -> None:
        palette = option.palette
        main_color = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        bold = QFont(option.font)
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        metrics = QFontMetrics(option.font)
        title = str(index.data(Qt.ItemDataRole.DisplayRole))
        handle = str(index.data(AccountRole.HANDLE))
        counts = index.data(AccountRole.COUNTS)
        counts_line = counts_text(*counts) if counts and any(counts) else ""
        painter.setFont(bold)
        painter.setPen(main_color)
        single_line = title == str(index.data(AccountRole.HANDLE)) and not (counts and any(counts))
        top = (
            QRect(rect)
            if single_line
            else QRect(rect.topLeft(), QSize(rect.width(), bold_metrics.height()))
        )
        painter.drawText(
            top,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            bold_metrics.elidedText(title, Qt.TextElideMode.ElideRight, rect.width()),
        )
        if single_line:
            return
        painter.setFont(option.font)
        if not selected:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        # The handle on a line of its own, its start kept (what tells accounts apart); the
        # inbox's counts on the next one.
        bottom = QRect(rect.left(), top.bottom() + 1, rect.width(), metrics.height())
        painter.drawText(
            bottom,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(handle, Qt.TextElideMode.ElideRight, rect.width()),
        )
        if counts_line:
            third = bottom.translated(0, metrics.height())
            painter.drawText(
                third,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(counts_line, Qt.TextElideMode.ElideRight, rect.width()),
            )

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:  # noqa: N802 - Qt API
        bold = QFont(option.font)
        bold.setBold(True)
        lines = QFontMetrics(option.font).height() * 2  # the handle, the inbox's counts
        height = QFontMetrics(bold).height() + lines + 2 * PADDING
        return QSize(200, height + 1)
