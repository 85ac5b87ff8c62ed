"""``paris-desk post``: publish one text (with images) on several accounts at once.

It goes through the durable outbox, like the app: one job per target is written to the
profile's database (with its idempotency key) before any network call, then the outbox sends
them in parallel, retrying with back-off for at most ``--timeout`` seconds. A target that is
still not published then is marked failed and kept in the outbox for a manual retry: it never
goes out later behind the user's back.

Before that, the command takes up what a previous run left: jobs interrupted mid-send (their
process died more than ``STALE_AFTER_S`` ago) and jobs due in the outbox (retries, the app's
scheduled posts). They are sent too, and each one is reported on stderr, since they are not
the post typed on this command line. The JSON on stdout covers this post's targets only:
``[{account, status: "sent"|"failed", url, uri, error}]``; exit code 0 only if all were sent.
"""

from __future__ import annotations

import argparse
import mimetypes
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from paris_desk.cli import messages, output
from paris_desk.cli.context import CommandError, Context, UsageError, for_each_account
from paris_desk.core import errors
from paris_desk.core.channel import Channel
from paris_desk.core.model import Account, Author, Network, Post, PostRequest, PreparedMedia
from paris_desk.services.outbox import STALE_AFTER_S, OutboxService, RetryPolicy
from paris_desk.store.outbox import Job, JobState, OutboxStore, now_us

IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
DEFAULT_TIMEOUT = 60.0  # seconds of retrying before a target is reported as failed


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("post", help="publier sur un ou plusieurs comptes")
    parser.add_argument(
        "--to",
        action="append",
        required=True,
        metavar="ACCOUNT|all",
        help="compte cible (id ou fin du handle), répétable ; « all » : tous les comptes",
    )
    parser.add_argument("--image", action="append", default=[], type=Path, metavar="PATH")
    parser.add_argument(
        "--alt", action="append", default=[], metavar="TEXT", help="description de l'image"
    )
    parser.add_argument("--reply-to", metavar="URL", help="adresse du message auquel répondre")
    parser.add_argument("--cw", default="", metavar="TEXT", help="avertissement de contenu")
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDES",
        help=f"durée maximale des nouvelles tentatives (défaut : {DEFAULT_TIMEOUT:.0f} s)",
    )
    parser.add_argument("--json", action="store_true", help="sortie JSON")
    parser.add_argument("text", metavar="TEXT", help="le texte (« - » : lu sur l'entrée standard)")
    parser.set_defaults(run=run)


