"""The session of one account, its refresh-once rule (API_NOTES §0.4, §2.1), and the calls made
with it: plain XRPC for reads (``query``/``procedure``), the SDK for writes (``call``).

The secret kept in the keychain is the SDK's session string
(``handle:::did:::accessJwt:::refreshJwt:::pds``). It holds two JWTs: it is never logged.
Refresh tokens are single-use, so every new session string is handed to ``save_secret`` at once.

This module does not import the SDK. The session lives here, not in the SDK's client: it is
refreshed here as the SDK does it (``refreshSession`` with the refresh JWT, proactively when the
access JWT expires within 16 minutes by the local clock, and once more on ``ExpiredToken``; the
PDS named by the answer's DID document becomes the base URL). The SDK client is made at the first
write, and re-imports the session string whenever it changed here. The SDK renews by itself
within 15 minutes: one minute earlier here, the session it gets is never one it would renew too
(a refresh token is single-use: two renewals racing, one of them fails and signs the account
out). A renewal the SDK makes all the same (``ExpiredToken`` inside a call) comes back through
``on_session_change``.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import requests

from paris_desk.core.errors import AuthExpired, ServerError
from paris_desk.core.model import Account
from paris_desk.core.urls import InsecureTransport, check_credential_url

from .errors import NETWORK, is_expired_token, sdk_caught, translate, translate_refresh
from .xrpc import Xrpc, XrpcError

if TYPE_CHECKING:
    from atproto_client import Client
    from atproto_client.client.session import Session, SessionEvent

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

REQUEST_TIMEOUT = 20.0  # seconds; httpx's default 5 s is too short for blob uploads
REFRESH_MARGIN_S = 16 * 60  # refresh when the access JWT expires within this (the SDK: 15)
DEFAULT_PDS = "https://bsky.social"  # the SDK's, for 4-field session strings
_SEPARATOR = ":::"
# What a plain XRPC call raises: the server's answer, or requests' network failures.
PLAIN_CAUGHT: tuple[type[BaseException], ...] = (XrpcError, requests.RequestException)


@dataclass(frozen=True, slots=True)
class Credentials:
    """One session, as the SDK's ``Session``. ``repr`` shows no JWT."""

    handle: str
    did: str
    access_jwt: str
    refresh_jwt: str
    pds_endpoint: str

    def __repr__(self) -> str:
        return f"<Credentials handle={self.handle} did={self.did}>"

    def export(self) -> str:
        """The session string, readable by the SDK's ``Session.decode``."""
        return _SEPARATOR.join((self.handle, self.did, self.access_jwt, self.refresh_jwt,
                                self.pds_endpoint))

    def expires_at(self) -> int | None:
        return jwt_expiry(self.access_jwt)


def jwt_expiry(jwt: str) -> int | None:
    """``exp`` of a JWT's payload (not verified: only the server can), None when unreadable."""
    try:
        payload = jwt.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, binascii.Error):
        return None
    exp = data.get("exp") if isinstance(data, dict) else None
    return exp if type(exp) is int else None


def decode_secret(secret: str) -> Credentials:
    """The stored session string, checked enough that no call will choke on it later."""
    fields = secret.split(_SEPARATOR)
    if len(fields) == 4:  # the SDK's old form, without the PDS
        fields.append(DEFAULT_PDS)
    if len(fields) != 5:
        raise AuthExpired("stored session unreadable", network=NETWORK)
    session = Credentials(*fields)
    if session.expires_at() is None or not session.did:
        raise AuthExpired("stored session unreadable", network=NETWORK)
    return session


def pds_url(endpoint: str | None) -> str:
    """The PDS origin as stored in ``Account.base_url`` (no trailing ``/xrpc``)."""
    return (endpoint or "").rstrip("/").removesuffix("/xrpc")


def pds_of_did_doc(doc: object, did: str) -> str:
    """The ``#atproto_pds`` service endpoint of a DID document (as the SDK's
    ``DidDocument.get_pds_endpoint``), or "" when there is none."""
    services = doc.get("service") if isinstance(doc, dict) else None
    for service in services if isinstance(services, list) else ():
        if not isinstance(service, dict):
            continue
        ids = ("#atproto_pds", f"{did}#atproto_pds")
        endpoint = service.get("serviceEndpoint")
        if (service.get("id") in ids and service.get("type") == "AtprotoPersonalDataServer"
                and isinstance(endpoint, str) and endpoint.startswith(("http://", "https://"))):
            return endpoint
    return ""


