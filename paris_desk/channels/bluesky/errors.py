"""atproto and plain-HTTP failures → ``paris_desk.core.errors``, decided on status codes and XRPC
error names.

The one translation table of the adapter: ``translate(exc)`` is called at its edge, with
``raise translate(exc) from exc``. Never on message text (API_NOTES §2.10): the status code
(``exc.response.status_code``) and the XRPC error name (``exc.response.content.error``) decide.
The SDK's exceptions and ``xrpc.XrpcError`` (the read path's) have that same shape.

Importing this module imports neither the SDK nor httpx (~60 MiB together): the read path
goes without them. Their exception classes are looked up only when they are loaded (an
exception of a module never imported cannot exist).
"""

from __future__ import annotations

import sys
import time
from types import ModuleType

import requests

from paris_desk.channels import requests_failures, transport
from paris_desk.core.errors import (
    AuthExpired,
    AuthFactorRequired,
    BadCredentials,
    CertificateError,
    ChannelError,
    NotAServer,
    NotFound,
    ProxyRefused,
    RateLimited,
    Rejected,
    ServerError,
    Unreachable,
)
from paris_desk.core.model import Network

NETWORK = Network.BLUESKY.value

# An access token the server no longer takes: refresh once, then ask to sign in again.
EXPIRED_TOKEN = "ExpiredToken"  # noqa: S105 (an XRPC error name)
_AUTH_ERRORS = frozenset({EXPIRED_TOKEN, "InvalidToken", "AuthMissing", "AuthenticationRequired"})
_NOT_FOUND_ERRORS = frozenset({"RecordNotFound", "NotFound", "BlobNotFound", "RepoNotFound"})


def _loaded(name: str) -> ModuleType | None:
    """Module ``name`` if something imported it already (the SDK, httpx), else None."""
    return sys.modules.get(name)


def sdk_caught() -> tuple[type[BaseException], ...]:
    """What an SDK call can raise: atproto's tree, plus httpx errors the SDK lets through
    unwrapped (``RemoteProtocolError`` when the server drops the connection before answering).
    Called where the SDK is in use, so it imports it."""
    import httpx
    from atproto_core.exceptions import AtProtocolError

    return (AtProtocolError, httpx.TransportError)


def _xrpc_error_content(exc: BaseException) -> object:
    """The SDK's or our ``XrpcError``-shaped body (has ``error``/``message``), else None."""
    content = getattr(getattr(exc, "response", None), "content", None)
    if isinstance(getattr(content, "error", None), str | None) and hasattr(content, "message"):
        return content
    return None


def status_of(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)


def error_name(exc: BaseException) -> str:
    """The XRPC error name (``ExpiredToken``, ``RecordNotFound``…), or "" when there is none."""
    content = _xrpc_error_content(exc)
    return str(getattr(content, "error", "") or "")


def error_message(exc: BaseException) -> str:
    """The server's own explanation, for ``Rejected`` (shown to the user, never parsed)."""
    content = _xrpc_error_content(exc)
    return str(getattr(content, "message", "") or getattr(content, "error", "") or "")


def is_expired_token(exc: BaseException) -> bool:
    """True for the error that a refresh of the session can cure."""
    return status_of(exc) in (400, 401) and error_name(exc) == EXPIRED_TOKEN


def translate(exc: BaseException, account_id: str = "") -> ChannelError:
    """The ``ChannelError`` for an atproto (or httpx) exception of a normal API call."""
    kw = {"account_id": account_id, "network": NETWORK}
    status = status_of(exc)
    if status is None:
        return _translate_transport(exc, kw)
    name = error_name(exc)
    if status in (401, 403) or (status == 400 and name in _AUTH_ERRORS):
        return AuthExpired(name or f"HTTP {status}", **kw)
    if status == 429:
        return RateLimited(name or "RateLimitExceeded", retry_after=retry_after(exc), **kw)
    if status >= 500 or status < 300:  # < 300: an answer that is not JSON
        return ServerError(name or f"HTTP {status}", **kw)
    if name in _NOT_FOUND_ERRORS or status == 404:
        return NotFound(name or f"HTTP {status}", **kw)
    return Rejected(error_message(exc) or f"HTTP {status}", **kw)


