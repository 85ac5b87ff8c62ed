"""Fetching a URL that someone else chose (a link in a post, an ``og:image``, an avatar), without
letting it probe the city's internal network (SSRF, issue 13). Qt-free; blocking: workers only.

The rules, checked by :func:`fetch` on the first request and again on every redirect (at most
:data:`MAX_REDIRECTS`):

- ``http``/``https`` only, default or explicit port;
- the host name is resolved here, and *every* address of the answer must be public: no
  loopback, private (RFC 1918, ULA ``fc00::/7``), link-local (``169.254/16``, ``fe80::/10``),
  CGNAT (``100.64/10``), multicast, reserved, unspecified; IPv6 forms that embed an IPv4
  address (``::ffff:a.b.c.d``, 6to4 ``2002::/16``, NAT64 ``64:ff9b::/96``) are judged by it;
- the connection goes to the address that was checked (no second DNS answer): the socket is
  opened to the IP, while TLS (SNI, certificate) and ``Host`` use the name. Through a proxy
  (``HTTPS_PROXY``/``HTTP_PROXY``, ``NO_PROXY`` honoured) the tunnel or absolute URI names the
  checked IP too;
- one deadline for the whole fetch; the body is streamed and capped (``max_bytes``);
- the media type must be one the caller accepts.

The servers of the profile's own accounts are reachable whatever their address (the sandbox and
the tests run on 127.0.0.1): ``AccountService`` declares them with :func:`trust_origins`.
"""

from __future__ import annotations

import base64
import http.client
import logging
import socket
import ssl
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network
from urllib.parse import unquote, urljoin, urlsplit

from paris_desk import __version__
from paris_desk.core.errors import ParisDeskError

log = logging.getLogger(__name__)

MAX_PAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 3
TIMEOUT = 10.0
SCHEMES = {"http": 80, "https": 443}
HTML_TYPES = ("text/html", "application/xhtml+xml")
IMAGE_TYPES = ("image/",)
_CHUNK = 64 * 1024
_USER_AGENT = f"paris_desk/{__version__}"
_CGNAT = ip_network("100.64.0.0/10")
_NAT64 = ip_network("64:ff9b::/96")

Resolver = Callable[[str, int], list[str]]


class FetchRefused(ParisDeskError):
    """The fetch was refused or failed; ``reason`` is one of the constants below."""

    PRIVATE_ADDRESS = "private_address"  # the name resolves to a non-public address
    BAD_URL = "bad_url"  # not http(s), no host, bad port
    TOO_MANY_REDIRECTS = "too_many_redirects"
    TOO_LARGE = "too_large"
    WRONG_TYPE = "wrong_type"
    TIMEOUT = "timeout"
    HTTP_STATUS = "http_status"
    UNREACHABLE = "unreachable"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    content_type: str  # media type, lower case, without parameters
    charset: str | None
    body: bytes
    truncated: bool = False


# -- trusted origins (the profile's own servers) ------------------------------------------------

_trusted_lock = threading.Lock()
_trusted: dict[str, frozenset[tuple[str, str, int]]] = {}


def origin_key(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port or SCHEMES.get(scheme, 0)
    except ValueError:
        return None
    if scheme not in SCHEMES or not host:
        return None
    return scheme, host, port


def trust_origins(owner: str, urls: Iterable[str]) -> None:
    """Declare (replace) the origins ``owner`` (an account service) vouches for."""
    keys = frozenset(k for k in (origin_key(u) for u in urls) if k is not None)
    with _trusted_lock:
        if keys:
            _trusted[owner] = keys
        else:
            _trusted.pop(owner, None)


def is_trusted(url: str) -> bool:
    key = origin_key(url)
    with _trusted_lock:
        return key is not None and any(key in keys for keys in _trusted.values())


# -- addresses ----------------------------------------------------------------------------------


def is_public(address: str) -> bool:
    """True for a globally routable unicast address (IPv4-in-IPv6 forms judged by the IPv4)."""
    try:
        ip: IPv4Address | IPv6Address = ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is None and ip.teredo is not None:
            embedded = ip.teredo[1]
        if embedded is not None:
            return is_public(str(embedded))
    if isinstance(ip, IPv4Address) and ip in _CGNAT:
        return False
    return ip.is_global and not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
        or ip.is_reserved or ip.is_unspecified
    )


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (an IP literal is its own answer)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchRefused(FetchRefused.UNREACHABLE, f"cannot resolve {host}: {exc}") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def checked_address(url: str, resolver: Resolver = resolve) -> str:
    """The address to connect to for ``url``: resolved once, and public unless ``url`` is one
    of the trusted origins. Raises ``FetchRefused``."""
    key = origin_key(url)
    if key is None:
        raise FetchRefused(FetchRefused.BAD_URL, f"non-http address refused: {url[:80]}")
    _scheme, host, port = key
    addresses = resolver(host.strip("[]"), port)
    if not addresses:
        raise FetchRefused(FetchRefused.UNREACHABLE, f"{host} has no address")
    if not is_trusted(url):
        refused = [a for a in addresses if not is_public(a)]
        if refused:
            raise FetchRefused(
                FetchRefused.PRIVATE_ADDRESS,
                f"{host} resolves to a non-public address ({refused[0]}): not fetched",
            )
    return addresses[0]


# -- the fetch ----------------------------------------------------------------------------------


