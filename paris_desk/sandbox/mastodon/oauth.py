"""App registration and OAuth 2 (Doorkeeper as Mastodon configures it): authorization code
with PKCE S256, client credentials, revocation, server metadata. Tokens never expire; refresh
tokens are issued only when ``issue_refresh_tokens`` is set (Mastodon does not issue them)."""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
from urllib.parse import urlencode, urlsplit

from ..http import Request, Response
from .compose import Composer
from .state import ApiError, App, Grant, Token

OOB = "urn:ietf:wg:oauth:2.0:oob"
SCOPES = [
    "read", "write", "push", "follow", "profile",
    "read:accounts", "read:blocks", "read:bookmarks", "read:favourites", "read:filters",
    "read:follows", "read:lists", "read:mutes", "read:notifications", "read:search",
    "read:statuses", "write:accounts", "write:blocks", "write:bookmarks",
    "write:conversations", "write:favourites", "write:filters", "write:follows",
    "write:lists", "write:media", "write:mutes", "write:notifications", "write:reports",
    "write:statuses",
]
DESCRIPTIONS = {
    "invalid_grant": "The provided authorization grant is invalid, expired, revoked, does not "
                     "match the redirection URI used in the authorization request, or was "
                     "issued to another client.",
    "invalid_client": "Client authentication failed due to unknown client, no client "
                      "authentication included, or unsupported authentication method.",
    "unsupported_grant_type": "The authorization grant type is not supported by the "
                              "authorization server.",
    "invalid_scope": "The requested scope is invalid, unknown, or malformed.",
    "access_denied": "The resource owner or authorization server denied the request.",
    "unsupported_response_type": "The authorization server does not support this response "
                                 "type.",
    "invalid_request": "The code challenge method must be S256.",
    "invalid_redirect_uri": "The requested redirect uri is malformed or doesn't match client "
                            "redirect URI.",
}
GRANT_TTL = 600.0


