"""A private PostgreSQL cluster for the team-mode tests (API_NOTES §7).

Debian's server binaries (``apt-get install postgresql``, done by ``scripts/setup.sh test``)
live under ``/usr/lib/postgresql/<major>/bin``. ``initdb`` and ``postgres`` refuse to run as
root, and CI runs as root: then both run as the ``postgres`` user the package creates, on a
directory that user owns, whose parents are traversable. The cluster listens on 127.0.0.1 only,
on a free port, with its socket in its own directory (never /var/run/postgresql), and asks for
scram-sha-256 passwords on every connection. It is never the packaged cluster on 5432.

PostgreSQL missing is a failure, never a skip: a suite that silently skips team mode proves
nothing (toot's integration tests are the example not to follow).
"""

from __future__ import annotations

import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

MIN_MAJOR = 15
DEBIAN_ROOT = Path("/usr/lib/postgresql")
SUPERUSER = "paris_desk_test_dba"
START_TIMEOUT_S = 60  # a hang guard for pg_ctl -w


class PostgresMissing(RuntimeError):
    """No usable PostgreSQL server binaries on this machine."""


def find_bin(root: Path = DEBIAN_ROOT) -> Path:
    """The newest ``<root>/<major>/bin`` holding initdb, pg_ctl and postgres (major >= 15)."""
    found = []
    for candidate in root.glob("*/bin") if root.is_dir() else ():
        major = candidate.parent.name
        if re.fullmatch(r"\d+", major) and int(major) >= MIN_MAJOR and all(
            (candidate / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")
        ):
            found.append((int(major), candidate))
    if not found:
        raise PostgresMissing(
            f"no PostgreSQL >= {MIN_MAJOR} server under {root}: run `bash scripts/setup.sh test`"
            " (it installs Debian's postgresql package)"
        )
    return max(found)[1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    bin: Path
    root: Path
    port: int
    password: str
    run_as: str | None  # "postgres" when we are root
    host: str = "127.0.0.1"
    superuser: str = SUPERUSER

    @property
    def data(self) -> Path:
        return self.root / "data"

    def dsn(self, user: str | None = None, password: str | None = None,
            dbname: str = "postgres") -> str:
        """A libpq URI to this cluster (the superuser's when ``user`` is None)."""
        from urllib.parse import quote

        user = user or self.superuser
        secret = self.password if password is None and user == self.superuser else password
        auth = quote(user, safe="") + (f":{quote(secret, safe='')}" if secret else "")
        return f"postgresql://{auth}@{self.host}:{self.port}/{dbname}"

    def _run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / argv[0]), *argv[1:]]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=False,
                              timeout=START_TIMEOUT_S * 2)

    def init(self) -> None:
        pwfile = self.root / "pwfile"
        pwfile.write_text(self.password + "\n")
        pwfile.chmod(0o600)
        self._own(pwfile)
        done = self._run("initdb", "-D", str(self.data), "-U", self.superuser,
                         f"--pwfile={pwfile}", "--auth=scram-sha-256", "-E", "UTF8",
                         "--locale=C.UTF-8", "--no-instructions")
        pwfile.unlink()
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr or done.stdout}")

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.root}"
        done = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"),
                         "-w", "-t", str(START_TIMEOUT_S), "-o", options, "start")
        if done.returncode != 0:
            log = (self.root / "server.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"pg_ctl start failed: {done.stderr or done.stdout}\n{log}")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def _own(self, path: Path) -> None:
        if self.run_as:
            entry = pwd.getpwnam(self.run_as)
            os.chown(path, entry.pw_uid, entry.pw_gid)


def make_cluster() -> Cluster:
    """initdb + start a new cluster in a fresh directory (see the module docstring)."""
    bin_dir = find_bin()
    run_as = "postgres" if os.geteuid() == 0 else None
    if run_as:
        try:
            pwd.getpwnam(run_as)
        except KeyError:
            raise PostgresMissing("running as root but there is no `postgres` user") from None
    # /tmp is world-traversable; mkdtemp makes the directory 0700, which only its owner
    # (then the postgres user) needs.
    root = Path(tempfile.mkdtemp(prefix="paris-desk-pg-"))
    cluster = Cluster(bin=bin_dir, root=root, port=free_port(),
                      password=secrets.token_urlsafe(18), run_as=run_as)
    try:
        cluster._own(root)
        cluster.init()
        try:
            cluster.start()
        except RuntimeError:  # the port was taken between free_port() and the start: once more
            cluster.port = free_port()
            cluster.start()
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return cluster


def destroy(cluster: Cluster) -> None:
    cluster.stop()
    shutil.rmtree(cluster.root, ignore_errors=True)
