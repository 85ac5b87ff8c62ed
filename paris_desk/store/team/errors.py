"""What can go wrong with the team's database, sorted by what the user can do about it.

Every psycopg failure leaves ``store.team.database`` as one of these (``translate``): the
shells turn them into sentences, and never see a psycopg type.
"""

from __future__ import annotations

from paris_desk.core.errors import StoreError


class TeamError(StoreError):
    """The team database failed; ``message`` is English (logs), the shells word it."""


class TeamUnreachable(TeamError):
    """The server did not answer (address, port, network, server down). Retry later."""


class TeamInsecure(TeamError):
    """The server is on another machine and the connection asked for would not check its
    identity (``sslmode`` weaker than ``verify-full``): refused before connecting
    (``store.team.tls``)."""

    def __init__(self, host: str, mode: str) -> None:
        super().__init__(f"sslmode={mode} does not verify the team's server {host}; use "
                         "sslmode=verify-full, or allow it explicitly")
        self.host = host
        self.mode = mode


class TeamAuthFailed(TeamError):
    """The server refused the user name or password."""


class TeamRefused(TeamError):
    """The database refused the operation to this role (grants, row-level security, the audit
    log's triggers): the member may not do it. Nothing was changed."""


class TeamNotInitialised(TeamError):
    """The database holds no paris_desk schema (``team init`` was not run), or this role
    cannot see it (not a member of the team)."""


class TeamSchemaTooNew(TeamError):
    """The schema was written by a newer paris-desk: this one must not touch it."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(f"team schema version {found} is newer than this paris-desk ({known})")
        self.found = found
        self.known = known


class TeamSchemaTooOld(TeamError):
    """The schema predates this paris-desk: an admin must run ``team init`` to upgrade it."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(f"team schema version {found} is older than this paris-desk ({known})")
        self.found = found
        self.known = known


class TeamConflict(TeamError):
    """The change collides with what is there (a member name already taken…)."""


class NotInTeam(TeamError):
    """This profile has not joined a team (``team join``)."""
