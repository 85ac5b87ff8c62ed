"""Layout passes sized by time (``ui/timeline/batching.py``): the next batch follows the cost
per row measured in the last pass, and rows inserted since are reckoned at the cost of a first
measure (figures given here, nothing is timed)."""

from __future__ import annotations

from paris_desk.ui.timeline.batching import BatchSizer


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

