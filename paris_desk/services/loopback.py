"""Catch the OAuth redirect on 127.0.0.1 (RFC 8252 §7.3): the browser comes back to
``http://127.0.0.1:<random port>/callback?code=…&state=…`` and we answer with a small page.

Plain stdlib, no Qt: the caller waits on a worker thread.
"""

from __future__ import annotations

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

log = logging.getLogger(__name__)

CALLBACK_PATH = "/callback"

_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>paris_desk</title>
<style>body{{font-family:sans-serif;margin:4em auto;max-width:32em;text-align:center}}</style>
</head><body><h1>{title}</h1><p>Vous pouvez revenir à paris_desk et fermer cet onglet.</p>
</body></html>
"""
_DONE = _PAGE.format(title="Connexion réussie")
_DENIED = _PAGE.format(title="Connexion annulée")


class LoopbackCatcher:
    """Listens on 127.0.0.1 until the first callback carrying ``code`` (or ``error``)."""

    def __init__(self) -> None:
        self._result: tuple[str, str] | None = None
        self.error = ""  # the OAuth ``error`` the server sent back (e.g. access_denied)
        self._done = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.1,), name="oauth-loopback", daemon=True
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self.port}{CALLBACK_PATH}"

    def wait(self, timeout: float | None = None) -> tuple[str, str] | None:
        """``(code, state)`` once the browser came back; None on timeout or refusal."""
        self._done.wait(timeout)
        return self._result

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LoopbackCatcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _deliver(self, query: dict[str, list[str]]) -> str | None:
        """Record the first answer; returns the page to show, None if not a callback."""
        code = (query.get("code") or [""])[0]
        state = (query.get("state") or [""])[0]
        error = (query.get("error") or [""])[0]
        if not code and not error:
            return None
        if not self._done.is_set():
            if code:
                self._result = (code, state)
            else:
                self.error = error
            self._done.set()
        return _DONE if self._result else _DENIED


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False


def _handler(catcher: LoopbackCatcher) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Silence stderr; never log the query (it holds the code)."""

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            page = None
            if parts.path == CALLBACK_PATH:
                page = catcher._deliver(parse_qs(parts.query))
            if page is None:
                self._answer(404, "<!doctype html><title>404</title>")
                return
            log.info("OAuth callback received on port %d", catcher.port)
            self._answer(200, page)

        def _answer(self, status: int, page: str) -> None:
            body = page.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True

    return _Handler
