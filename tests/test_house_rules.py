"""House rules a reviewer would otherwise check by hand: the lint set and the layer contracts
written in pyproject.toml (core is pure, channels and services know no Qt, the sandbox shares
nothing, ui/cli > services > channels/store > core)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300,
                          check=False)


def test_layer_contracts_are_kept() -> None:
    result = _run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_ruff_finds_nothing() -> None:
    result = _run(str(BIN / "ruff"), "check", "paris_desk", "tests", "bench", "packaging")
    assert result.returncode == 0, result.stdout[-3000:]
