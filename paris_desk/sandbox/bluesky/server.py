"""The Bluesky sandbox: one local server playing the PDS (sessions, records, blobs) and the
AppView (timelines, threads, notifications, profiles) for its own accounts.

Behaviour mirrors ``@atproto/pds`` 0.5.x where it matters to a client: error names and
messages, token shapes and lifetimes, a duplicate rkey answering 500, lexicon limits checked
on write, blobs sniffed and capped. See API_NOTES.md section 2 and 5.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import random
import re
from datetime import datetime, timedelta
from typing import Any

from paris_desk.sandbox.bluesky.appview import AppView
from paris_desk.sandbox.bluesky.preferences import Preferences
from paris_desk.sandbox.bluesky.records import RepoApi
from paris_desk.sandbox.bluesky.repo import FOLLOW, PROFILE, Account, Record, RepoState
from paris_desk.sandbox.bluesky.seed import HANDLE_SUFFIX, Seeder, app_password, did_for
from paris_desk.sandbox.bluesky.tokens import (
    ACCESS_SCOPE,
    APP_PASS_SCOPE,
    Credentials,
    TokenAuthority,
)
from paris_desk.sandbox.bluesky.xrpc import XrpcError, body, iso, now, required, tid_for
from paris_desk.sandbox.http import Request, Response, SandboxServer

SERVICE_DID = "did:web:pds.sandbox.test"
XRPC = "/xrpc/"


class BlueskySandbox(SandboxServer):
    """``BlueskySandbox(port=0, latency_ms=0, seed=0).start()``; then ``base_url``.

    Test helpers: ``accounts`` (city accounts: handle, did, password = app password,
    main_password, email), ``authors``, ``records()``, ``blob()``, ``expire_access_tokens()``,
    ``revoke_sessions()``, ``require_auth_factor()``, ``seen_at()``, ``reports``, ``mutes``,
    ``blocks``, ``preferences()``; limits ``access_ttl``, ``blob_upload_limit``.
    """

    name = "bluesky"

    def __init__(self, port: int = 0, latency_ms: int = 0, seed: int = 0,
                 anchor: datetime | None = None) -> None:
        super().__init__(port, latency_ms, seed)
        self.state = RepoState()
        self.tokens = TokenAuthority(SERVICE_DID)
        self.blob_upload_limit = 5 * 1024 * 1024
        self._auth_factor: dict[str, str] = {}
        self.prefs = Preferences(self)
        seeder = Seeder(self.state, seed, (anchor or now()).replace(microsecond=0))
        seeder.run()
        self.accounts = [self._describe(self.state.accounts[d]) for d in seeder.city]
        self.authors = [self._describe(self.state.accounts[d]) for d in seeder.authors]
        if seeder.city:  # one account has read part of its notifications, the other never
            self.state.seen[seeder.city[0]] = seeder.anchor - timedelta(days=2)
        self._routes_xrpc()

    def _routes_xrpc(self) -> None:
        own = [
            ("GET", "com.atproto.server.describeServer", self._describe_server),
            ("POST", "com.atproto.server.createSession", self._create_session),
            ("POST", "com.atproto.server.refreshSession", self._refresh_session),
            ("GET", "com.atproto.server.getSession", self._get_session),
            ("POST", "com.atproto.server.deleteSession", self._delete_session),
            ("GET", "com.atproto.identity.resolveHandle", self._resolve_handle),
            ("GET", "com.atproto.repo.describeRepo", self._describe_repo),
            ("POST", "com.atproto.moderation.createReport", self._create_report),
            ("GET", "_health", lambda req: Response(200, {"version": "0.5.35-sandbox"})),
        ]
        routes = own + RepoApi(self).routes() + self.prefs.routes() + AppView(self).routes()
        for method, nsid, handler in routes:
            self.route(method, re.escape(XRPC + nsid), handler)
        self.route("GET", r"/img/(?P<preset>[a-z_]+)/plain/(?P<did>[^/]+)/(?P<cid>[a-z0-9]+)"
                          r"@(?P<ext>[a-z]+)", self._cdn_image)

    # -- plumbing --------------------------------------------------------------------------
    def dispatch(self, req: Request) -> Response:
        with self.lock:
            try:
                return super().dispatch(req)
            except XrpcError as exc:
                return exc.response()

    def not_found(self, req: Request, method_mismatch: bool) -> Response:
        if not req.path.startswith(XRPC):
            return Response(404, {"error": "NotFound", "message": "Not Found"})
        if method_mismatch:
            expected = "GET" if req.method != "GET" else "POST"
            return XrpcError(400, "InvalidRequest",
                             f"Incorrect HTTP method ({req.method}) expected {expected}"
                             ).response()
        return XrpcError(501, "MethodNotImplemented", "Method Not Implemented").response()

    def account_of(self, req: Request) -> str:
        token = req.header("authorization").removeprefix("Bearer ").strip()
        try:
            payload = token.split(".")[1]
            sub = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]
        except (IndexError, ValueError, KeyError, TypeError):
            return ""
        account = self.state.accounts.get(str(sub))
        return account.handle if account else ""

    def _bearer(self, req: Request) -> str:
        header = req.header("authorization")
        if not header:
            raise XrpcError(401, "AuthMissing", "Authentication Required")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise XrpcError(401, "AuthenticationRequired", "Unexpected authorization type")
        return token.strip()

    def authenticate(self, req: Request) -> Credentials:
        """The access token's credentials, or the PDS's 400/401 error."""
        creds = self.tokens.check_access(self._bearer(req))
        if creds.did not in self.state.accounts:
            raise XrpcError(403, "AccountNotFound", "Account not found")
        return creds

    # -- sessions --------------------------------------------------------------------------
    def _did_doc(self, account: Account) -> dict[str, Any]:
        key = hashlib.sha256(account.did.encode()).hexdigest()[:44]
        return {
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1",
                         "https://w3id.org/security/suites/secp256k1-2019/v1"],
            "id": account.did,
            "alsoKnownAs": [f"at://{account.handle}"],
            "verificationMethod": [{"id": f"{account.did}#atproto", "type": "Multikey",
                                    "controller": account.did,
                                    "publicKeyMultibase": "zQ3sh" + key}],
            "service": [{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer",
                         "serviceEndpoint": self.base_url}],
        }

    def _session_body(self, account: Account, tokens: tuple[str, str] | None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if tokens is not None:
            out = {"accessJwt": tokens[0], "refreshJwt": tokens[1]}
        out.update({"handle": account.handle, "did": account.did,
                    "didDoc": self._did_doc(account), "email": account.email,
                    "emailConfirmed": True,
                    "emailAuthFactor": account.did in self._auth_factor, "active": True})
        return out

    def _create_session(self, req: Request) -> Response:
        data = body(req)
        identifier = str(data.get("identifier", "")).strip().lower()
        password = str(data.get("password", ""))
        if "@" in identifier:
            account = next((a for a in self.state.accounts.values() if a.email == identifier),
                           None)
        else:
            account = self.state.resolve(identifier)
        fail = XrpcError(401, "AuthenticationRequired", "Invalid identifier or password")
        if account is None:
            raise fail
        if password == account.app_password:
            scope = APP_PASS_SCOPE
        elif password == account.password:
            scope = ACCESS_SCOPE
            code = self._auth_factor.get(account.did)
            if code is not None and data.get("authFactorToken") != code:
                message = ("A sign in code has been sent to your email address"
                           if not data.get("authFactorToken") else "Invalid sign in code")
                raise XrpcError(401, "AuthFactorTokenRequired", message)
        else:
            raise fail
        return Response(200, self._session_body(account, self.tokens.issue(account.did, scope)))

    def _refresh_session(self, req: Request) -> Response:
        creds = self.tokens.check_refresh(self._bearer(req))
        account = self.state.accounts.get(creds.did)
        if account is None:
            raise XrpcError(400, "InvalidRequest",
                            f"Could not find user info for account: {creds.did}")
        return Response(200, self._session_body(account, self.tokens.rotate(creds)))

    def _get_session(self, req: Request) -> Response:
        creds = self.authenticate(req)
        return Response(200, self._session_body(self.state.accounts[creds.did], None))

    def _delete_session(self, req: Request) -> Response:
        self.tokens.delete(self.tokens.check_refresh(self._bearer(req)))
        return Response(200, None)

    def _describe_server(self, req: Request) -> Response:
        return Response(200, {"did": SERVICE_DID, "availableUserDomains": [HANDLE_SUFFIX],
                              "inviteCodeRequired": True, "phoneVerificationRequired": False,
                              "links": {}, "contact": {}})

    def _resolve_handle(self, req: Request) -> Response:
        handle = required(req, "handle").lower()
        account = self.state.resolve(handle)
        if account is None:
            error = "HandleNotFound" if handle.endswith(HANDLE_SUFFIX) else "InvalidRequest"
            raise XrpcError(400, error, "Unable to resolve handle")
        return Response(200, {"did": account.did})

    def _describe_repo(self, req: Request) -> Response:
        account = self.state.resolve(required(req, "repo"))
        if account is None:
            raise XrpcError(400, "InvalidRequest", f"Could not find repo: {req.param('repo')}")
        return Response(200, {"handle": account.handle, "did": account.did,
                              "didDoc": self._did_doc(account),
                              "collections": sorted(c for c, recs in
                                                    self.state.repos[account.did].items() if recs),
                              "handleIsCorrect": True})

    def _create_report(self, req: Request) -> Response:
        creds = self.authenticate(req)
        data = body(req)
        if not data.get("reasonType") or not isinstance(data.get("subject"), dict):
            raise XrpcError(400, "InvalidRequest",
                            'Input must have the properties "reasonType" and "subject"')
        report = {"id": len(self.state.reports) + 1, "reasonType": data["reasonType"],
                  "subject": data["subject"], "reportedBy": creds.did, "createdAt": iso(now())}
        if data.get("reason"):
            report["reason"] = data["reason"]
        self.state.reports.append(report)
        return Response(200, report)

    def _cdn_image(self, req: Request) -> Response:
        blob = self.state.blobs.get(req.match["cid"])
        if blob is None or req.match["did"] not in blob.owners:
            return Response(404, {"error": "NotFound", "message": "Image not found"})
        return Response(200, blob.data, {"Cache-Control": "public, max-age=86400"}, blob.mime)

    # -- test helpers ----------------------------------------------------------------------
    def add_account(self, name: str, display_name: str) -> dict[str, str]:
        """Register ``<name>.sandbox.test``, a city-like account that follows every account
        (so its timeline is full), with fresh throwaway passwords. Returns its entry, also
        appended to ``accounts`` (same keys as the seeded city accounts)."""
        handle = name.lower() + HANDLE_SUFFIX
        secret = random.SystemRandom()
        with self.lock:
            if self.state.resolve(handle) is not None:
                raise ValueError(f"account {handle!r} already exists")
            created = now().replace(microsecond=0)
            account = Account(did_for(handle), handle, display_name, f"{name}@sandbox.test",
                              app_password(secret), "mdp-" + app_password(secret), created,
                              city=True)
            self.state.add_account(account)
            self.state.create(account.did, PROFILE, "self", {
                "$type": PROFILE, "displayName": display_name, "createdAt": iso(created)})
            others = [did for did in self.state.accounts if did != account.did]
            for clock, other in enumerate(others):
                self.state.create(account.did, FOLLOW, tid_for(created, clock), {
                    "$type": FOLLOW, "subject": other, "createdAt": iso(created)})
            entry = self._describe(account)
            self.accounts.append(entry)
            return dict(entry)

    @staticmethod
    def _describe(account: Account) -> dict[str, str]:
        return {"handle": account.handle, "did": account.did, "password": account.app_password,
                "main_password": account.password, "email": account.email,
                "display_name": account.display_name}

    @property
    def access_ttl(self) -> int:
        return self.tokens.access_ttl

    @access_ttl.setter
    def access_ttl(self, seconds: int) -> None:
        self.tokens.access_ttl = seconds

    def records(self, did: str, collection: str) -> dict[str, dict[str, Any]]:
        """The stored records of one collection, as clients wrote them (copies)."""
        with self.lock:
            return {rkey: copy.deepcopy(rec.value)
                    for rkey, rec in self.state.collection(did, collection).items()}

    def stored_record(self, uri: str) -> Record | None:
        with self.lock:
            return self.state.by_uri.get(uri)

    def blob(self, cid: str) -> bytes:
        with self.lock:
            return self.state.blobs[cid].data

    def expire_access_tokens(self) -> None:
        with self.lock:
            self.tokens.expire_access()

    def revoke_sessions(self, did: str) -> None:
        with self.lock:
            self.tokens.revoke(did)

    def require_auth_factor(self, handle: str, code: str) -> None:
        with self.lock:
            account = self.state.resolve(handle)
            if account is None:
                raise KeyError(handle)
            self._auth_factor[account.did] = code

    def seen_at(self, did: str) -> datetime | None:
        with self.lock:
            return self.state.seen.get(did)

    def preferences(self, did: str) -> list[dict[str, Any]]:
        """Everything stored for ``did`` (personal details included), as the PDS holds it."""
        with self.lock:
            return copy.deepcopy(self.prefs.of(did))

    @property
    def reports(self) -> list[dict[str, Any]]:
        return self.state.reports

    @property
    def mutes(self) -> dict[str, set[str]]:
        return self.state.mutes

    @property
    def blocks(self) -> dict[str, dict[str, str]]:
        return self.state.blocks
