"""NOTIFY to on-screen (issue 16: p95 <= 1 s): a colleague marks an inbox item "traité" (or
takes it back) and my inbox window shows it, through LISTEN/NOTIFY, with no polling.

    .venv/bin/python bench/team_live_bench.py [--samples N]

A private PostgreSQL cluster on loopback (tests/team/pgcluster.py) and the Mastodon sandbox in
this process; two profiles in one team (camille, marie) holding the same sandbox account, in a
keychain file. Marie's window is wired as the app wires it (``InboxView`` + ``TeamLive``,
offscreen). Each sample: camille's Desk commits the change (``InboxService.set_handled``),
and the clock stops when marie's inbox model holds the new state; the GUI thread only pumps
events between samples. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "team"))
sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "cli"))
import keyring
from file_keyring import ENV, FileKeyring
from pgcluster import destroy, make_cluster
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from paris_desk.cli.main import main as cli
from paris_desk.sandbox.mastodon import MastodonSandbox
from paris_desk.services.accounts import AccountService
from paris_desk.services.desk import Desk
from paris_desk.services.inbox import InboxItem
from paris_desk.services.team import TeamService
from paris_desk.services.workers import TaskManager
from paris_desk.store.profile import Profile
from paris_desk.ui.inbox.model import InboxRole
from paris_desk.ui.inbox.view import InboxView
from paris_desk.ui.team_live import ChangeThread, TeamLive

HANG_GUARD_S = 30.0  # one sample that never arrives stops the bench


def run(home: Path, *argv: str, stdin: str = "") -> None:
    os.environ["PARIS_DESK_HOME"] = str(home)
    sys.stdin = io.StringIO(stdin + "\n")
    if cli(list(argv)) != 0:
        raise SystemExit(f"paris-desk {argv[0]} {argv[1]} failed")


def pump_until(app: QApplication, done: Callable[[], bool]) -> None:
    deadline = time.monotonic() + HANG_GUARD_S
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the window")
        app.processEvents()
        time.sleep(0.0005)


def rows(view: InboxView) -> list[InboxItem]:
    return [view.proxy.index(r, 0).data(InboxRole.ITEM) for r in range(view.proxy.rowCount())]


def team_of_two(root: Path, dsn: str, port: int, server: MastodonSandbox) -> dict[str, Path]:
    suffix = uuid.uuid4().hex[:6]
    homes = {"camille": root / "camille", "marie": root / "marie"}
    token = server.accounts[0]["access_token"]
    for home in homes.values():
        home.mkdir()
    run(homes["camille"], "team", "init", dsn, "--admin", f"camille_{suffix}",
        "--password-stdin", stdin="pw-c")
    run(homes["camille"], "team", "add-member", f"marie_{suffix}", "--role", "redacteur",
        "--password-stdin", stdin="pw-m")
    run(homes["marie"], "team", "join", f"postgresql://127.0.0.1:{port}/postgres",
        "--user", f"marie_{suffix}", "--password-stdin", stdin="pw-m")
    for home in homes.values():
        run(home, "account", "add", "mastodon", "--instance", server.base_url,
            "--token-stdin", stdin=token)
    return homes


def measure(app: QApplication, homes: dict[str, Path], samples: int) -> list[float]:
    tasks = TaskManager()
    profile = Profile(homes["marie"])
    accounts = AccountService(profile)
    marie = Desk(accounts, executors=tasks.executors)
    settings = QSettings(str(homes["marie"] / "settings.ini"), QSettings.Format.IniFormat)
    view = InboxView(tasks, marie.inbox, accounts.list, settings)
    loads: list[int] = []
    view.loaded.connect(lambda: loads.append(1))
    view.reload()
    pump_until(app, lambda: len(loads) >= 2)  # the store, then the server
    live = TeamLive(ChangeThread(TeamService(profile).listen), view)
    live.inbox_changed.connect(view.reload)
    listening: list[int] = []
    live.thread_.listening.connect(lambda: listening.append(1))
    live.start()
    pump_until(app, lambda: bool(listening))
    camille = Desk(AccountService(Profile(homes["camille"])))
    delays = []
    try:
        (account,) = camille.accounts.list()
        item = next(i for i in camille.inbox.refresh([account.id]).items
                    if i.group.needs_action)
        for n in range(samples):
            handled = n % 2 == 0

            def shown(handled: bool = handled) -> bool:
                mine = next((i for i in rows(view) if i.key == item.key), None)
                return mine is not None and (mine.handled is not None) == handled

            t0 = time.perf_counter()
            camille.inbox.set_handled(item, handled)
            pump_until(app, shown)
            delays.append(time.perf_counter() - t0)
            settled = time.monotonic() + 0.3  # the reload's own server refresh ends
            pump_until(app, lambda settled=settled: time.monotonic() > settled)
    finally:
        live.stop()
        camille.close()
        marie.close()
        tasks.shutdown()
    return delays


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=50)
    args = parser.parse_args()
    app = QApplication([])
    root = Path(tempfile.mkdtemp(prefix="paris-desk-live-bench-"))
    os.environ[ENV] = str(root / "keychain.json")
    keyring.set_keyring(FileKeyring())
    cluster = make_cluster()
    server = MastodonSandbox(port=0, seed=1).start()
    try:
        homes = team_of_two(root, cluster.dsn(), cluster.port, server)
        delays = sorted(measure(app, homes, args.samples))
    finally:
        server.stop()
        destroy(cluster)
        shutil.rmtree(root, ignore_errors=True)
    print(json.dumps({
        "live_samples": len(delays),
        "live_p50_ms": round(statistics.median(delays) * 1000, 1),
        "live_p95_ms": round(delays[int(len(delays) * 0.95)] * 1000, 1),
        "live_max_ms": round(delays[-1] * 1000, 1),
    }))


if __name__ == "__main__":
    main()
