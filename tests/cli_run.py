"""Runs the command line in the test's process, as a shell would: ``main(argv)`` with the given
standard input, and what it printed read back through ``capsys``.

Import it like ``traps`` (tests/ is on the path through tests/conftest.py)::

    from cli_run import cli

    code, out, err = cli(capsys, monkeypatch, "--lang", "en", "account", "add", "bluesky",
                         "--handle", handle, "--password-stdin", stdin=password)

``cli_json`` is the same run with the output of a ``--json`` command already parsed;
``cli_code`` returns the exit code alone.
"""

from __future__ import annotations

import io
import json
from typing import Any, TextIO

import pytest

from paris_desk.cli.main import main


def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *argv: str,
        stdin: str | TextIO = "") -> tuple[int, str, str]:
    """The exit code, standard output and standard error of ``paris-desk ARGV`` reading
    ``stdin`` (a string, or an open text stream for a test that reads it back)."""
    code = cli_code(monkeypatch, *argv, stdin=stdin)
    out, err = capsys.readouterr()
    return code, out, err


def cli_code(monkeypatch: pytest.MonkeyPatch, *argv: str, stdin: str | TextIO = "") -> int:
    """Only the exit code: what the command printed stays in pytest's capture, shown if the
    test fails (for set-up steps whose output the test does not check)."""
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin) if isinstance(stdin, str) else stdin)
    return main(list(argv))


def cli_json(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *argv: str,
             stdin: str | TextIO = "") -> tuple[int, Any, str]:
    """``cli``, with the output parsed when ``--json`` was asked for (None when it printed
    nothing) and left as text otherwise."""
    code, out, err = cli(capsys, monkeypatch, *argv, stdin=stdin)
    if "--json" not in argv:
        return code, out, err
    return code, json.loads(out) if out.strip() else None, err
