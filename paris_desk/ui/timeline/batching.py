"""QListView's layout passes sized by time, not by count.

In ``Batched`` mode QListView lays its rows out ``batchSize`` at a time, one batch per
event-loop pass, after every insertion or removal (all rows, not only the new ones). What a row
costs varies (a known height is a few µs, a row measured for the first time two or three times
that; a busy machine more), so a fixed count gives passes of very different lengths.
``BatchSizer`` turns the measured cost of the last pass into the next batch size, so that one
pass stays under ``budget_s``, and sizes a batch that may meet rows never measured (rows were
inserted and not all laid out yet) at their cost. Lists laying out at once (columns fed by one
refresh) share the budget of a pass with each other and with their paints (``PassBudget``).

``TimedList`` also keeps the reader's place while a layout is unfinished (QListView would set
the scroll range from the rows laid out so far).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import (
    QAbstractEventDispatcher,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    QTimerEvent,
)
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QListView, QScrollBar, QWidget

LAYOUT_BUDGET_S = 0.006  # a pass's layout (all lists), less its paints: the rest of a frame
# A row measured for the first time (its height not yet known: rows just inserted) costs up to
# this many rows whose height is known (bench/timeline_bench.py, streaming: 9 to 13 µs against 5.5).
NEW_ROW_COST = 2.5
SETTLED_MS = 100  # no layout batch for this long: the layout is done (see TimedList)


@dataclass
class BatchSizer:
    budget_s: float = LAYOUT_BUDGET_S
    size: int = 100  # rows in the next pass (a first guess: 100 rows of the inbox take 7 ms)
    floor: int = 20
    ceiling: int = 4000
    new_row_cost: float = NEW_ROW_COST
    _per_row_s: float | None = field(default=None, repr=False)  # a known row, last measured

    def measured(self, rows: int, seconds: float, *, unmeasured: int = 0) -> int:
        """A pass laid ``rows`` rows out in ``seconds``; ``unmeasured`` rows of the model never
        were (``fitting``). The size of the next pass: it grows by at most half at a time (one
        cheap pass is no proof) and shrinks at once. A pass of fewer than ``floor`` rows (a
        layout starting again, or ending) is no measure."""
        if rows < self.floor or seconds <= 0:
            return self.size
        # Rows measured for the first time cost between one and ``new_row_cost`` known rows:
        # counted as one here, the cost of a known row is over-, never underestimated.
        self._per_row_s = seconds / rows
        grown = self.size + max(self.size // 2, self.floor)
        self.size = max(self.floor, min(self.ceiling, grown, self.fitting(unmeasured)))
        return self.size

    def fitting(self, unmeasured: int = 0, budget_s: float | None = None) -> int:
        """The rows that fit in ``budget_s`` (the whole budget by default) at the last measured
        cost, as if the batch met the ``unmeasured`` rows first (the rows inserted at the top
        of a timeline are)."""
        budget = self.budget_s if budget_s is None else budget_s
        if self._per_row_s is None:  # nothing measured yet: ``size`` is taken to fill it all
            known_rows = self.size * budget / self.budget_s
        else:
            known_rows = budget / self._per_row_s  # the budget, counted in known rows
        new = min(unmeasured, int(known_rows / self.new_row_cost))
        return max(self.floor, int(known_rows - self.new_row_cost * new) + new)

    def before_pass(self, unmeasured: int, budget_s: float | None = None) -> int:
        """The size of a pass about to start with ``unmeasured`` rows (rows inserted since
        ``size`` was reckoned) and ``budget_s`` left of the budget: never more than ``size``,
        never less than ``floor`` (a layout always moves on)."""
        return max(self.floor, min(self.size, self.fitting(unmeasured, budget_s)))


class PassBudget(QObject):
    """The time lists spent in the current event-loop pass, laying out or painting: lists
    laying out at once (columns a refresh fed together) share one ``LAYOUT_BUDGET_S`` per
    pass instead of taking it each, and what a paint took comes off it (a paint and a batch
    in one pass: 10 and 6 ms). A pass ends at the GUI thread's dispatcher's ``awake`` or
    ``aboutToBlock`` (which comes first depends on how the loop runs). One per dispatcher."""

    PAINT = 0  # whose time a paint is (no list's own: it comes off every list's budget)

    def __init__(self, dispatcher: QAbstractEventDispatcher) -> None:
        super().__init__(dispatcher)
        self._spent: dict[int, float] = {}
        dispatcher.awake.connect(self._new_pass)
        dispatcher.aboutToBlock.connect(self._new_pass)

    @classmethod
    def of_this_thread(cls) -> PassBudget | None:
        dispatcher = QAbstractEventDispatcher.instance()
        if dispatcher is None:
            return None
        found = dispatcher.findChild(PassBudget)
        return found if found is not None else cls(dispatcher)

    def _new_pass(self) -> None:
        if self._spent:
            self._spent.clear()

    def left(self, who: int, budget_s: float) -> float:
        """What the lists other than ``who`` left of ``budget_s`` in this pass."""
        return budget_s - sum(s for key, s in self._spent.items() if key != who)

    def spend(self, who: int, seconds: float) -> None:
        self._spent[who] = self._spent.get(who, 0.0) + seconds

    def paint(self, paint: Callable[[QPaintEvent], None], event: QPaintEvent) -> None:
        """Run ``paint(event)``, its time off every list's budget in this pass."""
        started = time.perf_counter()
        paint(event)
        self.spend(self.PAINT, time.perf_counter() - started)


