"""A city network on loopback: a CA made for the test, a TLS front, and HTTP CONNECT proxies.

- :func:`make_pki` writes a root CA ("Ville Test Root CA") and server certificates it signed
  (good, expired, for another name) as PEM files.
- :class:`TlsFront` terminates TLS on 127.0.0.1 and pipes the bytes to a plain-HTTP sandbox
  server, like the reverse proxy in front of a city's internal server.
- :class:`ConnectProxy` is an HTTP CONNECT proxy that records each tunnel it opens, or answers
  every request 407 (``require_auth=True``). It only ever connects to 127.0.0.1.

Everything listens on 127.0.0.1, port 0; nothing reaches the internet.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import select
import socket
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

CA_NAME = "Ville Test Root CA"


@dataclass(frozen=True)
class Pki:
    ca: Path  # the root, PEM (what IT installs in the trust store)
    good: tuple[Path, Path]  # (certificate chain, key) for 127.0.0.1 and localhost
    expired: tuple[Path, Path]
    wrong_name: tuple[Path, Path]  # valid for intranet.ville.test only


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def make_pki(folder: Path) -> Pki:
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name(CA_NAME))
        .issuer_name(_name(CA_NAME))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    ca_path = folder / "ville-root-ca.pem"
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))

    def leaf(stem: str, names: list[x509.GeneralName], days: tuple[int, int]) -> tuple[Path, Path]:
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(f"{stem}.ville.test"))
            .issuer_name(ca.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now + dt.timedelta(days=days[0]))
            .not_valid_after(now + dt.timedelta(days=days[1]))
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                critical=False,
            )
            .sign(ca_key, hashes.SHA256())
        )
        cert_path, key_path = folder / f"{stem}.pem", folder / f"{stem}.key"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(_key_pem(key))
        return cert_path, key_path

    loopback: list[x509.GeneralName] = [
        x509.DNSName("localhost"),
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
    ]
    return Pki(
        ca=ca_path,
        good=leaf("good", loopback, (-1, 20)),
        expired=leaf("expired", loopback, (-20, -2)),
        wrong_name=leaf("wrong", [x509.DNSName("intranet.ville.test")], (-1, 20)),
    )


def _pump(a: socket.socket, b: socket.socket, stop: threading.Event) -> None:
    """Copy bytes both ways until one side closes."""
    pair = {a: b, b: a}
    try:
        while not stop.is_set():
            ready, _, _ = select.select([a, b], [], [], 0.2)
            for sock in ready:
                data = sock.recv(65536)
                if not data:
                    return
                pair[sock].sendall(data)
            if isinstance(a, ssl.SSLSocket) and a.pending():
                b.sendall(a.recv(a.pending()))
    except OSError:
        return
    finally:
        for sock in (a, b):
            with contextlib.suppress(OSError):
                sock.close()


class _Listener:
    """Accepts on 127.0.0.1:0, one thread per connection; ``stop()`` closes everything."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)  # so the accept loop sees stop() (close wakes no accept)
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accept = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> _Listener:
        self._accept.start()
        return self

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            thread = threading.Thread(target=self._guarded, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _guarded(self, conn: socket.socket) -> None:
        try:
            self.handle(conn)
        except OSError:  # a client that refused our certificate, or went away
            conn.close()

    def handle(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        self._stop.set()
        self._server.close()
        self._accept.join(timeout=10)
        for thread in self._threads:
            thread.join(timeout=10)

    def __enter__(self) -> _Listener:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class TlsFront(_Listener):
    """``https://127.0.0.1:port`` in front of the plain-HTTP server at ``backend_port``."""

    def __init__(self, backend_port: int, cert: tuple[Path, Path]) -> None:
        super().__init__()
        self.backend_port = backend_port
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(str(cert[0]), str(cert[1]))
        self.handshakes = 0  # completed TLS handshakes

    @property
    def base_url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def handle(self, conn: socket.socket) -> None:
        conn.settimeout(30)
        tls = self.context.wrap_socket(conn, server_side=True)
        self.handshakes += 1
        backend = socket.create_connection(("127.0.0.1", self.backend_port), timeout=30)
        _pump(tls, backend, self._stop)


class ConnectProxy(_Listener):
    """An HTTP CONNECT proxy on loopback. ``tunnels``: the ``host:port`` of each CONNECT."""

    def __init__(self, *, require_auth: bool = False) -> None:
        super().__init__()
        self.require_auth = require_auth
        self.tunnels: list[str] = []
        self.requests: list[str] = []  # every request line, CONNECT or not

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def handle(self, conn: socket.socket) -> None:
        conn.settimeout(30)
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = conn.recv(4096)
            if not chunk:
                conn.close()
                return
            head += chunk
        line = head.split(b"\r\n", 1)[0].decode("latin-1")
        self.requests.append(line)
        method, target, _ = line.split(" ", 2)
        if self.require_auth:
            conn.sendall(
                b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                b'Proxy-Authenticate: Basic realm="Ville"\r\nContent-Length: 0\r\n'
                b"Connection: close\r\n\r\n"
            )
            conn.close()
            return
        host, _, port = target.rpartition(":")
        if method != "CONNECT" or host not in ("127.0.0.1", "localhost"):
            conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            conn.close()
            return
        self.tunnels.append(target)
        upstream = socket.create_connection(("127.0.0.1", int(port)), timeout=30)
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        _pump(conn, upstream, self._stop)
