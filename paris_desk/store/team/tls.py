"""How the team's database connection protects itself on the network.

libpq's default, ``sslmode=prefer``, encrypts when the server offers it and silently falls back
to plain text otherwise, and never checks whose certificate it is: anyone on the path between a
workstation and the server can read or impersonate it, and collect every member's scram
exchange and the shared outbox. The team's server is usually on the city's network, not on the
workstation, so:

- a server on this machine (``localhost``, a loopback address, a Unix socket) keeps libpq's
  default: no one is on the path;
- any other server gets ``sslmode=verify-full`` (encrypted, certificate chain checked, host name
  checked) when the DSN (or ``PGSSLMODE``) says nothing; the root certificates are
  ``sslrootcert`` from the DSN or ``PGSSLROOTCERT``, else libpq's ``~/.postgresql/root.crt``,
  else the system's store (``sslrootcert=system``, libpq >= 16);
- a weaker mode given explicitly (``disable``, ``allow``, ``prefer``, ``require``,
  ``verify-ca``) to such a server is refused (``TeamInsecure``) unless the member chose it
  knowingly (``allow_unverified``, ``team join/init --allow-unverified-tls``), e.g. behind a
  trusted tunnel.

"Another machine" is decided on the names given, without resolving them (a DNS answer is no
proof): every ``host`` and ``hostaddr`` must be loopback for the connection to count as local,
and a ``service`` entry without a host counts as remote (its host is in a file we do not read).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path

from paris_desk.store.team.errors import TeamInsecure

SAFE_MODE = "verify-full"
SYSTEM_ROOTS = 160000  # libpq 16 knows sslrootcert=system (psycopg[binary] 3.3 ships 18)


def secured(conninfo: str, *, allow_unverified: bool = False,
            environ: Mapping[str, str] | None = None) -> str:
    """``conninfo`` as it should be used: unchanged for a local server or an explicit
    ``verify-full``; with ``sslmode=verify-full`` added for a remote one that says nothing.
    ``TeamInsecure`` for a remote server with a weaker explicit mode (unless
    ``allow_unverified``); ``ValueError`` when ``conninfo`` cannot be parsed."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    env = os.environ if environ is None else environ
    try:
        params = {k: str(v) for k, v in conninfo_to_dict(conninfo).items() if v is not None}
    except psycopg.ProgrammingError as exc:
        raise ValueError(str(exc)) from exc
    remote = remote_hosts(params, env)
    if not remote:
        return conninfo
    mode = params.get("sslmode") or env.get("PGSSLMODE", "")
    if not mode:
        params["sslmode"] = SAFE_MODE
        if not (params.get("sslrootcert") or env.get("PGSSLROOTCERT")
                or _default_root_cert().is_file()) and psycopg.pq.version() >= SYSTEM_ROOTS:
            params["sslrootcert"] = "system"  # older libpq: its own default file, or an error
        return make_conninfo(**params)
    if mode != SAFE_MODE and not allow_unverified:
        raise TeamInsecure(remote[0], mode)
    return conninfo


def remote_hosts(params: Mapping[str, str], environ: Mapping[str, str]) -> list[str]:
    """The hosts (or host addresses) of ``params`` that are not this machine; ``["service
    NAME"]`` for a service entry with no host given."""
    hosts = _split(params.get("host", environ.get("PGHOST", "")))
    addrs = _split(params.get("hostaddr", environ.get("PGHOSTADDR", "")))
    if not any(hosts) and not any(addrs) and (params.get("service")
                                              or environ.get("PGSERVICE")):
        return [f"service {params.get('service') or environ.get('PGSERVICE')}"]
    return [h for h in (*hosts, *addrs) if h and not is_local(h)]


def is_local(host: str) -> bool:
    """A Unix socket directory, ``localhost`` or a loopback address."""
    if host.startswith(("/", "@")) or host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",")] if value else []


def _default_root_cert() -> Path:
    """libpq's own default for ``sslrootcert``."""
    if os.name == "nt":
        return Path(os.environ.get("APPDATA", "")) / "postgresql" / "root.crt"
    return Path.home() / ".postgresql" / "root.crt"
