"""The whole application, started as users start it, in a separate process (QApplication is a
singleton, and pytest-qt already owns this process's one)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from paris_desk.sandbox.serve import start_sandboxes
from paris_desk.store.accounts import AccountStore
from paris_desk.store.db import Database

SMOKE_TIMEOUT_S = 60  # a hang guard: the app quits by itself after PARIS_DESK_QUIT_AFTER_MS


def run_app(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PARIS_DESK_HOME": str(home),
        "PARIS_DESK_QUIT_AFTER_MS": "200",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "paris_desk", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=SMOKE_TIMEOUT_S,
        check=False,
    )


def log_text(profile_root: Path) -> str:
    return (profile_root / "logs" / "paris-desk.log").read_text(encoding="utf-8")


def test_sandbox_run_starts_registers_the_sandbox_accounts_and_exits_cleanly(
    tmp_path: Path,
) -> None:
    result = run_app(tmp_path, "--sandbox")  # run_app's timeout: the app must quit by itself
    assert result.returncode == 0, result.stderr
    log = log_text(tmp_path / "sandbox")
    assert "starting (sandbox, fr)" in log
    assert "sandbox ready:" in log
    assert "Traceback" not in log
    assert result.stdout == ""
    for secret in sandbox_secrets():
        assert secret not in log
        assert secret not in result.stderr


def sandbox_secrets() -> list[str]:
    """The throwaway credentials the app's sandbox servers hand out (seed 0: deterministic)."""
    boxes = start_sandboxes(seed=0)
    try:
        described = boxes.describe()
    finally:
        boxes.stop()
    secrets = [a["access_token"] for a in described["mastodon"]["accounts"]]
    secrets += [a["password"] for a in described["bluesky"]["accounts"]]
    assert all(len(secret) >= 16 for secret in secrets)
    return secrets


def test_with_no_account_configured_the_app_opens_on_the_sandbox(tmp_path: Path) -> None:
    result = run_app(tmp_path, "--lang", "en")
    assert result.returncode == 0, result.stderr
    log = log_text(tmp_path / "sandbox")
    assert "starting (sandbox, en)" in log
    assert "sandbox ready:" in log


def stored_accounts(profile_root: Path) -> list[tuple[str, str]]:
    """(network, user name) of each stored account, in order. Mastodon sandbox handles carry
    the server's port (``@ville@127.0.0.1:41881``), which changes at every start."""
    database = Database(profile_root / "paris_desk.sqlite3")
    try:
        accounts = AccountStore(database).list()
    finally:
        database.close()
    return [(a.network.value, a.handle.lstrip("@").split("@")[0]) for a in accounts]


def test_sandbox_accounts_are_replaced_not_piled_up_across_runs(tmp_path: Path) -> None:
    """The sandbox ports change at each start, so each start registers the accounts again."""
    first = run_app(tmp_path, "--sandbox")
    assert first.returncode == 0, first.stderr
    accounts = stored_accounts(tmp_path / "sandbox")
    assert {network for network, _ in accounts} == {"mastodon", "bluesky"}
    again = run_app(tmp_path, "--sandbox")
    assert again.returncode == 0, again.stderr
    assert stored_accounts(tmp_path / "sandbox") == accounts
