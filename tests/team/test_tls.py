"""The team's connection checks the server's identity when the server is on another machine
(``store.team.tls``): ``sslmode=verify-full`` by default, a weaker explicit mode refused unless
the member allowed it knowingly (``--allow-unverified-tls``).

The private cluster has no certificate and listens on 127.0.0.1 only; a "remote" server is
reached with ``host=<a name> hostaddr=127.0.0.1`` (libpq connects to the address and would
verify the name), so the policy is seen against a real server, with no network."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from cli_run import cli

from paris_desk.store.team.database import TeamDatabase
from paris_desk.store.team.errors import TeamInsecure, TeamUnreachable
from paris_desk.store.team.tls import secured
from team.pgcluster import Cluster

REMOTE = "team-db.example.test"


def params(conninfo: str) -> dict[str, str]:
    from psycopg.conninfo import conninfo_to_dict

    return {k: str(v) for k, v in conninfo_to_dict(conninfo).items()}


@pytest.mark.parametrize("conninfo", [
    "postgresql://127.0.0.1:5433/team",
    "postgresql://localhost/team",
    "postgresql://[::1]:5433/team",
    "host=/run/postgresql dbname=team",
    "dbname=team",  # libpq's default Unix socket
    "host=127.0.0.2,localhost dbname=team",
    "postgresql://127.0.0.1/team?sslmode=disable",  # loopback: whatever the DSN says
])
def test_a_server_on_this_machine_keeps_the_dsn_as_it_is(conninfo: str) -> None:
    assert secured(conninfo, environ={}) == conninfo


@pytest.mark.parametrize("conninfo", [
    "postgresql://db.mairie.example:5432/team",
    "host=10.1.2.3 dbname=team",
    "host=localhost,db.mairie.example dbname=team",  # one remote host of two is enough
    f"host={REMOTE} hostaddr=127.0.0.1 dbname=team",  # the name is what would be verified
    "hostaddr=10.1.2.3 dbname=team",
    "service=paris_desk",  # its host is in a file we do not read
])
def test_a_remote_server_gets_verify_full_when_the_dsn_says_nothing(conninfo: str) -> None:
    got = params(secured(conninfo, environ={}))
    assert got["sslmode"] == "verify-full"
    assert got["sslrootcert"] in ("system", str(Path.home() / ".postgresql" / "root.crt")) or (
        (Path.home() / ".postgresql" / "root.crt").is_file() and "sslrootcert" not in got)


def test_the_roots_given_are_kept() -> None:
    got = params(secured("host=db.mairie.example sslrootcert=/etc/ville/ca.pem", environ={}))
    assert (got["sslmode"], got["sslrootcert"]) == ("verify-full", "/etc/ville/ca.pem")
    got = params(secured("host=db.mairie.example", environ={"PGSSLROOTCERT": "/x.pem"}))
    assert got["sslmode"] == "verify-full" and "sslrootcert" not in got  # libpq reads the env


@pytest.mark.parametrize("mode", ["disable", "allow", "prefer", "require", "verify-ca"])
def test_a_weaker_explicit_mode_to_a_remote_server_is_refused(mode: str) -> None:
    with pytest.raises(TeamInsecure) as caught:
        secured(f"postgresql://db.mairie.example/team?sslmode={mode}", environ={})
    assert (caught.value.host, caught.value.mode) == ("db.mairie.example", mode)
    with pytest.raises(TeamInsecure):  # PGSSLMODE is as explicit as the DSN
        secured("postgresql://db.mairie.example/team", environ={"PGSSLMODE": mode})
    allowed = f"postgresql://db.mairie.example/team?sslmode={mode}"
    assert secured(allowed, allow_unverified=True, environ={}) == allowed


def test_an_explicit_verify_full_passes() -> None:
    dsn = "postgresql://db.mairie.example/team?sslmode=verify-full&sslrootcert=/ca.pem"
    assert secured(dsn, environ={}) == dsn


def test_a_remote_server_without_tls_is_not_reached_in_plain_text(
    pg_cluster: Cluster, pg_database: str
) -> None:
    """The real server offers no TLS: libpq's default would fall back to plain text; ours
    fails, and says why."""
    dsn = (f"host={REMOTE} hostaddr=127.0.0.1 port={pg_cluster.port} dbname={pg_database} "
           f"user={pg_cluster.superuser} password={pg_cluster.password}")
    with pytest.raises(TeamUnreachable, match="SSL"):
        TeamDatabase(dsn)
    with pytest.raises(TeamInsecure):
        TeamDatabase(dsn + " sslmode=prefer")
    TeamDatabase(dsn + " sslmode=prefer", allow_unverified=True).close()  # chosen knowingly
    loopback = dsn.replace(f"host={REMOTE} hostaddr=127.0.0.1", "host=127.0.0.1")
    TeamDatabase(loopback).close()  # on this machine: libpq's default


def test_join_refuses_a_weak_mode_unless_allowed_and_remembers_the_choice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    pg_cluster: Cluster, pg_database: str
) -> None:
    def run(home: Path, *argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setenv("PARIS_DESK_HOME", str(home))
        return cli(capsys, monkeypatch, *argv, stdin=stdin)

    suffix = uuid.uuid4().hex[:6]
    admin, member = tmp_path / "admin", tmp_path / "member"
    admin.mkdir()
    member.mkdir()
    assert run(admin, "team", "init", pg_cluster.dsn(dbname=pg_database), "--admin",
               f"admin_{suffix}", "--password-stdin", stdin="pw-a")[0] == 0
    assert run(admin, "team", "add-member", f"marie_{suffix}", "--role", "redacteur",
               "--password-stdin", stdin="pw-m")[0] == 0

    weak = (f"host={REMOTE} hostaddr=127.0.0.1 port={pg_cluster.port} dbname={pg_database} "
            "sslmode=disable")
    code, _, err = run(member, "team", "join", weak, "--user", f"marie_{suffix}",
                       "--password-stdin", stdin="pw-m")
    assert code == 1
    assert err == (f"Erreur : Le serveur de l'équipe ({REMOTE}) est sur une autre machine et "
                   "sslmode=disable ne vérifie pas son identité : rien ne lui a été envoyé. "
                   "Utilisez sslmode=verify-full (avec sslrootcert=FICHIER pour l'autorité de "
                   "certification de votre organisation), ou rejoignez l'équipe avec "
                   "--allow-unverified-tls.\n")
    assert not (member / "team.json").exists()

    code, _, err = run(member, "team", "join", weak, "--user", f"marie_{suffix}",
                       "--password-stdin", "--allow-unverified-tls", stdin="pw-m")
    assert code == 0, err
    saved = json.loads((member / "team.json").read_text())
    assert saved["allow_unverified_tls"] is True and "password" not in saved["conninfo"]
    code, out, err = run(member, "team", "status", "--json")  # every later connection too
    assert code == 0, err
    assert json.loads(out)["user"] == f"marie_{suffix}"
    assert "allow_unverified_tls" not in json.loads((admin / "team.json").read_text())
