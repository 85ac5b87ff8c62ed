"""``paris-desk sandbox serve``: a real process that prints its servers, then serves."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import requests


def test_sandbox_serve_prints_its_servers_and_stops_on_sigterm() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "paris_desk", "sandbox", "serve", "--seed", "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        described = json.loads(process.stdout.readline())
        mastodon = described["mastodon"]
        bluesky = described["bluesky"]
        assert mastodon["accounts"] and bluesky["accounts"]
        instance = requests.get(f"{mastodon['base_url']}/api/v1/instance", timeout=5)
        assert instance.ok
        health = requests.get(
            f"{bluesky['base_url']}/xrpc/com.atproto.server.describeServer", timeout=5
        )
        assert health.ok
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=15)

    assert process.returncode == 0, err


def test_without_a_command_the_app_starts_here_on_the_sandbox_profile(profile_dir: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PARIS_DESK_HOME": str(profile_dir),
        "PARIS_DESK_QUIT_AFTER_MS": "100",
    }

    done = subprocess.run(
        [sys.executable, "-m", "paris_desk", "--sandbox"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert (profile_dir / "sandbox" / "paris_desk.sqlite3").exists()
    assert not (profile_dir / "paris_desk.sqlite3").exists()  # real accounts untouched


def test_sandbox_serve_can_list_more_accounts_per_network() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "paris_desk", "sandbox", "serve", "--accounts", "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        described = json.loads(process.stdout.readline())
        extra = described["mastodon"]["accounts"][2]
        me = requests.get(f"{described['mastodon']['base_url']}/api/v1/accounts/verify_credentials",
                          headers={"Authorization": f"Bearer {extra['access_token']}"}, timeout=5)
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=15)

    assert process.returncode == 0, err
    assert [len(described[n]["accounts"]) for n in ("mastodon", "bluesky")] == [3, 3]
    assert me.ok and me.json()["acct"] == extra["acct"] == "quartier3"
