"""A city network on loopback for the transport tests: a CA made here, a TLS front over the
Mastodon sandbox, CONNECT proxies, and ``paris-desk`` run as a real process.

The process gets a clean environment: no proxy variable, no CA bundle variable
(``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` unset), its own profile (``PARIS_DESK_HOME``) and a
file keychain (``file_keyring.py``). Each test adds what the workstation would have:
``SSL_CERT_FILE`` for a trusted root, ``HTTPS_PROXY``/``NO_PROXY`` for a proxy.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tls_rig import ConnectProxy, Pki, TlsFront, make_pki

HERE = Path(__file__).resolve().parent
_DROPPED = {"requests_ca_bundle", "curl_ca_bundle", "ssl_cert_file", "ssl_cert_dir",
            "https_proxy", "http_proxy", "all_proxy", "no_proxy"}  # fmt: skip


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def tls_front(pki: Pki, mastodon_sandbox: Any) -> Iterator[TlsFront]:
    """``https://127.0.0.1:PORT``, signed by the test CA, in front of the Mastodon sandbox."""
    with TlsFront(_port(mastodon_sandbox), pki.good) as front:
        yield front  # type: ignore[misc]


@pytest.fixture
def front_for(pki: Pki, mastodon_sandbox: Any) -> Iterator[Callable[[str], TlsFront]]:
    """``front_for("expired")``: a front with another of the test CA's certificates."""
    fronts: list[TlsFront] = []

    def make(which: str) -> TlsFront:
        front = TlsFront(_port(mastodon_sandbox), getattr(pki, which))
        fronts.append(front)
        front.start()
        return front

    yield make
    for front in fronts:
        front.stop()


@pytest.fixture
def proxy() -> Iterator[ConnectProxy]:
    with ConnectProxy() as running:
        yield running  # type: ignore[misc]


@pytest.fixture
def proxy_407() -> Iterator[ConnectProxy]:
    with ConnectProxy(require_auth=True) as running:
        yield running  # type: ignore[misc]


@pytest.fixture
def paris_desk(profile_dir: Path, tmp_path: Path) -> Callable[..., Run]:
    """``paris_desk("timeline", env={...}, stdin="...")``: the CLI as a separate process."""

    profile_dir.chmod(0o700)  # a profile as paris-desk makes it (else it warns on stderr)

    def run(*argv: str, env: dict[str, str] | None = None, stdin: str = "") -> Run:
        clean = {k: v for k, v in os.environ.items() if k.lower() not in _DROPPED}
        clean.update(
            PARIS_DESK_HOME=str(profile_dir),
            PARIS_DESK_TEST_KEYRING=str(tmp_path / "keyring.json"),
            PYTHON_KEYRING_BACKEND="file_keyring.FileKeyring",
            PYTHONPATH=os.pathsep.join([str(HERE), *sys.path]),
        )
        clean.update(env or {})
        done = subprocess.run(
            [sys.executable, "-m", "paris_desk", *argv],
            input=stdin, capture_output=True, text=True, env=clean, timeout=120,
        )  # fmt: skip
        return Run(done.returncode, done.stdout, done.stderr)

    return run


def _port(server: Any) -> int:
    return int(server.base_url.rsplit(":", 1)[1])
