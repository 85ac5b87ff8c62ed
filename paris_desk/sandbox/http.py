"""A tiny threaded HTTP framework for the sandbox servers: routing, latency, fault injection
and a request log that tests can read (or wait on)."""

from __future__ import annotations

import contextlib
import json
import logging
import random
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

log = logging.getLogger(__name__)

FAULT_KINDS = ("500", "503", "429", "422", "hang", "drop_after_commit", "drop_before")


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    match: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    def json(self) -> Any:
        if not self.body:
            return {}
        return json.loads(self.body)

    def form(self) -> dict[str, list[str]]:
        ctype = self.header("content-type")
        if "application/json" in ctype:
            data = self.json()
            out: dict[str, list[str]] = {}
            for key, value in (data or {}).items():
                if isinstance(value, list):
                    out[key] = [str(v) for v in value]
                elif value is None:
                    continue
                elif isinstance(value, bool):
                    out[key] = ["true" if value else "false"]
                else:
                    out[key] = [str(value)]
            return out
        if "multipart/form-data" in ctype:
            return {k: [v for v, _ in vs] for k, vs in parse_multipart(self).items()}
        return parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)

    def param(self, name: str, default: str = "") -> str:
        """First value of ``name`` from the query, then the body."""
        for source in (self.query, self.form() if self.method != "GET" else {}):
            values = source.get(name) or source.get(name + "[]")
            if values:
                return values[0]
        return default

    def params(self, name: str) -> list[str]:
        values = self.query.get(name + "[]") or self.query.get(name) or []
        if not values and self.method != "GET":
            form = self.form()
            values = form.get(name + "[]") or form.get(name) or []
        return values


