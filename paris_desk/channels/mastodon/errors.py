"""The edge: Mastodon.py's error tree (and raw ``requests`` failures) → core errors.

Every call into Mastodon.py goes through :func:`edge`, so no SDK exception leaves the package;
the read path's plain answers (``http``) are translated by :func:`from_http`, on the same rules.
Decisions are taken on status codes and exception types, never on (localised) messages.

Importing this module does not import Mastodon.py (~15 MiB, the read path goes without it):
its exception classes are looked up only once it is loaded (an exception of a module never
imported cannot exist).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

import requests

from paris_desk.channels import transport
from paris_desk.channels.requests_failures import maybe_applied
from paris_desk.core.errors import (
    AuthExpired,
    BadCredentials,
    ChannelError,
    NotAServer,
    NotFound,
    RateLimited,
    Rejected,
    ServerError,
    Unreachable,
)
from paris_desk.core.model import Network
from paris_desk.core.urls import insecure_in

NETWORK = Network.MASTODON.value


class ConversionError(ServerError):
    """The server sent JSON we cannot read; the message names the failing field."""

    retryable = False


@contextmanager
def edge(
    account_id: str = "",
    *,
    login: bool = False,
    retry_after: Callable[[], float | None] = lambda: None,
) -> Iterator[None]:
    """Translate anything Mastodon.py raises inside the block into a ``ChannelError``.

    ``login``: a 401 means wrong credentials (sign-in) rather than an expired session.
    ``retry_after``: how to read the rate-limit reset (the client object knows it).
    """
    try:
        yield
    except ChannelError as exc:
        if not exc.account_id:
            exc.account_id = account_id
        exc.network = NETWORK
        raise
    except Exception as exc:  # re-raised below unless ours to translate
        sdk = _sdk()
        if not isinstance(exc, RecursionError | requests.RequestException) and not (
                sdk is not None and isinstance(exc, sdk.MastodonError)):
            raise
        insecure = insecure_in(exc)  # a redirect refused by our hook, wrapped by the SDK
        if insecure is not None:
            insecure.account_id, insecure.network = account_id, NETWORK
            raise insecure from exc
        raise _translate(exc, account_id, login=login, retry_after=retry_after) from exc


def _translate(
    exc: BaseException,
    account_id: str,
    *,
    login: bool = False,
    retry_after: Callable[[], float | None] = lambda: None,
) -> ChannelError:
    who = {"account_id": account_id, "network": NETWORK}
    sdk: Any = _sdk() or _NoSdk
    if isinstance(exc, sdk.MastodonRatelimitError):
        return RateLimited("rate limited", retry_after=retry_after(), **who)
    if isinstance(exc, sdk.MastodonUnauthorizedError):
        cls = BadCredentials if login else AuthExpired
        return cls(_server_message(exc) or "unauthorized", **who)
    if isinstance(exc, sdk.MastodonAPIError) and _web_page(exc, sdk, login=login):
        return NotAServer("the address answers with a web page, not the Mastodon API", **who)
    if isinstance(exc, sdk.MastodonNotFoundError):
        return NotFound(_server_message(exc) or "not found", **who)
    if isinstance(exc, sdk.MastodonServerError):
        return ServerError(f"server error {_status(exc)}", **who)
    if isinstance(exc, sdk.MastodonAPIError):
        return _from_status(_status(exc), _server_message(exc), **who)
    if isinstance(exc, sdk.MastodonNetworkError | requests.RequestException):
        typed = transport.network_failure(exc, **who)  # refused certificate, proxy 407
        if typed is not None:
            return typed
        cause = exc if isinstance(exc, requests.RequestException) else exc.__context__
        return Unreachable(_network_message(cause), maybe_applied=maybe_applied(cause), **who)
    if isinstance(exc, RecursionError):
        return ServerError("the server's instance endpoints loop (version detection)", **who)
    return ServerError(f"{type(exc).__name__}: {exc}", **who)


class _NoSdk:
    """Stands for Mastodon.py's classes while it is not loaded: nothing is an instance."""

    class _Never(Exception):
        pass

    MastodonError = MastodonRatelimitError = MastodonUnauthorizedError = _Never
    MastodonAPIError = MastodonNotFoundError = MastodonServerError = _Never
    MastodonNetworkError = _Never