class OAuthRoutes(Composer):
    def register_oauth(self) -> None:
        self.api("POST", r"/api/v1/apps", self._h_create_app)
        self.route("GET", r"/oauth/authorize", self._h_authorize_form)
        self.route("POST", r"/oauth/authorize", self._h_authorize)
        self.route("GET", r"/oauth/authorize/native", self._h_native)
        self.route("POST", r"/oauth/token", self._h_token)
        self.route("POST", r"/oauth/revoke", self._h_revoke)
        self.route("GET", r"/\.well-known/oauth-authorization-server", self._h_metadata)

    # -- apps ---------------------------------------------------------------------------------
    def _h_create_app(self, req: Request) -> Response:
        name = req.param("client_name").strip()
        uris = req.params("redirect_uris")
        uris = [u.strip() for raw in uris for u in raw.splitlines() if u.strip()]
        scopes = (req.param("scopes") or "read").split()
        if not name:
            raise ApiError(422, "Validation failed: Application name can't be blank")
        if not uris:
            raise ApiError(422, "Validation failed: Redirect URI can't be blank")
        if any(u != OOB and not urlsplit(u).scheme for u in uris):
            raise ApiError(422, "Validation failed: Redirect URI must be an absolute URI.")
        if any(s not in SCOPES for s in scopes):
            raise ApiError(422, "Validation failed: Scopes must be a valid set of scopes")
        app = App(id=str(len(self.apps) + 1), name=name, website=req.param("website") or None,
                  redirect_uris=uris, scopes=scopes, client_id=secrets.token_urlsafe(32),
                  client_secret=secrets.token_urlsafe(32),
                  vapid_key="BCk-QqERU0q-CfYZjcuB6lnyyOYfJ2AifKqfeGIm7Z-HiTU5T9eTG5GxVA0_OH5mMlI")
        self.apps[app.client_id] = app
        return Response(200, {
            "id": app.id, "name": app.name, "website": app.website, "scopes": app.scopes,
            "redirect_uri": "\n".join(uris), "redirect_uris": uris, "vapid_key": app.vapid_key,
            "client_id": app.client_id, "client_secret": app.client_secret,
            "client_secret_expires_at": 0,
        })

    # -- authorization ------------------------------------------------------------------------
    def _pre_authorize(self, req: Request) -> tuple[App, str, list[str]]:
        """Doorkeeper's pre-authorization; errors before the redirect URI is trusted are pages."""
        app = self.apps.get(req.param("client_id"))
        if app is None:
            raise _page_error(401, "invalid_client")
        redirect = req.param("redirect_uri")
        if not any(_redirect_matches(r, redirect) for r in app.redirect_uris):
            raise _page_error(400, "invalid_redirect_uri")
        scopes = (req.param("scope") or "read").split()
        if req.param("response_type") != "code":
            raise _redirect_error(redirect, "unsupported_response_type", req.param("state"))
        if not scopes or any(s not in app.scopes for s in scopes):
            raise _redirect_error(redirect, "invalid_scope", req.param("state"))
        if req.param("code_challenge") and req.param("code_challenge_method") != "S256":
            raise _redirect_error(redirect, "invalid_request", req.param("state"))
        return app, redirect, scopes

    def _h_authorize_form(self, req: Request) -> Response:
        app, redirect, scopes = self._pre_authorize(req)
        auto = req.param("sandbox_auto_approve")
        if auto:
            return self._approve(req, app, redirect, scopes, auto)
        return Response(200, _form_html(app.name, scopes, req, self.accounts),
                        content_type="text/html; charset=utf-8")

    def _h_authorize(self, req: Request) -> Response:
        app, redirect, scopes = self._pre_authorize(req)
        if req.param("decision") == "deny":
            raise _redirect_error(redirect, "access_denied", req.param("state"))
        return self._approve(req, app, redirect, scopes, req.param("acct"))

    def _approve(self, req: Request, app: App, redirect: str, scopes: list[str],
                 acct: str) -> Response:
        account_id = self.by_acct.get(acct.lower().lstrip("@"))
        if account_id is None or not self.users[account_id].local:
            return Response(422, "<p>Compte inconnu.</p>", content_type="text/html")
        grant = Grant(code=secrets.token_urlsafe(32), app_id=app.id, account_id=account_id,
                      redirect_uri=redirect, scopes=scopes, expires_at=self.clock() + GRANT_TTL,
                      challenge=req.param("code_challenge"),
                      challenge_method=req.param("code_challenge_method"))
        self.grants[grant.code] = grant
        if redirect == OOB:
            return _redirect(f"{self.base_url}/oauth/authorize/native?"
                             + urlencode({"code": grant.code}))
        params = {"code": grant.code}
        if req.param("state"):
            params["state"] = req.param("state")
        return _redirect(_with_query(redirect, params))

    def _h_native(self, req: Request) -> Response:
        code = html.escape(req.param("code"))
        body = (f"<!DOCTYPE html><html lang=\"fr\"><body><p>Code d'autorisation :</p>"
                f"<input readonly value=\"{code}\" id=\"code\"></body></html>")
        return Response(200, body, content_type="text/html; charset=utf-8")

    # -- tokens -------------------------------------------------------------------------------
    def _client(self, req: Request) -> App:
        client_id, secret = req.param("client_id"), req.param("client_secret")
        basic = req.header("authorization")
        if basic[:6].lower() == "basic ":
            decoded = base64.b64decode(basic[6:]).decode("utf-8", "replace")
            client_id, _, secret = decoded.partition(":")
        app = self.apps.get(client_id)
        if app is None or not secrets.compare_digest(app.client_secret, secret):
            raise _oauth_error(401, "invalid_client")
        return app

    def _h_token(self, req: Request) -> Response:
        kind = req.param("grant_type")
        if kind not in ("authorization_code", "client_credentials", "refresh_token") or (
                kind == "refresh_token" and not self.issue_refresh_tokens):
            raise _oauth_error(400, "unsupported_grant_type")
        app = self._client(req)
        if kind == "authorization_code":
            token = self._exchange_code(req, app)
        elif kind == "refresh_token":
            token = self._refresh(req, app)
        else:
            scopes = (req.param("scope") or "read").split()
            if any(s not in app.scopes for s in scopes):
                raise _oauth_error(400, "invalid_scope")
            token = self._issue(app, None, scopes)
        body: dict[str, object] = {"access_token": token.token, "token_type": "Bearer",
                                   "scope": " ".join(token.scopes),
                                   "created_at": int(token.created_at.timestamp())}
        if token.refresh_token:
            body["refresh_token"] = token.refresh_token
        return Response(200, body, {"Cache-Control": "no-store", "Pragma": "no-cache"})

    def _exchange_code(self, req: Request, app: App) -> Token:
        grant = self.grants.get(req.param("code"))
        if grant is None or grant.app_id != app.id or grant.expires_at < self.clock() \
                or grant.redirect_uri != req.param("redirect_uri"):
            raise _oauth_error(400, "invalid_grant")
        verifier = req.param("code_verifier")
        if grant.challenge or verifier:
            digest = hashlib.sha256(verifier.encode()).digest()
            expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if not grant.challenge or not secrets.compare_digest(expected, grant.challenge):
                raise _oauth_error(400, "invalid_grant")
        del self.grants[grant.code]
        for token in self.tokens.values():  # Doorkeeper's reuse_access_token
            if (token.app_id, token.account_id, token.scopes) == \
                    (app.id, grant.account_id, grant.scopes) and not token.revoked:
                return token
        return self._issue(app, grant.account_id, grant.scopes)

    def _refresh(self, req: Request, app: App) -> Token:
        given = req.param("refresh_token")
        old = next((t for t in self.tokens.values()
                    if given and t.refresh_token == given and t.app_id == app.id), None)
        if old is None or old.revoked:
            raise _oauth_error(400, "invalid_grant")
        old.revoked = True
        return self._issue(app, old.account_id, old.scopes)

    def _issue(self, app: App, account_id: str | None, scopes: list[str]) -> Token:
        token = Token(secrets.token_urlsafe(32), account_id, app.id, list(scopes), self.now())
        if self.issue_refresh_tokens and account_id is not None:
            token.refresh_token = secrets.token_urlsafe(32)
        self.tokens[token.token] = token
        return token

    def _h_revoke(self, req: Request) -> Response:
        app = self._client(req)
        token = self.tokens.get(req.param("token")) or next(
            (t for t in self.tokens.values()
             if req.param("token") and t.refresh_token == req.param("token")), None)
        if token is not None:
            if token.app_id not in (None, app.id):
                raise ApiError(403, "unauthorized_client", {
                    "error_description": "You are not authorized to revoke this token"})
            token.revoked = True
        return Response(200, {})

    def _h_metadata(self, req: Request) -> Response:
        base = self.base_url
        grants = ["authorization_code", "client_credentials"]
        if self.issue_refresh_tokens:
            grants.append("refresh_token")
        return Response(200, {
            "issuer": base + "/", "service_documentation": "https://docs.joinmastodon.org/",
            "authorization_endpoint": base + "/oauth/authorize",
            "token_endpoint": base + "/oauth/token",
            "app_registration_endpoint": base + "/api/v1/apps",
            "revocation_endpoint": base + "/oauth/revoke",
            "userinfo_endpoint": base + "/oauth/userinfo",
            "scopes_supported": SCOPES, "response_types_supported": ["code"],
            "response_modes_supported": ["query", "fragment", "form_post"],
            "code_challenge_methods_supported": ["S256"], "grant_types_supported": grants,
            "token_endpoint_auth_methods_supported": ["client_secret_basic",
                                                      "client_secret_post"],
        })


