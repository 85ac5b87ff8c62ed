"""Which URLs may carry a credential: the transport rule of issue 13 (pure, no I/O).

A token, password, session or OAuth secret travels only over ``https://``, or over plain
``http://`` to the loopback test servers (the sandbox): the host ``localhost`` or a loopback IP
*literal* (``127.0.0.0/8``, ``::1``). A name that merely resolves to 127.0.0.1 does not count:
DNS can be made to say anything, and a proxy (``HTTP_PROXY``) would see the request in clear.

Call :func:`check_credential_url` wherever a base URL is accepted (sign-in, restoring an
account, a PDS learned from a DID document or a session) and on every redirect of a client that
carries a credential (the SDK hooks in ``channels``): it raises :class:`InsecureTransport`
before any connection is made.
"""

from __future__ import annotations

from ipaddress import ip_address
from urllib.parse import urlsplit

from paris_desk.core.errors import Rejected

LOOPBACK_NAMES = frozenset({"localhost"})


class InsecureTransport(Rejected):
    """A credential would travel in clear (``http://`` to a non-loopback host): refused before
    any connection, and not retried as is (hence ``Rejected``). ``url`` is the refused address
    (without user info, path or query)."""

    def __init__(self, url: str, *, account_id: str = "", network: str = "") -> None:
        self.url = origin(url)
        super().__init__(
            f"refused to send credentials in clear to {self.url}",
            account_id=account_id,
            network=network,
        )


def origin(url: str) -> str:
    """``scheme://host[:port]`` of ``url`` (what an error message may show)."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return url.strip()[:80]
    shown = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{shown}" + (f":{port}" if port else "")


def is_loopback_host(host: str) -> bool:
    """``localhost`` or a loopback IP literal (``127.x.y.z``, ``::1``; brackets allowed).

    No resolution: ``my-box.test`` is not loopback even if it resolves to 127.0.0.1, and
    neither is an IPv4-mapped ``::ffff:127.0.0.1``.
    """
    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def is_loopback_url(url: str) -> bool:
    try:
        return is_loopback_host(urlsplit(url.strip()).hostname or "")
    except ValueError:
        return False


def credentials_allowed(url: str) -> bool:
    """True when a credential may be sent to ``url`` (https, or http to loopback)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme == "https":
        return True
    return scheme == "http" and is_loopback_url(url)


def check_credential_url(url: str, *, account_id: str = "", network: str = "") -> None:
    """Raise :class:`InsecureTransport` unless a credential may be sent to ``url``."""
    if not credentials_allowed(url):
        raise InsecureTransport(url, account_id=account_id, network=network)


def insecure_in(exc: BaseException | None) -> InsecureTransport | None:
    """The :class:`InsecureTransport` an SDK wrapped (its ``__cause__``/``__context__``
    chain), so the adapters can re-raise it instead of "server unreachable"."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, InsecureTransport):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None