class SessionCaller:
    """Runs calls for one account: translates errors, and on ``ExpiredToken`` refreshes the
    session once and retries the call once. A refused refresh is ``AuthExpired``."""

    def __init__(self, account: Account, secret: str, save_secret: Callable[[str], None], *,
                 timeout: float = REQUEST_TIMEOUT) -> None:
        self.account = account
        self._session = decode_secret(secret)
        self.did = self._session.did
        check_credential_url(self.base_url, account_id=account.id, network=NETWORK)
        self._save_secret = save_secret
        self._timeout = timeout
        self._http = Xrpc(timeout)
        # Reentrant: the SDK's session callback runs inside ``client``, under this lock.
        self._lock = threading.RLock()
        self._generation = 0  # bumped on every new session
        self._client: Client | None = None
        self._client_generation = -1
        self._refused_pds = ""  # a renewed session named a PDS in clear: nothing goes out

    @property
    def base_url(self) -> str:
        return pds_url(self._session.pds_endpoint) or pds_url(self.account.base_url)

    # -- plain XRPC (reads) -----------------------------------------------------------------
    def query(self, nsid: str, params: dict[str, Any] | None = None) -> Any:
        """``GET`` an XRPC query; its JSON answer."""
        return self._plain(lambda token: self._http.query(self.base_url, nsid, params, token))

    def procedure(self, nsid: str, body: dict[str, Any] | None = None) -> Any:
        """``POST`` an XRPC procedure with a JSON body; its JSON answer (None when empty)."""
        return self._plain(
            lambda token: self._http.procedure(self.base_url, nsid, body, token))

    def _plain(self, send: Callable[[str], T]) -> T:
        generation = self._fresh()
        try:
            return send(self._session.access_jwt)
        except PLAIN_CAUGHT as exc:
            if not is_expired_token(exc):
                raise translate(exc, self.account.id) from exc
        self.refresh(generation)
        try:
            return send(self._session.access_jwt)
        except PLAIN_CAUGHT as exc:
            raise translate(exc, self.account.id) from exc

    # -- the SDK (writes) -------------------------------------------------------------------
    @property
    def client(self) -> Client:
        """The SDK's client, holding the current session (made at first use: imports it)."""
        with self._lock:
            if self._client is None:
                from .signin import new_client

                self._client = new_client(self.base_url, self._timeout)
                self._client.on_session_change(self._on_session_change)
            if self._client_generation != self._generation:
                self._client_generation = self._generation
                self._client.login(session_string=self._session.export(),
                                   fetch_bsky_profile=False)
            return self._client

    def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """An SDK call (``fn`` a method of ``client``), with the refresh-once rule."""
        caught = sdk_caught()
        generation = self._fresh()
        self.client  # noqa: B018 (hands a session renewed since ``fn`` was bound to the SDK)
        try:
            return fn(*args, **kwargs)
        except caught as exc:
            if not is_expired_token(exc):
                raise translate(exc, self.account.id) from exc
        self.refresh(generation)
        self.client  # noqa: B018 (the same: the renewed session, to the same client object)
        try:
            return fn(*args, **kwargs)
        except caught as exc:
            raise translate(exc, self.account.id) from exc

    def _on_session_change(self, event: SessionEvent, session: Session) -> None:
        # Runs inside the SDK, on the calling thread; the session copy holds JWTs: not logged.
        if event.value not in ("create", "refresh"):
            return  # our own import
        renewed = Credentials(session.handle, session.did, session.access_jwt,
                              session.refresh_jwt, session.pds_endpoint or DEFAULT_PDS)
        with self._lock:
            self._adopt(renewed, f"{event.value} by the SDK")
            self._client_generation = self._generation

    # -- the session ------------------------------------------------------------------------
    def _fresh(self) -> int:
        """Refresh first when the access JWT is about to expire; the session's generation."""
        with self._lock:
            if self._refused_pds:
                raise InsecureTransport(self._refused_pds, account_id=self.account.id,
                                        network=NETWORK)
            expires = self._session.expires_at()
            if expires is None or time.time() > expires - REFRESH_MARGIN_S:
                self._refresh_locked()
            return self._generation

    def refresh(self, seen_generation: int | None = None) -> None:
        """Refresh the session, unless another call did since ``seen_generation``."""
        with self._lock:
            if seen_generation is not None and seen_generation != self._generation:
                return
            self._refresh_locked()

    def _refresh_locked(self) -> None:
        old = self._session
        try:
            answer = self._http.procedure(self.base_url, "com.atproto.server.refreshSession",
                                          None, old.refresh_jwt)
        except PLAIN_CAUGHT as exc:
            raise translate_refresh(exc, self.account.id) from exc
        fields = answer if isinstance(answer, dict) else {}
        access, refresh = fields.get("accessJwt"), fields.get("refreshJwt")
        if not isinstance(access, str) or not isinstance(refresh, str):
            raise ServerError("refreshSession: unexpected answer", account_id=self.account.id,
                              network=NETWORK)
        did = str(fields.get("did") or old.did)
        pds = pds_of_did_doc(fields.get("didDoc"), did) or old.pds_endpoint
        self._adopt(Credentials(str(fields.get("handle") or old.handle), did, access, refresh,
                                pds), "refresh")

    def _adopt(self, session: Credentials, how: str) -> None:
        # A refreshed session may name another PDS (its DID document): refuse plain http
        # there before the new session is saved or used, and from then on send nothing (the
        # server says the account moved there; the user signs in again).
        try:
            check_credential_url(session.pds_endpoint, account_id=self.account.id,
                                 network=NETWORK)
        except InsecureTransport as exc:
            self._refused_pds = exc.url
            raise
        self._session = session
        self.did = session.did
        self._generation += 1
        log.info("session of %s renewed (%s)", self.account.handle, how)
        self._save_secret(session.export())

    def delete_session(self) -> None:
        """End the session on the server (``deleteSession``, authenticated by the refresh
        token): it can no longer be renewed, and the PDS forgets it. A session the server no
        longer knows is already ended: not an error."""
        with self._lock:
            try:
                self._http.procedure(self.base_url, "com.atproto.server.deleteSession", None,
                                     self._session.refresh_jwt)
            except PLAIN_CAUGHT as exc:
                error = translate(exc, self.account.id)
                if not isinstance(error, AuthExpired):
                    raise error from exc
                log.info("session of %s was already ended", self.account.handle)
                return
        log.info("session of %s ended", self.account.handle)
