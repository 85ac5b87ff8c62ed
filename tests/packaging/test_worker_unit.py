"""The systemd unit of ``paris-desk worker``: it runs the worker, sandboxed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

UNIT = Path(__file__).parents[2] / "packaging" / "systemd" / "paris-desk-worker.service"


def directives() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in UNIT.read_text().splitlines():
        if line and not line.startswith(("#", "[")) and "=" in line:
            key, value = line.split("=", 1)
            found.setdefault(key, []).append(value)
    return found


def test_the_unit_runs_the_worker_as_its_own_user_with_its_state_dir() -> None:
    unit = directives()
    assert unit["ExecStart"] == ["/usr/bin/paris-desk worker"]
    assert unit["User"] == ["paris-desk"]
    assert unit["StateDirectory"] == ["paris-desk"]
    assert "PARIS_DESK_HOME=/var/lib/paris-desk" in unit["Environment"]


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
    text = UNIT.read_text().replace("/usr/bin/paris-desk", "/bin/true")
    text = text.replace("User=paris-desk", "User=root").replace("Group=paris-desk", "Group=root")
    copy = tmp_path / UNIT.name
    copy.write_text(text)
    done = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True,
                          check=False, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
