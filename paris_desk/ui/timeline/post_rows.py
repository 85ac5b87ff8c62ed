"""What ``PostDelegate.sizeHint`` reads, kept cheap: QListView asks for the size of every row
again after each insertion or removal (10,000 rows: 10,000 calls), so each answer is a few
dictionary look-ups, without ``data()`` round trips or widget calls.

- ``RowSizes.width``: the width rows get in their view, kept up to date by a resize watcher
  (asking the widget costs more than the rest of a ``sizeHint``);
- ``RowSizes.fonts``: the view's fonts, looked at again only after a font change;
- ``RowSizes.table``: heights by item key, one table per (width, content warning open); past
  ``HEIGHT_CACHE`` the oldest measures go (rows long trimmed from a streaming column), not all
  of them: a table emptied at once would have the next layout measure every row again;
- ``RowSizes.size``: one ``QSize`` per (width, height), reused.
"""

from __future__ import annotations

import weakref
from itertools import islice
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QStyleOptionViewItem

from paris_desk.core.merge import ItemKey
from paris_desk.ui.timeline.post_layout import Fonts, Geometry

HeightTable = dict[ItemKey, int]

HEIGHT_CACHE = 20_000
HEIGHT_KEPT = 15_000  # measures kept when a table is over HEIGHT_CACHE: more than a model holds
MIN_WIDTH = 200


def forget_oldest(table: dict[ItemKey, Any], most: int, kept: int) -> None:
    """Past ``most`` entries, keep the ``kept`` newest (dictionaries keep insertion order):
    what a streaming column measured of its posts, bounded, without emptying it at once (the
    next layout would measure every row again) or letting it grow (its rehash alone, past
    65,000 entries, blocks a pass for 15 ms)."""
    if len(table) > most:
        for key in list(islice(table, len(table) - kept)):
            del table[key]


def geometry(view: QAbstractItemView) -> Geometry:
    """How rows of ``view`` are measured now (for ``post_layout.measure_texts``)."""
    return Geometry(max(view.viewport().width(), MIN_WIDTH), QFont(view.font()))


class _Watcher(QObject):
    """Width and font changes of one view, from its viewport's events. A child of the
    viewport: it goes with the view."""

    def __init__(self, view: QAbstractItemView) -> None:
        viewport = view.viewport()
        super().__init__(viewport)
        self.view = weakref.ref(view)
        self.width = max(viewport.width(), MIN_WIDTH)
        self.font_changed = True  # the view's font may differ from the fonts known so far
        viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind == QEvent.Type.Resize and isinstance(event, QResizeEvent):
            self.width = max(event.size().width(), MIN_WIDTH)
        elif kind == QEvent.Type.FontChange:  # the view's font reaches its viewport too
            self.font_changed = True
        return False


class RowSizes:
    def __init__(self) -> None:
        self._heights: dict[tuple[int, bool], HeightTable] = {}
        self._sizes: dict[tuple[int, int], QSize] = {}
        self._fonts: Fonts | None = None
        self._watcher: _Watcher | None = None

    def forget(self) -> None:
        self._heights.clear()

    def width(self, option: QStyleOptionViewItem) -> int:
        widget = option.widget  # type: ignore[attr-defined]
        watcher = self._watcher
        if watcher is not None and widget is watcher.view():
            return watcher.width
        if isinstance(widget, QAbstractItemView):
            self._watcher = _Watcher(widget)
            return self._watcher.width
        return max(option.rect.width(), MIN_WIDTH)  # type: ignore[attr-defined]

    def fonts(self, option: QStyleOptionViewItem) -> tuple[Fonts, bool]:
        """The fonts of the view, and whether they changed (then every height is forgotten)."""
        widget = option.widget  # type: ignore[attr-defined]
        watcher = self._watcher
        if self._fonts is not None and watcher is not None and widget is watcher.view():
            if not watcher.font_changed:
                return self._fonts, False
            watcher.font_changed = False
        font = widget.font() if widget is not None else option.font  # type: ignore[attr-defined]
        if self._fonts is not None and self._fonts.key == font.key():
            return self._fonts, False
        self._fonts = Fonts.from_font(font)
        self.forget()
        return self._fonts, True

    def table(self, width: int, expanded: bool) -> HeightTable:
        table = self._heights.get((width, expanded))
        if table is None:
            if len(self._heights) > 2:  # the view was resized: older widths are of no use
                self._heights.clear()
            table = self._heights[(width, expanded)] = {}
        else:
            forget_oldest(table, HEIGHT_CACHE, HEIGHT_KEPT)
        return table

    def size(self, width: int, height: int) -> QSize:
        size = self._sizes.get((width, height))
        if size is None:
            if len(self._sizes) > HEIGHT_CACHE:
                self._sizes.clear()
            size = self._sizes[(width, height)] = QSize(width, height)
        return size
