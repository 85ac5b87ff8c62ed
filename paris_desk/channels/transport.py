"""How every connection of the app reaches the network: trust, proxy, and naming failures.

One place for what the city's IT decides, shared by the channels (requests for both networks'
reads, Mastodon.py's requests and atproto's httpx for their writes), the services (link cards)
and the window (avatars). Qt-free.

- **Trust**: :func:`install_trust` runs once at start (CLI ``main`` and the GUI's ``run``). It
  injects ``truststore`` into :mod:`ssl`, so every ``SSLContext`` that requests, httpx and
  urllib build verifies with the OS trust store: Windows certificate store, macOS Keychain,
  OpenSSL's default paths on Linux (``SSL_CERT_FILE``/``SSL_CERT_DIR`` included). The certifi
  bundle that requests and httpx still load stays trusted too. Without ``truststore`` (or on a
  Python it does not support) the clients keep certifi alone, and the diagnostics say so.
  Verification is never turned off: there is no setting for it.
- **Proxy**: the clients read the proxy themselves, per request (requests, urllib) or when
  built (httpx), from ``urllib.request.getproxies()``: the ``HTTPS_PROXY``/``NO_PROXY``
  variables, else the Windows registry or the macOS system configuration. A choice made in
  the preferences (:func:`apply_proxy_setting`) is written into those variables, which take
  precedence everywhere; "system" puts the variables back as the process found them.
  Loopback is *not* exempt: with ``HTTPS_PROXY`` set and ``NO_PROXY`` unset, requests, httpx
  and urllib all send ``https://127.0.0.1`` through the proxy (checked by
  tests/channels/test_transport_proxy.py); list it in ``NO_PROXY`` to go direct. On Windows and
  macOS, requests and urllib also honour the system's bypass list; httpx reads only
  ``NO_PROXY``.
- **Failures**: :func:`network_failure` recognises, in an exception chain from any of the three
  clients, a refused certificate (:class:`~paris_desk.core.errors.CertificateError`, with what
  was wrong and who issued it, see :mod:`paris_desk.channels.certificates`), a proxy that
  refused the tunnel (:class:`~paris_desk.core.errors.ProxyRefused`, 407 included) or one that
  did not answer (:class:`~paris_desk.core.errors.ProxyUnreachable`).
"""

from __future__ import annotations

import logging
import os
import re
import ssl
import sys
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit, urlunsplit

from paris_desk.core.errors import ChannelError, ProxyRefused, ProxyUnreachable

log = logging.getLogger(__name__)


class TrustSource(StrEnum):
    SYSTEM = "system"  # the OS trust store, through truststore
    CERTIFI = "certifi"  # the bundle shipped with requests/httpx (fallback)


class ProxyMode(StrEnum):
    SYSTEM = "system"  # what the OS and the environment say (the default)
    NONE = "none"  # always direct
    MANUAL = "manual"  # one proxy for everything


class ProxyOrigin(StrEnum):
    NONE = "none"
    ENVIRONMENT = "environment"  # HTTPS_PROXY & co.
    SYSTEM = "system"  # Windows registry / macOS system configuration
    PREFERENCES = "preferences"  # the user's choice in the window


_lock = threading.Lock()
_trust: TrustSource | None = None
_saved_env: dict[str, str] | None = None  # the proxy variables before a preference changed them
_override: ProxyMode = ProxyMode.SYSTEM
_PROXY_VARS = ("https_proxy", "http_proxy", "all_proxy", "no_proxy")


# -- trust ------------------------------------------------------------------------------------
def install_trust() -> TrustSource:
    """Verify every TLS connection of this process with the OS trust store (idempotent)."""
    global _trust
    with _lock:
        if _trust is None:
            _trust = _inject()
        return _trust


def trust_source() -> TrustSource:
    """What verifies certificates now (certifi until :func:`install_trust` ran)."""
    return _trust or TrustSource.CERTIFI