def translate_login(exc: BaseException) -> ChannelError:
    """Like ``translate`` for createSession, where a 401 means wrong credentials or 2FA."""
    kw = {"network": NETWORK}
    if status_of(exc) == 401:
        if error_name(exc) == "AuthFactorTokenRequired":
            return AuthFactorRequired(error_message(exc), **kw)
        return BadCredentials(error_name(exc) or "HTTP 401", **kw)
    atp = _loaded("atproto_client.exceptions")
    if (atp is not None and isinstance(exc, atp.ModelError)) or _web_page(exc):
        return NotAServer("the address answers with a web page, not a Bluesky server", **kw)
    return translate(exc)


def _web_page(exc: BaseException) -> bool:
    """An HTML body where XRPC answers JSON (a web site at the address given as the PDS)."""
    content = getattr(getattr(exc, "response", None), "content", None)
    if isinstance(content, str):
        content = content.encode("utf-8", "replace")
    server_failed = (status_of(exc) or 0) >= 500  # a proxy's error page: the server is down
    return isinstance(content, bytes) and content.lstrip()[:1] == b"<" and not server_failed


def translate_refresh(exc: BaseException, account_id: str = "") -> ChannelError:
    """refreshSession failed: any answer but a transient one means the session is gone."""
    error = translate(exc, account_id)
    if isinstance(error, Unreachable | RateLimited | ServerError | CertificateError | ProxyRefused):
        return error
    return AuthExpired(error_name(exc) or "refresh refused", account_id=account_id, network=NETWORK)


def retry_after(exc: BaseException) -> float | None:
    """Seconds to wait, from ``Retry-After`` then ``ratelimit-reset`` (epoch seconds)."""
    atp = _loaded("atproto_client.exceptions")
    if atp is not None and isinstance(exc, atp.RateLimitExceededError):
        if exc.retry_after is not None:
            return float(exc.retry_after)
        if exc.reset_at is not None:
            return max(float(exc.reset_at.timestamp()) - time.time(), 0.0)
        return None
    headers = getattr(getattr(exc, "response", None), "headers", None) or {}
    for name in ("retry-after", "ratelimit-reset"):
        try:
            seconds = float(str(headers.get(name)))
        except ValueError:
            continue
        return max(seconds - time.time(), 0.0) if name == "ratelimit-reset" else max(seconds, 0.0)
    return None


def _translate_transport(exc: BaseException, kw: dict[str, str]) -> ChannelError:
    atp = _loaded("atproto_client.exceptions")
    httpx = _loaded("httpx")
    if isinstance(exc, requests.RequestException):
        return _network(exc, exc, kw, maybe_applied=requests_failures.maybe_applied(exc))
    if httpx is not None and (
        isinstance(exc, httpx.TransportError) or (atp and isinstance(exc, atp.NetworkError))
    ):
        cause = exc if isinstance(exc, httpx.TransportError) else exc.__cause__
        not_sent = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
        return _network(exc, cause, kw, maybe_applied=not isinstance(cause, not_sent))
    if atp is not None and isinstance(exc, atp.LoginRequiredError):
        return AuthExpired("no usable session", **kw)
    server = _loaded("atproto_server.exceptions")
    if server is not None and isinstance(exc, server.InvalidTokenError):
        return AuthExpired("no usable session", **kw)
    if atp is not None and isinstance(exc, atp.ModelError):
        return ServerError(f"unexpected response: {type(exc).__name__}", **kw)
    return ServerError(type(exc).__name__, **kw)


def _network(exc: BaseException, cause: BaseException | None, kw: dict[str, str], *,
             maybe_applied: bool) -> ChannelError:
    typed = transport.network_failure(exc, **kw)  # refused certificate, proxy 407
    if typed is not None:
        return typed
    timeout = _loaded("httpx")
    timed_out = isinstance(cause, requests.Timeout) or (
        timeout is not None and isinstance(cause, timeout.TimeoutException))
    kind = "timeout" if timed_out else "network error"
    return Unreachable(f"{kind}: {type(cause).__name__}", maybe_applied=maybe_applied, **kw)
