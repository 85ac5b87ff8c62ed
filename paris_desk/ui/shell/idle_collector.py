"""Full garbage collections while the window is idle, not inside the passes the user waits on.

CPython's cyclic collector runs its oldest generation (a *full* collection) once enough young
collections have happened. It walks every tracked object not frozen at start-up (with 10,000
posts in a column: about 90,000, 12 to 40 ms) and holds the GIL meanwhile, so it stalls the GUI
thread whichever thread allocated: the pass that adds a batch of posts, a scrolling frame.

``IdleCollector`` keeps the automatic young collections (generations 0 and 1, 1 or 2 ms each),
postpones the automatic full one (third threshold ``POSTPONED`` instead of CPython's 10) and
runs it itself once the window has been idle for ``idle_ms`` and one is due (as many young
collections as CPython would have waited for). Idle: no input (keys, mouse, wheel, touch) and
no list, tree or table view painting (scrolling, rows coming in and laid out), so that neither a
key press nor a frame waits for it. A blinking text cursor or a busy indicator does not count:
a collection delays it by a few milliseconds nobody sees. The safety when the window is never
idle is CPython's own: after ``POSTPONED`` young collections of generation 1 (about 350,000
objects that outlived a young collection: memory growing) the interpreter collects by itself.

Objects without cycles (posts, their texts) are freed when the last reference goes, as ever:
only cyclic garbage waits, for the next idle moment. An event that comes while the collection
runs waits for it, as it would have for an automatic one.
"""

from __future__ import annotations

import gc
import logging
import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView

log = logging.getLogger(__name__)

IDLE_MS = 1000
POSTPONED = 50  # generation-1 collections before CPython collects everything by itself

# What the user does: the window is not idle.
INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.InputMethod,
    }
)


class IdleCollector(QObject):
    """Install once (``start``) on the application; ``stop`` gives CPython back its
    thresholds."""

    collected = Signal(int)  # a full collection ran while idle: the objects it freed

    def __init__(self, app: QCoreApplication, idle_ms: int = IDLE_MS) -> None:
        super().__init__(app)
        self._app = app
        self._thresholds = gc.get_threshold()
        self._due = self._thresholds[2]  # what CPython waits for before a full collection
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(idle_ms)
        self._timer.timeout.connect(self._on_idle)
        self._started = False

    def start(self) -> None:
        young, middle, _ = self._thresholds
        gc.set_threshold(young, middle, POSTPONED)
        self._app.installEventFilter(self)
        self._timer.start()
        self._started = True

    def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        self._timer.stop()
        self._app.removeEventFilter(self)
        gc.set_threshold(*self._thresholds)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind in INPUT or (
            kind == QEvent.Type.Paint and isinstance(watched.parent(), QAbstractItemView)
        ):
            self._timer.start()  # the idle wait starts again
        return False

    def is_due(self) -> bool:
        """Enough young collections reached the oldest generation since the last full one."""
        return gc.get_count()[2] >= self._due

    def _on_idle(self) -> None:
        if not self.is_due():
            return  # the next input or paint starts the wait again
        started = time.perf_counter()
        freed = gc.collect()
        log.debug(
            "full collection while idle: %d objects freed in %.1f ms",
            freed,
            (time.perf_counter() - started) * 1000,
        )
        self.collected.emit(freed)
