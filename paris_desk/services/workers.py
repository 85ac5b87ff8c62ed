"""Background work for the Qt layer, after Anki's ``aqt/taskman.py``.

Two executors: a pool for network calls (so ten accounts refresh in about one round trip) and
one thread for disk and SQLite writes (serialised, in submission order). Each ``op`` runs on a
worker thread and must never touch a widget or a model index: it takes and returns plain data.
``on_done``/``on_error`` run later on the GUI thread, delivered through one queued signal of a
QObject that lives there.

This is the only module under ``paris_desk.services`` that imports Qt.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QThread, Signal, Slot

from paris_desk.core.errors import ParisDeskError

log = logging.getLogger(__name__)

T = TypeVar("T")
Closure = Callable[[], None]
_Job = tuple[Future[Any], Callable[[], Any]]


class DaemonExecutor:
    """A minimal thread pool whose threads never hold up the interpreter's exit.

    ``ThreadPoolExecutor`` joins its threads when Python exits (``concurrent.futures.thread.
    _python_exit``), so one hung HTTP call would keep a closed window's process alive. These
    threads are daemons; ``shutdown(timeout)`` waits at most ``timeout`` seconds for them.
    """

    _counter = itertools.count(1)

    def __init__(self, max_workers: int, name: str) -> None:
        if max_workers < 1:
            raise ValueError("max_workers must be at least 1")
        self._max_workers = max_workers
        self._name = name
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._idle = threading.Semaphore(0)
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, fn: Callable[[], T]) -> Future[T]:
        future: Future[T] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError(f"{self._name}: submit after shutdown")
            self._jobs.put((future, fn))
            if not self._idle.acquire(blocking=False) and len(self._threads) < self._max_workers:
                self._start_thread()
        return future

    def _start_thread(self) -> None:
        thread = threading.Thread(
            target=self._work, name=f"{self._name}-{next(self._counter)}", daemon=True
        )
        self._threads.append(thread)
        thread.start()

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            future, fn = job
            if future.set_running_or_notify_cancel():
                try:
                    result = fn()
                except BaseException as exc:  # noqa: BLE001 - handed to the future's owner
                    future.set_exception(exc)
                else:
                    future.set_result(result)
            del job, future, fn
            self._idle.release()

    def shutdown(self, timeout: float) -> bool:
        """Cancel queued jobs, let running ones finish for up to ``timeout`` seconds.

        Returns True when every thread ended in time.
        """
        with self._lock:
            self._closed = True
            threads = list(self._threads)
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                job[0].cancel()
        for _ in threads:
            self._jobs.put(None)
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(thread.is_alive() for thread in threads)


class TaskManager(QObject):
    """Runs blocking operations off the GUI thread and reports back on it.

    Create it on the GUI thread; call ``run``/``run_db`` from the GUI thread only.
    """

    _closures_pending = Signal()

    def __init__(self, network_workers: int = 16, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._network = DaemonExecutor(network_workers, "paris-desk-net")
        self._db = DaemonExecutor(1, "paris-desk-db")
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
