"""``paris-desk post``: publish one text (with images) on several accounts at once.

The command is a thin shell over the application core: it builds a draft and hands it to
``Desk.publish``, the window's composer's action — the same checks, image preparation
(re-encoded, EXIF/GPS dropped, neutral file name), link card, thread split and durable outbox
— then waits, at most ``--timeout`` seconds, for its own batch in the outbox. In team mode
``Desk.publish`` decides whether a redacteur's post is submitted for approval (``--submit``
asks for it always): then the JSON is ``{"approval": ID, "state": "pending"}``, exit code 0.

Exit codes: 0 every target was sent (or scheduled, or queued for another workstation); 1 some
failed (each one listed with its reason on stderr; it stays in the outbox: ``paris-desk
outbox``); 2 refused before queueing (nothing queued: blank text, too long without ``--split``,
missing alt text, unreadable image…). The JSON on stdout covers this post's targets only:
``[{account, status: "sent"|"scheduled"|"queued"|"failed", url, uri, error}]``; "queued" (team
mode): the account's credentials are on another workstation, or the worker's, which sends it.
"""

from __future__ import annotations

import argparse
import math
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from paris_desk.cli import messages, output
from paris_desk.cli.context import CommandError, Context, UsageError, for_each_account
from paris_desk.cli.language import QT_TRANSLATE_NOOP, translate
from paris_desk.cli.team import describe as team_sentence
from paris_desk.core import errors
from paris_desk.core.channel import Channel
from paris_desk.core.model import Account, Author, Draft, DraftImage, Network, Post
from paris_desk.services.desk import Desk
from paris_desk.services.outbox import Job, JobState, RetryPolicy
from paris_desk.services.publisher import FETCH_CARD, Refused, Submission
from paris_desk.services.team import TeamError
from paris_desk.services.team_accounts import TeamAccounts

if TYPE_CHECKING:  # team mode only: its store is imported when a team is used
    from paris_desk.services.approvals import Approval

DEFAULT_TIMEOUT = 60.0  # seconds of retrying before a target is reported as failed


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("post", help=QT_TRANSLATE_NOOP(
        "cli", "publish on one or several accounts"))
    parser.add_argument(
        "--to", action="append", required=True, metavar="ACCOUNT|all",
        help=QT_TRANSLATE_NOOP(
            "cli", "target account (id or end of the handle), repeatable; “all”: every account"),
    )  # fmt: skip
    parser.add_argument("--image", action="append", default=[], type=Path, metavar="PATH")
    parser.add_argument(
        "--alt", action="append", default=[], metavar="TEXT", help=QT_TRANSLATE_NOOP(
            "cli", "the image's description")
    )
    parser.add_argument("--reply-to", metavar="URL", help=QT_TRANSLATE_NOOP(
        "cli", "address of the post to reply to"))
    parser.add_argument("--cw", default="", metavar="TEXT", help=QT_TRANSLATE_NOOP(
        "cli", "content warning"))
    parser.add_argument(
        "--lang", dest="language", default="fr", metavar="CODE",
        help=QT_TRANSLATE_NOOP("cli", "the text's language (default: fr)"),
    )  # fmt: skip
    parser.add_argument(
        "--split", action="store_true",
        help=QT_TRANSLATE_NOOP(
            "cli", "too long for a network: publish as a numbered thread rather than refuse"),
    )  # fmt: skip
    parser.add_argument("--no-card", action="store_true", help=QT_TRANSLATE_NOOP(
        "cli", "no preview of the first link"))
    parser.add_argument(
        "--schedule", type=_moment, metavar="ISO-8601",
        help=QT_TRANSLATE_NOOP("cli", "publish later, e.g. 2026-12-24T18:00+01:00"),
    )  # fmt: skip
    parser.add_argument(
        "--timeout", type=_timeout, default=DEFAULT_TIMEOUT, metavar="SECONDES",
        help=QT_TRANSLATE_NOOP("cli", "maximum duration of the retries (default: %(default).0f s)"),
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help=QT_TRANSLATE_NOOP("cli", "JSON output"))
    parser.add_argument(
        "--submit", action="store_true",
        help=QT_TRANSLATE_NOOP("cli", "team mode: submit for validation instead of publishing"),
    )  # fmt: skip
    parser.add_argument("text", metavar="TEXT", help=QT_TRANSLATE_NOOP(
        "cli", "the text (“-”: read on standard input)"))
    parser.set_defaults(run=run)


