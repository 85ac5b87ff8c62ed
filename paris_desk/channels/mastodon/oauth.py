"""Signing in to a Mastodon instance: app registration, OAuth code flow with PKCE (S256).

Flow (API_NOTES §1.2): ``register_app`` once per instance (its secret goes to the keychain under
the instance), ``authorization_request`` for each sign-in, the browser comes back to the
loopback catcher with ``code`` and ``state``, ``exchange_code`` gets the access token (the
account's secret), ``account_from_token`` tells who it is. Mastodon.py has no PKCE, so the
challenge is appended to its authorize URL and the token request is ours.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import secrets
from dataclasses import dataclass, field
from ipaddress import ip_address
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urljoin, urlsplit

import requests
import urllib3.exceptions

from paris_desk.channels import transport
from paris_desk.channels.mastodon.errors import NETWORK, edge, from_response
from paris_desk.channels.requests_failures import maybe_applied
from paris_desk.core.errors import BadCredentials, NotAServer, NotFound, Unreachable
from paris_desk.core.model import Account, Network
from paris_desk.core.urls import LOOPBACK_NAMES, check_credential_url, is_loopback_url

if TYPE_CHECKING:
    from mastodon import Mastodon

log = logging.getLogger(__name__)

APP_NAME = "paris_desk"
APP_WEBSITE = ""  # sent to the instance when set (shown on the authorize page)
SCOPES = ["read", "write"]
USER_AGENT = "paris_desk/0.1 (Mastodon.py)"
TIMEOUT: tuple[float, float] = (5, 30)  # (connect, read) seconds
MASTODON_VERSION = "4.3.0"  # assumed: no version probing (GoToSocial & co. loop on it)


@dataclass(frozen=True, slots=True)
class AppCredentials:
    """The OAuth app registered on one instance (kept in the keychain, never in the db)."""

    client_id: str
    client_secret: str = field(repr=False)

    def to_secret(self) -> str:
        return json.dumps({"client_id": self.client_id, "client_secret": self.client_secret})

    @classmethod
    def from_secret(cls, secret: str) -> AppCredentials:
        try:
            data = json.loads(secret)
            return cls(str(data["client_id"]), str(data["client_secret"]))
        except (ValueError, TypeError, KeyError):
            raise BadCredentials("stored app credentials are unreadable", network=NETWORK) from None


@dataclass(frozen=True, slots=True)
class AuthRequest:
    """One sign-in attempt: open ``url`` in the browser, then check ``state`` on return."""

    url: str
    state: str = field(repr=False)
    verifier: str = field(repr=False)
    redirect_uri: str


def normalize_instance(text: str) -> str:
    """``mastodon.social``, ``https://x/``, ``@u@x``, ``u@x`` → ``https://host[:port]``.

    ``http://`` is kept only when typed (the loopback sandbox). Raises ``NotFound``.
    """
    raw = text.strip()
    if "://" not in raw and "/" not in raw and "@" in raw:
        raw = raw.rsplit("@", 1)[1]  # a handle: the server is after the last @
    scheme, explicit = "https", "://" in raw
    if explicit:
        scheme, _, raw = raw.partition("://")
        scheme = scheme.lower()
    try:
        parts = urlsplit("//" + raw)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        parts, host, port = None, "", None
    if (
        parts is None
        or scheme not in ("http", "https")
        or "@" in parts.netloc
        or not _valid_host(host, single_label=explicit)
    ):
        raise NotFound(f"not an instance address: {text.strip()[:80]!r}", network=NETWORK)
    host = _ascii_host(host)
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}" + (f":{port}" if port else "")


def is_loopback(base_url: str) -> bool:
    return is_loopback_url(base_url)


def guarded_session() -> requests.Session:
    """A session for a client that carries a credential: every redirect is checked by the
    transport rule (``core.urls``) before it is followed."""
    session = requests.Session()
    session.hooks["response"].append(refuse_insecure_redirect)
    return session


def refuse_insecure_redirect(response: requests.Response, *args: Any, **kwargs: Any) -> None:
    """requests response hook: runs on each redirect before requests follows it."""
    if response.is_redirect:
        target = urljoin(response.url, response.headers.get("location", ""))
        check_credential_url(target, network=NETWORK)


def register_app(base_url: str, redirect_uri: str) -> AppCredentials:
    """Create our OAuth app on the instance. Unknown host / not Mastodon → ``NotFound``."""
    from mastodon import Mastodon, MastodonNetworkError  # sign-in only: the SDK, now

    _check_transport(base_url)
    session = guarded_session()
    session.hooks["response"].append(_raise_for_status)
    try:
        client_id, client_secret = Mastodon.create_app(
            APP_NAME,
            scopes=SCOPES,
            redirect_uris=_redirect_uris(redirect_uri),
            website=APP_WEBSITE or None,
            api_base_url=base_url,
            request_timeout=TIMEOUT,  # type: ignore[arg-type]  # requests takes the tuple
            session=session,
            user_agent=USER_AGENT,
        )
    except MastodonNetworkError as exc:
        raise _app_error(base_url, exc.__context__) from exc
    except (KeyError, TypeError) as exc:  # JSON without client_id: not a Mastodon API
        raise NotAServer(f"{base_url} does not speak the Mastodon API", network=NETWORK) from exc
    finally:
        session.close()
    log.info("registered app on %s", urlsplit(base_url).netloc)
    return AppCredentials(str(client_id), str(client_secret))


def authorization_request(
    base_url: str, app: AppCredentials, redirect_uri: str, force_login: bool = True
) -> AuthRequest:
    """The browser URL for one sign-in, with PKCE S256 and a random ``state``."""
    _check_transport(base_url)
    verifier = secrets.token_urlsafe(64)
    challenge = _b64url(hashlib.sha256(verifier.encode("ascii")).digest())
    state = secrets.token_urlsafe(24)
    m = _client(base_url, app)
    with edge(login=True):
        url = m.auth_request_url(
            redirect_uris=redirect_uri,
            scopes=SCOPES,
            force_login=force_login,
            state=state,
            lang="fr",
            allow_http=is_loopback(base_url),
        )
    url += "&" + urlencode({"code_challenge": challenge, "code_challenge_method": "S256"})
    return AuthRequest(url=url, state=state, verifier=verifier, redirect_uri=redirect_uri)


def exchange_code(
    base_url: str, app: AppCredentials, auth: AuthRequest, code: str, *, state: str | None = None
) -> str:
    """Trade the code for an access token (with the PKCE verifier). Bad code → ``BadCredentials``.

    Pass the ``state`` the browser brought back to have it checked here.
    """
    if state is not None and not secrets.compare_digest(state, auth.state):
        raise BadCredentials("OAuth state mismatch", network=NETWORK)
    if not code:
        raise BadCredentials("no authorisation code", network=NETWORK)
    _check_transport(base_url)
    endpoint = _token_endpoint(base_url, app)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": auth.redirect_uri,
        "client_id": app.client_id,
        "client_secret": app.client_secret,
        "code_verifier": auth.verifier,
        "scope": " ".join(SCOPES),
    }
    with edge(login=True):
        response = requests.post(
            endpoint,
            data=form,
            timeout=TIMEOUT,
            headers={"User-Agent": USER_AGENT},
            hooks={"response": [refuse_insecure_redirect]},
        )
    if not response.ok:
        raise from_response(response, login=True)
    token = _json(response).get("access_token")
    if not isinstance(token, str) or not token:
        raise BadCredentials("the server sent no access token", network=NETWORK)
    return token


def account_from_token(base_url: str, access_token: str) -> Account:
    """Who the token belongs to. Rejected token → ``BadCredentials``."""
    m = make_client(base_url, access_token)
    with edge(login=True):
        me = m.account_verify_credentials()
    return account_from_credentials(base_url, me)


def account_from_credentials(base_url: str, me: Any) -> Account:
    username = str(me.get("username") or str(me.get("acct") or "").split("@")[0])
    if not username or not me.get("id"):
        raise BadCredentials("verify_credentials returned no account", network=NETWORK)
    handle = f"@{username}@{urlsplit(base_url).netloc}"
    return Account(
        id=Account.make_id(Network.MASTODON, handle),
        network=Network.MASTODON,
        handle=handle,
        base_url=base_url,
        user_id=str(me["id"]),
        display_name=str(me.get("display_name") or ""),
    )


def make_client(
    base_url: str,
    access_token: str | None = None,
    app: AppCredentials | None = None,
    *,
    timeout: float | tuple[float, float] = TIMEOUT,
) -> Mastodon:
    """One Mastodon.py client: throw on 429, bounded timeouts, no version probing. Imports
    Mastodon.py (~15 MiB): sign-in and writes only (the reads go without it, ``reads.Api``).

    With a credential (token or app), ``base_url`` and every redirect must pass the transport
    rule (``InsecureTransport`` otherwise, before any connection)."""
    from mastodon import Mastodon

    if access_token or app:
        _check_transport(base_url)
    return Mastodon(
        client_id=app.client_id if app else None,
        client_secret=app.client_secret if app else None,
        access_token=access_token,
        api_base_url=base_url,
        ratelimit_method="throw",
        request_timeout=timeout,  # type: ignore[arg-type]  # requests takes the tuple
        # "created" + a given version: parsed locally, so media_post picks /api/v2/media
        # without the lazy GET /api/v1/instance/ probe.
        version_check_mode="created",
        mastodon_version=MASTODON_VERSION,
        user_agent=USER_AGENT,
        session=guarded_session(),
    )


# -- helpers ----------------------------------------------------------------------------------
def _client(base_url: str, app: AppCredentials) -> Mastodon:
    return make_client(base_url, app=app)


def _token_endpoint(base_url: str, app: AppCredentials) -> str:
    with edge(login=True):
        info = _client(base_url, app).oauth_authorization_server_info()
    endpoint = str(info.get("token_endpoint") or "") if info else ""
    if endpoint and urlsplit(endpoint).scheme in ("http", "https"):
        check_credential_url(endpoint, network=NETWORK)  # the code and app secret go there
        return endpoint
    return base_url + "/oauth/token"


def _check_transport(base_url: str) -> None:
    check_credential_url(base_url, network=NETWORK)


def _redirect_uris(redirect_uri: str) -> list[str]:
    """Also register the port-less loopback URI: Doorkeeper ignores loopback ports (RFC 8252
    §7.3), so the next sign-in, on another random port, still matches."""
    parts = urlsplit(redirect_uri)
    if parts.scheme == "http" and parts.port and is_loopback(redirect_uri):
        bare = parts._replace(netloc=parts.hostname or "").geturl()
        return [bare, redirect_uri]
    return [redirect_uri]


def _raise_for_status(response: requests.Response, *args: Any, **kwargs: Any) -> None:
    response.raise_for_status()


def _app_error(base_url: str, cause: BaseException | None) -> Exception:
    if isinstance(cause, requests.HTTPError) and cause.response is not None:
        status = cause.response.status_code
        if status in (404, 405, 410):
            return NotAServer(f"{base_url} does not speak the Mastodon API", network=NETWORK)
        return from_response(cause.response)
    if isinstance(cause, ValueError):  # 200 but not JSON: a web site, not an instance
        return NotAServer(f"{base_url} does not speak the Mastodon API", network=NETWORK)
    typed = transport.network_failure(cause, base_url, network=NETWORK) if cause else None
    if typed is not None:
        return typed
    if isinstance(cause, requests.ConnectionError) and _unknown_host(cause):
        return NotFound(f"{base_url}: unknown host", network=NETWORK)
    return Unreachable(
        f"{base_url} unreachable", maybe_applied=maybe_applied(cause), network=NETWORK
    )


def _unknown_host(cause: requests.ConnectionError) -> bool:
    reason = cause.args[0] if cause.args else None
    reason = getattr(reason, "reason", reason)
    return isinstance(reason, urllib3.exceptions.NameResolutionError)


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _valid_host(host: str, *, single_label: bool) -> bool:
    """A DNS name with a dot (a bare word is a typo unless a scheme was typed), or an IP."""
    if not host or len(host) > 253:
        return False
    try:
        ip_address(host)
        return True
    except ValueError:
        pass
    if host in LOOPBACK_NAMES:
        return True
    labels = host.rstrip(".").split(".")
    return (single_label or len(labels) >= 2) and all(_valid_label(label) for label in labels)


def _valid_label(label: str) -> bool:
    if not label or len(label) > 63 or label.startswith("-") or label.endswith("-"):
        return False
    return all(ch.isalnum() or ch == "-" for ch in label)


def _ascii_host(host: str) -> str:
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise NotFound(f"not an instance address: {host[:80]!r}", network=NETWORK) from None
