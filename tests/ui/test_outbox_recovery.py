"""The window takes back the jobs a dead process left SENDING as soon as the profile opens
(``Session`` → ``Desk.recover`` on the writer thread), as the CLI does before each command:
not only once the composer's outbox pump is installed, after the first paint."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

from pytestqt.qtbot import QtBot

from paris_desk.core.model import Account, Network, PostRequest
from paris_desk.services.accounts import AccountService
from paris_desk.services.workers import TaskManager
from paris_desk.store import owner
from paris_desk.store.accounts import AccountStore
from paris_desk.store.outbox import INTERRUPTED, JobState, OutboxStore, now_us
from paris_desk.ui.composer.outbox_pump import OutboxPump
from paris_desk.ui.shell.session import Session

MASTO = Account("mastodon:@ville@paris.example", Network.MASTODON, "@ville@paris.example",
                "https://127.0.0.1:9")  # never the internet: no secret, and a closed port
WAIT_MS = 10_000  # a hang guard only
HANG_GUARD_S = 30


def left_sending_by_a_dead_process(service: AccountService) -> int:
    AccountStore(service.db).upsert(MASTO)
    store = OutboxStore(service.db)
    (job,) = store.add_batch("b1", [(MASTO, PostRequest("Interrompu par un kill -9"))])
    assert store.claim(job.id) is not None
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait(HANG_GUARD_S)
    me = owner.this_process()
    store.db.execute(
        "UPDATE outbox_jobs SET lock_host = ?, lock_pid = ?, lock_start = ?, locked_at_us = ?"
        " WHERE id = ?", (me.host, gone.pid, me.start, now_us(), job.id))
    return job.id


def test_opening_the_profile_takes_back_a_dead_process_s_jobs(
    qtbot: QtBot, service: AccountService, make_session: Callable[..., Session]
) -> None:
    job_id = left_sending_by_a_dead_process(service)
    store = OutboxStore(service.db)
    assert store.get(job_id).state is JobState.SENDING

    session = make_session()  # no composer, no pump: the profile only opens

    qtbot.waitUntil(lambda: store.get(job_id).state is JobState.PENDING, timeout=WAIT_MS)
    assert store.get(job_id).error_kind == INTERRUPTED
    assert session.desk.recover() == [job_id]  # once per profile opening: not asked again


def test_the_pump_s_first_run_comes_after_the_recovery(
    qtbot: QtBot, tasks: TaskManager, service: AccountService,
    make_session: Callable[..., Session],
) -> None:
    job_id = left_sending_by_a_dead_process(service)
    session = make_session()
    pump = OutboxPump(tasks, session.desk, interval_ms=3_600_000)
    recovered: list[int] = []
    pump.ran.connect(lambda: recovered.extend(session.desk.recover()))

    with qtbot.waitSignal(pump.ran, timeout=WAIT_MS):
        pump.start()
    pump.stop()

    assert recovered == [job_id]