def cli_policy(timeout: float) -> RetryPolicy:
    """A person is waiting: fewer, quicker retries than the app's; a rate limit longer than
    the time left fails the target at once (kept for a manual retry)."""
    return RetryPolicy(
        max_attempts=4, base_delay=0.5, max_delay=8.0, max_rate_limit_wait=max(timeout, 0.0)
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    text = ctx.read_all() if args.text == "-" else args.text
    if args.timeout < 0:
        raise UsageError("--timeout doit être positif")
    media = _media(args.image, args.alt)
    targets = _targets(ctx, args.to)
    outbox = OutboxService(
        OutboxStore(ctx.service.db), ctx.service.channel, cli_policy(args.timeout)
    )
    _take_up_earlier_jobs(ctx, outbox)

    replies, failures = _reply_targets(ctx, targets, args.reply_to)
    ready = [a for a in targets if a.id not in failures]
    batch_id = uuid.uuid4().hex
    outbox.publish(
        batch_id,
        [
            (
                a,
                [
                    PostRequest(
                        text=text, media=media, reply_to=replies.get(a.id), content_warning=args.cw
                    )
                ],
            )
            for a in ready
        ],
    )
    attempted = outbox.drain(args.timeout)
    outbox.give_up_unsent(batch_id, f"not sent within {args.timeout:g} s")

    _report_earlier(ctx, [outbox.store.get(j.id) for j in attempted if j.batch_id != batch_id])
    jobs = {j.account_id: j for j in outbox.jobs(batch_id) if j.part == 0}
    results = [_result(a, jobs.get(a.id), failures.get(a.id)) for a in targets]
    _print_results(ctx, results, as_json=args.json)
    return 0 if all(r["status"] == "sent" for r in results) else 1


# -- what earlier runs left ----------------------------------------------------------------


def _take_up_earlier_jobs(ctx: Context, outbox: OutboxService) -> None:
    """Recover interrupted jobs; say which earlier jobs this run leaves alone or sends."""
    outbox.recover()
    now = now_us()
    waiting = [job_id for job_id, when in outbox.store.waiting() if when <= now]
    sending = outbox.store.jobs(state=JobState.SENDING)
    if sending:
        ctx.say(
            f"{len(sending)} message(s) en cours d'envoi par un autre paris-desk (ou interrompu(s) "
            f"il y a moins de {STALE_AFTER_S / 60:.0f} min) : ils ne sont pas repris maintenant."
        )
    if waiting:
        ctx.say(
            f"{len(waiting)} message(s) en attente dans la file d'envoi (envoi précédent "
            "interrompu, nouvelle tentative ou message programmé) : envoi maintenant."
        )


def _report_earlier(ctx: Context, jobs: Sequence[Job]) -> None:
    for job in jobs:
        who = job.account_id.split(":", 1)[-1]
        excerpt = _excerpt(job.request.text)
        if job.state is JobState.SENT:
            ctx.say(
                f"Message en attente « {excerpt} » publié sur {job.account_id} : "
                f"{job.result_url or job.result_uri}"
            )
        elif job.state is JobState.FAILED:
            ctx.say(f"Erreur : message en attente « {excerpt} » non publié : {_sentence(job, who)}")
        else:
            ctx.say(
                f"Message en attente « {excerpt} » pour {job.account_id} : "
                "nouvelle tentative plus tard."
            )


def _excerpt(text: str, limit: int = 40) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


# -- results ---------------------------------------------------------------------------------


def _result(account: Account, job: Job | None, error: BaseException | None) -> dict[str, Any]:
    if job is not None and job.state is JobState.SENT:
        return {
            "account": account.id,
            "status": "sent",
            "url": job.result_url,
            "uri": job.result_uri,
            "error": None,
        }
    if error is not None:
        sentence = messages.describe(error, account=account.handle)
    elif job is not None:
        sentence = _sentence(job, account.handle)
    else:
        sentence = "?"
    return {"account": account.id, "status": "failed", "url": None, "uri": None, "error": sentence}


_OUTBOX_KINDS = {  # error kinds the outbox sets itself (the others name a ParisDeskError)
    "NotSent": "{handle} : pas envoyé dans le délai (--timeout).",
    "Interrupted": "{handle} : envoi interrompu (arrêt du programme).",
    "Bug": "{handle} : erreur interne, détails dans le journal.",
}


def _sentence(job: Job, handle: str) -> str:
    """A French sentence for a failed job, from its stored error kind and reason."""
    cls = getattr(errors, job.error_kind, None)
    if job.error_kind in _OUTBOX_KINDS:
        sentence = _OUTBOX_KINDS[job.error_kind].format(handle=handle)
    elif isinstance(cls, type) and issubclass(cls, errors.ParisDeskError):
        exc = cls(job.last_error)
        if isinstance(exc, errors.ChannelError):
            exc.account_id = job.account_id
        sentence = messages.describe(exc, account=handle)
    else:
        sentence = f"la publication sur {handle} a échoué ({job.last_error})."
    return f"{sentence} Message conservé dans la file d'envoi ({_attempts(job.attempts)})."


def _attempts(count: int) -> str:
    return f"{count} tentative{'s' if count > 1 else ''}"


def _print_results(ctx: Context, results: list[dict[str, Any]], *, as_json: bool) -> None:
    if as_json:
        output.write_json(ctx.out, results)
    for result in results:
        if result["status"] == "sent" and not as_json:
            print(
                f"Publié sur {result['account']} : {result['url'] or result['uri']}", file=ctx.out
            )
        elif result["status"] == "failed":
            print(f"Erreur : {result['error']}", file=ctx.err)


# -- building the request --------------------------------------------------------------------


def _reply_targets(
    ctx: Context, targets: list[Account], url: str | None
) -> tuple[dict[str, Post], dict[str, errors.ParisDeskError]]:
    """The post replied to, as each target's server knows it (network: before queueing)."""
    if not url:
        return {}, {}
    return for_each_account(ctx, targets, lambda channel: _reply_target(channel, url))


def _targets(ctx: Context, refs: list[str]) -> list[Account]:
    if any(ref.strip().lower() == "all" for ref in refs):
        accounts = ctx.service.list()
    else:
        accounts = list({a.id: a for a in (ctx.service.resolve(r) for r in refs)}.values())
    if not accounts:
        raise CommandError("aucun compte : ajoutez-en un avec « paris-desk account add »")
    return accounts


def _media(paths: list[Path], alts: list[str]) -> tuple[PreparedMedia, ...]:
    if len(paths) != len(alts):
        raise UsageError("chaque --image doit avoir sa description --alt")
    uploads = []
    for path, alt in zip(paths, alts, strict=True):
        if not alt.strip():
            raise UsageError(f"description --alt vide pour {path}")
        mime_type = mimetypes.guess_type(path.name)[0] or ""
        if mime_type not in IMAGE_TYPES:
            raise UsageError(f"{path} : seules les images JPEG, PNG, GIF et WebP sont acceptées")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UsageError(f"impossible de lire {path} ({exc.strerror})") from exc
        width, height = _size(path)
        uploads.append(PreparedMedia(data, mime_type, alt.strip(), width, height, path.name))
    return tuple(uploads)


def _size(path: Path) -> tuple[int, int]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return image.size
    except (OSError, UnidentifiedImageError) as exc:
        raise UsageError(f"{path} n'est pas une image lisible") from exc


def _reply_target(channel: Channel, url: str) -> Post:
    """The post at ``url`` as ``channel``'s account knows it (with what a reply needs)."""
    network = channel.account.network
    uri = _bluesky_uri(url) if network is Network.BLUESKY else url
    stub = Post(
        uri=uri,
        native_id="",
        network=network,
        author=Author(handle=""),
        created_at=datetime.now(UTC),
        url=url,
    )
    return channel.thread(channel.resolve(stub)).post


def _bluesky_uri(url: str) -> str:
    """``https://bsky.app/profile/<handle or did>/post/<rkey>`` → its ``at://`` URI."""
    if url.startswith("at://"):
        return url
    parts = [p for p in urlsplit(url).path.split("/") if p]
    if len(parts) == 4 and parts[0] == "profile" and parts[2] == "post":
        return f"at://{parts[1]}/app.bsky.feed.post/{parts[3]}"
    return url
