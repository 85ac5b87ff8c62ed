"""Servers that play the attacker's side of issue 13, on 127.0.0.1 only.

- ``Trap``: records every request it receives (method, target, headers, body) and answers with
  a fixed response: an HTTP proxy that must see no credential (``HTTP_PROXY``/``HTTPS_PROXY``
  point at it; a CONNECT is recorded and refused), or a host of the "internal network" that
  must receive no request at all.
- ``Redirector``: answers every request with a redirect to ``location``.

Each is a context manager; the server thread is stopped on exit.
"""

from __future__ import annotations

import http.server
import threading
from dataclasses import dataclass, field
from typing import Self


@dataclass
class Seen:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes

    def carries(self, secret: str) -> bool:
        raw = "\n".join(f"{k}: {v}" for k, v in self.headers.items()) + self.target
        return secret in raw or secret.encode() in self.body


@dataclass
class _State:
    status: int = 502
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(state: _State) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            with state.lock:
                state.seen.append(Seen(self.command, self.path, dict(self.headers), body))
            self.send_response(state.status)
            for name, value in state.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(state.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(state.body)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_CONNECT = _any  # noqa: N815

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


class Trap:
    """``Trap(status, headers, body)``; ``.url`` (``http://127.0.0.1:PORT``), ``.seen``."""

    def __init__(self, status: int = 502, headers: dict[str, str] | None = None,
                 body: bytes = b"") -> None:
        self._state = _State(status, dict(headers or {}), body)
        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(self._state))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def seen(self) -> list[Seen]:
        with self._state.lock:
            return list(self._state.seen)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)


class Redirector(Trap):
    def __init__(self, location: str, status: int = 307) -> None:
        super().__init__(status, {"Location": location})
