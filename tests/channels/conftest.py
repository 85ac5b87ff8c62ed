"""Fixtures for the adapters' own HTTP (the read paths, without the SDKs)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def netrc_on_loopback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ``.netrc`` (through ``NETRC``) with a login and password for 127.0.0.1, as a user's
    machine may hold: requests sends them as Basic auth to a request without its own
    ``Authorization``. The file's path."""
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login ville password secret-netrc\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    return netrc
