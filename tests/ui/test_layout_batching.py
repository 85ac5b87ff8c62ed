"""Layout passes sized by time (``ui/timeline/batching.py``): the next batch follows the cost
per row measured in the last pass, rows inserted since are reckoned at the cost of a first
measure, and lists share a pass with each other and with painting (figures given here:
nothing is timed)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import (
    QAbstractEventDispatcher,
    QCoreApplication,
    QEvent,
    QObject,
    QSize,
    QStringListModel,
)
from PySide6.QtWidgets import QApplication, QStyledItemDelegate, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from paris_desk.ui.timeline.batching import BatchSizer, PassBudget, TimedList


def test_a_costly_pass_shrinks_the_next_batch_to_the_budget() -> None:
    sizer = BatchSizer(budget_s=0.006, size=1000)

    # 1,000 rows took 24 ms: 24 µs a row, so 250 rows fit in 6 ms.
    assert sizer.measured(1000, 0.024) == 250


def test_cheap_passes_grow_the_batch_by_half_at_most() -> None:
    sizer = BatchSizer(budget_s=0.006, size=200)

    sizes = [sizer.measured(sizer.size, 0.0002) for _ in range(4)]

    assert sizes == [300, 450, 675, 1012]


def test_the_batch_stays_between_its_floor_and_ceiling() -> None:
    sizer = BatchSizer(budget_s=0.006, size=100, floor=20, ceiling=500)

    assert sizer.measured(100, 1.0) == 20  # a machine under load: never below the floor
    for _ in range(20):
        sizer.measured(sizer.size, 0.00001)
    assert sizer.size == 500


def test_a_pass_that_laid_nothing_out_changes_nothing() -> None:
    sizer = BatchSizer(size=300)

    assert sizer.measured(0, 0.004) == 300


def test_rows_never_measured_are_sized_at_their_cost() -> None:
    sizer = BatchSizer(budget_s=0.006, size=1000, new_row_cost=2.5)
    sizer.measured(1000, 0.006)  # 6 µs a row whose height is known

    # 1,000 known rows fit, or 400 rows measured for the first time (15 µs each).
    assert sizer.before_pass(unmeasured=0) == 1000
    assert sizer.before_pass(unmeasured=5000) == 400
    # 100 new rows first (1.5 ms), then 750 known ones.
    assert sizer.before_pass(unmeasured=100) == 850



def test_a_smaller_budget_lays_out_less_but_always_the_floor() -> None:
    sizer = BatchSizer(budget_s=0.006, size=1000, floor=20)
    sizer.measured(1000, 0.006)

    assert sizer.before_pass(0, budget_s=0.003) == 500  # another list took half of the pass
    assert sizer.before_pass(0, budget_s=-0.004) == 20  # a paint took it all: still moves on



class _Counting(QStyledItemDelegate):
    """Counts the rows the list measures (``TimedList`` reads ``sized``)."""

    def __init__(self) -> None:
        super().__init__()
        self.sized = 0

    def sizeHint(self, option: QStyleOptionViewItem, index: object) -> QSize:  # noqa: N802
        self.sized += 1
        return QSize(200, 20)


class _OtherList(QObject):
    """Another list's batch (or a paint) earlier in the same event-loop pass: posted events
    are delivered before timers in a pass."""

    def __init__(self, spent_s: float) -> None:
        super().__init__()
        self.spent_s = spent_s

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.User:
            budget = PassBudget.of_this_thread()
            assert budget is not None
            budget.spend(id(self), self.spent_s)
            return True
        return super().event(event)


def _rows_in_one_pass(app: QApplication, delegate: _Counting, other: _OtherList | None) -> int:
    if other is not None:
        QCoreApplication.postEvent(other, QEvent(QEvent.Type.User))
    before = delegate.sized
    app.processEvents()
    return delegate.sized - before


def test_a_list_gets_what_the_rest_of_the_pass_left(qtbot: QtBot, qapp: QApplication) -> None:
    view, delegate = TimedList(), _Counting()
    qtbot.addWidget(view)
    view.setItemDelegate(delegate)
    view.setModel(QStringListModel([f"ligne {n}" for n in range(20000)]))
    view.resize(300, 400)
    view.show()
    qtbot.waitUntil(lambda: delegate.sized > 0)  # it lays out; far from done
    _rows_in_one_pass(qapp, delegate, None)  # a pass to measure what a row costs

    after_another = _rows_in_one_pass(qapp, delegate, _OtherList(spent_s=0.010))
    alone = _rows_in_one_pass(qapp, delegate, None)

    # Another list took the pass's 6 ms and more: the floor (20 rows, and a row or two QListView
    # asks for outside its batch); alone, the batch the budget holds (hundreds of rows).
    floor = BatchSizer().floor
    assert 0 < after_another < 2 * floor < alone


def test_lists_share_a_pass_paints_included(qapp: QApplication) -> None:
    dispatcher = QAbstractEventDispatcher.instance()
    assert dispatcher is not None
    budget = PassBudget(dispatcher)  # its own, away from the lists other tests left
    try:
        qapp.processEvents()  # a new pass
        budget.spend(PassBudget.PAINT, 0.004)
        budget.spend(1, 0.001)

        assert budget.left(1, 0.006) == pytest.approx(0.002)  # its own batches are not counted
        assert budget.left(2, 0.006) == pytest.approx(0.001)
        qapp.processEvents()  # the next pass starts afresh
        assert budget.left(2, 0.006) == 0.006
    finally:
        budget.setParent(None)
