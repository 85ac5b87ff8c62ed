"""The systemd unit of ``paris-desk worker``: it runs the worker, sandboxed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

UNIT = Path(__file__).parents[2] / "packaging" / "systemd" / "paris-desk-worker.service"
SESSION = UNIT.with_name("paris-desk-worker-session")


def directives() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in UNIT.read_text().splitlines():
        if line and not line.startswith(("#", "[")) and "=" in line:
            key, value = line.split("=", 1)
            found.setdefault(key, []).append(value)
    return found


def test_the_unit_runs_the_worker_as_its_own_user_with_its_state_dir() -> None:
    unit = directives()
    assert unit["ExecStart"] == [
        "/usr/lib/paris-desk/paris-desk-worker-session /usr/bin/paris-desk worker"]
    assert unit["User"] == ["paris-desk"]
    assert unit["StateDirectory"] == ["paris-desk"]
    assert "PARIS_DESK_HOME=/var/lib/paris-desk" in unit["Environment"]
    assert "HOME=/var/lib/paris-desk" in unit["Environment"]  # its keyring lives there
    assert "XDG_RUNTIME_DIR=/run/paris-desk" in unit["Environment"]
    assert unit["RuntimeDirectory"] == ["paris-desk"]
    assert unit["LoadCredentialEncrypted"] == [
        "keyring-password:/etc/credstore.encrypted/paris-desk-keyring"]


def test_the_unit_is_sandboxed() -> None:
    unit = directives()
    expected = {
        "NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes",
        "PrivateTmp": "yes", "PrivateDevices": "yes", "CapabilityBoundingSet": "",
        "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX", "RestrictNamespaces": "yes",
        "SystemCallFilter": "@system-service", "ProtectKernelTunables": "yes",
        "ProtectControlGroups": "yes", "RestrictSUIDSGID": "yes", "UMask": "0077",
    }
    assert {key: unit.get(key, [None])[-1] for key in expected} == expected
    assert "ProcSubset" not in unit  # the outbox reads /proc/sys/kernel/random/boot_id


def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    """``systemd-analyze verify`` where systemd is installed (the user and binary swapped for
    ones that exist here); elsewhere the two tests above stand."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        return
    text = UNIT.read_text().replace("/usr/lib/paris-desk/paris-desk-worker-session", "/bin/true")
    text = text.replace("User=paris-desk", "User=root").replace("Group=paris-desk", "Group=root")
    copy = tmp_path / UNIT.name
    copy.write_text(text)
    done = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True,
                          check=False, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")


KEYCHAIN_PROBE = """
import sys
from paris_desk.store.keychain import Keychain
from paris_desk.core.errors import KeychainError
keychain = Keychain("paris-desk-worker-test")
try:
    if sys.argv[1] == "set":
        keychain.set("account:mastodon:@ville@paris.example", "jeton-secret")
    print(keychain.get("account:mastodon:@ville@paris.example"))
except KeychainError as exc:
    print(type(exc).__name__)
"""


def session(tmp_path: Path, password: str, *argv: str) -> subprocess.CompletedProcess[str]:
    credentials = tmp_path / "credentials"
    credentials.mkdir(exist_ok=True)
    (tmp_path / "home").mkdir(exist_ok=True)  # the unit's StateDirectory
    (credentials / "keyring-password").write_text(password)
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path / "home"),
           "CREDENTIALS_DIRECTORY": str(credentials)}
    return subprocess.run([str(SESSION), *argv], env=env, capture_output=True, text=True,
                          check=False, timeout=120)


def test_the_worker_session_unlocks_its_keyring_from_the_systemd_credential(
    tmp_path: Path
) -> None:
    """The worker's credentials: in its own keyring (encrypted on disk), unlocked headless with
    the password systemd hands over; another password opens nothing."""
    probe = [sys.executable, "-c", KEYCHAIN_PROBE]
    stored = session(tmp_path, "mot de passe du trousseau", *probe, "set")
    assert stored.stdout.strip() == "jeton-secret", stored.stderr
    keyrings = tmp_path / "home" / ".local" / "share" / "keyrings"
    on_disk = b"".join(p.read_bytes() for p in keyrings.iterdir())
    assert b"jeton-secret" not in on_disk  # encrypted with the keyring's password
    again = session(tmp_path, "mot de passe du trousseau", *probe, "get")
    assert again.stdout.strip() == "jeton-secret", again.stderr  # a new session, same keyring
    wrong = session(tmp_path, "un autre", *probe, "get")
    assert wrong.stdout.strip() == "KeychainLocked"


def test_the_worker_session_refuses_to_start_without_its_credential() -> None:
    done = subprocess.run([str(SESSION), "true"], env={"PATH": os.environ["PATH"]},
                          capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode != 0
    assert "LoadCredentialEncrypted=keyring-password" in done.stderr
