"""Team mode for one profile: joining the team's PostgreSQL database, and what comes with it.

A profile in team mode keeps ``team.json`` (mode 0600): the server's address without
credentials, and the member's name. The member's password is in the OS keychain (``team:<name>``
in the profile's namespace), never in a file; with no keychain, joining is refused
(``KeychainUnavailable``).

- ``init``: a DBA's connection (credentials in the DSN, or libpq's PGPASSWORD/.pgpass) applies
  the schema and creates the first admin; then this profile joins as that admin.
- ``join``: a member's name and password, checked against the server (the schema must be the
  version this paris-desk knows, and the name a member of a group) before anything is saved.
- ``open``: the connection every team-mode start uses (the Desk's shared outbox), schema
  checked: a newer schema is refused (``TeamSchemaTooNew``).

What the database refuses to a role leaves as ``TeamRefused``; nothing is half done (every
change is one transaction).
"""

from __future__ import annotations

import json
import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from paris_desk.core.model import Account
from paris_desk.store.keychain import Keychain, profile_namespace
from paris_desk.store.profile import Profile
from paris_desk.store.team import schema
from paris_desk.store.team.changes import Change, ChangeListener
from paris_desk.store.team.database import TeamDatabase, with_user, without_credentials
from paris_desk.store.team.errors import (
    NotInTeam,
    TeamAuthFailed,
    TeamConflict,
    TeamError,
    TeamInsecure,
    TeamNotInitialised,
    TeamRefused,
    TeamSchemaTooNew,
    TeamSchemaTooOld,
    TeamUnreachable,
)
from paris_desk.store.team.members import AuditEntry, Role, Status, TeamStore, check_name

__all__ = [
    "AuditEntry",
    "Change",
    "ChangeListener",
    "Membership",
    "NotInTeam",
    "Role",
    "Status",
    "TeamAuthFailed",
    "TeamConflict",
    "TeamError",
    "TeamInsecure",
    "TeamNotInitialised",
    "TeamRefused",
    "TeamSchemaTooNew",
    "TeamSchemaTooOld",
    "TeamService",
    "TeamUnreachable",
    "check_name",
]

log = logging.getLogger(__name__)

CONFIG_FILE = "team.json"


@dataclass(frozen=True, slots=True)
class Membership:
    conninfo: str  # without user or password
    user: str
    allow_unverified: bool = False  # a weaker sslmode than verify-full, chosen knowingly

    @property
    def keychain_key(self) -> str:
        return f"team:{self.user}"


def workstation() -> str:
    """How the audit log names this machine."""
    return socket.gethostname()


