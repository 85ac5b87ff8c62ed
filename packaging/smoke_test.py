"""Smoke test of the frozen build; ``packaging/build_linux.sh`` runs it after building.

    .venv/bin/python packaging/smoke_test.py dist/paris-desk/paris-desk
    (macOS: dist/paris_desk.app/Contents/MacOS/paris-desk; Windows: paris-desk-cli.exe)

Stdlib only. Every run gets a throwaway profile, HOME and XDG directories, so nothing touches
the user's accounts or keychain. The stages:

1. self-check: ``PARIS_DESK_FROZEN_CHECK=1`` (packaging/frozen_check.py) — translations, Qt
   plugins, keyring backends, every atproto model, Mastodon.py, CA bundle, Pillow codecs.
2. GUI: ``--sandbox`` offscreen with ``PARIS_DESK_QUIT_AFTER_MS=3000`` and no D-Bus (so no OS
   keychain: the app keeps sandbox secrets in memory) must exit 0, its log must say the sandbox
   accounts signed in (Bluesky through atproto, Mastodon through Mastodon.py) and hold no error.
3. start time: the same with ``PARIS_DESK_QUIT_AFTER_MS=1``, median of 3, and ``--version``.
4. ``sandbox serve`` prints its JSON line; the servers stay up for stage 5.
5. CLI round trip on those servers: add a Bluesky and a Mastodon account, list them, read the
   timeline, publish a text with an image to both. With ``dbus-run-session`` and
   ``gnome-keyring-daemon`` installed, this runs against a real Secret Service (a private,
   throwaway D-Bus session and keyring), so secrets go through the frozen jeepney/secretstorage
   code and are read back by later processes. Without them, the in-memory sandbox keyring is
   forced with ``PYTHON_KEYRING_BACKEND`` and only the sign-ins and the listing are checked (a
   later process cannot read a secret kept in an earlier one's memory).

``--keyring memory`` forces the in-memory sandbox keyring on every run (for macOS and Windows,
where the OS keychain is real and a build machine's should stay untouched).

Exit status 0 when every stage passed. Prints one line per stage and the measured figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
IMAGE = ROOT / "resources" / "icons" / "hicolor" / "64x64" / "apps" / "fr.paris.ParisDesk.png"
KEYRING_PASSWORD = "smoke-test"  # noqa: S105 - unlocks stage 5's throwaway keyring only
SANDBOX_KEYRING = "paris_desk.services.sandbox_keyring.SandboxKeyring"
TIMEOUT = 90
FORCED_KEYRING = ""  # --keyring memory: every run uses the in-memory sandbox keyring


class SmokeFailed(Exception):
    """A stage failed; the message says how."""


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def isolated_env(base: Path, *, bus: bool = False) -> dict[str, str]:
    """The environment of one run: its own profile, HOME and XDG dirs, offscreen Qt."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PARIS_DESK_"))}
    if not bus:
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    for name, sub in (
        ("HOME", "home"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_RUNTIME_DIR", "run"),
        ("PARIS_DESK_HOME", "profile"),
    ):
        path = base / sub
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        env[name] = str(path)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("PYTHON_KEYRING_BACKEND", None)
    if FORCED_KEYRING:
        env["PYTHON_KEYRING_BACKEND"] = FORCED_KEYRING
    return env


def run(cmd: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own binary, arguments built here
        cmd,
        env=env,
        input=stdin,
        capture_output=True,
        encoding="utf-8",  # the frozen app runs in UTF-8 mode
        timeout=TIMEOUT,
        check=False,
    )


def expect_ok(result: subprocess.CompletedProcess[str], what: str) -> str:
    if result.returncode != 0:
        raise SmokeFailed(f"{what}: exit {result.returncode}\n{result.stderr[-2000:]}")
    return result.stdout


# -- stages -----------------------------------------------------------------------------------


def stage_self_check(binary: str, tmp: Path) -> str:
    env = isolated_env(tmp / "check")
    env["PARIS_DESK_FROZEN_CHECK"] = "1"
    result = run([binary], env)
    if not result.stdout.strip():  # it did not get as far as its report
        expect_ok(result, "self-check")
    report = json.loads(result.stdout.splitlines()[-1])
    failed = {k: v["detail"] for k, v in report["checks"].items() if not v["ok"]}
    if failed or not report["ok"] or result.returncode != 0:
        raise SmokeFailed(f"self-check failed: {failed}")
    keyring = report["checks"]["keyring"]["detail"]
    return f"{len(report['checks'])} checks, keyring backends {keyring['viable']}"


def stage_gui(binary: str, tmp: Path) -> str:
    env = isolated_env(tmp / "gui")
    env["PARIS_DESK_QUIT_AFTER_MS"] = "3000"
    expect_ok(run([binary, "--sandbox"], env), "GUI --sandbox")
    logs = sorted(Path(env["PARIS_DESK_HOME"]).rglob("*.log"))
    text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in logs)
    for bad in (" ERROR ", " CRITICAL ", "Traceback"):
        if bad in text:
            raise SmokeFailed(f"GUI log has {bad.strip()}:\n{text[-3000:]}")
    if "sandbox ready" not in text:
        raise SmokeFailed(f"the sandbox accounts did not sign in:\n{text[-3000:]}")
    return f"exit 0, sandbox accounts signed in ({len(logs)} log file(s) clean)"


