"""A team account whose credentials are on another workstation: publishing to it from here
queues the job in the team's shared outbox (it does not fail), and the workstation or worker
that holds the credentials sends it, exactly once."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from paris_desk.services.accounts import AccountService
from paris_desk.services.desk import Desk
from paris_desk.services.workers import TaskManager
from paris_desk.store.profile import Profile
from paris_desk.store.team.outbox import TeamOutboxStore
from paris_desk.ui.composer.widget import ComposerWidget
from paris_desk.ui.shell.session import Session
from team.test_approvals import Team, copies, team

__all__ = ["team"]


def test_a_post_for_an_account_held_elsewhere_waits_for_a_host_that_holds_it(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    tag, other = f"e{uuid.uuid4().hex[:8]}", f"f{uuid.uuid4().hex[:8]}"
    team.be("admin", monkeypatch)  # this workstation holds no credentials for the account
    code, out, err = team.run("post", "--to", team.account_id, "--json", f"Marché #{tag}")
    assert code == 0, err
    (result,) = json.loads(out)
    assert (result["account"], result["status"], result["error"]) == (
        team.account_id, "queued", None)
    code, out, _ = team.run("post", "--to", team.account_id, f"Texte #{other}")
    assert out == (f"En file d'envoi de l'équipe pour {team.account_id} : le poste ou le "
                   "worker qui détient ses identifiants le publiera.\n")
    assert copies(team, tag) == copies(team, other) == []
    assert team.run("worker", "--once")[0] == 0  # a worker without it sends nothing
    assert copies(team, tag) == copies(team, other) == []
    db = team.connect("admin")
    try:
        waiting = [j for j in TeamOutboxStore(db).jobs() if j.account_id == team.account_id]
        assert [j.state.name for j in waiting] == ["PENDING", "PENDING"]
        assert all(j.attempts == 0 and not j.error_kind for j in waiting)
    finally:
        db.close()

    team.be("valid", monkeypatch)  # a workstation that holds it
    assert team.run("worker", "--once")[0] == 0
    assert len(copies(team, tag)) == len(copies(team, other)) == 1
    assert team.run("worker", "--once")[0] == 0
    assert len(copies(team, tag)) == len(copies(team, other)) == 1  # exactly once each


def test_an_unknown_account_is_still_refused(team: Team, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    team.be("admin", monkeypatch)
    code, _, err = team.run("post", "--to", "mastodon:@personne@nulle.part", "Bonjour")
    assert code != 0
    assert "personne@nulle.part" in err


def test_the_composer_offers_the_teams_accounts_held_elsewhere_and_queues_for_them(
    team: Team, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, qapp: Any
) -> None:
    tasks = TaskManager()
    team.be("admin", monkeypatch)  # no credentials here for the team's account
    accounts = AccountService(Profile(team.homes["admin"]))
    desk = Desk(accounts, executors=tasks.executors)
    session = Session(tasks=tasks, accounts=accounts, add_accounts=accounts,
                      settings_path=team.homes["admin"] / "settings.json", desk=desk)
    composer = ComposerWidget(session)
    qtbot.addWidget(composer)
    try:
        composer.reload()
        qtbot.waitUntil(lambda: composer.loaded and composer.rules_loaded, timeout=30_000)
        assert accounts.list() == []
        assert list(composer._accounts) == [team.account_id]  # offered, though held elsewhere
        tag = f"w{uuid.uuid4().hex[:8]}"
        composer.targets_panel.set_checked((team.account_id,))
        composer.editor.common.setPlainText(f"Brocante #{tag}")
        qtbot.waitUntil(composer.publish_button.isEnabled, timeout=30_000)
        with qtbot.waitSignal(composer.publisher.queued, timeout=30_000) as queued:
            composer.publish()
        batch = queued.args[0].batch_id
        qtbot.waitUntil(lambda: bool(composer.publish_panel.state_texts()), timeout=30_000)
        assert list(composer.publish_panel.state_texts().values()) == ["queued"]
        (job,) = desk.outbox.jobs(batch)
        assert job.state.name == "PENDING" and job.attempts == 0  # not failed: waiting
        assert copies(team, tag) == []
    finally:
        composer.shutdown()
        desk.close()
        tasks.shutdown()

    team.be("valid", monkeypatch)  # the workstation that holds it sends it
    assert team.run("worker", "--once")[0] == 0
    assert len(copies(team, tag)) == 1