def _redirect_matches(registered: str, given: str) -> bool:
    """Exact match, except that loopback IP literals may use any port (RFC 8252 §7.3)."""
    if registered == given:
        return True
    a, b = urlsplit(registered), urlsplit(given)
    loopback = a.hostname in ("127.0.0.1", "::1") and a.hostname == b.hostname
    return loopback and (a.scheme, a.path, a.query) == (b.scheme, b.path, b.query)


def _with_query(uri: str, params: dict[str, str]) -> str:
    return uri + ("&" if "?" in uri else "?") + urlencode(params)


def _redirect(location: str) -> Response:
    return Response(302, "", {"Location": location}, content_type="text/html; charset=utf-8")


def _redirect_error(redirect: str, error: str, state: str) -> ApiError:
    params = {"error": error, "error_description": DESCRIPTIONS[error]}
    if state:
        params["state"] = state
    return ApiError(302, error, headers={"Location": _with_query(redirect, params)})


def _page_error(status: int, error: str) -> ApiError:
    return ApiError(status, error, {"error_description": DESCRIPTIONS[error]})


def _oauth_error(status: int, error: str) -> ApiError:
    return ApiError(status, error, {"error_description": DESCRIPTIONS[error]})


def _form_html(app_name: str, scopes: list[str], req: Request,
               accounts: list[dict[str, str]]) -> str:
    e = html.escape
    keep = ("client_id", "redirect_uri", "response_type", "scope", "state", "code_challenge",
            "code_challenge_method")
    hidden = "".join(f'<input type="hidden" name="{k}" value="{e(req.param(k))}">'
                     for k in keep if req.param(k))
    radios = "".join(
        f'<label><input type="radio" name="acct" value="{e(a["acct"])}"'
        f'{" checked" if i == 0 else ""}> @{e(a["acct"])} ({e(a["display_name"])})</label><br>'
        for i, a in enumerate(accounts))
    return (f"<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">"
            f"<title>Autorisation requise</title></head><body>"
            f"<h1>Autorisation requise</h1><p>{e(app_name)} demande l'accès : "
            f"{e(' '.join(scopes))}</p><form method=\"post\" action=\"/oauth/authorize\">"
            f"{hidden}<fieldset><legend>Compte</legend>{radios}</fieldset>"
            f"<button type=\"submit\" name=\"decision\" value=\"approve\">Autoriser</button>"
            f"<button type=\"submit\" name=\"decision\" value=\"deny\">Refuser</button>"
            f"</form></body></html>")