class TeamService:
    def __init__(self, profile: Profile, keychain: Keychain | None = None) -> None:
        self.profile = profile
        self._keychain = keychain

    @property
    def keychain(self) -> Keychain:
        if self._keychain is None:
            self._keychain = Keychain(self.profile.keychain_service,
                                      profile_namespace(self.profile.root))
        return self._keychain

    # -- membership on this profile --------------------------------------------------------------

    @property
    def config_path(self) -> Path:
        return self.profile.root / CONFIG_FILE

    def membership(self) -> Membership | None:
        try:
            data = json.loads(self.config_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("team: %s unreadable (%s)", CONFIG_FILE, exc)
            return None
        if not isinstance(data, dict) or not data.get("user"):
            return None
        return Membership(conninfo=str(data.get("conninfo", "")), user=str(data["user"]),
                          allow_unverified=data.get("allow_unverified_tls") is True)

    def open(self, *, lazy: bool = False) -> TeamDatabase:
        """A connection as this profile's member, its schema checked (on every new
        connection). ``NotInTeam`` when the profile has not joined. ``lazy``: connect (and
        check) at the first statement, not now (the window builds its stores on the GUI
        thread)."""
        member, password = self._credentials()
        return TeamDatabase(with_user(member.conninfo, member.user), password, lazy=lazy,
                            on_connect=schema.check, allow_unverified=member.allow_unverified)

    def listen(self) -> ChangeListener:
        """A listener for the team's live changes (its own connection)."""
        member, password = self._credentials()
        return ChangeListener(with_user(member.conninfo, member.user), password,
                              allow_unverified=member.allow_unverified)

    def _credentials(self) -> tuple[Membership, str]:
        member = self.membership()
        if member is None:
            raise NotInTeam("this profile is not in a team")
        password = self.keychain.get(member.keychain_key)
        if password is None:
            raise TeamAuthFailed(f"no password in the keychain for {member.user}")
        return member, password

    # -- commands ----------------------------------------------------------------------------

    def init(self, dsn: str, admin: str, password: str, *, allow_unverified: bool = False
             ) -> Status:
        """Apply the schema with the DBA's ``dsn``, create ``admin`` (kept when it exists and
        the password opens it), and join as ``admin``. ``allow_unverified``: as ``join``."""
        check_name(admin)
        self.keychain.check()
        dba = TeamDatabase(dsn, allow_unverified=allow_unverified)
        try:
            schema.migrate(dba)
            store = TeamStore(dba)
            if store.role_of(admin) is None:
                store.add_member(admin, Role.ADMIN, password, workstation=workstation())
        finally:
            dba.close()
        return self.join(dsn, admin, password, action="team_init",
                         allow_unverified=allow_unverified)

    def join(self, dsn: str, user: str, password: str, *, action: str = "join",
             allow_unverified: bool = False) -> Status:
        """Check ``user``/``password`` on the server, then save the membership.
        ``allow_unverified``: a server on another machine may be reached with the weaker
        ``sslmode`` the DSN names (``store.team.tls``; kept in the membership), instead of
        being refused (``TeamInsecure``)."""
        check_name(user)
        self.keychain.check()
        conninfo = without_credentials(dsn)
        db = TeamDatabase(with_user(conninfo, user), password,
                          allow_unverified=allow_unverified)
        try:
            schema.check(db)
            store = TeamStore(db)
            status = store.status()
            if status.role is None:
                raise TeamRefused(f"{user} is in no paris_desk group")
            store.audit(action, workstation=workstation())
        finally:
            db.close()
        member = Membership(conninfo=conninfo, user=user, allow_unverified=allow_unverified)
        self.keychain.set(member.keychain_key, password)
        self._write(member)
        log.info("team: joined %s as %s (%s)", status.server, user, status.role)
        return status

    def leave(self) -> bool:
        """Forget the membership and its password; False when there was none."""
        member = self.membership()
        if member is None:
            return False
        self.keychain.delete(member.keychain_key)
        self.config_path.unlink(missing_ok=True)
        return True

    def status(self) -> Status:
        db = self.open()
        try:
            return TeamStore(db).status()
        finally:
            db.close()

    def add_member(self, name: str, role: Role, password: str) -> None:
        db = self.open()
        try:
            store = TeamStore(db)
            if store.role_of() is not Role.ADMIN:  # the app's check; the database's follows
                raise TeamRefused("only an admin adds members")
            store.add_member(name, role, password, workstation=workstation())
        finally:
            db.close()

    def set_requires_approval(self, account: Account, on: bool) -> None:
        """Whether a redacteur's publication to ``account`` waits for a validateur (admins
        only; the database refuses the others too)."""
        db = self.open()
        try:
            store = TeamStore(db)
            if store.role_of() is not Role.ADMIN:
                raise TeamRefused("only an admin changes the team's settings")
            store.set_requires_approval(account.id, account.network.value, account.handle, on,
                                        workstation=workstation())
        finally:
            db.close()

    def register_account(self, account: Account) -> bool:
        """This workstation holds ``account``: the team knows it from now on (no secret)."""
        db = self.open()
        try:
            return TeamStore(db).register_account(account.id, account.network.value,
                                                  account.handle)
        finally:
            db.close()

    def accounts(self) -> list[tuple[str, str, str, bool]]:
        """``(id, network, handle, requires_approval)`` of the accounts the team registered."""
        db = self.open()
        try:
            return TeamStore(db).accounts()
        finally:
            db.close()

    def audit_log(self, since: datetime | None = None) -> list[AuditEntry]:
        db = self.open()
        try:
            return TeamStore(db).audit_log(since)
        finally:
            db.close()

    def _write(self, member: Membership) -> None:
        root = self.profile.root
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = root / (CONFIG_FILE + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            data: dict[str, object] = {"conninfo": member.conninfo, "user": member.user}
            if member.allow_unverified:
                data["allow_unverified_tls"] = True
            json.dump(data, stream)
            stream.flush()
            os.fsync(stream.fileno())
        tmp.replace(self.config_path)