def fetch(
    url: str,
    *,
    max_bytes: int,
    accept: tuple[str, ...],
    timeout: float = TIMEOUT,
    truncate: bool = False,
    resolver: Resolver = resolve,
    deadline: float | None = None,
) -> Fetched:
    """GET ``url`` under the rules of this module. Over ``max_bytes``: the first ``max_bytes``
    when ``truncate``, else ``FetchRefused(TOO_LARGE)``. ``accept``: media type prefixes."""
    deadline = deadline if deadline is not None else time.monotonic() + timeout
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        address = checked_address(current, resolver)
        response, conn = _open(current, address, deadline)
        try:
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location") or ""
                current = urljoin(current, location)
                log.debug("redirect %d to %s", response.status, urlsplit(current).netloc)
                continue
            if not 200 <= response.status < 300:
                raise FetchRefused(FetchRefused.HTTP_STATUS, f"HTTP {response.status}")
            return _body(current, response, deadline, max_bytes, accept, truncate)
        finally:
            conn.close()
    raise FetchRefused(FetchRefused.TOO_MANY_REDIRECTS, f"more than {MAX_REDIRECTS} redirects")


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchRefused(FetchRefused.TIMEOUT, "too slow: gave up after the deadline")
    return left


def _body(url: str, response: http.client.HTTPResponse, deadline: float, max_bytes: int,
          accept: tuple[str, ...], truncate: bool) -> Fetched:
    content_type = response.headers.get_content_type().lower()
    if not any(content_type.startswith(prefix) for prefix in accept):
        raise FetchRefused(FetchRefused.WRONG_TYPE, f"unexpected content type {content_type}")
    declared = response.getheader("Content-Length") or ""
    if declared.isdigit() and int(declared) > max_bytes and not truncate:
        raise FetchRefused(FetchRefused.TOO_LARGE, f"larger than {max_bytes} bytes (declared)")
    chunks: list[bytes] = []
    size = 0
    while size <= max_bytes:
        _remaining(deadline)
        try:
            chunk = response.read1(min(_CHUNK, max_bytes + 1 - size))
        except (OSError, http.client.HTTPException) as exc:
            raise _failure(exc) from exc
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    body = b"".join(chunks)
    if size > max_bytes:
        if not truncate:
            raise FetchRefused(FetchRefused.TOO_LARGE, f"larger than {max_bytes} bytes")
        return Fetched(url, content_type, response.headers.get_content_charset(),
                       body[:max_bytes], truncated=True)
    return Fetched(url, content_type, response.headers.get_content_charset(), body)


def _failure(exc: BaseException) -> FetchRefused:
    if isinstance(exc, TimeoutError | socket.timeout):
        return FetchRefused(FetchRefused.TIMEOUT, "too slow: the server did not answer in time")
    return FetchRefused(FetchRefused.UNREACHABLE, f"unreachable: {type(exc).__name__}")


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS whose TLS name (SNI, certificate check) is ``tls_name``, whatever it connects to
    (the checked IP, or a proxy tunnel to it)."""

    def __init__(self, host: str, port: int, *, tls_name: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.tls_name = tls_name

    def connect(self) -> None:
        http.client.HTTPConnection.connect(self)
        self.sock = self._context.wrap_socket(  # type: ignore[attr-defined]
            self.sock, server_hostname=self.tls_name
        )


def _open(url: str, address: str, deadline: float
          ) -> tuple[http.client.HTTPResponse, http.client.HTTPConnection]:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {"Host": parts.netloc.rsplit("@", 1)[-1], "User-Agent": _USER_AGENT,
               "Accept": "text/html,image/*;q=0.8,*/*;q=0.5", "Connection": "close"}
    conn, target = _connection(url, address, target, headers, _remaining(deadline))
    try:
        conn.request("GET", target, headers=headers)
        return conn.getresponse(), conn
    except (OSError, http.client.HTTPException) as exc:
        conn.close()
        raise _failure(exc) from exc


def _connection(url: str, address: str, target: str, headers: dict[str, str], timeout: float
                ) -> tuple[http.client.HTTPConnection, str]:
    """A connection to ``address`` (directly, or through the proxy), and the request target."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").strip("[]")
    port = parts.port or SCHEMES[scheme]
    proxy = _proxy_for(scheme, host)
    if proxy is None:
        if scheme == "https":
            return _PinnedHTTPS(address, port, tls_name=host, timeout=timeout), target
        return http.client.HTTPConnection(address, port, timeout=timeout), target
    proxy_host, proxy_port, proxy_auth = proxy
    auth = {"Proxy-Authorization": proxy_auth} if proxy_auth else {}
    literal = f"[{address}]" if ":" in address else address
    if scheme == "https":
        conn = _PinnedHTTPS(proxy_host, proxy_port, tls_name=host, timeout=timeout)
        conn.set_tunnel(literal, port, headers=auth)
        return conn, target
    headers.update(auth)
    conn = http.client.HTTPConnection(proxy_host, proxy_port, timeout=timeout)
    return conn, f"http://{literal}:{port}{target}"


def _proxy_for(scheme: str, host: str) -> tuple[str, int, str] | None:
    """(host, port, Proxy-Authorization value) of the proxy for ``scheme``, unless ``host`` is
    bypassed (``NO_PROXY``, the system's list)."""
    proxies = urllib.request.getproxies()
    proxy = proxies.get(scheme) or proxies.get("all")
    if not proxy or urllib.request.proxy_bypass(host):
        return None
    parts = urlsplit(proxy if "://" in proxy else "http://" + proxy)
    if not parts.hostname:
        return None
    auth = ""
    if parts.username:
        raw = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
        auth = "Basic " + base64.b64encode(raw).decode("ascii")
    return parts.hostname, parts.port or 8080, auth
