"""Handle → DID → DID document → PDS endpoint (API_NOTES §2.3), with a timeout on every step.

``resolve_service`` runs at sign-in only and imports the SDK's resolver (``atproto_identity``,
pydantic) when called; ``normalize_handle`` is pure.
"""

from __future__ import annotations

from paris_desk.channels import transport
from paris_desk.core.errors import NotFound, Unreachable
from paris_desk.core.urls import check_credential_url

from .errors import NETWORK


def normalize_handle(identifier: str) -> str:
    """``@Ville.Example.com `` → ``ville.example.com`` (handles are case-insensitive)."""
    handle = identifier.strip().removeprefix("@")
    return handle if handle.startswith("did:") else handle.lower()


def resolve_service(handle: str, timeout: float = 5.0, *, plc_url: str | None = None) -> str:
    """The PDS URL that hosts ``handle`` (or a DID). Raises ``NotFound`` or ``Unreachable``.

    The handle resolver answers None both for "no such handle" and for a DNS/HTTPS failure, so
    an unresolvable handle is ``NotFound``; a DID directory that cannot be reached is
    ``Unreachable``. A PDS on plain ``http://`` (not loopback) is ``InsecureTransport``: the
    password would go there next. ``plc_url``: another DID PLC directory (tests).
    """
    from atproto_identity.exceptions import (
        DidPlcResolverError,
        DidWebResolverError,
        PoorlyFormattedDidDocumentError,
        PoorlyFormattedDidError,
        UnsupportedDidMethodError,
        UnsupportedDidWebPathError,
    )
    from atproto_identity.resolver import IdResolver

    bad_did = (PoorlyFormattedDidError, UnsupportedDidMethodError, UnsupportedDidWebPathError,
               PoorlyFormattedDidDocumentError, ValueError)  # ValueError: not JSON
    handle = normalize_handle(handle)
    resolver = IdResolver(timeout=timeout, plc_url=plc_url)
    did = handle if handle.startswith("did:") else resolver.handle.resolve(handle)
    if not did:
        raise NotFound(f"handle {handle} does not resolve to a DID", network=NETWORK)
    try:
        doc = resolver.did.resolve(did)
    except (DidPlcResolverError, DidWebResolverError) as exc:
        typed = transport.network_failure(exc, network=NETWORK)  # certificate, proxy 407
        if typed is not None:
            raise typed from exc
        raise Unreachable(f"DID directory unreachable for {did}", network=NETWORK) from exc
    except bad_did as exc:
        raise NotFound(f"unusable DID document for {did}", network=NETWORK) from exc
    pds = doc.get_pds_endpoint() if doc is not None else None
    if not pds:
        raise NotFound(f"no PDS in the DID document of {did}", network=NETWORK)
    check_credential_url(str(pds), network=NETWORK)
    return str(pds).rstrip("/")
