"""The two executors of a process: a pool for network work and one thread for writes.

The application core (``services.desk.Desk``) hands them to every service, the window wraps
them with Qt delivery (``services.workers.TaskManager``) and the CLI uses them as they are:
ten accounts are read in about one round trip, and there is no second pool to size or to
shut down. Qt-free.

``each(fn, items)`` fans work out on the network pool and waits for it. A caller that is
itself a pool thread (a refresh started by the window fans out per account) never deadlocks
the pool: an item whose turn has not come when the caller waits for it is taken back and
run in the calling thread.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, wait
from functools import partial
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")
_Job = tuple[Future[Any], Callable[[], Any]]

NETWORK_WORKERS = 16


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


class Executors:
    """A network pool and a single writer thread (see the module docstring)."""

    def __init__(self, network_workers: int = NETWORK_WORKERS) -> None:
        self.network = DaemonExecutor(network_workers, "paris-desk-net")
        self.writer = DaemonExecutor(1, "paris-desk-db")

    def each(self, fn: Callable[[T], R], items: Sequence[T]) -> list[Future[R]]:
        """``fn(item)`` for every item, in parallel; returns the finished futures in
        ``items`` order (``result()`` re-raises what ``fn`` raised)."""
        futures = [self.network.submit(partial(fn, item)) for item in items]
        for index, (item, future) in enumerate(zip(items, futures, strict=True)):
            if future.cancel():  # not started yet: run it here rather than wait for a worker
                futures[index] = _run_here(fn, item)
        wait(futures)
        return futures

    def write(self, fn: Callable[[], R]) -> Future[R]:
        """Run ``fn`` on the writer thread, after every write submitted before it."""
        return self.writer.submit(fn)

    def shutdown(self, timeout: float) -> bool:
        """Finish the writes (up to ``timeout`` s), abandon network calls still running."""
        written = self.writer.shutdown(timeout)
        self.network.shutdown(timeout)
        return written


def fan_out(executors: Executors | None, fn: Callable[[T], R], items: Sequence[T]
            ) -> list[Future[R]]:
    """``executors.each(fn, items)``; without executors (a service used on its own, in a test
    or a bench), ``fn`` on each item in turn, in this thread. Services own no pool."""
    if executors is not None:
        return executors.each(fn, items)
    return [_run_here(fn, item) for item in items]


def _run_here(fn: Callable[[T], R], item: T) -> Future[R]:
    future: Future[R] = Future()
    future.set_running_or_notify_cancel()
    try:
        future.set_result(fn(item))
    except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
        future.set_exception(exc)
    return future
