"""Team mode: a like or a share (and their undo), from the timeline or the inbox, is one row of
the team's audit log, naming the account and the post (the real private PostgreSQL cluster,
the Mastodon sandbox)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from paris_desk.services.accounts import AccountService
from paris_desk.services.desk import Desk
from paris_desk.services.reactions import PostAction
from paris_desk.services.team import TeamService
from paris_desk.store.profile import Profile
from team.test_window_live import homes

__all__ = ["homes"]


def test_a_like_and_its_undo_are_in_the_team_audit_log(
    homes: dict[str, Path], mastodon_sandbox: Any
) -> None:
    profile = Profile(homes["marie"])
    desk = Desk(AccountService(profile))
    try:
        (account,) = desk.accounts.list()
        item = next(i for i in desk.inbox.refresh([account.id]).items
                    if i.post is not None and not i.post.liked)
        assert item.post is not None

        liked = desk.react(account.id, PostAction.LIKE, item.post)
        desk.react(account.id, PostAction.UNLIKE, liked)
    finally:
        desk.close()

    rows = [(e.action, e.account, e.url, e.detail) for e in TeamService(profile).audit_log()
            if e.action == "like"]
    url = item.post.url or item.post.uri
    assert rows == [("like", account.id, url, ""), ("like", account.id, url, "undone")]
    entry = next(e for e in TeamService(profile).audit_log() if e.action == "like")
    assert entry.actor.startswith("marie_") and entry.workstation