class _TimedScrollBar(QScrollBar):
    """A list's scroll bar, its paints counted in the pass (``PassBudget``): one repaints each
    time a layout changes the range, 2 ms at 900 px in the Fusion style."""

    def __init__(self, budget: PassBudget | None) -> None:
        super().__init__(Qt.Orientation.Vertical)
        self._budget = budget

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        if self._budget is None:
            super().paintEvent(event)
        else:
            self._budget.paint(super().paintEvent, event)


class TimedList(QListView):
    """A ``QListView`` whose layout passes are sized by time (``BatchSizer``). QListView runs
    each batch from a timer event: the event is timed, and the rows it laid out are counted by
    the delegate's ``sized`` (``PostDelegate``), or taken as the batch size.

    Rows not measured yet: those inserted, less those the delegate measured since
    (``first_sized``), and never more than the rows the layout has still to walk (it starts
    again from the first row after an insertion, a removal or a reset).

    The reading place survives a layout. QListView sets its scroll range from the rows laid
    out so far when a layout starts again: a reader further down than its first batch (10,000
    rows, a page of older posts appended) was moved up to that batch's end, and a reader at
    the bottom asked for yet another page. While a layout is unfinished the range only grows;
    the rows under the reader are shown as the layout reaches them, and the range is the
    layout's own once it is done."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sizer = BatchSizer()
        self._unmeasured = 0
        self._walked = 0  # rows laid out since the layout last started again
        self._first_sized = 0  # the delegate's count when last read
        self._sized_before: int | None = None  # the delegate's count as this batch began
        self._settled = QTimer(self)  # no layout batch for this long: the range follows
        self._settled.setSingleShot(True)
        self._settled.setInterval(SETTLED_MS)
        self._settled.timeout.connect(self._on_settled)
        self._pass = PassBudget.of_this_thread()
        bar = _TimedScrollBar(self._pass)
        self.setVerticalScrollBar(bar)
        # What QAbstractItemView connected to the bar it made (fetching more at the bottom):
        # a bar set later is connected by the scroll area only.
        bar.valueChanged.connect(self.verticalScrollbarValueChanged)
        bar.actionTriggered.connect(self.verticalScrollbarAction)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(self._sizer.size)

    def rowsInserted(self, parent: QModelIndex | QPersistentModelIndex, start: int,  # noqa: N802
                     end: int) -> None:
        if not parent.isValid():
            self._unmeasured += end - start + 1
        self._walked = 0
        super().rowsInserted(parent, start, end)

    def rowsAboutToBeRemoved(self, parent: QModelIndex | QPersistentModelIndex,  # noqa: N802
                             start: int, end: int) -> None:
        self._walked = 0
        super().rowsAboutToBeRemoved(parent, start, end)

    def reset(self) -> None:
        super().reset()
        self._unmeasured = self._row_count()
        self._walked = 0

    def timerEvent(self, event: QTimerEvent) -> None:  # noqa: N802 - Qt API
        budget = self._sizer.budget_s
        if self._pass is not None:  # another list laid out in this pass: what it left
            budget = self._pass.left(id(self), budget)
        self.setBatchSize(self._sizer.before_pass(self._unmeasured, budget))
        delegate = self.itemDelegate()
        before = getattr(delegate, "sized", None)
        self._sized_before = before
        started = time.perf_counter()
        try:
            super().timerEvent(event)
        finally:
            self._sized_before = None
        seconds = time.perf_counter() - started
        if self._pass is not None:
            self._pass.spend(id(self), seconds)
        if before is not None:
            rows = delegate.sized - before  # type: ignore[union-attr]
        else:
            rows = self.batchSize() if seconds > LAYOUT_BUDGET_S / 10 else 0
        if not rows:
            return
        if self._settled.isActive():
            self._settled.start()  # a batch came: not settled yet
        first_sized = getattr(delegate, "first_sized", 0)
        self._walked += rows
        ahead = self._row_count() - self._walked
        self._unmeasured = max(0, min(self._unmeasured - (first_sized - self._first_sized),
                                      ahead))
        self._first_sized = first_sized
        self.setBatchSize(self._sizer.measured(rows, seconds, unmeasured=self._unmeasured))

    def updateGeometries(self) -> None:  # noqa: N802 - Qt API
        if self._laid_out() >= self._row_count():
            self._settled.stop()
            super().updateGeometries()
            return
        # The range of the rows laid out so far: it may grow (a key press scrolls to a row
        # just laid out), not shrink under the reader. Nobody hears of a value clamped and
        # put back (no scroll, no page of older posts asked for).
        bar = self.verticalScrollBar()
        value, top = bar.value(), bar.maximum()
        blocked = bar.blockSignals(True)
        try:
            super().updateGeometries()
            if bar.maximum() < top:
                bar.setMaximum(top)
            bar.setValue(value)
        finally:
            bar.blockSignals(blocked)
        # Hidden rows are laid out without being measured (not counted): the range follows
        # the layout once no batch has come for a moment, whatever the count says.
        self._settled.start()

    def _on_settled(self) -> None:
        QListView.updateGeometries(self)

    def _laid_out(self) -> int:
        """Rows laid out since the layout last started again, the batch running included."""
        if self._sized_before is None:
            return self._walked
        return self._walked + getattr(self.itemDelegate(), "sized", 0) - self._sized_before

    def _row_count(self) -> int:
        model = self.model()
        return model.rowCount() if model is not None else 0

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        if self._pass is None:
            super().paintEvent(event)
        else:
            self._pass.paint(super().paintEvent, event)
