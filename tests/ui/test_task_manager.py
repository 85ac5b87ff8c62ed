"""TaskManager: results on the GUI thread, network work in parallel, writes in order."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from paris_desk.core.errors import AuthExpired
from paris_desk.services.workers import DaemonExecutor, TaskManager

HANG_GUARD_S = 30.0  # seconds: only stops a hung test, never reached when all is well


@pytest.fixture
def tasks(qapp: QApplication) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()


def test_result_is_delivered_on_the_gui_thread(qtbot: QtBot, tasks: TaskManager) -> None:
    seen: dict[str, object] = {}
    submitted = threading.Event()

    def op() -> str:
        submitted.wait(2)  # finish on the worker, after run() returned
        seen["op_thread"] = threading.current_thread()
        return "fini"

    def done(value: str) -> None:
        seen["value"] = value
        seen["on_gui"] = QThread.currentThread() is QApplication.instance().thread()

    tasks.run(op, done)
    submitted.set()
    qtbot.waitUntil(lambda: "value" in seen, timeout=2000)
    assert seen["value"] == "fini"
    assert seen["on_gui"] is True
    assert seen["op_thread"] is not threading.main_thread()


def test_ten_network_ops_run_in_parallel(qtbot: QtBot, tasks: TaskManager) -> None:
    # Each op waits until all ten are running at once: run one after the other, the first
    # would wait alone until the barrier's hang guard breaks it.
    together = threading.Barrier(10)
    done: list[int] = []
    errors: list[Exception] = []

    def op(i: int) -> int:
        together.wait(HANG_GUARD_S)
        return i

    for i in range(10):
        tasks.run(lambda i=i: op(i), done.append, errors.append)
    qtbot.waitUntil(lambda: len(done) + len(errors) == 10, timeout=int(HANG_GUARD_S * 2000))
    assert errors == [], "the ten ops did not all run at once"
    assert sorted(done) == list(range(10))


def test_db_ops_run_one_at_a_time_in_order(qtbot: QtBot, tasks: TaskManager) -> None:
    order: list[int] = []
    running = 0
    overlap = False
    lock = threading.Lock()

    def write(i: int) -> int:
        nonlocal running, overlap
        with lock:
            running += 1
            overlap = overlap or running > 1
        time.sleep(0.01)
        with lock:
            running -= 1
        return i

    for i in range(8):
        tasks.run_db(lambda i=i: write(i), order.append)
    qtbot.waitUntil(lambda: len(order) == 8, timeout=3000)
    assert order == list(range(8))
    assert not overlap


def test_channel_error_goes_to_on_error_without_a_traceback(
    qtbot: QtBot, tasks: TaskManager, caplog: pytest.LogCaptureFixture
) -> None:
    errors: list[Exception] = []

    def op() -> None:
        raise AuthExpired("token revoked", account_id="mastodon:ville")

    with caplog.at_level(logging.DEBUG, logger="paris_desk.services.workers"):
        tasks.run(op, on_error=errors.append)
        qtbot.waitUntil(lambda: bool(errors), timeout=2000)
    assert isinstance(errors[0], AuthExpired)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_unexpected_exception_is_logged_as_a_bug_and_reported(
    qtbot: QtBot, tasks: TaskManager, caplog: pytest.LogCaptureFixture
) -> None:
    errors: list[Exception] = []

    def op() -> None:
        raise KeyError("missing")

    with caplog.at_level(logging.ERROR, logger="paris_desk.services.workers"):
        tasks.run(op, on_error=errors.append)
        qtbot.waitUntil(lambda: bool(errors), timeout=2000)
    assert isinstance(errors[0], KeyError)
    bug = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert bug and bug[0].exc_info is not None


def test_calling_from_a_worker_thread_is_refused(tasks: TaskManager) -> None:
    outcome: list[BaseException] = []

    def call() -> None:
        try:
            tasks.run(lambda: None)
        except RuntimeError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=call)
    thread.start()
    thread.join()
    assert outcome and "GUI thread" in str(outcome[0])


def test_shutdown_does_not_wait_for_a_hung_network_call(qapp: QApplication) -> None:
    manager = TaskManager()
    release = threading.Event()
    started = threading.Event()
    threads: list[threading.Thread] = []

    def hung() -> None:
        threads.append(threading.current_thread())
        started.set()
        release.wait(HANG_GUARD_S)

    manager.run(hung)
    assert started.wait(HANG_GUARD_S)
    manager.shutdown(timeout=0.3)

    # shutdown returned while the call was still blocked: it did not wait for it.
    assert not release.is_set() and threads[0].is_alive()
    release.set()
    threads[0].join(HANG_GUARD_S)
    assert not threads[0].is_alive()


def test_shutdown_cancels_queued_jobs_and_drops_callbacks(qtbot: QtBot, qapp: QApplication) -> None:
    manager = TaskManager(network_workers=1)
    gate = threading.Event()
    delivered: list[object] = []
    manager.run(lambda: gate.wait(5), delivered.append)
    queued = manager.run(lambda: "never", delivered.append)
    manager.shutdown(timeout=0.1)
    gate.set()
    assert queued.cancelled()
    qtbot.wait(50)  # give any wrongly queued callback a chance to run
    assert delivered == []


def test_daemon_executor_refuses_work_after_shutdown() -> None:
    executor = DaemonExecutor(2, "test")
    assert executor.submit(lambda: 41 + 1).result(timeout=2) == 42
    assert executor.shutdown(1.0)
    with pytest.raises(RuntimeError):
        executor.submit(lambda: None)


def test_work_asked_after_shutdown_is_dropped_not_raised(qtbot: QtBot) -> None:
    """A late signal (a view's first paint after its window closed) may still ask for work
    at quit: it is dropped quietly, and its callbacks never run."""
    tasks = TaskManager()
    tasks.shutdown()
    called: list[object] = []

    future = tasks.run(lambda: called.append("op"), called.append, called.append)
    qtbot.wait(50)

    assert future.cancelled()
    assert called == []
