"""A button showing an account colour; clicking it opens QColorDialog."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QColorDialog, QPushButton, QWidget

from paris_desk.core.colors import ACCOUNT_COLORS


def suggested_color(taken: int) -> str:
    """The colour for the next account when ``taken`` accounts exist."""
    return ACCOUNT_COLORS[taken % len(ACCOUNT_COLORS)]


def color_icon(color: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class ColorButton(QPushButton):
    color_changed = Signal(str)

    def __init__(self, color: str = ACCOUNT_COLORS[0], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._color = ""
        self.setText(self.tr("Choose…"))
        self.setAccessibleName(self.tr("Account colour"))
        self.set_color(color)
        self.clicked.connect(self._on_clicked)

    def color(self) -> str:
        return self._color

    def set_color(self, color: str) -> None:
        name = QColor(color).name()
        if name == self._color:
            return
        self._color = name
        self.setIcon(color_icon(name))
        self.setAccessibleDescription(name)
        self.color_changed.emit(name)

    @Slot()
    def _on_clicked(self) -> None:
        chosen = QColorDialog.getColor(QColor(self._color), self, self.tr("Account colour"))
        if chosen.isValid():
            self.set_color(chosen.name())