def trust_detail() -> str:
    """The version of truststore, or the path of the certifi bundle (for the diagnostics)."""
    if trust_source() is TrustSource.SYSTEM:
        import truststore

        return f"truststore {truststore.__version__}"
    try:
        import certifi
    except ImportError:
        return ssl.get_default_verify_paths().cafile or ""
    return str(certifi.where())


def _inject() -> TrustSource:
    try:
        import truststore
    except ImportError:  # not installed, or a Python it does not support
        log.warning("truststore unavailable: certificates checked against certifi only")
        return TrustSource.CERTIFI
    if "urllib3" in sys.modules:  # it holds its own reference to ssl.SSLContext: patch it too
        truststore.inject_into_ssl()
    else:
        # What inject_into_ssl() does first. Its next step imports urllib3 and requests (58 ms)
        # only to patch their references; not imported yet, they will bind this class (urllib3
        # does ``from ssl import SSLContext``), so the first window does not wait for them.
        ssl.SSLContext = truststore.SSLContext  # type: ignore[misc]
    log.info("certificates checked against the system trust store (truststore)")
    return TrustSource.SYSTEM


# -- proxy ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ProxyInfo:
    """The proxy the clients use for ``https`` now. ``url`` never carries credentials."""

    url: str  # "" = direct
    origin: ProxyOrigin
    bypass: str = ""  # the NO_PROXY list ("" when none)


def apply_proxy_setting(mode: ProxyMode | str, url: str = "") -> None:
    """Make the preferences' choice the process's: new requests follow it at once (every
    read), the Bluesky SDK's client from the next one it builds (httpx reads the proxy when a
    client is built)."""
    global _saved_env, _override
    mode = ProxyMode(mode)
    with _lock:
        if _saved_env is None:
            _saved_env = {k: v for k, v in os.environ.items() if k.lower() in _PROXY_VARS}
        for name in [k for k in os.environ if k.lower() in _PROXY_VARS]:
            del os.environ[name]
        if mode is ProxyMode.SYSTEM or (mode is ProxyMode.MANUAL and not url.strip()):
            os.environ.update(_saved_env)
            _saved_env, _override = None, ProxyMode.SYSTEM
            return
        if mode is ProxyMode.MANUAL:
            for name in ("https_proxy", "http_proxy"):
                os.environ[name] = os.environ[name.upper()] = normalize_proxy_url(url)
            os.environ["no_proxy"] = os.environ["NO_PROXY"] = "localhost,127.0.0.1,::1"
        else:
            os.environ["no_proxy"] = os.environ["NO_PROXY"] = "*"
        _override = mode


def normalize_proxy_url(text: str) -> str:
    """``proxy.ville.fr:3128`` → ``http://proxy.ville.fr:3128`` (a proxy is spoken to in
    plain HTTP unless its address says ``https://``)."""
    text = text.strip()
    return text if "://" in text else f"http://{text}"


def proxy_for(url: str) -> str:
    """The proxy a request to ``url`` goes through ("" = direct), as urllib and requests decide.
    With credentials, if the configuration has them: never log or show it, see
    :func:`redact`."""
    parts = urlsplit(url)
    proxies = urllib.request.getproxies()
    host = parts.hostname or ""
    if not host or _bypassed(host, parts.port):
        return ""
    return proxies.get(parts.scheme) or proxies.get("all") or ""


def proxy_info() -> ProxyInfo:
    """What the diagnostics and the preferences show."""
    proxies = urllib.request.getproxies()
    url = proxies.get("https") or proxies.get("all") or ""
    bypass = proxies.get("no", "")
    if _override is not ProxyMode.SYSTEM:
        origin = ProxyOrigin.PREFERENCES
    elif not url:
        origin = ProxyOrigin.NONE
    elif any(k.lower() in _PROXY_VARS for k in os.environ):
        origin = ProxyOrigin.ENVIRONMENT
    else:
        origin = ProxyOrigin.SYSTEM
    if bypass == "*":
        url = ""
    return ProxyInfo(redact(url), origin, bypass)


