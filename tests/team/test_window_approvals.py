"""Approval in the window, two main windows of one team (two profiles, pytest-qt, the real
private PostgreSQL cluster, NOTIFY): Marie (redacteur) publishes from the composer to an
account that needs approval and sees "soumis pour validation"; Camille (validateur) sees it in
View › Approvals with a desktop notification, rejects it with a comment (Marie gets her draft
back, with the comment) and approves another (its jobs are queued with its schedule)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cli_run import cli_code
from PySide6.QtCore import QDateTime
from pytestqt.qtbot import QtBot

from paris_desk.services.accounts import AccountService
from paris_desk.services.desk import Desk
from paris_desk.services.team import TeamService
from paris_desk.services.workers import TaskManager
from paris_desk.store.profile import Profile
from paris_desk.ui.approvals import ApprovalsView, TeamApprovals, install_approvals
from paris_desk.ui.composer.install import install_composer
from paris_desk.ui.composer.widget import ComposerWidget
from paris_desk.ui.shell.main_window import MainWindow
from paris_desk.ui.shell.session import Session
from paris_desk.ui.shell.tray import InboxTray
from paris_desk.ui.team_live import ChangeThread, TeamLive
from team.pgcluster import Cluster

WAIT = 30_000  # ms: a hang guard only


@dataclass
class Window:
    window: MainWindow
    desk: Desk
    live: TeamLive
    composer: ComposerWidget
    approvals: ApprovalsView
    team: TeamApprovals
    tray: InboxTray


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pg_cluster: Cluster,
         pg_database: str, mastodon_sandbox: Any) -> tuple[dict[str, Path], dict[str, str], str]:
    """An admin who sets the account to need approval; Marie (redacteur) and Camille
    (validateur), each on a workstation holding that account."""
    suffix = uuid.uuid4().hex[:6]
    names = {who: f"{who}_{suffix}" for who in ("chef", "marie", "camille")}
    homes = {who: tmp_path / who for who in names}
    token = mastodon_sandbox.accounts[0]["access_token"]
    public = f"postgresql://127.0.0.1:{pg_cluster.port}/{pg_database}"
    for who, home in homes.items():
        home.mkdir()
        monkeypatch.setenv("PARIS_DESK_HOME", str(home))
        if who == "chef":
            assert cli_code(monkeypatch, "team", "init", pg_cluster.dsn(dbname=pg_database),
                            "--admin", names[who], "--password-stdin", stdin="pw-chef") == 0
            for member, role in (("marie", "redacteur"), ("camille", "validateur")):
                assert cli_code(monkeypatch, "team", "add-member", names[member], "--role", role,
                                "--password-stdin", stdin=f"pw-{member}") == 0
        else:
            assert cli_code(monkeypatch, "team", "join", public, "--user", names[who],
                            "--password-stdin", stdin=f"pw-{who}") == 0
        assert cli_code(monkeypatch, "account", "add", "mastodon", "--instance",
                        mastodon_sandbox.base_url, "--token-stdin", stdin=token) == 0
    monkeypatch.setenv("PARIS_DESK_HOME", str(homes["chef"]))
    account_id = _account_id(homes["chef"])
    assert cli_code(monkeypatch, "team", "require-approval", account_id) == 0
    return homes, names, account_id


def _account_id(home: Path) -> str:
    service = AccountService(Profile(home))
    try:
        return service.list()[0].id
    finally:
        service.close()


def open_window(qtbot: QtBot, tasks: TaskManager, home: Path) -> Window:
    """One workstation's window, wired as the app wires it (``_install_views``)."""
    profile = Profile(home)
    accounts = AccountService(profile)
    desk = Desk(accounts, executors=tasks.executors)
    session = Session(tasks=tasks, accounts=accounts, add_accounts=accounts,
                      settings_path=home / "settings.json", desk=desk)
    window = MainWindow(session)
    qtbot.addWidget(window)
    tray = InboxTray(None, window)  # as install_inbox makes it
    composer = install_composer(window, session)
    qtbot.waitUntil(lambda: composer.loaded and composer.rules_loaded, timeout=WAIT)
    live = TeamLive(ChangeThread(TeamService(profile).listen), window)  # as install_team_live
    with qtbot.waitSignal(live.thread_.listening, timeout=WAIT):
        live.start()
    view = install_approvals(window, session, live)
    assert view is not None
    qtbot.waitUntil(lambda: view.loaded_once, timeout=WAIT)
    team = view.findChild(TeamApprovals)
    assert team is not None
    window.resize(1200, 900)
    window.show()
    return Window(window, desk, live, composer, view, team, tray)


def publish(qtbot: QtBot, composer: ComposerWidget, account_id: str, text: str,
            when: datetime | None = None) -> str:
    composer.targets_panel.set_checked((account_id,))
    composer.editor.common.setPlainText(text)
    if when is not None:
        composer.options.schedule.setChecked(True)
        composer.options.when.setDateTime(QDateTime.fromSecsSinceEpoch(int(when.timestamp())))
    qtbot.waitUntil(lambda: composer.publish_button.isEnabled(), timeout=WAIT)
    assert composer.publish_button.text() == "Submit for approval"  # a validateur decides
    draft_id = composer.current_draft().id
    with qtbot.waitSignal(composer.publisher.submitted, timeout=WAIT):
        composer.publish()
    return draft_id


