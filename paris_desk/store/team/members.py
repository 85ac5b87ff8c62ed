"""The team's members (PostgreSQL login roles in the group roles) and its audit log.

A member is a login role granted one of the group roles of ``sql/0001_team.sql``; what a role
may do is decided by the database (grants, row-level security, triggers), so a client that
skips paris-desk's own checks is refused all the same. Members are added through
``paris_desk.add_member()`` (``sql/0008``), a SECURITY DEFINER function only admins may call:
an admin's login role holds no ``CREATEROLE``, which on PostgreSQL 15 would let it grant
itself nearly any privilege short of superuser.

Passwords reach the server already hashed (SCRAM-SHA-256, computed by libpq on this side:
``PQencryptPasswordConn``), so no plain password appears in a statement or a server log.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime

from paris_desk.store.team.database import TeamDatabase
from paris_desk.store.team.errors import TeamRefused

_NAME = re.compile(r"[a-z][a-z0-9_.-]{0,62}")
_RESERVED = ("pg_", "paris_desk_")


class Role(enum.StrEnum):
    REDACTEUR = "redacteur"
    VALIDATEUR = "validateur"
    ADMIN = "admin"

    @property
    def group(self) -> str:
        return f"paris_desk_{self.value}"


@dataclass(frozen=True, slots=True)
class Status:
    server: str
    database: str
    user: str
    role: Role | None  # None: a login role that is in no group (not a member)
    schema_version: int


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    actor: str
    workstation: str
    action: str
    account: str
    url: str
    detail: str


def check_name(name: str) -> str:
    """A member name: lower case letters, digits, ``_ . -``, starting with a letter, 63 at
    most (PostgreSQL's limit), and not one of PostgreSQL's or paris-desk's own roles."""
    if not _NAME.fullmatch(name) or name.startswith(_RESERVED):
        raise ValueError(name)
    return name


class TeamStore:
    def __init__(self, db: TeamDatabase) -> None:
        self.db = db

    # -- members -----------------------------------------------------------------------------

    def role_of(self, user: str | None = None) -> Role | None:
        """The highest group ``user`` (default: the connected role) belongs to."""
        who = user or self.db.scalar("SELECT current_user")
        for role in (Role.ADMIN, Role.VALIDATEUR, Role.REDACTEUR):
            if self.db.scalar(  # no row when either role does not exist
                "SELECT pg_has_role(u.oid, g.oid, 'member') FROM pg_roles u, pg_roles g"
                " WHERE u.rolname = %s AND g.rolname = %s",
                (who, role.group),
            ):
                return role
        return None

    def members(self) -> list[str]:
        """The team's members (login roles in a paris_desk group; not superusers, who are
        "members" of every role), by name."""
        rows = self.db.execute(
            "SELECT u.rolname FROM pg_roles u, pg_roles g WHERE g.rolname = %s"
            " AND u.rolcanlogin AND NOT u.rolsuper AND pg_has_role(u.oid, g.oid, 'member')"
            " ORDER BY u.rolname", (Role.REDACTEUR.group,))
        return [str(r["rolname"]) for r in rows]

    def add_member(self, name: str, role: Role, password: str, *, workstation: str = "") -> None:
        """Create the login role ``name`` in ``role``'s group, and audit it, in one
        transaction: all of it or nothing. Through ``paris_desk.add_member()`` (schema
        version 8), which only admins (and the schema's owner) may call: ``TeamRefused`` for
        the others; ``TeamConflict`` when the name is taken."""
        check_name(name)
        with self.db.transaction():
            self.db.execute("SELECT paris_desk.add_member(%s, %s, %s)",
                            (name, role.value, self._hash(password, name)))
            self.audit("member_add", detail=f"{name} ({role.value})", workstation=workstation)

    def status(self) -> Status:
        from paris_desk.store.team.schema import current_version

        return Status(server=self.db.server, database=self.db.database,
                      user=str(self.db.scalar("SELECT current_user")), role=self.role_of(),
                      schema_version=current_version(self.db))

    def _hash(self, password: str, user: str) -> str:
        if not password:
            raise ValueError("empty password")
        raw = self.db.conn.pgconn.encrypt_password(
            password.encode(), user.encode(), b"scram-sha-256")
        return raw.decode("ascii")

    # -- the team's accounts (no secret) -----------------------------------------------------

    def set_requires_approval(self, account_id: str, network: str, handle: str, on: bool, *,
                              workstation: str = "") -> None:
        """Register the account with the team (admins only: the grants) and say whether a
        redacteur's publication to it needs a validateur's approval; audited."""
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO paris_desk.accounts (id, network, handle, requires_approval)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT (id) DO UPDATE"
                " SET requires_approval = excluded.requires_approval",
                (account_id, network, handle, on))
            self.audit("settings", account=account_id,
                       detail=f"requires approval: {'yes' if on else 'no'}",
                       workstation=workstation)

    def register_account(self, account_id: str, network: str, handle: str) -> bool:
        """Add an account to the team's registry (any member); False when it was there."""
        rows = self.db.execute(
            "INSERT INTO paris_desk.accounts (id, network, handle) VALUES (%s, %s, %s)"
            " ON CONFLICT (id) DO NOTHING RETURNING id", (account_id, network, handle))
        return bool(rows)

    def requiring_approval(self) -> set[str]:
        rows = self.db.execute(
            "SELECT id FROM paris_desk.accounts WHERE requires_approval")
        return {str(r["id"]) for r in rows}

    def accounts(self) -> list[tuple[str, str, str, bool]]:
        """``(id, network, handle, requires_approval)`` of the team's accounts."""
        rows = self.db.execute("SELECT id, network, handle, requires_approval"
                               " FROM paris_desk.accounts ORDER BY id")
        return [(r["id"], r["network"], r["handle"], r["requires_approval"]) for r in rows]

    # -- the audit log -----------------------------------------------------------------------

    def audit(self, action: str, *, account: str = "", url: str = "", detail: str = "",
              workstation: str = "") -> None:
        """Append one row; its actor and time are the database's (``audit_stamp``)."""
        self.db.execute(
            "INSERT INTO paris_desk.audit_log (workstation, account, action, url, detail)"
            " VALUES (%s, %s, %s, %s, %s)",
            (workstation, account, action, url, detail),
        )

    def audit_log(self, since: datetime | None = None) -> list[AuditEntry]:
        """The rows at or after ``since`` (all when None), oldest first."""
        rows = self.db.execute(
            "SELECT at, actor, workstation, action, account, url, detail"
            " FROM paris_desk.audit_log WHERE at >= coalesce(%s, '-infinity'::timestamptz)"
            " ORDER BY at, id",
            (since,),
        )
        return [AuditEntry(**row) for row in rows]


def refuse_unless(allowed: bool, what: str) -> None:
    """The app's own check, before the database's: a clear ``TeamRefused``."""
    if not allowed:
        raise TeamRefused(what)