def redact(url: str) -> str:
    """The proxy address without its user and password."""
    if not url:
        return ""
    parts = urlsplit(normalize_proxy_url(url))
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))


def _bypassed(host: str, port: int | None) -> bool:
    try:
        return bool(urllib.request.proxy_bypass(f"{host}:{port}" if port else host))
    except (OSError, ValueError):  # the Windows registry or macOS configuration unreadable
        return False


# -- failures ---------------------------------------------------------------------------------
_STATUS_FIRST = re.compile(r"^\s*([1-5]\d\d)\b")  # "407 Proxy Authentication Required"


def network_failure(
    exc: BaseException, url: str = "", *, account_id: str = "", network: str = ""
) -> ChannelError | None:
    """A ``CertificateError`` or ``ProxyRefused`` for a transport failure, else None.

    ``url``: what was asked, when ``exc`` does not carry its request (urllib). The certificate
    is fetched again (not trusted, nothing sent) to say what is wrong with it and who issued it.
    """
    from paris_desk.channels import certificates

    url = url or _request_url(exc)
    for link in chain(exc):
        if isinstance(link, ssl.SSLCertVerificationError):
            return certificates.certificate_error(
                url, link, proxy=proxy_for(url), account_id=account_id, network=network
            )
    proxy = redact(proxy_for(url)) if url else ""
    who = {"account_id": account_id, "network": network}
    status = _proxy_status(exc)
    if status is not None:
        return ProxyRefused(f"proxy {proxy or '?'} answered {status}", status=status,
                            proxy=proxy, **who)
    if proxy and _connect_failed(exc):  # with a proxy, the only connection made is to it
        return ProxyUnreachable(f"proxy {proxy} unreachable", proxy=proxy, **who)
    return None


def chain(exc: BaseException, limit: int = 12) -> Iterator[BaseException]:
    """``exc`` and what it wraps: causes, contexts, ``reason`` (urllib3, urllib) and
    exception ``args`` (requests wraps urllib3's errors there)."""
    seen: set[int] = set()
    todo = [exc]
    while todo and len(seen) < limit:
        link = todo.pop(0)
        if id(link) in seen:
            continue
        seen.add(id(link))
        yield link
        nexts = [link.__cause__, link.__context__, getattr(link, "reason", None), *link.args]
        todo.extend(x for x in nexts if isinstance(x, BaseException))


def _proxy_status(exc: BaseException) -> int | None:
    """The status of a refused CONNECT. Only the text carries it: http.client raises
    ``OSError("Tunnel connection failed: 407 Proxy Authentication Required")`` (requests,
    urllib) and httpcore ``ProxyError("407 Proxy Authentication Required")`` (httpx)."""
    for link in chain(exc):
        text = str(link)
        if "Tunnel connection failed:" in text:
            found = _STATUS_FIRST.match(text.split("Tunnel connection failed:", 1)[1])
        elif type(link).__name__ == "ProxyError":
            found = _STATUS_FIRST.match(text)
        else:
            continue
        if found and found.group(1) != "200":
            return int(found.group(1))
    return None


# A TCP connection that was never made (urllib3, httpx, the OS), by class name: transport.py
# imports neither client. A TLS failure on that connection is not one (ssl.SSLError below).
_CONNECT_FAILURES = frozenset({"NewConnectionError", "ConnectTimeoutError", "NameResolutionError",
                               "ConnectError", "ConnectTimeout", "ConnectionRefusedError",
                               "gaierror"})


def _connect_failed(exc: BaseException) -> bool:
    links = list(chain(exc))
    if any(isinstance(link, ssl.SSLError) for link in links):
        return False
    return any(type(link).__name__ in _CONNECT_FAILURES for link in links)


def _request_url(exc: BaseException) -> str:
    for link in chain(exc):
        try:
            request = getattr(link, "request", None)  # requests and httpx errors
        except RuntimeError:  # httpx: no request attached
            continue
        url = getattr(request, "url", None)
        if url:
            return str(url)
    return ""
