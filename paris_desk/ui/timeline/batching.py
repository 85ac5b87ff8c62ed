"""QListView's layout passes sized by time, not by count.

In ``Batched`` mode QListView lays its rows out ``batchSize`` at a time, one batch per
event-loop pass, after every insertion or removal (all rows, not only the new ones). What a row
costs varies (a cached height is a few µs, a new one tens of µs; a busy machine more), so a fixed
count gives passes of very different lengths. ``BatchSizer`` turns the measured cost of the last
pass into the next batch size, so that one pass stays under ``budget_s``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QTimerEvent
from PySide6.QtWidgets import QListView, QWidget

LAYOUT_BUDGET_S = 0.006  # one layout pass; the frame budget is 16 ms, painting needs the rest


@dataclass
class BatchSizer:
    budget_s: float = LAYOUT_BUDGET_S
    size: int = 100  # rows in the next pass (a first guess: 100 rows of the inbox take 7 ms)
    floor: int = 20
    ceiling: int = 4000

    def measured(self, rows: int, seconds: float) -> int:
        """A pass laid ``rows`` rows out in ``seconds``: the size of the next one. It grows by
        at most half at a time (one cheap pass is no proof) and shrinks at once."""
        if rows <= 0 or seconds <= 0:
            return self.size
        fits = int(self.budget_s * rows / seconds)
        grown = self.size + max(self.size // 2, self.floor)
        self.size = max(self.floor, min(self.ceiling, fits, grown))
        return self.size


class TimedList(QListView):
    """A ``QListView`` whose layout passes are sized by time (``BatchSizer``). QListView runs
    each batch from a timer event: the event is timed, and the rows it laid out are counted by
    the delegate's ``sized`` (``PostDelegate``), or taken as the batch size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sizer = BatchSizer()
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(self._sizer.size)

    def timerEvent(self, event: QTimerEvent) -> None:  # noqa: N802 - Qt API
        delegate = self.itemDelegate()
        before = getattr(delegate, "sized", None)
        started = time.perf_counter()
        super().timerEvent(event)
        seconds = time.perf_counter() - started
        if before is not None:
            rows = delegate.sized - before  # type: ignore[union-attr]
        else:
            rows = self.batchSize() if seconds > LAYOUT_BUDGET_S / 10 else 0
        if rows:
            self.setBatchSize(self._sizer.measured(rows, seconds))
