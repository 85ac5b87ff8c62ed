"""The team schema on a real PostgreSQL: versions, roles, and what the database itself refuses
to each role, with paris-desk's own checks out of the way (raw SQL through psycopg)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import psycopg
import pytest

from paris_desk.store.team import schema
from paris_desk.store.team.database import TeamDatabase
from paris_desk.store.team.errors import (
    TeamConflict,
    TeamError,
    TeamNotInitialised,
    TeamRefused,
    TeamSchemaTooNew,
)
from paris_desk.store.team.members import Role, TeamStore
from team.pgcluster import Cluster


@pytest.fixture
def dba(pg_cluster: Cluster, pg_database: str) -> Iterator[TeamDatabase]:
    db = TeamDatabase(pg_cluster.dsn(dbname=pg_database))
    yield db
    db.close()


@pytest.fixture
def team(dba: TeamDatabase) -> TeamStore:
    schema.migrate(dba)
    return TeamStore(dba)


def member(pg_cluster: Cluster, pg_database: str, team: TeamStore, role: Role
           ) -> tuple[str, TeamDatabase]:
    name = f"{role.value}_{secrets.token_hex(3)}"
    password = secrets.token_urlsafe(12)
    team.add_member(name, role, password)
    return name, TeamDatabase(pg_cluster.dsn(name, password, pg_database))


def test_migrate_applies_every_version_once(dba: TeamDatabase) -> None:
    assert schema.current_version(dba) == 0
    with pytest.raises(TeamNotInitialised):
        schema.check(dba)
    assert schema.migrate(dba) == list(range(1, schema.known_version() + 1))
    assert schema.migrate(dba) == []
    assert schema.check(dba) == schema.known_version()


def test_a_newer_schema_is_refused_and_left_alone(team: TeamStore, dba: TeamDatabase) -> None:
    newer = schema.known_version() + 1
    dba.execute("INSERT INTO paris_desk.schema_version (version) VALUES (%s)", (newer,))
    with pytest.raises(TeamSchemaTooNew) as caught:
        schema.check(dba)
    assert (caught.value.found, caught.value.known) == (newer, schema.known_version())
    with pytest.raises(TeamSchemaTooNew):
        schema.migrate(dba)
    assert schema.current_version(dba) == newer


def test_members_get_their_group_and_the_ladder(
    pg_cluster: Cluster, pg_database: str, team: TeamStore
) -> None:
    for role in Role:
        name, db = member(pg_cluster, pg_database, team, role)
        try:
            status = TeamStore(db).status()
        finally:
            db.close()
        assert (status.user, status.role) == (name, role)
        assert status.schema_version == schema.known_version()
        assert status.database == pg_database


def test_only_an_admin_adds_members_and_a_refusal_changes_nothing(
    pg_cluster: Cluster, pg_database: str, team: TeamStore, dba: TeamDatabase
) -> None:
    _, redacteur = member(pg_cluster, pg_database, team, Role.REDACTEUR)
    _, validateur = member(pg_cluster, pg_database, team, Role.VALIDATEUR)
    _, admin = member(pg_cluster, pg_database, team, Role.ADMIN)
    audited = len(team.audit_log())
    nouvelle = f"nouvelle_{secrets.token_hex(3)}"  # roles are the cluster's: one name per test
    try:
        for db in (redacteur, validateur):
            with pytest.raises(TeamRefused):
                TeamStore(db).add_member("intrus", Role.ADMIN, "x")
        assert not dba.scalar("SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = 'intrus')")
        assert len(team.audit_log()) == audited
        TeamStore(admin).add_member(nouvelle, Role.VALIDATEUR, "secret")
        assert TeamStore(dba).role_of(nouvelle) is Role.VALIDATEUR
        with pytest.raises(TeamConflict):
            TeamStore(admin).add_member(nouvelle, Role.REDACTEUR, "secret")
    finally:
        for db in (redacteur, validateur, admin):
            db.close()
    last = team.audit_log()[-1]
    assert (last.action, last.detail) == ("member_add", f"{nouvelle} (validateur)")


def test_the_password_never_reaches_the_server_in_clear(team: TeamStore, dba: TeamDatabase
                                                         ) -> None:
    claire = f"claire_{secrets.token_hex(3)}"  # roles are the cluster's: one name per test
    team.add_member(claire, Role.REDACTEUR, "mot-de-passe-en-clair")
    stored = dba.scalar("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (claire,))
    assert stored.startswith("SCRAM-SHA-256$")
    assert "mot-de-passe-en-clair" not in stored


def approval(db: TeamDatabase) -> int:
    return int(db.scalar(
        "INSERT INTO paris_desk.approvals (draft_json, targets) VALUES ('{}', %s) RETURNING id",
        (["mastodon:ville@example.org"],)))


def test_a_redacteur_cannot_approve_even_bypassing_the_app(
    pg_cluster: Cluster, pg_database: str, team: TeamStore
) -> None:
    name, redacteur = member(pg_cluster, pg_database, team, Role.REDACTEUR)
    _, validateur = member(pg_cluster, pg_database, team, Role.VALIDATEUR)
    try:
        submitted = approval(redacteur)
        with pytest.raises(TeamRefused, match="permission denied"):
            redacteur.execute(
                "UPDATE paris_desk.approvals SET state = 'approved', decided_by = current_user"
                " WHERE id = %s", (submitted,))
        # Nor in another's name: the author is the database role.
        with pytest.raises(TeamRefused, match="row-level security"):
            redacteur.execute(
                "INSERT INTO paris_desk.approvals (author, draft_json, targets)"
                " VALUES ('someone_else', '{}', '{}')")
        decided = validateur.execute(
            "UPDATE paris_desk.approvals SET state = 'approved', decided_by = current_user,"
            " decided_at = now() WHERE id = %s RETURNING decided_by", (submitted,))
        assert decided == [{"decided_by": decided[0]["decided_by"]}]
        assert decided[0]["decided_by"] != name
    finally:
        redacteur.close()
        validateur.close()


def test_a_validateur_cannot_approve_their_own_submission(
    pg_cluster: Cluster, pg_database: str, team: TeamStore
) -> None:
    _, validateur = member(pg_cluster, pg_database, team, Role.VALIDATEUR)
    try:
        own = approval(validateur)
        changed = validateur.execute(
            "UPDATE paris_desk.approvals SET state = 'approved', decided_by = current_user"
            " WHERE id = %s RETURNING id", (own,))
        assert changed == []  # row-level security: not a row this role may decide
    finally:
        validateur.close()


def job_row(account: str) -> tuple[object, ...]:
    return (f"b{secrets.token_hex(3)}", account, "mastodon", secrets.token_hex(8), "{}", 1)


INSERT_JOB = (
    "INSERT INTO paris_desk.outbox_jobs (batch_id, account_id, network, idempotency_key,"
    " request_json, created_us) VALUES (%s, %s, %s, %s, %s, %s) RETURNING id"
)


def test_only_a_validateur_queues_for_an_account_that_needs_approval(
    pg_cluster: Cluster, pg_database: str, team: TeamStore, dba: TeamDatabase
) -> None:
    dba.execute("INSERT INTO paris_desk.accounts (id, network, handle, requires_approval)"
                " VALUES ('mastodon:ville@x', 'mastodon', 'ville', true),"
                " ('mastodon:culture@x', 'mastodon', 'culture', false)")
    _, redacteur = member(pg_cluster, pg_database, team, Role.REDACTEUR)
    _, validateur = member(pg_cluster, pg_database, team, Role.VALIDATEUR)
    try:
        with pytest.raises(TeamRefused, match="row-level security"):
            redacteur.execute(INSERT_JOB, job_row("mastodon:ville@x"))
        assert redacteur.execute(INSERT_JOB, job_row("mastodon:culture@x"))
        assert validateur.execute(INSERT_JOB, job_row("mastodon:ville@x"))
        # A sender may change a job's state, never what it says or who queued it.
        with pytest.raises(TeamRefused, match="permission denied"):
            redacteur.execute("UPDATE paris_desk.outbox_jobs SET request_json = '{\"text\": 1}'")
        with pytest.raises(TeamRefused, match="permission denied"):
            redacteur.execute("DELETE FROM paris_desk.outbox_jobs")
    finally:
        redacteur.close()
        validateur.close()


@pytest.mark.parametrize("statement", [
    "UPDATE paris_desk.audit_log SET detail = 'effacé'",
    "DELETE FROM paris_desk.audit_log",
    "TRUNCATE paris_desk.audit_log",
])
def test_nobody_changes_or_deletes_an_audit_row(
    pg_cluster: Cluster, pg_database: str, team: TeamStore, dba: TeamDatabase, statement: str
) -> None:
    team.audit("publish", account="mastodon:ville@x", url="https://x/1", workstation="pc-1")
    _, admin = member(pg_cluster, pg_database, team, Role.ADMIN)
    try:
        for db in (admin, dba):  # dba: the schema's owner, a superuser here
            with pytest.raises(TeamRefused):
                db.execute(statement)
    finally:
        admin.close()
    first = team.audit_log()[0]
    assert (first.action, first.url) == ("publish", "https://x/1")


def test_an_audit_row_names_the_database_role_whatever_the_client_says(
    pg_cluster: Cluster, pg_database: str, team: TeamStore
) -> None:
    name, redacteur = member(pg_cluster, pg_database, team, Role.REDACTEUR)
    try:
        redacteur.execute(
            "INSERT INTO paris_desk.audit_log (actor, at, action, workstation)"
            " VALUES ('directeur', '2000-01-01', 'like', 'pc-7')")
    finally:
        redacteur.close()
    entry = team.audit_log()[-1]
    assert (entry.actor, entry.workstation, entry.action) == (name, "pc-7", "like")
    assert entry.at.year > 2000


def test_someone_outside_the_team_sees_nothing(
    pg_cluster: Cluster, pg_database: str, team: TeamStore, dba: TeamDatabase
) -> None:
    passant = f"passant_{secrets.token_hex(3)}"
    dba.execute(f"CREATE ROLE {passant} LOGIN PASSWORD 'passant'")
    outsider = TeamDatabase(pg_cluster.dsn(passant, "passant", pg_database))
    try:
        with pytest.raises(TeamNotInitialised):
            schema.check(outsider)
        with pytest.raises(TeamRefused):
            outsider.execute("SELECT * FROM paris_desk.audit_log")
        assert TeamStore(outsider).role_of() is None
    finally:
        outsider.close()


def test_psycopg_errors_never_leave_the_store(pg_cluster: Cluster) -> None:
    from paris_desk.store.team.errors import TeamAuthFailed, TeamUnreachable

    with pytest.raises(TeamAuthFailed):
        TeamDatabase(pg_cluster.dsn(password="faux", user=pg_cluster.superuser))
    with pytest.raises(TeamUnreachable):
        TeamDatabase(f"postgresql://x@127.0.0.1:{pg_cluster.port + 1}/postgres")
    assert issubclass(TeamAuthFailed, Exception)
    assert not issubclass(TeamAuthFailed, psycopg.Error)


def test_an_older_schema_is_refused_until_team_init_upgrades_it(dba: TeamDatabase) -> None:
    from paris_desk.store.team.errors import TeamSchemaTooOld

    (number, script), *_ = schema.migrations()
    with dba.transaction():  # a database set up by the first release
        dba.execute(script)  # type: ignore[arg-type]
        dba.execute("INSERT INTO paris_desk.schema_version (version) VALUES (%s)", (number,))
    with pytest.raises(TeamSchemaTooOld) as caught:
        schema.check(dba)
    assert (caught.value.found, caught.value.known) == (1, schema.known_version())
    assert schema.migrate(dba) == list(range(2, schema.known_version() + 1))
    assert schema.check(dba) == schema.known_version()


def test_an_admin_adds_members_but_cannot_grant_itself_server_powers(
    pg_cluster: Cluster, pg_database: str, team: TeamStore, dba: TeamDatabase
) -> None:
    name, admin = member(pg_cluster, pg_database, team, Role.ADMIN)
    _, redacteur = member(pg_cluster, pg_database, team, Role.REDACTEUR)
    try:
        assert dba.scalar("SELECT rolcreaterole FROM pg_roles WHERE rolname = %s",
                          (name,)) is False
        with pytest.raises(TeamRefused):  # PostgreSQL 15's CREATEROLE would have allowed it
            admin.execute(f'GRANT pg_execute_server_program TO "{name}"')
        with pytest.raises(TeamRefused):
            admin.execute("CREATE ROLE sneaky LOGIN")
        with pytest.raises(TeamRefused, match="permission denied for function add_member"):
            redacteur.execute("SELECT paris_desk.add_member('sneaky', 'admin', %s)",
                              ("SCRAM-SHA-256$4096:x",))
        with pytest.raises(TeamError, match="SCRAM-SHA-256 hash"):
            admin.execute("SELECT paris_desk.add_member('clair', 'redacteur', 'motdepasse')")
    finally:
        admin.close()
        redacteur.close()


def test_version_8_takes_createrole_from_the_admins_of_earlier_versions(
    dba: TeamDatabase
) -> None:
    for number, script in schema.migrations()[:7]:
        with dba.transaction():
            dba.execute(script)  # type: ignore[arg-type]
            dba.execute("INSERT INTO paris_desk.schema_version (version) VALUES (%s)",
                        (number,))
    old = f"ancien_{secrets.token_hex(3)}"
    dba.execute(f'CREATE ROLE "{old}" LOGIN CREATEROLE')  # how versions 1 to 7 made admins
    dba.execute(f'GRANT paris_desk_redacteur, paris_desk_validateur, paris_desk_admin TO "{old}"'
                " WITH ADMIN OPTION")
    schema.migrate(dba)
    assert dba.scalar("SELECT rolcreaterole FROM pg_roles WHERE rolname = %s", (old,)) is False
    assert TeamStore(dba).role_of(old) is Role.ADMIN
