"""The command line imports only the command it runs: without one (the GUI), none of them, so
nothing of the CLI sits on the path to the first window (but argparse's French, 70 lines); a
command also loads its language (``cli.language``, its translator loaded at the first sentence)."""

from __future__ import annotations

import subprocess
import sys

import pytest

LOADED = (
    "import sys; from paris_desk.cli.main import main; code = main({argv!r}); "
    "print(code, sorted(m for m in sys.modules if m.startswith('paris_desk.cli.')))"
)


def loaded_after(*argv: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", LOADED.format(argv=list(argv))],
        capture_output=True, text=True, timeout=60, check=True,
    )
    return done.stdout.splitlines()[-1]


@pytest.mark.parametrize("argv", [("--version",), ("--lang", "en", "--version")])
def test_no_command_no_command_module(argv: tuple[str, ...]) -> None:
    assert loaded_after(*argv) == "0 ['paris_desk.cli.argparse_fr', 'paris_desk.cli.main']"


def test_a_command_loads_its_module_only() -> None:
    assert loaded_after("sandbox", "--help") == (
        "0 ['paris_desk.cli.argparse_fr', 'paris_desk.cli.context', 'paris_desk.cli.language',"
        " 'paris_desk.cli.main', 'paris_desk.cli.sandbox']"
    )
