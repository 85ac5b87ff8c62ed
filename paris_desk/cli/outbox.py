"""``paris-desk outbox``: see, send, retry and cancel what waits in the profile's outbox.

    paris-desk outbox [--json] [--all]   waiting, sending and failed jobs (--all: sent and
                                         cancelled ones too)
    paris-desk outbox run [--timeout S] [--json]
                                         send what is due now, wait for it; exit 0 when every
                                         job it sent or followed is published, else 1
    paris-desk outbox retry ID|--failed  a failed job (or every one) back in the queue
    paris-desk outbox cancel ID          a waiting or failed job (and its thread's later
                                         parts) will never be sent

Every subcommand first takes back the jobs a dead paris-desk left SENDING (``recover``).

The JSON shape is a stable contract, one object per job: ``{id, batch, account, part, state,
attempts, not_before, error, url, uri}``; ``state`` is "queued", "sending", "sent", "failed"
or "cancelled"; ``not_before`` the ISO-8601 UTC time before which it is not sent (null when
due now); ``error`` the French sentence of its last failure (null when none), the same as
``paris-desk post`` prints.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from paris_desk.cli import messages, output
from paris_desk.cli.context import CommandError, Context, UsageError
from paris_desk.cli.language import QT_TRANSLATE_NOOP, translate
from paris_desk.core.errors import UnknownAccount
from paris_desk.services.outbox import Job, JobState, now_us

DEFAULT_TIMEOUT = 60.0  # seconds of retrying for ``outbox run``

STATES = {
    JobState.PENDING: "queued",
    JobState.SENDING: "sending",
    JobState.SENT: "sent",
    JobState.FAILED: "failed",
    JobState.CANCELLED: "cancelled",
}
_WORDS = {  # a job's state in a sentence, translated where shown
    JobState.PENDING: QT_TRANSLATE_NOOP("cli", "waiting"),
    JobState.SENDING: QT_TRANSLATE_NOOP("cli", "being sent"),
    JobState.SENT: QT_TRANSLATE_NOOP("cli", "published"),
    JobState.FAILED: QT_TRANSLATE_NOOP("cli", "failed"),
    JobState.CANCELLED: QT_TRANSLATE_NOOP("cli", "cancelled"),
}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser("outbox", help=QT_TRANSLATE_NOOP(
        "cli", "the outbox: see, send, retry"))
    group.add_argument("--json", action="store_true", help=QT_TRANSLATE_NOOP("cli", "JSON output"))
    group.add_argument("--all", action="store_true", help=QT_TRANSLATE_NOOP(
        "cli", "the published and cancelled messages too"))
    group.set_defaults(run=list_jobs)
    sub = group.add_subparsers(dest="outbox_command", metavar="COMMANDE")

    run = sub.add_parser("run", help=QT_TRANSLATE_NOOP("cli", "send what is due now, wait, quit"))
    run.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDES",
        help=QT_TRANSLATE_NOOP("cli", "maximum duration of the retries (default: %(default).0f s)"),
    )  # fmt: skip
    run.add_argument("--json", action="store_true", help=QT_TRANSLATE_NOOP("cli", "JSON output"))
    run.set_defaults(run=run_jobs)

    retry = sub.add_parser("retry", help=QT_TRANSLATE_NOOP(
        "cli", "put a failed message back in the outbox"))
    which = retry.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?", metavar="ID", help=QT_TRANSLATE_NOOP(
        "cli", "number of the message (see “outbox”)"))
    which.add_argument("--failed", action="store_true", help=QT_TRANSLATE_NOOP(
        "cli", "every failed message"))
    retry.set_defaults(run=retry_jobs)

    cancel = sub.add_parser("cancel", help=QT_TRANSLATE_NOOP(
        "cli", "never send a waiting or failed message"))
    cancel.add_argument("id", metavar="ID", help=QT_TRANSLATE_NOOP(
        "cli", "number of the message (see “outbox”)"))
    cancel.set_defaults(run=cancel_job)


# -- the commands ---------------------------------------------------------------------------


def list_jobs(args: argparse.Namespace, ctx: Context) -> int:
    outbox = ctx.desk().outbox
    outbox.recover()
    shown = (JobState.PENDING, JobState.SENDING, JobState.FAILED)
    jobs = [j for j in outbox.jobs() if args.all or j.state in shown]
    if args.json:
        output.write_json(ctx.out, [job_json(ctx, job) for job in jobs])
    elif not jobs:
        print(translate("cli", "The outbox is empty."), file=ctx.out)
    for job in jobs if not args.json else ():
        print(job_line(ctx, job), file=ctx.out)
    return 0


def run_jobs(args: argparse.Namespace, ctx: Context) -> int:
    if args.timeout < 0:
        raise UsageError(translate("cli", "--timeout must be positive."))
    from paris_desk.cli.post import cli_policy

    outbox = ctx.desk().outbox
    outbox.policy = cli_policy(args.timeout)
    outbox.recover()
    jobs = outbox.run_now(args.timeout)
    if args.json:
        output.write_json(ctx.out, [job_json(ctx, job) for job in jobs])
    elif not jobs:
        print(translate("cli", "Nothing to send."), file=ctx.out)
    for job in jobs:
        if job.state is JobState.SENT and not args.json:
            print(job_line(ctx, job), file=ctx.out)
        elif job.state is not JobState.SENT:
            print(messages.error_line(_not_sent(ctx, job)), file=ctx.err)
    return 0 if all(j.state in (JobState.SENT, JobState.CANCELLED) for j in jobs) else 1


def retry_jobs(args: argparse.Namespace, ctx: Context) -> int:
    outbox = ctx.desk().outbox
    outbox.recover()
    if args.failed:
        ids = [j.id for j in outbox.jobs() if j.state is JobState.FAILED]
    else:
        job = _job(ctx, args.id)
        if job.state is not JobState.FAILED:
            raise CommandError(translate("cli", "Message #{id} has not failed ({state}).").format(
                id=job.id, state=_word(job.state)))
        ids = [job.id]
    retried = [job_id for job_id in ids if outbox.retry(job_id)]
    for job_id in retried:
        ctx.say(translate("cli", "Message #{id} back in the outbox.").format(id=job_id))
    if retried:
        ctx.say(translate(
            "cli", "To send: “paris-desk outbox run” (or the application, if it is open)."))
    else:
        ctx.say(translate("cli", "No failed message."))
    return 0


def cancel_job(args: argparse.Namespace, ctx: Context) -> int:
    outbox = ctx.desk().outbox
    outbox.recover()
    job = _job(ctx, args.id)
    if not outbox.cancel(job.id):
        state = _word(outbox.get(job.id).state)
        raise CommandError(translate("cli", "Message #{id} cannot be cancelled ({state}).").format(
            id=job.id, state=state))
    later = [j.id for j in outbox.jobs(job.batch_id)
             if j.account_id == job.account_id and j.part > job.part
             and j.state is JobState.CANCELLED]  # fmt: skip
    ctx.say(translate("cli", "Message #{id} cancelled: it will never be sent.").format(
        id=job.id))
    if later:
        ctx.say(translate("cli", "The rest of the thread is cancelled too: {ids}.").format(
            ids=", ".join(f"#{i}" for i in later)))
    return 0


# -- shapes ---------------------------------------------------------------------------------


def job_json(ctx: Context, job: Job) -> dict[str, Any]:
    sent = job.state is JobState.SENT
    return {
        "id": job.id,
        "batch": job.batch_id,
        "account": job.account_id,
        "part": job.part,
        "state": STATES[job.state],
        "attempts": job.attempts,
        "not_before": _later(job),
        "error": _error(ctx, job),
        "url": (job.result_url or None) if sent else None,
        "uri": (job.result_uri or None) if sent else None,
    }


def job_line(ctx: Context, job: Job) -> str:
    line = translate("cli", "#{id}  {state}  {account}  “{text}”").format(
        id=job.id, state=_word(job.state), account=job.account_id,
        text=_excerpt(job.request.text))
    if job.part:
        line += translate("cli", " (part {part})").format(part=job.part + 1)
    if job.state is JobState.SENT:
        return _then(line, job.result_url or job.result_uri)
    error = _error(ctx, job)  # a retried job's says when the next try is
    if _later(job) is not None and not error:
        line += translate("cli", ", not before {when}").format(when=_local(job.not_before_us))
    return _then(line, error) if error else line


def _then(line: str, more: str) -> str:
    """``line : more`` (French), ``line: more`` (English)."""
    return translate("cli", "{line}: {more}").format(line=line, more=more)


def _word(state: JobState) -> str:
    return translate("cli", _WORDS[state])


def _error(ctx: Context, job: Job) -> str | None:
    """The window's sentence for a failed or retried job (``Sentences.job_failure``)."""
    if job.state not in (JobState.PENDING, JobState.FAILED) or not job.error_kind:
        return None
    next_try = _local(job.not_before_us) if _later(job) is not None else ""
    return messages.job_failure(job, _handle(ctx, job), next_try)


