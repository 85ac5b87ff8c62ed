"""``paris-desk audit [--since ISO-8601] [--json]``: the team's audit log (team mode only).

The JSON shape is a stable contract: ``[{at, actor, workstation, action, account, url,
detail}]``, oldest first, ``at`` an ISO-8601 UTC time, ``actor`` the member's database role.
``--since`` without a time zone is this machine's local time.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from paris_desk.cli import output
from paris_desk.cli.context import Context, UsageError
from paris_desk.cli.language import QT_TRANSLATE_NOOP, translate
from paris_desk.cli.team import _team
from paris_desk.core.terminal import for_terminal
from paris_desk.services.team import AuditEntry, TeamService


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = commands.add_parser("audit", help=QT_TRANSLATE_NOOP("cli", "the team's audit log"))
    audit.add_argument("--since", metavar="ISO-8601", help=QT_TRANSLATE_NOOP(
        "cli", "from this date (and time)"))
    audit.add_argument("--json", action="store_true", help=QT_TRANSLATE_NOOP("cli", "JSON output"))
    audit.set_defaults(run=run_audit, needs_profile=False)


def run_audit(args: argparse.Namespace, ctx: Context) -> int:
    since = _since(args.since) if args.since else None
    entries = _team(lambda: TeamService(ctx.profile).audit_log(since))
    if args.json:
        output.write_json(ctx.out, [entry_json(e) for e in entries])
        return 0
    if not entries:
        print(translate("cli", "The audit log is empty."), file=ctx.out)
    for entry in entries:
        at = entry.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        words = [at, entry.actor, entry.workstation or "-", entry.action, entry.account or "-",
                 entry.url, entry.detail]
        print(for_terminal("  ".join(w for w in words if w)), file=ctx.out)
    return 0


def entry_json(entry: AuditEntry) -> dict[str, Any]:
    return {
        "at": entry.at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "actor": entry.actor,
        "workstation": entry.workstation,
        "action": entry.action,
        "account": entry.account or None,
        "url": entry.url or None,
        "detail": entry.detail or None,
    }


def _since(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(translate(
            "cli", "--since: an ISO-8601 date is expected (2026-12-07 or 2026-12-07T09:30:00Z), "
            "not “{text}”.").format(text=text)) from None
    return moment if moment.tzinfo else moment.astimezone()
