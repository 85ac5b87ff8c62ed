"""Team mode: every action the issue lists reaches the team's audit log, done through the core
(``Desk``) or the command line, and read back with ``paris-desk audit --json`` (the real
private PostgreSQL cluster, the Mastodon sandbox). Like and repost: test_team_reactions.py;
submit, approve, reject, publish, reply: test_approvals.py; assign, handle: test_assign.py."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from cli_run import cli

from paris_desk.core.model import Draft
from paris_desk.services.accounts import AccountService
from paris_desk.services.desk import Desk
from paris_desk.store.profile import Profile
from team.test_window_live import homes

__all__ = ["homes"]

WAIT = 30.0


def audit(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
          home: Path) -> list[dict[str, Any]]:
    monkeypatch.setenv("PARIS_DESK_HOME", str(home))
    code, out, err = cli(capsys, monkeypatch, "audit", "--json")
    assert (code, err) == (0, "")
    rows: list[dict[str, Any]] = json.loads(out)
    return rows


def test_moderation_delete_and_filter_changes_are_in_the_audit_log(
    homes: dict[str, Path], mastodon_sandbox: Any, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tag = f"d{uuid.uuid4().hex[:8]}"
    desk = Desk(AccountService(Profile(homes["marie"])))
    try:
        (account,) = desk.accounts.list()
        item = next(i for i in desk.inbox.refresh([account.id]).items if i.post is not None)
        assert item.post is not None
        author = item.latest.author
        desk.inbox.mute(account.id, author)
        desk.inbox.mute(account.id, author, on=False)
        desk.inbox.block(account.id, author)
        desk.inbox.block(account.id, author, on=False)
        desk.inbox.report(account.id, item.post, "spam", "Publicité")
        outcome = desk.publish_and_wait(
            Draft(id=tag, text=f"À effacer #{tag}", targets=(account.id,)), WAIT)
        mine = outcome.first_post
        assert outcome.sent and mine is not None
        desk.delete(account.id, mine)
    finally:
        desk.close()

    monkeypatch.setenv("PARIS_DESK_HOME", str(homes["marie"]))
    code, out, err = cli(capsys, monkeypatch, "filter", "add", f"mot{tag}", "--json")
    assert code == 0, err
    filter_id = json.loads(out)["id"]
    assert cli(capsys, monkeypatch, "filter", "remove", filter_id)[0] == 0

    rows = audit(capsys, monkeypatch, homes["camille"])  # a colleague reads the same log
    mine_rows = [r for r in rows if r["actor"].startswith("marie_")]
    assert all(r["workstation"] and r["at"] for r in mine_rows)
    who = author.url or author.handle
    done = [(r["action"], r["account"], r["url"], r["detail"]) for r in mine_rows
            if r["action"] in ("mute", "block", "report", "delete", "filter")]
    assert done == [
        ("mute", account.id, who, None),
        ("mute", account.id, who, "undone"),
        ("block", account.id, who, None),
        ("block", account.id, who, "undone"),
        ("report", account.id, item.post.url or item.post.uri, "spam"),
        ("delete", account.id, mine.url or mine.uri, None),
        ("filter", None, None, f"added {filter_id} (warn): mot{tag}"),
        ("filter", None, None, f"removed {filter_id} (warn): mot{tag}"),
    ]
    publish = [r for r in mine_rows if r["action"] == "publish"]
    assert [r["url"] for r in publish] == [mine.url or mine.uri]
