"""QListView's layout passes sized by time, not by count.

In ``Batched`` mode QListView lays its rows out ``batchSize`` at a time, one batch per
event-loop pass, after every insertion or removal (all rows, not only the new ones). What a row
costs varies (a cached height is a few µs, a new one tens of µs; a busy machine more), so a fixed
count gives passes of very different lengths. ``BatchSizer`` turns the measured cost of the last
pass into the next batch size, so that one pass stays under ``budget_s``.
"""

from __future__ import annotations

from dataclasses import dataclass

LAYOUT_BUDGET_S = 0.006  # one layout pass; the frame budget is 16 ms, painting needs the rest


@dataclass
class BatchSizer:
    budget_s: float = LAYOUT_BUDGET_S
    size: int = 200  # rows in the next pass
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