def _timeout(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise argparse.ArgumentTypeError(translate(
            "cli", "invalid duration: {value} (a number of seconds ≥ 0)").format(
            value=repr(value)))
    return seconds


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(translate(
            "cli", "invalid date: {value} (ISO-8601, e.g. 2026-12-24T18:00+01:00)").format(
            value=repr(value))) from None
    if moment.tzinfo is None:
        moment = moment.astimezone()  # the workstation's local time
    return moment.astimezone(UTC)


def cli_policy(timeout: float) -> RetryPolicy:
    """A person is waiting: fewer, quicker retries than the app's; a rate limit longer than
    the time left fails the target at once (kept for a manual retry)."""
    return RetryPolicy(
        max_attempts=4, base_delay=0.5, max_delay=8.0, max_rate_limit_wait=max(timeout, 0.0)
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    text = ctx.read_all() if args.text == "-" else args.text
    images = _images(args.image, args.alt)
    targets = _targets(ctx, args.to)
    desk = ctx.desk()
    desk.outbox.policy = cli_policy(args.timeout)  # a person is waiting: the CLI's retries
    draft = Draft(
        id=uuid.uuid4().hex, text=text, targets=tuple(a.id for a in targets), images=images,
        content_warning=args.cw, language=args.language, as_thread=args.split,
        scheduled_at=args.schedule, updated_at=datetime.now(UTC),
    )  # fmt: skip
    if args.reply_to and (args.submit or _needs_approval(desk, draft)):
        raise UsageError(translate("cli", "--submit does not go with --reply-to (yet)."))
    drafts, failures = _per_reply_target(ctx, draft, targets, args.reply_to)
    earlier = (0, 0) if args.submit else _earlier_jobs(desk)  # before this post's jobs
    card = None if args.no_card else FETCH_CARD
    try:  # queued, or submitted for approval: the window's composer calls the same action
        published = [desk.publish(d, card=card, for_approval=args.submit) for d in drafts]
    except Refused as exc:
        _note_earlier_jobs(ctx, *earlier)
        return _refused(ctx, exc)
    except TeamError as exc:
        raise CommandError(team_sentence(exc, refused="" if args.submit else translate(
            "cli", "your role may not publish on this account without validation (“--submit”)"
        ))) from exc
    approvals = [p for p in published if not isinstance(p, Submission)]
    if approvals:
        return _submitted(args, ctx, approvals[0])
    _note_earlier_jobs(ctx, *earlier)
    submissions = [p for p in published if isinstance(p, Submission)]
    outcomes: dict[str, tuple[Job, Submission]] = {}
    for submission in submissions:
        ended = _send(desk, submission, args.timeout)
        outcomes.update({job.account_id: (job, submission) for job in ended if job.part == 0})
    desk.tidy()
    here = {a.id for a in ctx.service.list()}
    results = [_result(a, outcomes.get(a.id), failures.get(a.id), elsewhere=a.id not in here)
               for a in targets]
    _print_results(ctx, results, as_json=args.json)
    return 0 if all(r["status"] in ("sent", "scheduled", "queued") for r in results) else 1


def _refused(ctx: Context, exc: Refused) -> int:
    for sentence in messages.refusal(exc):
        ctx.say(messages.error_line(sentence))
    if hint := messages.refusal_hint(exc):
        ctx.say(hint)
    ctx.say(messages.nothing_queued())
    return 2


def _needs_approval(desk: Desk, draft: Draft) -> bool:
    """``Desk.publish`` would submit ``draft`` for approval (asked before a ``--reply-to``
    looks the post up: a reply is not submitted from here yet)."""
    try:
        return desk.needs_approval(draft)
    except TeamError as exc:
        raise CommandError(team_sentence(exc)) from exc


def _submitted(args: argparse.Namespace, ctx: Context, approval: Approval) -> int:
    """Submitted for approval (``--submit``, or a redacteur's post to an account that needs
    it): checked and prepared like a post, then left for a validateur."""
    if args.json:
        output.write_json(ctx.out, {"approval": approval.id, "state": approval.state.value})
    else:
        print(translate("cli", "Submitted for validation: no. {id} ({accounts}).").format(
            id=approval.id, accounts=", ".join(approval.targets)), file=ctx.out)
    if not args.submit:
        ctx.say(translate(
            "cli", "This account needs a validation before publishing: a validateur must "
            "approve it (“paris-desk approvals”)."))
    return 0


def _earlier_jobs(desk: Desk) -> tuple[int, int]:
    """What else is in the outbox, after taking back what a dead process left: the jobs due
    now, and those another process is sending."""
    desk.outbox.recover()
    return desk.outbox.due_and_sending()


def _note_earlier_jobs(ctx: Context, waiting: int, sending: int) -> None:
    """Say what else is in the outbox: due jobs are sent by this run too (they are not this
    command's post, so they are not in its results); jobs another process is sending are
    left to it."""
    if sending:
        ctx.say(translate(
            "cli", "%n message(s) being sent by another paris-desk: not taken over now.",
            None, sending))
    if waiting:
        ctx.say(translate(
            "cli", "%n message(s) waiting in the outbox (an earlier sending interrupted, a "
            "retry or a scheduled message): sent now; see “paris-desk outbox”.", None, waiting))


def _send(desk: Desk, submission: Submission, timeout: float) -> list[Job]:
    """Send the submission's jobs due now and follow them. Jobs held until a scheduled time
    stay queued: the outbox sends them when due (``paris-desk outbox run``, or the app)."""
    if submission.scheduled_for is None:
        return desk.outbox.run_batch(submission.batch_id, timeout)
    desk.outbox.drain(timeout)
    return desk.outbox.jobs(submission.batch_id)


# -- what is published -------------------------------------------------------------------------


def _images(paths: list[Path], alts: list[str]) -> tuple[DraftImage, ...]:
    if len(paths) != len(alts):
        raise UsageError(translate("cli", "Each --image needs its description --alt."))
    return tuple(DraftImage(str(path), alt) for path, alt in zip(paths, alts, strict=True))


def _targets(ctx: Context, refs: list[str]) -> list[Account]:
    """The accounts named; in team mode also the team's accounts whose credentials are on
    another workstation (their jobs wait in the team's outbox for a host that holds them)."""
    source = ctx.desk().publish_accounts
    team = source if isinstance(source, TeamAccounts) else None
    if any(ref.strip().lower() == "all" for ref in refs):
        accounts = ctx.service.list() + (_elsewhere(ctx, team) if team else [])
    else:
        resolve = team.resolve if team else ctx.service.resolve
        try:
            accounts = list({a.id: a for a in (resolve(r) for r in refs)}.values())
        except TeamError as exc:
            raise CommandError(team_sentence(exc)) from exc
    if not accounts:
        raise CommandError(translate(
            "cli", "No account: add one with “paris-desk account add”."))
    return accounts


def _elsewhere(ctx: Context, team: TeamAccounts) -> list[Account]:
    """Team mode: ``--to all`` is every team account; say which ones wait for another
    workstation (or the worker), which holds their credentials."""
    try:
        elsewhere = team.elsewhere()
    except TeamError as exc:
        ctx.say(translate("cli", "Warning: the team's accounts are unavailable. {sentence}"
                          ).format(sentence=team_sentence(exc)))
        return []
    if elsewhere:
        names = ", ".join(a.id for a in elsewhere)
        ctx.say(translate(
            "cli", "The team's accounts whose credentials are on another workstation: "
            "{accounts}; their posts will wait in the team's outbox.").format(accounts=names))
    return elsewhere


def _per_reply_target(
    ctx: Context, draft: Draft, targets: list[Account], url: str | None
) -> tuple[list[Draft], dict[str, errors.ParisDeskError]]:
    """One draft for every target; with ``--reply-to``, one per account, each answering the
    post as its own server knows it (looked up before anything is queued)."""
    if not url:
        return [draft], {}
    found, failures = for_each_account(ctx, targets, lambda channel: _reply_target(channel, url))
    drafts = [
        replace(draft, id=uuid.uuid4().hex, targets=(account_id,), reply_to=post)
        for account_id, post in found.items()
    ]
    return drafts, failures


def _reply_target(channel: Channel, url: str) -> Post:
    """The post at ``url`` as ``channel``'s account knows it (with what a reply needs)."""
    network = channel.account.network
    uri = _bluesky_uri(url) if network is Network.BLUESKY else url
    stub = Post(
        uri=uri, native_id="", network=network, author=Author(handle=""),
        created_at=datetime.now(UTC), url=url,
    )  # fmt: skip
    return channel.thread(channel.resolve(stub)).post


def _bluesky_uri(url: str) -> str:
    """``https://bsky.app/profile/<handle or did>/post/<rkey>`` → its ``at://`` URI."""
    if url.startswith("at://"):
        return url
    parts = [p for p in urlsplit(url).path.split("/") if p]
    if len(parts) == 4 and parts[0] == "profile" and parts[2] == "post":
        return f"at://{parts[1]}/app.bsky.feed.post/{parts[3]}"
    return url


# -- results -----------------------------------------------------------------------------------


def _result(account: Account, outcome: tuple[Job, Submission] | None,
            error: BaseException | None, *, elsewhere: bool = False) -> dict[str, Any]:
    """``elsewhere``: a team account whose credentials are on another workstation; its job
    waits in the team's outbox ("queued")."""
    base: dict[str, Any] = {"account": account.id, "url": None, "uri": None, "error": None}
    if outcome is None:
        sentence = messages.describe(error, account=account.handle) if error else "?"
        return {**base, "status": "failed", "error": sentence}
    job, submission = outcome
    scheduled = submission.draft.scheduled_at
    if job.state is JobState.SENT:
        status = "scheduled" if scheduled is not None else "sent"
        return {**base, "status": status, "url": job.result_url, "uri": job.result_uri}
    if job.state is JobState.PENDING and scheduled is not None and job.not_before_us:
        return {**base, "status": "scheduled"}
    if job.state is JobState.PENDING and elsewhere:
        return {**base, "status": "queued"}
    return {**base, "status": "failed", "error": messages.job_failure(job, account.handle)}


def _print_results(ctx: Context, results: list[dict[str, Any]], *, as_json: bool) -> None:
    if as_json:
        output.write_json(ctx.out, results)
    for result in results:
        if result["status"] == "sent" and not as_json:
            print(translate("cli", "Published on {account}: {url}").format(
                account=result["account"], url=result["url"] or result["uri"]), file=ctx.out)
        elif result["status"] == "scheduled" and not as_json:
            print(translate("cli", "Scheduled on {account}").format(account=result["account"]),
                  file=ctx.out)
        elif result["status"] == "queued" and not as_json:
            print(translate(
                "cli", "In the team's outbox for {account}: the workstation or the worker that "
                "holds its credentials will publish it.").format(account=result["account"]),
                file=ctx.out)
        elif result["status"] == "failed":
            print(messages.error_line(result["error"]), file=ctx.err)
