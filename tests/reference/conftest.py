"""Reference tier: the official Bluesky PDS (@atproto/pds, see .ci/pds/) on 127.0.0.1.

The session-scoped ``reference_pds`` fixture installs .ci/pds (``install.sh``, a no-op once
installed), starts ``node .ci/pds/run-pds.mjs`` (PDS + in-memory mock PLC in one process) and
reads the one JSON line it prints when ready. Node.js and npm are required: without them the
fixture FAILS (it never skips).
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
import selectors
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PDS_DIR = REPO_ROOT / ".ci" / "pds"
INSTALL_TIMEOUT_S = 900
START_TIMEOUT_S = 90
MARKER = "reference: tests against the official Bluesky PDS"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER)


@pytest.hookimpl(trylast=True)  # after -m/-k deselection
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    first = True
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.reference)
            if first and "reference_pds" in getattr(item, "fixturenames", ()):
                # The first reference test pays for the session fixture: a cold `npm ci`
                # (~1.5 min, up to INSTALL_TIMEOUT_S) and the PDS start (~2 s).
                item.add_marker(pytest.mark.timeout(INSTALL_TIMEOUT_S + START_TIMEOUT_S + 120))
                first = False


@dataclass
class ReferencePds:
    """A running reference PDS. ``url`` is the service URL (``http://127.0.0.1:PORT``)."""

    url: str
    plc_url: str
    admin_password: str
    handle_domain: str
    startup_s: float
    process: subprocess.Popen[bytes] = field(repr=False)
    stderr_path: Path = field(repr=False)
    _counter: Iterator[int] = field(default_factory=itertools.count, repr=False)

    def xrpc(
        self,
        method: str,
        *,
        json_body: Any = None,
        params: Any = None,
        auth: str | None = None,
        basic_admin: bool = False,
        procedure: bool | None = None,
    ) -> httpx.Response:
        """Plain HTTP XRPC call: a procedure (POST) when ``json_body`` is given or
        ``procedure=True`` (POST without a body), else a query (GET)."""
        headers = {}
        if auth:
            headers["Authorization"] = f"Bearer {auth}"
        kwargs: dict[str, Any] = {"headers": headers, "timeout": 20}
        if basic_admin:
            kwargs["auth"] = ("admin", self.admin_password)
        url = f"{self.url}/xrpc/{method}"
        if json_body is not None:
            return httpx.post(url, json=json_body, **kwargs)
        if procedure:
            return httpx.post(url, **kwargs)
        return httpx.get(url, params=params, **kwargs)

    def create_account(self, handle_prefix: str = "user") -> tuple[str, str, str]:
        """Create an account; returns ``(handle, password, did)``.

        The handle is ``<prefix><n><random>.test``, kept within the PDS's 3-18 character limit
        for the first label (prefix cut to 10 chars, lowercased, non-alphanumerics dropped).
        """
        prefix = "".join(ch for ch in handle_prefix.lower() if ch.isascii() and ch.isalnum())
        prefix = (prefix or "user")[:10]
        front = f"{prefix}{next(self._counter)}{secrets.token_hex(2)}"[:18]
        handle = f"{front}{self.handle_domain}"
        password = secrets.token_urlsafe(18)
        resp = self.xrpc(
            "com.atproto.server.createAccount",
            json_body={
                "handle": handle,
                "password": password,
                "email": f"{front}@example.com",
            },
        )
        if resp.status_code != 200:
            raise AssertionError(f"createAccount {handle}: {resp.status_code} {resp.text}")
        body = resp.json()
        return body["handle"], password, body["did"]

    def create_app_password(
        self, handle: str, password: str, name: str | None = None, privileged: bool = False
    ) -> str:
        """Create an app password (``xxxx-xxxx-xxxx-xxxx``) for an account; returns it."""
        session = self.xrpc(
            "com.atproto.server.createSession",
            json_body={"identifier": handle, "password": password},
        )
        if session.status_code != 200:
            raise AssertionError(f"createSession {handle}: {session.status_code} {session.text}")
        resp = self.xrpc(
            "com.atproto.server.createAppPassword",
            json_body={"name": name or f"app-{secrets.token_hex(4)}", "privileged": privileged},
            auth=session.json()["accessJwt"],
        )
        if resp.status_code != 200:
            raise AssertionError(f"createAppPassword: {resp.status_code} {resp.text}")
        return str(resp.json()["password"])

    def stderr_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.stderr_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def _require_node() -> str:
    """Return the path of ``node``; fail (never skip) when node or npm is missing."""
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"reference tier needs {' and '.join(missing)} on PATH (Node.js >= 20.18.1 + npm) "
            f"to run the official Bluesky PDS from {PDS_DIR}; install Node.js (Debian: "
            "apt-get install nodejs npm) or deselect with -m 'not reference'",
            pytrace=False,
        )
    return str(shutil.which("node"))


def _install() -> None:
    started = time.monotonic()
    try:
        proc = subprocess.run(
            [shutil.which("bash") or "/bin/bash", str(PDS_DIR / "install.sh")],
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{PDS_DIR}/install.sh took more than {INSTALL_TIMEOUT_S} s", pytrace=False)
    if proc.returncode != 0:
        pytest.fail(
            f"{PDS_DIR}/install.sh failed (exit {proc.returncode}) after "
            f"{time.monotonic() - started:.0f} s:\n{proc.stdout}\n{proc.stderr}",
            pytrace=False,
        )


def _read_ready_line(
    stdout: IO[bytes], proc: subprocess.Popen[bytes], timeout: float
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    sel = selectors.DefaultSelector()
    sel.register(stdout, selectors.EVENT_READ)
    buf = b""
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no ready line within {timeout:.0f} s")
            if not sel.select(remaining):
                continue
            chunk = os.read(stdout.fileno(), 65536)
            if not chunk:
                raise RuntimeError(f"run-pds.mjs ended (exit code {proc.poll()}) before ready")
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                try:
                    info = json.loads(line)
                except ValueError:
                    continue  # stray output from a library: not ours
                if isinstance(info, dict) and "pds_url" in info:
                    return info
    finally:
        sel.close()


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    try:
        if proc.stdin:
            proc.stdin.close()  # run-pds.mjs stops when stdin closes
        proc.terminate()
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


@pytest.fixture(scope="session")
def reference_pds() -> Iterator[ReferencePds]:
    """The official Bluesky PDS 0.5.35 on 127.0.0.1 (handles ``*.test``, no AppView)."""
    node = _require_node()
    _install()
    fd, name = tempfile.mkstemp(prefix="paris-desk-pds-", suffix=".log")
    stderr_path = Path(name)
    started = time.monotonic()
    with os.fdopen(fd, "wb") as stderr_file:
        proc = subprocess.Popen(
            [node, str(PDS_DIR / "run-pds.mjs"), "0"],
            cwd=PDS_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr_file,
        )
    try:
        assert proc.stdout is not None
        try:
            info = _read_ready_line(proc.stdout, proc, START_TIMEOUT_S)
        except (TimeoutError, RuntimeError) as exc:
            _stop(proc)
            pytest.fail(
                f"reference PDS did not start: {exc}\n--- stderr ---\n"
                f"{stderr_path.read_text(errors='replace')[-4000:]}",
                pytrace=False,
            )
        pds = ReferencePds(
            url=info["pds_url"],
            plc_url=info["plc_url"],
            admin_password=info["admin_password"],
            handle_domain=info.get("handle_domain", ".test"),
            startup_s=time.monotonic() - started,
            process=proc,
            stderr_path=stderr_path,
        )
        yield pds
    finally:
        _stop(proc)
        stderr_path.unlink(missing_ok=True)