def close(*windows: Window) -> None:
    for w in windows:
        w.live.stop()
        w.composer.shutdown()
    for w in windows:
        w.desk.close()


def test_submit_from_the_composer_reject_then_approve_across_two_windows(
    qtbot: QtBot, tasks: TaskManager, team: tuple[dict[str, Path], dict[str, str], str],
    mastodon_sandbox: Any
) -> None:
    homes, names, account_id = team
    marie = open_window(qtbot, tasks, homes["marie"])
    camille = open_window(qtbot, tasks, homes["camille"])
    try:
        # Marie publishes: the account needs approval, so it is submitted, not queued.
        tag = uuid.uuid4().hex[:8]
        with qtbot.waitSignal(camille.tray.notified, timeout=WAIT) as notified:
            draft_id = publish(qtbot, marie.composer, account_id, f"Fête du quartier #{tag}")
        summary = marie.composer.publish_panel.summary.text()
        assert summary.startswith("Submitted for approval (no. ")
        assert marie.composer.publish_panel.isVisibleTo(marie.composer)
        assert not marie.composer.publish_panel.state_texts()  # no job: nothing queued
        assert marie.desk.outbox.jobs() == []
        qtbot.waitUntil(lambda: draft_id in [d.id for d in marie.composer.drafts_panel.drafts()],
                        timeout=WAIT)  # the draft stays with its author

        # Camille: a desktop notification, and the request in View › Approvals.
        title, body = notified.args
        assert title == f"Approval requested by {names['marie']}" and tag in body
        qtbot.waitUntil(lambda: len(camille.approvals.approvals()) == 1, timeout=WAIT)
        (pending,) = camille.approvals.approvals()
        assert pending.author == names["marie"] and pending.targets == (account_id,)
        assert camille.approvals.current() == pending
        assert camille.approvals.approve_button.isEnabled()
        assert tag in camille.approvals.detail.text()
        entry = next(a for a in camille.window.view_menu.actions() if a.data() == "approvals")
        assert entry.text() == "A&pprovals (1)" and not entry.shortcut().isEmpty()  # Ctrl+<n>
        entry.trigger()
        assert camille.window.current_view() == "approvals"
        assert camille.approvals.list.accessibleName() == "Publications awaiting approval"

        # A validateur's composer publishes directly to the same account.
        camille.composer.targets_panel.set_checked((account_id,))
        camille.composer.editor.common.setPlainText("Brouillon de Camille")
        qtbot.waitUntil(camille.composer.publish_button.isEnabled, timeout=WAIT)
        assert camille.composer.publish_button.text() == "Publish"

        # Marie's own window lists it, read-only: a redacteur does not decide.
        qtbot.waitUntil(lambda: len(marie.approvals.approvals()) == 1, timeout=WAIT)
        assert not marie.approvals.approve_button.isEnabled()
        assert marie.approvals.role_note.isVisibleTo(marie.approvals)

        # Marie deletes her local draft: the rejection must bring it back.
        marie.composer.drafts_panel.delete_requested.emit(draft_id)
        qtbot.waitUntil(lambda: draft_id not in [d.id for d in
                                                 marie.composer.drafts_panel.drafts()],
                        timeout=WAIT)

        # Camille rejects: a comment is required.
        with qtbot.waitSignal(camille.approvals.error_occurred, timeout=WAIT) as refused:
            camille.approvals.reject_current()
        assert "comment" in refused.args[0]
        camille.approvals.comment.setPlainText("Ajoutez l'horaire, svp")
        with qtbot.waitSignal(marie.team.returned, timeout=WAIT) as returned, \
                qtbot.waitSignal(marie.tray.notified, timeout=WAIT) as told:
            camille.approvals.reject_current()
        back = returned.args[0]
        assert back.restored and back.draft.id == draft_id and tag in back.draft.text
        assert back.approval.comment == "Ajoutez l'horaire, svp"
        assert told.args == [f"Publication no. {pending.id} rejected by {names['camille']}",
                             "Ajoutez l'horaire, svp"]
        qtbot.waitUntil(lambda: draft_id in [d.id for d in marie.composer.drafts_panel.drafts()],
                        timeout=WAIT)
        assert "Ajoutez l'horaire, svp" in marie.window.message_bar.label.text()
        qtbot.waitUntil(lambda: camille.approvals.approvals() == [], timeout=WAIT)
        assert camille.approvals.empty.isVisibleTo(camille.approvals)
        assert entry.text() == "A&pprovals"

        # A scheduled one, approved: its jobs are queued with the schedule kept.
        when = (datetime.now(UTC) + timedelta(hours=3)).replace(second=0, microsecond=0)
        with qtbot.waitSignal(camille.tray.notified, timeout=WAIT):
            concert = publish(qtbot, marie.composer, account_id, f"Concert #{tag}", when)
        qtbot.waitUntil(lambda: len(camille.approvals.approvals()) == 1, timeout=WAIT)
        (scheduled,) = camille.approvals.approvals()
        assert scheduled.schedule == when
        with qtbot.waitSignal(camille.approvals.decided, timeout=WAIT) as decided:
            camille.approvals.approve_current()
        batch = camille.desk.approvals.store.get(decided.args[0].id).batch_id
        jobs = camille.desk.outbox.jobs(batch)
        assert jobs and all(job.request.scheduled_at == when for job in jobs)
        qtbot.waitUntil(lambda: f"no. {scheduled.id} approved by {names['camille']}"
                        in marie.window.message_bar.label.text(), timeout=WAIT)
        followed = marie.team.told[-1]  # Marie's draft now follows the approved jobs
        assert followed.draft is not None and followed.draft.id == concert
        assert followed.draft.batch_id == batch
        assert "approved" in camille.window.message_bar.label.text()
    finally:
        close(marie, camille)


