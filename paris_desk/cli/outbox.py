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
_WORDS = {
    JobState.PENDING: "en attente",
    JobState.SENDING: "en cours d'envoi",
    JobState.SENT: "publié",
    JobState.FAILED: "échec",
    JobState.CANCELLED: "annulé",
}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser("outbox", help="la file d'envoi : voir, envoyer, réessayer")
    group.add_argument("--json", action="store_true", help="sortie JSON")
    group.add_argument("--all", action="store_true", help="aussi les messages publiés et annulés")
    group.set_defaults(run=list_jobs)
    sub = group.add_subparsers(dest="outbox_command", metavar="COMMANDE")

    run = sub.add_parser("run", help="envoyer maintenant ce qui est dû, attendre, quitter")
    run.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDES",
        help=f"durée maximale des nouvelles tentatives (défaut : {DEFAULT_TIMEOUT:.0f} s)",
    )  # fmt: skip
    run.add_argument("--json", action="store_true", help="sortie JSON")
    run.set_defaults(run=run_jobs)

    retry = sub.add_parser("retry", help="remettre en file un message en échec")
    which = retry.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?", metavar="ID", help="numéro du message (voir « outbox »)")
    which.add_argument("--failed", action="store_true", help="tous les messages en échec")
    retry.set_defaults(run=retry_jobs)

    cancel = sub.add_parser("cancel", help="ne jamais envoyer un message en attente ou en échec")
    cancel.add_argument("id", metavar="ID", help="numéro du message (voir « outbox »)")
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
        print("File d'envoi vide.", file=ctx.out)
    for job in jobs if not args.json else ():
        print(job_line(ctx, job), file=ctx.out)
    return 0


def run_jobs(args: argparse.Namespace, ctx: Context) -> int:
    if args.timeout < 0:
        raise UsageError("--timeout doit être positif")
    from paris_desk.cli.post import cli_policy

    outbox = ctx.desk().outbox
    outbox.policy = cli_policy(args.timeout)
    outbox.recover()
    jobs = outbox.run_now(args.timeout)
    if args.json:
        output.write_json(ctx.out, [job_json(ctx, job) for job in jobs])
    elif not jobs:
        print("Rien à envoyer.", file=ctx.out)
    for job in jobs:
        if job.state is JobState.SENT and not args.json:
            print(job_line(ctx, job), file=ctx.out)
        elif job.state is not JobState.SENT:
            print(f"Erreur : {_not_sent(ctx, job)}", file=ctx.err)
    return 0 if all(j.state in (JobState.SENT, JobState.CANCELLED) for j in jobs) else 1


def retry_jobs(args: argparse.Namespace, ctx: Context) -> int:
    outbox = ctx.desk().outbox
    outbox.recover()
    if args.failed:
        ids = [j.id for j in outbox.jobs() if j.state is JobState.FAILED]
    else:
        job = _job(ctx, args.id)
        if job.state is not JobState.FAILED:
            raise CommandError(f"le message #{job.id} n'est pas en échec ({_WORDS[job.state]}).")
        ids = [job.id]
    retried = [job_id for job_id in ids if outbox.retry(job_id)]
    for job_id in retried:
        ctx.say(f"Message #{job_id} remis en file d'envoi.")
    if retried:
        ctx.say("Envoi : « paris-desk outbox run » (ou l'application, si elle est ouverte).")
    else:
        ctx.say("Aucun message en échec.")
    return 0


def cancel_job(args: argparse.Namespace, ctx: Context) -> int:
    outbox = ctx.desk().outbox
    outbox.recover()
    job = _job(ctx, args.id)
    if not outbox.cancel(job.id):
        state = _WORDS[outbox.get(job.id).state]
        raise CommandError(f"le message #{job.id} ne peut pas être annulé ({state}).")
    later = [j.id for j in outbox.jobs(job.batch_id)
             if j.account_id == job.account_id and j.part > job.part
             and j.state is JobState.CANCELLED]  # fmt: skip
    ctx.say(f"Message #{job.id} annulé : il ne sera jamais envoyé.")
    if later:
        ctx.say(f"Suite du fil annulée aussi : {', '.join(f'#{i}' for i in later)}.")
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
    line = f"#{job.id}  {_WORDS[job.state]}  {job.account_id}  « {_excerpt(job.request.text)} »"
    if job.part:
        line += f" (partie {job.part + 1})"
    if job.state is JobState.SENT:
        return f"{line} : {job.result_url or job.result_uri}"
    if _later(job) is not None:
        line += f", pas avant {_local(job.not_before_us)}"
    error = _error(ctx, job)
    return f"{line} : {error}" if error else line


def _error(ctx: Context, job: Job) -> str | None:
    if job.state not in (JobState.PENDING, JobState.FAILED) or not job.error_kind:
        return None
    return messages.job_failure(job, _handle(ctx, job))


def _not_sent(ctx: Context, job: Job) -> str:
    error = _error(ctx, job)
    if error:
        return error
    handle = _handle(ctx, job)
    if job.state is JobState.SENDING:
        return f"{handle} : message #{job.id} toujours en cours d'envoi par un autre paris-desk."
    if job.state is JobState.PENDING:
        return f"{handle} : message #{job.id} pas encore envoyé, nouvelle tentative plus tard."
    return f"{handle} : message #{job.id} {_WORDS[job.state]}."


def _handle(ctx: Context, job: Job) -> str:
    try:
        return ctx.service.get(job.account_id).handle
    except UnknownAccount:  # removed since: its id names it well enough
        return job.account_id.split(":", 1)[-1]


def _job(ctx: Context, ref: str) -> Job:
    try:
        job_id = int(ref.lstrip("#"))
    except ValueError:
        raise UsageError(f"numéro de message invalide : {ref!r}") from None
    try:
        return ctx.desk().outbox.get(job_id)
    except KeyError:
        raise CommandError(f"aucun message #{job_id} dans la file d'envoi.") from None


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

