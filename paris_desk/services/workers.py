"""Background work for the Qt layer, after Anki's ``aqt/taskman.py``.

``TaskManager`` wraps the process's two executors (``services.executors``: a pool for network
calls, one thread for disk and SQLite writes, in submission order) with Qt delivery: each
``op`` runs on a worker thread and must never touch a widget or a model index (it takes and
returns plain data); ``on_done``/``on_error`` run later on the GUI thread, delivered through
one queued signal of a QObject that lives there. The services the window calls are handed
the same executors (``services.desk.Desk``), so there is one pool and one writer per process.

This is the only module under ``paris_desk.services`` that imports Qt.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QThread, Signal, Slot

from paris_desk.core.errors import ParisDeskError
from paris_desk.services.executors import DaemonExecutor, Executors

log = logging.getLogger(__name__)

T = TypeVar("T")
Closure = Callable[[], None]
_Job = tuple[Future[Any], Callable[[], Any]]


class TaskManager(QObject):
    """Runs blocking operations off the GUI thread and reports back on it.

    Create it on the GUI thread; call ``run``/``run_db`` from the GUI thread only.
    """

    _closures_pending = Signal()

    def __init__(self, network_workers: int = 16, parent: QObject | None = None, *,
                 executors: Executors | None = None) -> None:
        super().__init__(parent)
        self.executors = executors or Executors(network_workers)
        self._network = self.executors.network
        self._db = self.executors.writer
        self._closures: list[Closure] = []
        self._closures_lock = threading.Lock()
        self._closed = False
        # Emitted from worker threads, received here: Qt queues it to this object's thread.
        self._closures_pending.connect(self._on_closures_pending)

    def run(
        self,
        op: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> Future[T]:
        """Run network work ``op`` on the pool; call back on the GUI thread."""
        return self._submit(self._network, op, on_done, on_error)

    def run_db(
        self,
        op: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> Future[T]:
        """Run disk or database work ``op`` on the single writer thread, in order."""
        return self._submit(self._db, op, on_done, on_error)

    def run_on_main(self, closure: Closure) -> None:
        """Queue ``closure`` to run on the GUI thread (callable from any thread)."""
        with self._closures_lock:
            if self._closed:
                return
            self._closures.append(closure)
        self._closures_pending.emit()

    def shutdown(self, timeout: float = 1.0) -> None:
        """At quit: drop pending callbacks, finish database writes, don't wait for the network.

        Network calls still running after ``timeout`` seconds are abandoned (daemon threads);
        queued database writes get the same time to complete.
        """
        with self._closures_lock:
            self._closed = True
            self._closures.clear()
        if not self._db.shutdown(timeout):
            log.warning("database writer still busy after %.1f s at quit", timeout)
        if not self._network.shutdown(timeout):
            log.info("abandoning network calls still running at quit")

    def _submit(
        self,
        executor: DaemonExecutor,
        op: Callable[[], T],
        on_done: Callable[[T], None] | None,
        on_error: Callable[[Exception], None] | None,
    ) -> Future[T]:
        if QThread.currentThread() is not self.thread():
            raise RuntimeError("TaskManager must be called from the GUI thread")
        if self._closed:  # quitting: a late signal (a paint, a timer) asks for work; drop it
            log.debug("task after shutdown dropped: %r", op)
            dropped: Future[T] = Future()
            dropped.cancel()
            return dropped
        future = executor.submit(op)
        future.add_done_callback(
            lambda f: self.run_on_main(lambda: self._deliver(f, on_done, on_error))
        )
        return future

    @staticmethod
    def _deliver(
        future: Future[T],
        on_done: Callable[[T], None] | None,
        on_error: Callable[[Exception], None] | None,
    ) -> None:
        if future.cancelled():
            return
        exc = future.exception()
        if exc is None:
            if on_done is not None:
                on_done(future.result())
            return
        if not isinstance(exc, Exception):
            log.error("background task ended by %r", exc)
            return
        if not isinstance(exc, ParisDeskError):
            log.error("bug in a background task", exc_info=exc)
        elif on_error is None:
            log.warning("unhandled %s in a background task: %s", type(exc).__name__, exc)
        if on_error is not None:
            on_error(exc)

    @Slot()
    def _on_closures_pending(self) -> None:
        with self._closures_lock:
            closures, self._closures = self._closures, []
        for closure in closures:
            closure()
