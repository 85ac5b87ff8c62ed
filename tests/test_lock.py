"""The lock files agree with pyproject.toml (issue 13, "Dependencies").

Installers and CI install requirements/{app,test}.lock with --require-hashes; a range changed in
pyproject.toml without running ``bash scripts/lock.sh`` would be silently ignored (or, for a new
package, missing). This test says so, before CI does.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;]+)(?:\s*;\s*([^\\]+?))?\s*\\?$")


def pins(lock: str) -> dict[str, str]:
    found = {}
    for line in (ROOT / "requirements" / lock).read_text().splitlines():
        match = PIN.match(line)
        if match:
            found[canonicalize_name(match.group(1))] = match.group(2)
    return found


def wanted(extra: str | None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"])
    if extra:
        lines += project["optional-dependencies"][extra]
    return [Requirement(line) for line in lines]


@pytest.mark.parametrize(("lock", "extra"),
                         [("app.lock", None), ("test.lock", "test"), ("packaging.lock", None)])
def test_every_dependency_is_locked_within_its_range(lock: str, extra: str | None) -> None:
    locked = pins(lock)
    env = default_environment()
    for requirement in wanted(extra):
        if requirement.marker is not None and not requirement.marker.evaluate(env):
            continue
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is not in requirements/{lock}: bash scripts/lock.sh"
        assert requirement.specifier.contains(locked[name], prereleases=True), (
            f"{name}=={locked[name]} in requirements/{lock} is outside {requirement.specifier}:"
            " bash scripts/lock.sh"
        )


def test_every_pin_has_hashes() -> None:
    for lock in ("app.lock", "test.lock", "packaging.lock"):
        text = (ROOT / "requirements" / lock).read_text()
        blocks = re.split(r"\n(?=[A-Za-z0-9])", text.strip())
        for block in blocks:
            if PIN.match(block.splitlines()[0]):
                assert "--hash=sha256:" in block, f"{block.splitlines()[0]} has no hash"


def test_the_installers_build_with_the_locked_pyinstaller() -> None:
    locked = pins("packaging.lock")["pyinstaller"]
    for script, pattern in {"build_linux.sh": r"PYINSTALLER_VERSION=(\S+)",
                            "build_macos.sh": r"PYINSTALLER_VERSION=(\S+)",
                            "build_windows.ps1": r'\$PyInstallerVersion = "([^"]+)"'}.items():
        text = (ROOT / "packaging" / script).read_text(encoding="utf-8")
        match = re.search(pattern, text)
        assert match and match.group(1) == locked, f"{script}: pyinstaller {locked} is locked"
        assert "--require-hashes" in text and "packaging.lock" in text, script
