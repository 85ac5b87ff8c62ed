"""Sign-in with an app password, on the atproto SDK (API_NOTES §2.1, §2.2): imports it, so
``channels.bluesky`` imports this module only when someone signs in or writes.

Never logged: the password, the session string, ``str(session)`` (both JWTs).
"""

from __future__ import annotations

import logging

import httpx
from atproto_client import Client
from atproto_client.client.session import Session
from atproto_client.request import Request

from paris_desk.core.errors import ChannelError, NotFound
from paris_desk.core.model import Account, Network
from paris_desk.core.urls import check_credential_url

from .errors import NETWORK, sdk_caught, translate_login
from .identity import normalize_handle, resolve_service
from .session import REQUEST_TIMEOUT, pds_url

log = logging.getLogger(__name__)


def new_client(service: str, timeout: float = REQUEST_TIMEOUT) -> Client:
    """A client for one PDS. Every request it sends, redirects included, carries a password or
    a session, so each must pass the transport rule (``core.urls``): ``InsecureTransport``
    before any connection otherwise."""
    check_credential_url(service, network=NETWORK)
    hooks = {"request": [_refuse_insecure_request]}
    return Client(base_url=service, request=Request(timeout=timeout, event_hooks=hooks))


def _refuse_insecure_request(request: httpx.Request) -> None:
    """httpx hook, run before each request is sent (and before each redirect is followed)."""
    check_credential_url(str(request.url), network=NETWORK)


def login(identifier: str, password: str, service: str | None = None,
          auth_factor_token: str | None = None, *,
          timeout: float = REQUEST_TIMEOUT) -> tuple[Account, str]:
    """Create a session; returns the account and the secret (the session string).

    Raises ``BadCredentials``, ``AuthFactorRequired`` (a code was e-mailed: call again with
    ``auth_factor_token``), ``NotFound`` (handle or server), ``Unreachable``, ``RateLimited``.
    """
    ident = identifier.strip().removeprefix("@")
    if "@" not in ident:
        ident = normalize_handle(ident)
    if service is None:
        if "@" in ident:
            raise NotFound("an e-mail address does not say which server hosts the account: "
                           "give the server (PDS) address", network=NETWORK)
        service = resolve_service(ident)
    client = new_client(service, timeout)
    created: list[Session] = []
    client.on_session_change(lambda _event, session: created.append(session))
    try:
        client.login(ident, password, auth_factor_token=auth_factor_token or None,
                     fetch_bsky_profile=False)
    except sdk_caught() as exc:
        client.request.close()
        raise translate_login(exc) from exc
    session = created[-1]
    try:  # the PDS named by the DID document the server returned, where the session goes next
        check_credential_url(pds_url(session.pds_endpoint) or service, network=NETWORK)
    except ChannelError:
        client.request.close()
        raise
    account = Account(
        id=Account.make_id(Network.BLUESKY, session.handle),
        network=Network.BLUESKY,
        handle=session.handle,
        base_url=pds_url(session.pds_endpoint) or pds_url(service),
        user_id=session.did,
        display_name=display_name(client, session.did),
    )
    log.info("signed in %s@%s", account.handle, account.base_url)
    return account, client.export_session_string()


def display_name(client: Client, did: str) -> str:
    """The profile's display name, or "" when the server has no AppView (a bare PDS answers
    502/404) or the lookup fails: it is a nicety, never a reason to fail a sign-in."""
    try:
        profile = client.app.bsky.actor.get_profile({"actor": did})
    except sdk_caught() as exc:
        log.info("no profile for %s: %s", did, type(exc).__name__)
        return ""
    return profile.display_name or ""