def _sdk() -> ModuleType | None:
    """Mastodon.py, if something imported it already."""
    return sys.modules.get("mastodon")


def _web_page(exc: BaseException, sdk: Any, *, login: bool) -> bool:
    """An answer that is not the Mastodon API: HTML where JSON was expected (Mastodon.py keeps
    the start of the body in its message), or, while signing in, no such API endpoint."""
    text = str(exc.args[0] if exc.args else "").lower()
    if "could not parse response as json" in text:
        body = text.partition("bad json content was b")[2].lstrip("'\" \\nrt")
        return body.startswith("<")
    return login and isinstance(exc, sdk.MastodonNotFoundError)


def _from_status(
    status: int | None, message: str, *, account_id: str, network: str
) -> ChannelError:
    who = {"account_id": account_id, "network": network}
    if status is None:
        return ServerError(message or "unreadable answer from the server", **who)
    if status == 401:
        return AuthExpired(message or "unauthorized", **who)
    if status == 404:
        return NotFound(message or "not found", **who)
    if status == 429:
        return RateLimited(message or "rate limited", account_id=account_id, network=network)
    if status >= 500:
        return ServerError(f"server error {status}", **who)
    return Rejected(message or f"refused ({status})", **who)


def from_http(response: requests.Response, account_id: str,
              ratelimit_reset: float | None) -> ChannelError:
    """A non-2xx answer of the read path (``http``), as :func:`edge` translates Mastodon.py's
    exception for the same answer. ``ratelimit_reset``: from ``X-RateLimit-Reset`` (epoch,
    clock-corrected), the wait of a 429."""
    who = {"account_id": account_id, "network": NETWORK}
    status, message = response.status_code, _response_message(response)
    if status == 429:
        return RateLimited("rate limited", retry_after=rate_limit_wait(ratelimit_reset), **who)
    if status == 401:
        return AuthExpired(message or "unauthorized", **who)
    if status >= 500:
        return ServerError(f"server error {status}", **who)
    return _from_status(status, message, **who)


def from_response(
    response: requests.Response, account_id: str = "", *, login: bool = False
) -> ChannelError:
    """For the few calls we make with ``requests`` directly (OAuth token exchange)."""
    who = {"account_id": account_id, "network": NETWORK}
    message = _response_message(response)
    status = response.status_code
    if status in (400, 401) and login:
        return BadCredentials(message or "invalid code or client", **who)
    if status == 429:
        reset = response.headers.get("Retry-After", "")
        wait = float(reset) if reset.isdigit() else None
        return RateLimited(message, retry_after=wait, account_id=account_id, network=NETWORK)
    return _from_status(status, message, **who)


def rate_limit_wait(reset_epoch: float | None) -> float | None:
    """Seconds until Mastodon.py's ``ratelimit_reset`` (epoch, clock-corrected)."""
    if reset_epoch is None:
        return None
    return max(0.0, float(reset_epoch) - time.time())


def _status(exc: BaseException) -> int | None:
    args = exc.args
    return args[1] if len(args) > 1 and isinstance(args[1], int) else None


def _server_message(exc: BaseException) -> str:
    """The server's ``error`` text (Mastodon.py puts it in ``args[3]``)."""
    args = exc.args
    return str(args[3]) if len(args) > 3 and args[3] else ""


def _response_message(response: requests.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return ""
    if isinstance(data, dict):
        return str(data.get("error_description") or data.get("error") or "")
    return ""


def _network_message(cause: BaseException | None) -> str:
    if cause is None:
        return "network error"
    return f"network error ({type(cause).__name__})"