def test_a_rejection_made_while_the_authors_window_was_closed_is_told_at_start_once(
    qtbot: QtBot, tasks: TaskManager, team: tuple[dict[str, Path], dict[str, str], str],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    homes, names, account_id = team
    tag = uuid.uuid4().hex[:8]
    monkeypatch.setenv("PARIS_DESK_HOME", str(homes["marie"]))  # Marie, from the CLI
    assert cli_code(monkeypatch, "post", "--to", account_id, f"Vide-grenier #{tag}") == 0
    accounts = AccountService(Profile(homes["marie"]))
    desk = Desk(accounts)
    try:
        (draft,) = desk.drafts.list()
        desk.drafts.delete(draft.id)  # gone from this workstation: the rejection brings it
        (pending,) = desk.approvals.list()
    finally:
        desk.close()
    monkeypatch.setenv("PARIS_DESK_HOME", str(homes["camille"]))
    assert cli_code(monkeypatch, "reject", str(pending.id), "--comment", "Quelle date ?") == 0

    marie = open_window(qtbot, tasks, homes["marie"])  # the window opens afterwards
    try:
        qtbot.waitUntil(lambda: marie.team.catch_ups >= 1, timeout=WAIT)
        (told,) = marie.team.told
        assert told.approval.id == pending.id and told.restored and told.draft.id == draft.id
        assert told.approval.decided_by == names["camille"]
        qtbot.waitUntil(lambda: draft.id in [d.id for d in marie.composer.drafts_panel.drafts()],
                        timeout=WAIT)
        assert "Quelle date ?" in marie.window.message_bar.label.text()
    finally:
        close(marie)
    again = open_window(qtbot, tasks, homes["marie"])  # the next start: told once only
    try:
        qtbot.waitUntil(lambda: again.team.catch_ups >= 1, timeout=WAIT)
        assert again.team.told == []
    finally:
        close(again)


def test_a_decision_already_made_or_on_ones_own_is_refused_with_a_reason(
    qtbot: QtBot, tasks: TaskManager, team: tuple[dict[str, Path], dict[str, str], str],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    homes, names, account_id = team
    camille = open_window(qtbot, tasks, homes["camille"])
    try:
        monkeypatch.setenv("PARIS_DESK_HOME", str(homes["marie"]))
        with qtbot.waitSignal(camille.approvals.loaded, timeout=WAIT):
            assert cli_code(monkeypatch, "post", "--to", account_id, "Annonce à revoir") == 0
        qtbot.waitUntil(lambda: len(camille.approvals.approvals()) == 1, timeout=WAIT)
        (pending,) = camille.approvals.approvals()
        monkeypatch.setenv("PARIS_DESK_HOME", str(homes["chef"]))  # an admin decides first
        assert cli_code(monkeypatch, "reject", str(pending.id), "--comment", "Non") == 0
        # Camille's list has not been read again yet: she approves what is already decided.
        with qtbot.waitSignal(camille.approvals.error_occurred, timeout=WAIT) as refused:
            camille.approvals.approve_current()
        assert refused.args == [f"Publication no. {pending.id} was already rejected by "
                                f"{names['chef']}."]

        monkeypatch.setenv("PARIS_DESK_HOME", str(homes["camille"]))  # her own submission
        assert cli_code(monkeypatch, "post", "--to", account_id, "--submit",
                        "Ma propre annonce") == 0
        qtbot.waitUntil(lambda: [a.author for a in camille.approvals.approvals()]
                        == [names["camille"]], timeout=WAIT)
        with qtbot.waitSignal(camille.approvals.error_occurred, timeout=WAIT) as refused:
            camille.approvals.approve_current()
        assert refused.args[0].startswith("Nobody approves their own publication")
        assert camille.desk.outbox.jobs() == []  # nothing was queued
    finally:
        close(camille)
