"""``paris-desk team …`` and ``paris-desk audit`` against a real PostgreSQL cluster."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import psycopg
import pytest
from cli_run import cli

from team.pgcluster import Cluster


def unique(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(3)}"


@pytest.fixture
def admin(pg_cluster: Cluster, pg_database: str, capsys: pytest.CaptureFixture[str],
          monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """``team init`` done on this test's profile; the admin's name and password."""
    name, password = unique("admin"), secrets.token_urlsafe(12)
    code, _, err = cli(capsys, monkeypatch, "team", "init", pg_cluster.dsn(dbname=pg_database),
                       "--admin", name, "--password-stdin", stdin=password + "\n")
    assert (code, err.startswith("Équipe prête")) == (0, True), err
    return name, password


def public_dsn(pg_cluster: Cluster, pg_database: str) -> str:
    return f"postgresql://{pg_cluster.host}:{pg_cluster.port}/{pg_database}"


def other_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> Path:
    home = tmp_path / name
    home.mkdir()
    monkeypatch.setenv("PARIS_DESK_HOME", str(home))
    return home


def test_init_joins_as_the_admin_and_keeps_the_password_in_the_keychain_only(
    pg_cluster: Cluster, pg_database: str, admin: tuple[str, str], profile_dir: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, memory_keyring: object,
) -> None:
    name, password = admin
    code, out, err = cli(capsys, monkeypatch, "team", "status", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {"server": f"127.0.0.1:{pg_cluster.port}",
                               "database": pg_database, "user": name, "role": "admin",
                               "schema_version": 11}
    on_disk = b"".join(p.read_bytes() for p in profile_dir.rglob("*") if p.is_file())
    assert password.encode() not in on_disk
    assert pg_cluster.password.encode() not in on_disk  # the DBA's, from init's DSN
    assert password in memory_keyring.items.values()  # type: ignore[attr-defined]
    code, out, _ = cli(capsys, monkeypatch, "team", "status")
    assert f"Membre : {name} (admin)" in out


def test_an_admin_adds_a_member_who_joins_from_another_profile(
    pg_cluster: Cluster, pg_database: str, admin: tuple[str, str], tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    marie = unique("marie")
    code, _, err = cli(capsys, monkeypatch, "team", "add-member", marie, "--role",
                       "redacteur", "--password-stdin", stdin="secret-de-marie\n")
    assert (code, err) == (0, f"Membre ajouté : {marie} (rédacteur).\n")

    other_profile(tmp_path, monkeypatch, "poste-de-marie")
    code, _, err = cli(capsys, monkeypatch, "team", "join", public_dsn(pg_cluster, pg_database),
                       "--user", marie, "--password-stdin", stdin="secret-de-marie\n")
    assert code == 0, err
    code, out, _ = cli(capsys, monkeypatch, "team", "status", "--json")
    assert (json.loads(out)["user"], json.loads(out)["role"]) == (marie, "redacteur")

    # A redacteur may not add members: refused, exit 1, no role created.
    intrus = unique("intrus")
    code, _, err = cli(capsys, monkeypatch, "team", "add-member", intrus, "--role", "admin",
                       "--password-stdin", stdin="x\n")
    assert code == 1
    assert err == ("Erreur : Refusé par la base de l'équipe : seul un admin peut ajouter des "
                   "membres. Rien n'a été modifié.\n")
    with psycopg.connect(pg_cluster.dsn()) as conn:
        assert conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = %s",
                            (intrus,)).fetchone() == (0,)

    code, out, _ = cli(capsys, monkeypatch, "audit", "--json")
    assert code == 0
    actions = [(e["actor"], e["action"]) for e in json.loads(out)]
    assert actions[-2:] == [(admin[0], "member_add"), (marie, "join")]
    assert set(json.loads(out)[0]) == {"at", "actor", "workstation", "action", "account", "url",
                                       "detail"}


def test_a_wrong_password_saves_nothing(
    pg_cluster: Cluster, pg_database: str, admin: tuple[str, str], tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, memory_keyring: object,
) -> None:
    home = other_profile(tmp_path, monkeypatch, "poste-2")
    before = dict(memory_keyring.items)  # type: ignore[attr-defined]
    code, _, err = cli(capsys, monkeypatch, "team", "join", public_dsn(pg_cluster, pg_database),
                       "--user", admin[0], "--password-stdin", stdin="pas-le-bon\n")
    assert (code, err) == (1, "Erreur : Le serveur de l'équipe a refusé votre nom ou votre "
                              "mot de passe : rejoignez de nouveau l'équipe (« paris-desk team "
                              "join »).\n")
    assert not (home / "team.json").exists()
    assert memory_keyring.items == before  # type: ignore[attr-defined]


def test_leave_forgets_the_password(
    admin: tuple[str, str], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, memory_keyring: object,
) -> None:
    assert cli(capsys, monkeypatch, "team", "leave")[0] == 0
    assert admin[1] not in memory_keyring.items.values()  # type: ignore[attr-defined]
    code, _, err = cli(capsys, monkeypatch, "team", "status")
    assert code == 1
    assert "aucune équipe" in err
    assert cli(capsys, monkeypatch, "team", "leave")[:2] == (0, "")


def test_a_newer_schema_is_refused_with_a_clear_message(
    pg_cluster: Cluster, pg_database: str, admin: tuple[str, str],
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    with psycopg.connect(pg_cluster.dsn(dbname=pg_database), autocommit=True) as conn:
        conn.execute("INSERT INTO paris_desk.schema_version (version) VALUES (99)")
    code, _, err = cli(capsys, monkeypatch, "team", "status")
    assert code == 1
    assert err == ("Erreur : La base de l'équipe est au schéma 99, plus récent que ce "
                   "paris_desk (schéma 11) : mettez paris_desk à jour pour l'utiliser. La base "
                   "n'a pas été touchée.\n")


def test_audit_since(admin: tuple[str, str], capsys: pytest.CaptureFixture[str],
                     monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = cli(capsys, monkeypatch, "audit", "--json", "--since", "2000-01-01")
    assert [e["action"] for e in json.loads(out)] == ["member_add", "team_init"]
    code, out, _ = cli(capsys, monkeypatch, "audit", "--json", "--since", "2999-01-01T00:00Z")
    assert (code, json.loads(out)) == (0, [])
    code, _, err = cli(capsys, monkeypatch, "audit", "--since", "hier")
    assert code == 2
    assert "ISO-8601" in err


def test_bad_member_names_are_refused_before_any_connection(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, _, err = cli(capsys, monkeypatch, "team", "join", "postgresql://127.0.0.1:1/x",
                       "--user", "Robert'); DROP", "--password-stdin", stdin="x\n")
    assert code == 1
    assert err.startswith("Erreur : Nom de membre invalide : lettres minuscules")


def test_in_team_mode_the_outbox_is_the_teams(
    pg_cluster: Cluster, pg_database: str, admin: tuple[str, str],
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    from paris_desk.core.model import Account, Network, PostRequest
    from paris_desk.store.team.database import TeamDatabase
    from paris_desk.store.team.outbox import TeamOutboxStore

    account = Account("mastodon:@ville@paris.example", Network.MASTODON,
                      "@ville@paris.example", "https://paris.example")
    elsewhere = TeamDatabase(pg_cluster.dsn(dbname=pg_database))  # another workstation
    try:
        (job,) = TeamOutboxStore(elsewhere).add_batch("b", [(account, PostRequest("Bonjour"))])
    finally:
        elsewhere.close()
    code, out, _ = cli(capsys, monkeypatch, "outbox", "--json")
    assert code == 0
    assert [(j["id"], j["state"], j["account"]) for j in json.loads(out)] == [
        (job.id, "queued", account.id)]
    # This profile holds no credentials for that account: the job is left to one that does.
    code, out, _ = cli(capsys, monkeypatch, "outbox", "run", "--timeout", "0", "--json")
    assert (code, json.loads(out)) == (0, [])

    assert cli(capsys, monkeypatch, "team", "leave")[0] == 0
    code, out, _ = cli(capsys, monkeypatch, "outbox", "--json")
    assert (code, json.loads(out)) == (0, [])


def test_with_the_team_server_gone_only_the_commands_that_need_it_fail(
    pg_cluster: Cluster, admin: tuple[str, str], profile_dir: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = profile_dir / "team.json"
    moved = json.loads(config.read_text())
    moved["conninfo"] = moved["conninfo"].replace(f"port={pg_cluster.port}", "port=1")
    assert moved["conninfo"] != json.loads(config.read_text())["conninfo"]
    config.write_text(json.dumps(moved))
    code, out, err = cli(capsys, monkeypatch, "account", "list", "--json")
    assert (code, out) == (0, "[]\n")  # this workstation's accounts; the team's cannot be read:
    assert err == ("Attention : comptes de l'équipe indisponibles. Le serveur de l'équipe ne "
                   "répond pas : vérifiez le réseau, puis réessayez.\n")
    code, _, err = cli(capsys, monkeypatch, "outbox")
    assert (code, err) == (1, "Erreur : Le serveur de l'équipe ne répond pas : vérifiez le "
                              "réseau, puis réessayez.\n")


def test_the_desk_connects_to_the_team_at_first_use_not_when_built(
    pg_cluster: Cluster, admin: tuple[str, str], profile_dir: Path,
) -> None:
    """The window builds its stores on the GUI thread: with the server gone, building them
    must not wait for it; the first use (on a worker thread) says it is unreachable."""
    from paris_desk.services.desk import Desk
    from paris_desk.services.team import TeamUnreachable
    from paris_desk.store.profile import Profile

    config = profile_dir / "team.json"
    moved = json.loads(config.read_text())
    moved["conninfo"] = moved["conninfo"].replace(f"port={pg_cluster.port}", "port=1")
    config.write_text(json.dumps(moved))
    desk = Desk.open(Profile.default())
    try:
        outbox, inbox = desk.outbox, desk.inbox  # built, no connection attempted
        with pytest.raises(TeamUnreachable):
            outbox.jobs()
        with pytest.raises(TeamUnreachable):
            inbox.snapshot(["mastodon:@ville@paris.example"])  # its "traité" state is shared
    finally:
        desk.close()
