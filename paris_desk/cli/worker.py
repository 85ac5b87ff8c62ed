"""``paris-desk worker [--once]``: send due and scheduled jobs without a window.

    paris-desk worker          run until stopped (SIGTERM, Ctrl-C): each round takes back the
                               jobs a dead sender left, sends what is due, sleeps until the next
                               job is due or, in team mode, a job is queued anywhere (LISTEN/
                               NOTIFY; without a team: 1 s at most)
    paris-desk worker --once   one round, then exit: 0 unless a job failed for good

In team mode it serves the team's shared outbox, for the accounts whose credentials are in
this host's keychain (``paris-desk account add`` as the worker's user); otherwise this
profile's own outbox. packaging/systemd/paris-desk-worker.service runs it as a service.
"""

from __future__ import annotations

import argparse
import signal
import threading
from types import FrameType

from paris_desk.cli.context import Context
from paris_desk.cli.language import QT_TRANSLATE_NOOP, translate
from paris_desk.cli.outbox import job_line
from paris_desk.services.desk import Desk
from paris_desk.services.outbox import Job, JobState
from paris_desk.services.sending_loop import SendingLoop
from paris_desk.services.team import TeamService


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    worker = commands.add_parser("worker", help=QT_TRANSLATE_NOOP(
        "cli", "send the messages due, without a window"))
    worker.add_argument("--once", action="store_true",
                        help=QT_TRANSLATE_NOOP("cli", "send what is due now, then quit"))
    worker.set_defaults(run=run_worker)


def run_worker(args: argparse.Namespace, ctx: Context) -> int:
    team = TeamService(ctx.profile)
    listen = team.listen if team.membership() is not None else None
    loop = SendingLoop(lambda: Desk.open(ctx.profile),  # reopened after a database failure
                       listen=listen)
    if args.once:
        try:
            jobs = loop.once()
        finally:
            loop.close()
        _report(ctx, jobs)
        return 1 if any(job.state is JobState.FAILED for job in jobs) else 0
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_signal)
    ctx.say(translate("cli", "Automatic sending running (stop: Ctrl-C or SIGTERM)."))
    try:
        loop.run(stop, on_round=lambda jobs: _report(ctx, jobs))
    except KeyboardInterrupt:
        stop.set()
    finally:
        signal.signal(signal.SIGTERM, previous)
        loop.close()
    ctx.say(translate("cli", "Automatic sending stopped."))
    return 0


def _report(ctx: Context, jobs: list[Job]) -> None:
    for job in jobs:
        if job.state in (JobState.SENT, JobState.FAILED):
            ctx.say(job_line(ctx, job))
