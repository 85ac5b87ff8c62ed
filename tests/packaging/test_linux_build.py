"""The Linux build is produced and smoke-tested, as a user would get it (issue #7).

Runs packaging/build_linux.sh: PyInstaller one-folder build, then packaging/smoke_test.py on the
frozen binary (self-check, --sandbox offscreen start and clean quit, sandbox serve, a CLI round
trip), then the release tarball. Takes about 1-3 minutes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(1200)
def test_linux_build_starts_and_quits_cleanly() -> None:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    result = subprocess.run(
        ["/bin/bash", "packaging/build_linux.sh"], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=1100, check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    binary = ROOT / "dist" / "paris-desk" / "paris-desk"
    assert binary.is_file() and os.access(binary, os.X_OK)
    (tarball,) = (ROOT / "dist").glob("paris-desk-*-linux-*.tar.gz")
    # the colour emoji font travels with the app, its licence beside it (issue 12, point 10)
    with tarfile.open(tarball) as archive:
        names = {Path(name).name for name in archive.getnames()}
    assert {"NotoColorEmoji.ttf", "NotoColorEmoji-licence"} <= names