def timed(cmd: list[str], env: dict[str, str], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        expect_ok(run(cmd, env), " ".join(cmd[1:]))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def stage_start_time(binary: str, tmp: Path, figures: dict[str, float]) -> str:
    env = isolated_env(tmp / "timing")
    figures["version_s"] = timed([binary, "--version"], env)
    env["PARIS_DESK_QUIT_AFTER_MS"] = "1"
    figures["gui_ready_s"] = timed([binary, "--sandbox"], env) - 0.001
    return (
        f"GUI start to ready and quit {figures['gui_ready_s']:.2f} s (sandbox servers started, "
        f"4 accounts signed in); --version {figures['version_s']:.2f} s; medians of 3"
    )


def start_serve(binary: str, tmp: Path) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    env = isolated_env(tmp / "serve")
    stderr = tmp / "serve" / "stderr.txt"
    with stderr.open("w", encoding="utf-8") as sink:  # a file: a full pipe would block it
        proc = subprocess.Popen(  # noqa: S603 - our own binary
            [binary, "sandbox", "serve", "--seed", "3"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=sink,
            encoding="utf-8",  # the frozen app runs in UTF-8 mode
        )
    assert proc.stdout is not None  # noqa: S101 - for mypy: stdout=PIPE
    line = proc.stdout.readline()  # the server prints its line once both servers listen
    if not line:
        proc.wait(timeout=10)
        raise SmokeFailed(f"sandbox serve printed nothing: {stderr.read_text(encoding='utf-8')}")
    described = json.loads(line)
    for network in ("mastodon", "bluesky"):
        if not described[network]["base_url"].startswith("http://127.0.0.1:"):
            raise SmokeFailed(f"sandbox serve: no {network} URL in {line!r}")
    return proc, described


def stop_serve(proc: subprocess.Popen[str]) -> None:
    proc.terminate()  # SIGTERM, which serve handles; TerminateProcess on Windows
    code = proc.wait(timeout=15)
    if code != 0 and sys.platform != "win32":
        raise SmokeFailed(f"sandbox serve exited {code} on SIGTERM")


def cli_round_trip(binary: str, sandbox: dict[str, Any], env: dict[str, str], full: bool) -> str:
    cli = [binary, "--sandbox"]
    sky, don = sandbox["bluesky"], sandbox["mastodon"]
    expect_ok(
        run(
            [
                *cli,
                "account",
                "add",
                "bluesky",
                "--handle",
                sky["accounts"][0]["handle"],
                "--service",
                sky["base_url"],
                "--password-stdin",
            ],
            env,
            sky["accounts"][0]["password"] + "\n",
        ),
        "account add bluesky",
    )
    expect_ok(
        run(
            [*cli, "account", "add", "mastodon", "--instance", don["base_url"], "--token-stdin"],
            env,
            don["accounts"][0]["access_token"] + "\n",
        ),
        "account add mastodon",
    )
    accounts = json.loads(expect_ok(run([*cli, "account", "list", "--json"], env), "list"))
    networks = sorted(a["network"] for a in accounts)
    if networks != ["bluesky", "mastodon"]:
        raise SmokeFailed(f"account list: {networks}")
    if not full:
        return "2 accounts added (atproto and Mastodon.py sign-ins) and listed"
    posts = json.loads(
        expect_ok(run([*cli, "timeline", "--limit", "5", "--json"], env), "timeline")
    )
    seen = {p["network"] for p in posts}
    if seen != {"bluesky", "mastodon"}:
        raise SmokeFailed(f"timeline: posts from {seen}")
    results = json.loads(
        expect_ok(
            run(
                [
                    *cli,
                    "post",
                    "--to",
                    "all",
                    "--image",
                    str(IMAGE),
                    "--alt",
                    "Icône de paris_desk",
                    "--json",
                    "Essai du paquet Linux : publication avec image ✓",
                ],
                env,
            ),
            "post",
        )
    )
    if sorted(r["status"] for r in results) != ["sent", "sent"]:
        raise SmokeFailed(f"post: {results}")
    return (
        f"2 accounts added and listed, secrets read back from the Secret Service, "
        f"timeline ({len(posts)} posts, both networks), post with image sent to both"
    )


def cli_stage_in_bus(args: argparse.Namespace) -> int:
    """Runs inside ``dbus-run-session``: unlock a throwaway GNOME keyring, then the round trip."""
    env = isolated_env(Path(args.tmp), bus=True)
    unlock = subprocess.run(
        ["gnome-keyring-daemon", "--unlock", "--components=secrets"],  # noqa: S607
        input=KEYRING_PASSWORD,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if unlock.returncode != 0:
        say(f"gnome-keyring-daemon failed: {unlock.stderr}")
        return 1
    sandbox = json.loads(Path(args.sandbox_json).read_text(encoding="utf-8"))
    try:
        say(cli_round_trip(args.binary, sandbox, env, full=True))
    except SmokeFailed as exc:
        say(f"FAILED: {exc}")
        return 1
    return 0


def stage_cli(binary: str, tmp: Path, sandbox: dict[str, Any], keyring: str) -> str:
    tools = shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")
    if keyring == "auto" and tools:
        described = tmp / "sandbox.json"
        described.write_text(json.dumps(sandbox), encoding="utf-8")
        env = isolated_env(tmp / "cli")  # dbus-run-session wants XDG_RUNTIME_DIR to exist
        result = run(
            [
                "dbus-run-session",
                "--",
                sys.executable,
                __file__,
                "--in-bus",
                "--tmp",
                str(tmp / "cli"),
                "--sandbox-json",
                str(described),
                binary,
            ],
            env,
        )
        lines = result.stdout.strip().splitlines()
        if result.returncode != 0:
            raise SmokeFailed(f"CLI round trip: {result.stdout[-2000:]}{result.stderr[-2000:]}")
        return "Secret Service (throwaway GNOME keyring): " + lines[-1]
    env = isolated_env(tmp / "cli")
    env["PYTHON_KEYRING_BACKEND"] = SANDBOX_KEYRING
    why = "asked" if keyring == "memory" else "no dbus-run-session/gnome-keyring-daemon here"
    return f"in-memory keyring ({why}): " + cli_round_trip(binary, sandbox, env, full=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary", help="dist/paris-desk/paris-desk")
    parser.add_argument("--in-bus", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tmp", help=argparse.SUPPRESS)
    parser.add_argument("--sandbox-json", help=argparse.SUPPRESS)
    parser.add_argument(
        "--keyring",
        choices=("auto", "memory"),
        default="auto",
        help="auto: no keychain for the GUI, a throwaway GNOME keyring for the CLI when "
        "installed; memory: the in-memory sandbox keyring for every run (macOS, Windows)",
    )
    parser.add_argument("--figures", type=Path, help="write the measured figures here (JSON)")
    args = parser.parse_args()
    args.binary = str(Path(args.binary).resolve())
    if args.in_bus:
        return cli_stage_in_bus(args)
    if args.keyring == "memory":
        global FORCED_KEYRING  # a script-wide switch, set once here
        FORCED_KEYRING = SANDBOX_KEYRING

    figures: dict[str, float] = {}
    passed = 0
    with tempfile.TemporaryDirectory(prefix="paris-desk-smoke-") as name:
        tmp = Path(name)
        stages: list[tuple[str, Callable[[], str]]] = [
            ("self-check", lambda: stage_self_check(args.binary, tmp)),
            ("gui", lambda: stage_gui(args.binary, tmp)),
            ("start time", lambda: stage_start_time(args.binary, tmp, figures)),
        ]
        for label, stage in stages:
            say(f"smoke {label}: {stage()}")
            passed += 1
        serve, sandbox = start_serve(args.binary, tmp)
        try:
            say(f"smoke sandbox serve: JSON line with {sorted(sandbox)} URLs and credentials")
            passed += 1
            say(f"smoke cli: {stage_cli(args.binary, tmp, sandbox, args.keyring)}")
            passed += 1
        finally:
            stop_serve(serve)
    if args.figures:
        args.figures.write_text(json.dumps(figures), encoding="utf-8")
    say(f"smoke test passed: {passed} of {passed} stages")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (SmokeFailed, subprocess.TimeoutExpired) as exc:
        say(f"smoke test FAILED: {exc}")
        sys.exit(1)
