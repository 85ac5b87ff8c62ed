"""``paris-desk approvals``, ``approve`` and ``reject``: publications submitted for validation
(team mode; ``paris-desk post … --submit`` submits).

    paris-desk approvals [--all] [--json]     [{id, author, submitted_at, text, targets,
                                               schedule}] (--all: decided ones too, with
                                               state, decided_by, decided_at, comment)
    paris-desk approve ID                     its jobs go to the team's outbox, with their
                                               schedule (sent by a workstation or the worker)
    paris-desk reject ID --comment TEXT       back to its author, with the comment

Only a validateur (or an admin) decides, never on a submission of their own; the database
refuses it too, whatever the client. Refused: exit 1, nothing changed.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from paris_desk.cli import output
from paris_desk.cli.context import CommandError, Context, UsageError
from paris_desk.cli.language import QT_TRANSLATE_NOOP, translate
from paris_desk.cli.team import describe
from paris_desk.core.terminal import for_terminal
from paris_desk.services.approvals import (
    AlreadyDecided,
    Approval,
    ApprovalNotFound,
    OwnSubmission,
)
from paris_desk.services.team import TeamError

_STATES = {  # a publication's state, translated where shown
    "pending": QT_TRANSLATE_NOOP("cli", "waiting"),
    "approved": QT_TRANSLATE_NOOP("cli", "approved"),
    "rejected": QT_TRANSLATE_NOOP("cli", "rejected"),
}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    listing = commands.add_parser("approvals", help=QT_TRANSLATE_NOOP(
        "cli", "the publications submitted for validation"))
    listing.add_argument("--all", action="store_true", help=QT_TRANSLATE_NOOP(
        "cli", "those already decided too"))
    listing.add_argument("--json", action="store_true", help=QT_TRANSLATE_NOOP(
        "cli", "JSON output"))
    listing.set_defaults(run=run_list)


def register_approve(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    approve = commands.add_parser("approve", help=QT_TRANSLATE_NOOP(
        "cli", "approve a submitted publication"))
    approve.add_argument("id", metavar="ID", type=_id)
    approve.set_defaults(run=run_approve)


def register_reject(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    reject = commands.add_parser("reject", help=QT_TRANSLATE_NOOP(
        "cli", "reject a submitted publication"))
    reject.add_argument("id", metavar="ID", type=_id)
    reject.add_argument("--comment", required=True, metavar="TEXTE", help=QT_TRANSLATE_NOOP(
        "cli", "for its author"))
    reject.set_defaults(run=run_reject)


def run_list(args: argparse.Namespace, ctx: Context) -> int:
    approvals = _decide_errors(lambda: ctx.desk().approvals.list(all_states=args.all))
    if args.json:
        output.write_json(ctx.out, [approval_json(a, full=args.all) for a in approvals])
        return 0
    if not approvals:
        print(translate("cli", "No publication waiting for validation."), file=ctx.out)
    for a in approvals:
        when = translate("cli", ", scheduled {when}").format(
            when=_local(a.schedule)) if a.schedule else ""
        state = "" if a.state.value == "pending" else f" [{_state(a)}]"
        line = translate(
            "cli", "no. {id}{state}  {author}  {at}  {accounts}{when}  “{text}”").format(
            id=a.id, state=state, author=a.author, at=_local(a.submitted_at),
            accounts=", ".join(a.targets), when=when, text=_excerpt(a.text))
        print(for_terminal(line), file=ctx.out)
    return 0


def run_approve(args: argparse.Namespace, ctx: Context) -> int:
    approval, jobs = _decide_errors(lambda: ctx.desk().approvals.approve(args.id))
    count = len(jobs)
    ctx.say(translate(
        "cli", "Publication no. {id} by {author} approved: %n post(s) in the team's outbox "
        "(“paris-desk outbox”).", None, count).format(id=approval.id, author=approval.author))
    return 0


def run_reject(args: argparse.Namespace, ctx: Context) -> int:
    if not args.comment.strip():
        raise UsageError(translate("cli", "--comment: tell the author what is wrong."))
    approval = _decide_errors(lambda: ctx.desk().approvals.reject(args.id, args.comment))
    ctx.say(translate(
        "cli", "Publication no. {id} by {author} rejected; its author will see your comment."
    ).format(id=approval.id, author=approval.author))
    return 0


def approval_json(a: Approval, *, full: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": a.id, "author": a.author, "submitted_at": _iso(a.submitted_at), "text": a.text,
        "targets": list(a.targets), "schedule": _iso(a.schedule) if a.schedule else None,
    }
    if full:
        data.update(state=a.state.value, decided_by=a.decided_by,
                    decided_at=_iso(a.decided_at) if a.decided_at else None,
                    comment=a.comment or None)
    return data


def _decide_errors(call: Any) -> Any:
    try:
        return call()
    except ApprovalNotFound as exc:
        raise CommandError(translate(
            "cli", "No publication was submitted under this number.")) from exc
    except AlreadyDecided as exc:
        raise CommandError(translate(
            "cli", "Publication no. {id} is already {state} (by {who})."
        ).format(id=exc.approval.id, state=_state(exc.approval),
                 who=exc.approval.decided_by)) from exc
    except OwnSubmission as exc:
        raise CommandError(translate(
            "cli", "Refused: nobody validates their own publication. Nothing was changed."
        )) from exc
    except TeamError as exc:
        raise CommandError(describe(
            exc, refused=translate("cli", "only a validateur decides"))) from exc


def _id(text: str) -> int:
    try:
        return int(text.lstrip("n°#"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            translate("cli", "invalid number: {text}").format(text=repr(text))) from None


def _state(approval: Approval) -> str:
    return translate("cli", _STATES[approval.state.value])


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _excerpt(text: str, limit: int = 50) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