def parse_multipart(req: Request) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Parse multipart/form-data: name -> [(text value or '', {filename, content_type, data})]."""
    from email.parser import BytesParser
    from email.policy import HTTP

    ctype = req.header("content-type")
    msg = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + req.body
    )
    out: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition") or ""
        filename = part.get_filename()
        payload = part.get_payload(decode=True) or b""
        if filename is not None:
            info = {"filename": filename, "content_type": part.get_content_type(), "data": payload}
            out.setdefault(str(name), []).append(("", info))
        else:
            out.setdefault(str(name), []).append((payload.decode("utf-8", "replace"), {}))
    return out


@dataclass
class Response:
    status: int = 200
    body: Any = None  # dict/list -> JSON, bytes/str -> as is
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"

    def encode(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


Handler = Callable[[Request], Response]


@dataclass
class Fault:
    """Make matching requests fail. ``count`` requests are hit (None = all); with ``rate`` set,
    each matching request fails with that probability (seeded RNG of the server)."""

    kind: str
    method: str = ""
    path: str = ""  # regex searched in the path; "" = every path
    count: int | None = 1
    rate: float | None = None
    retry_after: int = 1
    hang_seconds: float = 30.0

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method:
            return False
        return not self.path or re.search(self.path, path) is not None


@dataclass
class LoggedRequest:
    method: str
    path: str
    status: int
    account: str
    fault: str
    at: float


class SandboxServer:
    """Owns a ThreadingHTTPServer on 127.0.0.1 and the routes, faults and log around it."""

    name = "sandbox"

    def __init__(self, port: int = 0, latency_ms: int = 0, seed: int = 0) -> None:
        self.latency_ms = latency_ms
        self.rng = random.Random(seed)
        self.lock = threading.RLock()
        self.faults: list[Fault] = []
        self.requests: list[LoggedRequest] = []
        self._cond = threading.Condition(self.lock)
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._httpd = _Server(("127.0.0.1", port), _make_handler(self))
        self._thread: threading.Thread | None = None
        self.route("GET", r"/_sandbox/requests", self._h_requests)
        self.route("POST", r"/_sandbox/faults", self._h_add_fault)
        self.route("DELETE", r"/_sandbox/faults", self._h_clear_faults)
        self.route("POST", r"/_sandbox/latency", self._h_latency)

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Self:
        """Serve in a daemon thread (polling for shutdown every 50 ms, so ``stop`` is quick)."""
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
            name=f"{self.name}-http", daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; safe on a server that was never started."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread = None
        self._httpd.server_close()

    # -- routing ----------------------------------------------------------------------------
    def route(self, method: str, pattern: str, handler: Handler) -> None:
        self._routes.append((method.upper(), re.compile(f"^{pattern}$"), handler))

    def dispatch(self, req: Request) -> Response:
        allowed = False
        for method, pattern, handler in self._routes:
            m = pattern.match(req.path)
            if not m:
                continue
            if method != req.method:
                allowed = True
                continue
            req.match = m.groupdict()
            return handler(req)
        return self.not_found(req, allowed)

    def not_found(self, req: Request, method_mismatch: bool) -> Response:
        status = 405 if method_mismatch else 404
        return Response(status, {"error": "Record not found" if status == 404 else "Not allowed"})

    def account_of(self, req: Request) -> str:
        """Who made the request, for the log (subclasses map tokens to handles)."""
        return ""

    # -- faults -----------------------------------------------------------------------------
    def add_fault(self, fault: Fault) -> Fault:
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {fault.kind!r}")
        with self.lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()

    def take_fault(self, method: str, path: str) -> Fault | None:
        if path.startswith("/_sandbox/"):
            return None
        with self.lock:
            for fault in list(self.faults):
                if not fault.matches(method, path):
                    continue
                if fault.rate is not None and self.rng.random() >= fault.rate:
                    continue
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count <= 0:
                        self.faults.remove(fault)
                return fault
        return None

    def fault_response(self, fault: Fault) -> Response:
        """The answer to an injected 500/503/429, shaped as this server's real errors are
        (XRPC style here; the Mastodon sandbox overrides it)."""
        if fault.kind == "429":
            reset = int(time.time()) + fault.retry_after
            return Response(
                429,
                {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
                {
                    "Retry-After": str(fault.retry_after),
                    "RateLimit-Limit": "3000",
                    "RateLimit-Remaining": "0",
                    "RateLimit-Reset": str(reset),
                    "RateLimit-Policy": "3000;w=300",
                },
            )
        if fault.kind == "422":  # a refusal for good: XRPC says 400 InvalidRequest
            return Response(400, {"error": "InvalidRequest",
                                  "message": "Invalid app.bsky.feed.post record"})
        return Response(int(fault.kind), {"error": "InternalServerError",
                                           "message": "Internal Server Error"})

    # -- request log ------------------------------------------------------------------------
    def record(self, entry: LoggedRequest) -> None:
        with self._cond:
            self.requests.append(entry)
            self._cond.notify_all()

    def wait_for_request(
        self, method: str, path_regex: str, timeout: float = 5.0, start: int = 0
    ) -> LoggedRequest:
        """Block until a request matching ``method`` and ``path_regex`` has been answered."""
        deadline = time.monotonic() + timeout
        pattern = re.compile(path_regex)
        with self._cond:
            while True:
                for entry in self.requests[start:]:
                    if entry.method == method and pattern.search(entry.path):
                        return entry
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no {method} {path_regex} within {timeout}s")
                self._cond.wait(remaining)

    def _h_requests(self, req: Request) -> Response:
        with self.lock:
            return Response(200, [entry.__dict__ for entry in self.requests])

    def _h_add_fault(self, req: Request) -> Response:
        data = req.json()
        try:
            fault = self.add_fault(Fault(**data))
        except (TypeError, ValueError) as exc:
            return Response(400, {"error": str(exc)})
        return Response(200, fault.__dict__)

    def _h_clear_faults(self, req: Request) -> Response:
        self.clear_faults()
        return Response(200, {})

    def _h_latency(self, req: Request) -> Response:
        self.latency_ms = int(req.json().get("latency_ms", 0))
        return Response(200, {"latency_ms": self.latency_ms})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


_ERROR_FAULTS = ("500", "503", "429", "422")


def _read_request(handler: BaseHTTPRequestHandler) -> Request:
    parts = urlsplit(handler.path)
    length = int(handler.headers.get("content-length") or 0)
    return Request(
        method=handler.command,
        path=parts.path,
        query=parse_qs(parts.query, keep_blank_values=True),
        headers={k.lower(): v for k, v in handler.headers.items()},
        body=handler.rfile.read(length) if length else b"",
    )


class _Handler(BaseHTTPRequestHandler):
    """One request: latency, then a fault if one matches, else the route's answer."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes: with Nagle on, the body waits for the client's
    # delayed ACK of the headers (40 ms on Linux). Real servers send at once (TCP_NODELAY).
    disable_nagle_algorithm = True
    sandbox: SandboxServer  # set by _make_handler

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.sandbox.name, format % args)

    def _handle(self) -> None:
        server = self.sandbox
        req = _read_request(self)
        if server.latency_ms and not req.path.startswith("/_sandbox/"):
            time.sleep(server.latency_ms / 1000)
        fault = server.take_fault(req.method, req.path)
        kind = fault.kind if fault else ""
        if fault is not None and kind in ("drop_before", "hang"):
            if kind == "hang":
                time.sleep(fault.hang_seconds)
            self._drop(req, fault)
            return
        resp = server.fault_response(fault) if fault and kind in _ERROR_FAULTS else self._run(req)
        if fault is not None and kind == "drop_after_commit":
            self._drop(req, fault)
            return
        self._send(req, resp, fault)

    def _run(self, req: Request) -> Response:
        try:
            return self.sandbox.dispatch(req)
        except Exception:
            log.exception("sandbox handler failed: %s %s", req.method, req.path)
            return Response(500, {"error": "InternalServerError",
                                  "message": "Internal Server Error"})

    def _drop(self, req: Request, fault: Fault) -> None:
        self.sandbox.record(LoggedRequest(req.method, req.path, 0, self.sandbox.account_of(req),
                                          fault.kind, time.time()))
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _send(self, req: Request, resp: Response, fault: Fault | None) -> None:
        payload = resp.encode()
        self.send_response(resp.status)
        if resp.body is not None:
            self.send_header("Content-Type", resp.content_type)
        for key, value in resp.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        # Logged before the client can read the answer, so a test that got its response can
        # count on the request being in the log.
        self.sandbox.record(LoggedRequest(req.method, req.path, resp.status,
                                          self.sandbox.account_of(req),
                                          fault.kind if fault else "", time.time()))
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle  # noqa: N815


def _make_handler(server: SandboxServer) -> type[BaseHTTPRequestHandler]:
    return type("SandboxHandler", (_Handler,), {"sandbox": server})
