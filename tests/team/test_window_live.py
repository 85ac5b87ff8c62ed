"""Two windows of one team (two profiles, two inbox views, pytest-qt): what one marks
"Traité" shows as handled in the other, carried by NOTIFY (no polling: the inbox's own
refresh timer is minutes long)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from cli_run import cli_code
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from paris_desk.services.accounts import AccountService
from paris_desk.services.desk import Desk
from paris_desk.services.inbox import InboxItem
from paris_desk.services.team import TeamService
from paris_desk.services.workers import TaskManager
from paris_desk.store.profile import Profile
from paris_desk.ui.inbox.model import InboxRole
from paris_desk.ui.inbox.view import InboxView
from paris_desk.ui.team_live import ChangeThread, TeamLive, install_team_live
from team.pgcluster import Cluster

WAIT = 30_000  # ms: a hang guard only


def rows(view: InboxView) -> list[InboxItem]:
    return [view.proxy.index(r, 0).data(InboxRole.ITEM) for r in range(view.proxy.rowCount())]


@pytest.fixture
def homes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pg_cluster: Cluster,
          pg_database: str, mastodon_sandbox: Any) -> dict[str, Path]:
    """Two profiles in one team, each holding the same Mastodon sandbox account."""
    suffix = uuid.uuid4().hex[:6]
    names = {"camille": f"camille_{suffix}", "marie": f"marie_{suffix}"}
    token = mastodon_sandbox.accounts[0]["access_token"]
    homes = {who: tmp_path / who for who in names}
    for who, home in homes.items():
        home.mkdir()
        monkeypatch.setenv("PARIS_DESK_HOME", str(home))
        if who == "camille":
            assert cli_code(monkeypatch, "team", "init", pg_cluster.dsn(dbname=pg_database),
                            "--admin", names[who], "--password-stdin", stdin="pw-c") == 0
            assert cli_code(monkeypatch, "team", "add-member", names["marie"], "--role",
                            "redacteur", "--password-stdin", stdin="pw-m") == 0
        else:
            assert cli_code(monkeypatch, "team", "join",
                            f"postgresql://127.0.0.1:{pg_cluster.port}/{pg_database}",
                            "--user", names[who], "--password-stdin", stdin="pw-m") == 0
        assert cli_code(monkeypatch, "account", "add", "mastodon", "--instance",
                        mastodon_sandbox.base_url, "--token-stdin", stdin=token) == 0
    return homes


def window(qtbot: QtBot, tasks: TaskManager, home: Path) -> tuple[InboxView, Desk, TeamLive]:
    """The inbox view of one profile, wired as the app wires it (install_team_live)."""
    profile = Profile(home)
    accounts = AccountService(profile)
    desk = Desk(accounts, executors=tasks.executors)
    settings = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
    view = InboxView(tasks, desk.inbox, accounts.list, settings)
    qtbot.addWidget(view)
    with qtbot.waitSignals([view.loaded, view.loaded], timeout=WAIT):  # the store, the server
        view.reload()
    live = TeamLive(ChangeThread(TeamService(profile).listen), view)  # as install_team_live
    live.inbox_changed.connect(view.reload)
    with qtbot.waitSignal(live.thread_.listening, timeout=WAIT):
        live.start()
    return view, desk, live


def test_a_window_outside_a_team_does_not_listen(qtbot: QtBot, tmp_path: Path) -> None:
    assert install_team_live(None, Profile(tmp_path), lambda: None) is None  # type: ignore[arg-type]


def test_a_colleagues_traite_shows_in_my_window(
    qtbot: QtBot, tasks: TaskManager, homes: dict[str, Path]
) -> None:
    camille, camille_desk, camille_live = window(qtbot, tasks, homes["camille"])
    marie, marie_desk, marie_live = window(qtbot, tasks, homes["marie"])
    try:
        index = next(r for r, item in enumerate(rows(camille)) if item.group.needs_action)
        camille.list.setCurrentIndex(camille.proxy.index(index, 0))
        item = camille.current_item()
        assert item is not None and item.handled is None
        assert next(i for i in rows(marie) if i.key == item.key).handled is None

        camille.toggle_handled()  # "Traité" in camille's window

        def handled_for_marie() -> bool:
            mine = next((i for i in rows(marie) if i.key == item.key), None)
            return mine is not None and mine.handled is not None

        qtbot.waitUntil(handled_for_marie, timeout=WAIT)
        seen = next(i for i in rows(marie) if i.key == item.key).handled
        assert seen is not None and seen.by.startswith("camille_")
    finally:
        for live in (camille_live, marie_live):
            live.stop()
        for desk in (camille_desk, marie_desk):
            desk.close()
