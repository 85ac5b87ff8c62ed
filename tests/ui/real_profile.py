"""A real profile as a user makes one: ``paris-desk sandbox serve`` in its own process, accounts
added with ``paris-desk account add``, then the app started by ``paris-desk``'s own ``main``
in a child process (QApplication is a singleton, and pytest-qt owns this process's one).

The child process has an in-memory keychain (shared by its ``account add`` commands and its
window); it runs a probe script that looks at the window once it is up, prints one JSON line
and quits the app.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests

HANG_GUARD_S = 90  # the child quits by itself once it has looked (or after its own guard)

PRELUDE = textwrap.dedent("""
    import io, json, sys
    import keyring, keyring.backend

    class MemoryKeyring(keyring.backend.KeyringBackend):
        priority = 10
        def __init__(self):
            super().__init__()
            self.items = {}
        def get_password(self, service, username):
            return self.items.get((service, username))
        def set_password(self, service, username, password):
            self.items[(service, username)] = password
        def delete_password(self, service, username):
            self.items.pop((service, username), None)

    keyring.set_keyring(MemoryKeyring())
    from paris_desk.cli.main import main

    served = json.loads(sys.argv[1])
    for add in served["adds"]:
        sys.stdin = io.StringIO(add["secret"] + "\\n")
        code = main(add["argv"])
        assert code == 0, add["argv"]
    sys.stdin = io.StringIO("")

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from paris_desk.ui.shell.main_window import MainWindow

    qt = QApplication(["paris-desk"])
    seen = {}

    def window():
        return next((w for w in qt.topLevelWidgets() if isinstance(w, MainWindow)), None)

    def finish():
        print("PROBE " + json.dumps(seen), flush=True)
        QApplication.quit()

    QTimer.singleShot(60_000, finish)  # a hang guard
""")


def sandbox_serve() -> Iterator[dict[str, Any]]:
    """``paris-desk sandbox serve`` in its own process; yields the JSON line it printed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "paris_desk", "sandbox", "serve", "--seed", "5"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        assert process.stdout is not None
        yield json.loads(process.stdout.readline())
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)


def account_adds(served: dict[str, Any]) -> list[dict[str, Any]]:
    """``paris-desk account add`` for the first account of each network."""
    mastodon, bluesky = served["mastodon"], served["bluesky"]
    return [
        {"argv": ["account", "add", "mastodon", "--instance", mastodon["base_url"],
                  "--token-stdin"], "secret": mastodon["accounts"][0]["access_token"]},
        {"argv": ["account", "add", "bluesky", "--handle", bluesky["accounts"][0]["handle"],
                  "--service", bluesky["base_url"], "--password-stdin"],
         "secret": bluesky["accounts"][0]["password"]},
    ]  # fmt: skip


def run_probe(home: Path, served: dict[str, Any], probe: str, *gui_args: str,
              adds: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Add the accounts, start the app with ``main([*gui_args])`` and run ``probe`` (Python
    source that fills ``seen`` and calls ``finish()``, scheduled by QTimer) in the child."""
    script = PRELUDE + textwrap.dedent(probe) + textwrap.dedent(f"""
        code = main({list(gui_args)!r})
        sys.exit(code)
    """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PARIS_DESK_HOME": str(home)}
    env.pop("PARIS_DESK_LANG", None)
    env.pop("PARIS_DESK_QUIT_AFTER_MS", None)
    argument = json.dumps({"adds": account_adds(served) if adds is None else adds})
    result = subprocess.run(
        [sys.executable, "-c", script, argument],
        env=env, capture_output=True, text=True, timeout=HANG_GUARD_S, check=False,
    )  # fmt: skip
    assert result.returncode == 0, (result.returncode, result.stderr[-4000:])
    lines = [line for line in result.stdout.splitlines() if line.startswith("PROBE ")]
    assert lines, result.stdout[-2000:] + result.stderr[-4000:]
    return json.loads(lines[-1][len("PROBE "):])  # type: ignore[no-any-return]


def requests_seen(base_url: str) -> list[dict[str, Any]]:
    """The sandbox's request log (``GET /_sandbox/requests``)."""
    answer = requests.get(f"{base_url}/_sandbox/requests", timeout=10)
    answer.raise_for_status()
    return answer.json()  # type: ignore[no-any-return]
