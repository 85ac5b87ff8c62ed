"""Where a profile keeps its files, and the sandbox profile's separation from the real one."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from paris_desk.store.profile import Profile


def test_default_profile_follows_paris_desk_home(profile_dir: Path) -> None:
    profile = Profile.default()

    assert profile.root == profile_dir
    assert profile.db_path == profile_dir / "paris_desk.sqlite3"
    assert profile.keychain_service == "paris-desk"
    assert not profile.is_sandbox


def test_without_paris_desk_home_the_platform_data_dir_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PARIS_DESK_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))

    root = Profile.default().root

    if sys.platform.startswith("linux"):
        assert root == tmp_path / "xdg" / "paris-desk"
    assert root.name == "paris-desk"


def test_sandbox_profile_is_separate_from_real_accounts(profile_dir: Path) -> None:
    sandbox = Profile.sandbox()

    assert sandbox.root == profile_dir / "sandbox"
    assert sandbox.db_path != Profile.default().db_path
    assert sandbox.keychain_service != Profile.default().keychain_service
    assert sandbox.is_sandbox


def test_ensure_creates_private_directories(tmp_path: Path) -> None:
    profile = Profile(tmp_path / "new" / "profile").ensure()

    for path in (profile.root, profile.log_dir, profile.cache_dir):
        assert path.is_dir()
        if sys.platform != "win32":  # Windows has ACLs, not mode bits
            assert stat.S_IMODE(path.stat().st_mode) == 0o700
