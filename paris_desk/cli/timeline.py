"""``paris-desk timeline``: the home timelines of several accounts, merged."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence

from paris_desk.cli import output
from paris_desk.cli.context import Context, selected_accounts
from paris_desk.cli.errors import report_failures
from paris_desk.cli.language import QT_TRANSLATE_NOOP, translate
from paris_desk.core.merge import merge_pages
from paris_desk.core.model import Post

DEFAULT_LIMIT = 20


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("timeline", help=QT_TRANSLATE_NOOP(
        "cli", "the accounts' home timelines, merged"))
    add_reading_options(parser)
    parser.set_defaults(run=run)


def add_reading_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--account",
        action="append",
        metavar="ACCOUNT",
        help=QT_TRANSLATE_NOOP(
            "cli", "id or end of the handle (repeatable; by default: every account)"),
    )
    parser.add_argument("--limit", type=_positive, default=DEFAULT_LIMIT, metavar="N")
    parser.add_argument("--json", action="store_true", help=QT_TRANSLATE_NOOP("cli", "JSON output"))
    parser.add_argument("--all", action="store_true",
                        help=QT_TRANSLATE_NOOP("cli", "show the items a filter hides too"))


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(translate("cli", "must be at least 1"))
    return value


def merged(pages: Mapping[str, Sequence[Post]], limit: int) -> list[Post]:
    """Newest first, one item per post (seen_by naming every account that saw it)."""
    return merge_pages(pages)[:limit]


def run(args: argparse.Namespace, ctx: Context) -> int:
    accounts = selected_accounts(ctx, args.account)
    timeline = ctx.desk().timeline
    result = timeline.read([a.id for a in accounts], args.limit)
    timeline.flush()  # what the command printed is in the profile's cache too
    posts = merged(result.posts_by_account, args.limit)
    failures = result.errors_by_account
    verdicts = ctx.desk().filters.judge_posts(posts)
    shown = output.filtered(list(zip(posts, verdicts, strict=True)), args.all)
    if args.json:
        output.write_json(ctx.out, [output.post_json(p) | output.verdict_json(v)
                                    for p, v in shown])
    else:
        output.write_posts(ctx.out, shown)
    output.say_hidden(ctx.err, len(posts) - len(shown))
    return report_failures(ctx, failures)