def _not_sent(ctx: Context, job: Job) -> str:
    error = _error(ctx, job)
    if error:
        return error
    handle = _handle(ctx, job)
    if job.state is JobState.SENDING:
        return translate(
            "cli", "{account}: message #{id} still being sent by another paris-desk."
        ).format(account=handle, id=job.id)
    if job.state is JobState.PENDING:
        return translate(
            "cli", "{account}: message #{id} not sent yet, tried again later."
        ).format(account=handle, id=job.id)
    return translate("cli", "{account}: message #{id} {state}.").format(
        account=handle, id=job.id, state=_word(job.state))


def _handle(ctx: Context, job: Job) -> str:
    try:
        return ctx.service.get(job.account_id).handle
    except UnknownAccount:  # removed since: its id names it well enough
        return job.account_id.split(":", 1)[-1]


def _job(ctx: Context, ref: str) -> Job:
    try:
        job_id = int(ref.lstrip("#"))
    except ValueError:
        raise UsageError(translate("cli", "Invalid message number: {ref}.").format(
            ref=repr(ref))) from None
    try:
        return ctx.desk().outbox.get(job_id)
    except KeyError:
        raise CommandError(translate("cli", "No message #{id} in the outbox.").format(
            id=job_id)) from None


def _later(job: Job) -> str | None:
    """When a waiting job becomes due (ISO-8601 UTC); None when it is due now."""
    if job.state is not JobState.PENDING or job.not_before_us <= now_us():
        return None
    return datetime.fromtimestamp(job.not_before_us / 1_000_000, UTC).isoformat()


def _local(at_us: int) -> str:
    return datetime.fromtimestamp(at_us / 1_000_000, UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def _excerpt(text: str, limit: int = 40) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"

