"""Sessions as the reference PDS issues them: HS256 JWTs, single-use refresh tokens.

Access token: header ``{"typ": "at+jwt", "alg": "HS256"}``, claims ``scope`` (``com.atproto.access``
for the main password, ``com.atproto.appPass`` for an app password), ``sub`` (DID), ``aud`` (the
service DID), ``iat``, ``exp``, and a ``jti`` the sandbox remembers so that it can expire every
live token at once. Refresh token: ``typ`` ``refresh+jwt``, scope
``com.atproto.refresh``, a ``jti`` remembered server side. Rotating a refresh token gives the
replaced one a grace period (2 h on the PDS) and reusing it inside that window yields the same
next id, as ``account-manager.ts`` ``rotateRefreshToken`` does.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from paris_desk.sandbox.bluesky.xrpc import invalid

ACCESS_SCOPE = "com.atproto.access"
APP_PASS_SCOPE = "com.atproto.appPass"
REFRESH_SCOPE = "com.atproto.refresh"


@dataclass
class RefreshEntry:
    did: str
    scope: str  # the access scope this chain hands out
    expires_at: float
    next_id: str | None = None


@dataclass(frozen=True)
class Credentials:
    did: str
    scope: str
    token_id: str = ""  # jti of a refresh token


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenAuthority:
    """Mints and checks tokens. Not thread-safe by itself: the server holds its lock."""

    def __init__(self, service_did: str) -> None:
        self.service_did = service_did
        self._key = secrets.token_bytes(32)  # tokens never outlive the server that signed them
        self.access_ttl = 7200
        self.refresh_ttl = 90 * 86400
        self.refresh_grace = 7200
        self._refresh: dict[str, RefreshEntry] = {}
        self._live_access: dict[str, str] = {}  # jti of each live access token -> DID

    # -- minting ---------------------------------------------------------------------------
    def _sign(self, header: dict[str, Any], claims: dict[str, Any]) -> str:
        head = _b64(json.dumps(header, separators=(",", ":")).encode())
        payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
        mac = hmac.new(self._key, f"{head}.{payload}".encode(), hashlib.sha256).digest()
        return f"{head}.{payload}.{_b64(mac)}"

    def _access(self, did: str, scope: str) -> str:
        issued = int(time.time())
        jti = secrets.token_urlsafe(12)
        self._live_access[jti] = did
        claims = {"scope": scope, "aud": self.service_did, "sub": did, "jti": jti,
                  "iat": issued, "exp": issued + self.access_ttl}
        return self._sign({"typ": "at+jwt", "alg": "HS256"}, claims)

    def _refresh_token(self, did: str, jti: str) -> str:
        issued = int(time.time())
        claims = {"scope": REFRESH_SCOPE, "aud": self.service_did, "sub": did, "jti": jti,
                  "iat": issued, "exp": issued + self.refresh_ttl}
        return self._sign({"typ": "refresh+jwt", "alg": "HS256"}, claims)

    def issue(self, did: str, scope: str) -> tuple[str, str]:
        jti = secrets.token_urlsafe(24)
        self._refresh[jti] = RefreshEntry(did, scope, time.time() + self.refresh_ttl)
        return self._access(did, scope), self._refresh_token(did, jti)

    # -- checking --------------------------------------------------------------------------
    def _decode(self, token: str, typ: str) -> dict[str, Any]:
        try:
            head, payload, sig = token.split(".")
            header = json.loads(_unb64(head))
            claims = json.loads(_unb64(payload))
            given = _unb64(sig)
        except (ValueError, UnicodeDecodeError):
            raise invalid("Token could not be verified", "InvalidToken") from None
        mac = hmac.new(self._key, f"{head}.{payload}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(mac, given) or not isinstance(claims, dict):
            raise invalid("Token could not be verified", "InvalidToken")
        if not isinstance(header, dict) or header.get("typ") != typ:
            raise invalid("Token could not be verified", "InvalidToken")
        if int(claims.get("exp", 0)) <= time.time():
            raise invalid("Token has expired", "ExpiredToken")
        return claims

    def check_access(self, token: str) -> Credentials:
        claims = self._decode(token, "at+jwt")
        did = str(claims.get("sub", ""))
        if self._live_access.get(str(claims.get("jti", ""))) != did:
            raise invalid("Token has expired", "ExpiredToken")
        scope = str(claims.get("scope", ""))
        if scope not in (ACCESS_SCOPE, APP_PASS_SCOPE):
            raise invalid("Bad token scope", "InvalidToken")
        return Credentials(did, scope)

    def check_refresh(self, token: str) -> Credentials:
        claims = self._decode(token, "refresh+jwt")
        if claims.get("scope") != REFRESH_SCOPE:
            raise invalid("Bad token scope", "InvalidToken")
        return Credentials(str(claims.get("sub", "")), REFRESH_SCOPE, str(claims.get("jti", "")))

    # -- life cycle ------------------------------------------------------------------------
    def rotate(self, creds: Credentials) -> tuple[str, str]:
        entry = self._refresh.get(creds.token_id)
        current = time.time()
        if entry is None or entry.expires_at <= current:
            raise invalid("Token has been revoked", "ExpiredToken")
        entry.expires_at = min(entry.expires_at, current + self.refresh_grace)
        if entry.next_id is None:
            entry.next_id = secrets.token_urlsafe(24)
        if entry.next_id not in self._refresh:
            self._refresh[entry.next_id] = RefreshEntry(entry.did, entry.scope,
                                                        current + self.refresh_ttl)
        return self._access(entry.did, entry.scope), self._refresh_token(entry.did, entry.next_id)

    def delete(self, creds: Credentials) -> None:
        entry = self._refresh.pop(creds.token_id, None)
        while entry is not None and entry.next_id:
            entry = self._refresh.pop(entry.next_id, None)

    def expire_access(self, did: str | None = None) -> None:
        """Every access token issued so far (for ``did``, or everyone) now answers ExpiredToken."""
        for jti, owner in list(self._live_access.items()):
            if did is None or owner == did:
                del self._live_access[jti]

    def revoke(self, did: str) -> None:
        """Kill every session of ``did``: access tokens expire, refresh tokens are forgotten."""
        self.expire_access(did)
        for jti in [j for j, e in self._refresh.items() if e.did == did]:
            del self._refresh[jti]
