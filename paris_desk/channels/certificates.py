"""What is wrong with a certificate the trust store refused: expired, wrong name, or unknown
authority, and who issued it.

The verification error says little (and differs between OpenSSL, macOS and Windows), and Python
3.11 keeps no copy of the refused certificate. So the certificate is fetched once more, through
the same proxy, on a connection that checks nothing and sends nothing after the handshake: it is
read, never trusted. Its dates and names are compared with the request; the error's own code
decides first where it is one we know (OpenSSL's, on Linux).
"""

from __future__ import annotations

import fnmatch
import ipaddress
import logging
import socket
import ssl
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from paris_desk.core.errors import CertificateError

log = logging.getLogger(__name__)

PROBE_TIMEOUT = 5.0  # seconds, for the second look at the certificate

# X509_V_ERR_* (OpenSSL), as ``SSLCertVerificationError.verify_code`` carries them on Linux.
_OPENSSL_KINDS = {
    9: CertificateError.EXPIRED,  # CERT_NOT_YET_VALID
    10: CertificateError.EXPIRED,  # CERT_HAS_EXPIRED
    62: CertificateError.WRONG_NAME,  # HOSTNAME_MISMATCH
    64: CertificateError.WRONG_NAME,  # IP_ADDRESS_MISMATCH
    2: CertificateError.UNKNOWN_AUTHORITY,  # UNABLE_TO_GET_ISSUER_CERT
    18: CertificateError.UNKNOWN_AUTHORITY,  # DEPTH_ZERO_SELF_SIGNED_CERT
    19: CertificateError.UNKNOWN_AUTHORITY,  # SELF_SIGNED_CERT_IN_CHAIN
    20: CertificateError.UNKNOWN_AUTHORITY,  # UNABLE_TO_GET_ISSUER_CERT_LOCALLY
    21: CertificateError.UNKNOWN_AUTHORITY,  # UNABLE_TO_VERIFY_LEAF_SIGNATURE
}


def certificate_error(
    url: str,
    error: ssl.SSLCertVerificationError,
    *,
    proxy: str = "",
    account_id: str = "",
    network: str = "",
) -> CertificateError:
    """The typed error for ``error`` raised while connecting to ``url``."""
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or 443
    code = getattr(error, "verify_code", None)
    reason = str(getattr(error, "verify_message", "") or error)
    cert = _read(host, port, proxy) if host else None
    kind = _OPENSSL_KINDS.get(code) if isinstance(code, int) and _is_openssl(error) else None
    details: dict[str, Any] = {}
    if cert is not None:
        details = _details(cert)
        kind = kind or _kind_from_certificate(cert, host)
    log.info("certificate of %s refused: %s (%s)", host, kind or "other", reason)
    return CertificateError(
        f"certificate of {host} refused: {reason}",
        kind=kind or CertificateError.OTHER,
        host=host,
        account_id=account_id,
        network=network,
        **details,
    )


def _is_openssl(error: ssl.SSLCertVerificationError) -> bool:
    """truststore on macOS/Windows raises with the OS's codes, without OpenSSL's ``reason``."""
    return getattr(error, "reason", None) == "CERTIFICATE_VERIFY_FAILED"


def _read(host: str, port: int, proxy: str) -> Any | None:
    """The server's certificate (a ``cryptography`` object), or None if it cannot be had."""
    try:
        der = _peer_der(host, port, proxy)
        from cryptography import x509

        return x509.load_der_x509_certificate(der)
    except (OSError, ValueError) as exc:
        log.info("could not read the certificate of %s:%s: %s", host, port, type(exc).__name__)
        return None


def _peer_der(host: str, port: int, proxy: str) -> bytes:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # read only: the handshake is all this connection does
    sock = _connect(host, port, proxy)
    with context.wrap_socket(sock, server_hostname=host) as tls:
        der = tls.getpeercert(binary_form=True)
    if not der:
        raise ValueError("no certificate")
    return der


def _connect(host: str, port: int, proxy: str) -> socket.socket:
    if not proxy:
        return socket.create_connection((host, port), timeout=PROBE_TIMEOUT)
    parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    if parts.scheme != "http":
        raise ValueError(f"proxy scheme {parts.scheme!r} not probed")
    sock = socket.create_connection((parts.hostname, parts.port or 8080), timeout=PROBE_TIMEOUT)
    target = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    sock.sendall(f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode("ascii"))
    answer = b""
    while b"\r\n\r\n" not in answer and len(answer) < 16384:
        chunk = sock.recv(4096)
        if not chunk:
            break
        answer += chunk
    status = answer.split(b" ", 2)[1:2]
    if status != [b"200"]:
        sock.close()
        raise OSError(f"proxy refused the probe: {answer[:40]!r}")
    return sock


def _details(cert: Any) -> dict[str, Any]:
    return {
        "issuer": _common_name(cert.issuer),
        "names": _names(cert),
        "not_after": cert.not_valid_after_utc.date().isoformat(),
    }


def _kind_from_certificate(cert: Any, host: str) -> str:
    now = datetime.now(UTC)
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        return CertificateError.EXPIRED
    if not _matches(_names(cert), host):
        return CertificateError.WRONG_NAME
    return CertificateError.UNKNOWN_AUTHORITY


def _common_name(name: Any) -> str:
    from cryptography.x509.oid import NameOID

    found = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    if found:
        return str(found[0].value)
    text: str = name.rfc4514_string()
    return text


def _names(cert: Any) -> tuple[str, ...]:
    from cryptography import x509

    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return (_common_name(cert.subject),)
    dns = san.get_values_for_type(x509.DNSName)
    ips = [str(ip) for ip in san.get_values_for_type(x509.IPAddress)]
    return tuple(dns) + tuple(ips)


def _matches(names: tuple[str, ...], host: str) -> bool:
    host = host.lower().rstrip(".")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    for name in names:
        if address is not None:
            try:
                if ipaddress.ip_address(name) == address:
                    return True
            except ValueError:
                continue
        elif name.startswith("*.") and host.count(".") == name.count("."):
            if fnmatch.fnmatchcase(host, name.lower()):
                return True
        elif name.lower() == host:
            return True
    return False
