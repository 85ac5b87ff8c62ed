"""Sign-in, session import and the refresh-once rule (API_NOTES §0.4, §2.1, §2.2).

The secret kept in the keychain is the SDK's session string
(``handle:::did:::accessJwt:::refreshJwt:::pds``). It holds two JWTs: it is never logged, and
neither is ``str(session)``. Refresh tokens are single-use, so every new session string is
handed to ``save_secret`` at once, from the SDK's ``on_session_change``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import httpx
from atproto_client import Client
from atproto_client.client.session import Session, SessionEvent
from atproto_client.request import Request
from atproto_core.exceptions import AtProtocolError

from paris_desk.core.errors import AuthExpired, ChannelError, NotFound
from paris_desk.core.model import Account, Network
from paris_desk.core.urls import check_credential_url

from .errors import CAUGHT, NETWORK, is_expired_token, translate, translate_login, translate_refresh
from .identity import normalize_handle, resolve_service

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

REQUEST_TIMEOUT = 20.0  # seconds; httpx's default 5 s is too short for blob uploads


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


def pds_url(endpoint: str | None) -> str:
    """The PDS origin as stored in ``Account.base_url`` (no trailing ``/xrpc``)."""
    return (endpoint or "").rstrip("/").removesuffix("/xrpc")


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
    except CAUGHT as exc:
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
    except CAUGHT as exc:
        log.info("no profile for %s: %s", did, type(exc).__name__)
        return ""
    return profile.display_name or ""


def decode_secret(secret: str) -> Session:
    """The stored session string, checked enough that the SDK will not choke on it later."""
    try:
        session = Session.decode(secret)
        payload = session.access_jwt_payload
    except (ValueError, AtProtocolError) as exc:
        raise AuthExpired("stored session unreadable", network=NETWORK) from exc
    if payload.exp is None or not session.did:
        raise AuthExpired("stored session unreadable", network=NETWORK)
    return session


class SessionCaller:
    """Runs SDK calls for one account: translates errors, and on ``ExpiredToken`` refreshes the
    session once and retries the call once. A refused refresh is ``AuthExpired``."""

    def __init__(self, client: Client, account: Account,
                 save_secret: Callable[[str], None]) -> None:
        self.client = client
        self.account = account
        self.did = account.user_id
        self._save_secret = save_secret
        self._lock = threading.Lock()
        self._generation = 0  # bumped on every new session, proactive SDK refreshes included
        client.on_session_change(self._on_session_change)

    def import_secret(self, secret: str) -> None:
        """Load the session string; no network (the SDK refreshes later if it is near expiry)."""
        session = decode_secret(secret)
        self.client.login(session_string=secret, fetch_bsky_profile=False)
        self.did = session.did

    def _on_session_change(self, event: SessionEvent, session: Session) -> None:
        # Runs inside the SDK, on the calling thread; the session copy holds JWTs: not logged.
        # A refreshed session may name another PDS (its DID document): refuse plain http there
        # before the new session is saved or used (the request hook is the second net).
        if session.pds_endpoint:
            check_credential_url(
                session.pds_endpoint, account_id=self.account.id, network=NETWORK
            )
        self.did = session.did
        if event in (SessionEvent.CREATE, SessionEvent.REFRESH):
            self._generation += 1
            log.info("session of %s renewed (%s)", self.account.handle, event.value)
            self._save_secret(self.client.export_session_string())

    def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        generation = self._generation
        try:
            return fn(*args, **kwargs)
        except CAUGHT as exc:
            if not is_expired_token(exc):
                raise translate(exc, self.account.id) from exc
        self.refresh(generation)
        try:
            return fn(*args, **kwargs)
        except CAUGHT as exc:
            raise translate(exc, self.account.id) from exc

    def delete_session(self) -> None:
        """End the session on the server (``deleteSession``, authenticated by the refresh
        token): it can no longer be renewed, and the PDS forgets it. A session the server no
        longer knows is already ended: not an error."""
        with self._lock:
            refresh_jwt = Session.decode(self.client.export_session_string()).refresh_jwt
            try:
                # The refresh token, not the access token, and no proactive refresh first.
                self.client.com.atproto.server.delete_session(
                    headers={"Authorization": f"Bearer {refresh_jwt}"}, ignore_session_check=True
                )
            except CAUGHT as exc:
                error = translate(exc, self.account.id)
                if not isinstance(error, AuthExpired):
                    raise error from exc
                log.info("session of %s was already ended", self.account.handle)
                return
        log.info("session of %s ended", self.account.handle)

    def refresh(self, seen_generation: int | None = None) -> None:
        """Refresh the session, unless another call did since ``seen_generation``."""
        with self._lock:
            if seen_generation is not None and seen_generation != self._generation:
                return
            try:
                # The SDK's only refresh path (it refreshes proactively by the local clock only).
                self.client._refresh_and_set_session()
            except CAUGHT as exc:
                raise translate_refresh(exc, self.account.id) from exc
