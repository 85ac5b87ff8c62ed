"""Sign-in pieces that need no instance: addresses, stored app secrets, the loopback catcher,
and what an unreachable or non-Mastodon host turns into."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from paris_desk.channels.mastodon import AppCredentials, normalize_instance, register_app
from paris_desk.core.errors import BadCredentials, NotFound, Rejected, Unreachable
from paris_desk.services.loopback import LoopbackCatcher

HANG_GUARD_S = 30  # seconds: only stops a hung test, never reached when all is well


@pytest.mark.parametrize(
    ("typed", "base"),
    [
        ("mastodon.social", "https://mastodon.social"),
        ("  Mastodon.Social  ", "https://mastodon.social"),
        ("https://piaille.fr/", "https://piaille.fr"),
        ("https://piaille.fr/@marie/113", "https://piaille.fr"),
        ("@ville@mastodon.social", "https://mastodon.social"),
        ("ville@mastodon.social", "https://mastodon.social"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
        ("http://[::1]:3000", "http://[::1]:3000"),
        ("https://sandbox", "https://sandbox"),  # a bare name is fine when a scheme is typed
        ("mastodon.bzh:8443", "https://mastodon.bzh:8443"),
        ("réseau.fr", "https://xn--rseau-bsa.fr"),
    ],
)
def test_normalize_instance(typed: str, base: str) -> None:
    assert normalize_instance(typed) == base


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "mastodon",
        "@ville@",
        "ftp://mastodon.social",
        "https://u:p@mastodon.social",
        "masto..social",
        "-x.fr",
        "https://mastodon.social:99999",
        "http://",
        "mastodon social",
    ],
)
def test_normalize_instance_refuses(typed: str) -> None:
    with pytest.raises(NotFound):
        normalize_instance(typed)


def test_app_credentials_round_trip_and_hidden_secret() -> None:
    app = AppCredentials("client-abc", "secret-xyz")

    assert AppCredentials.from_secret(app.to_secret()) == app
    assert "secret-xyz" not in repr(app)
    with pytest.raises(BadCredentials):
        AppCredentials.from_secret("{not json")
    with pytest.raises(BadCredentials):
        AppCredentials.from_secret('{"client_id": "x"}')


# -- loopback catcher ---------------------------------------------------------------------------
@pytest.fixture
def catcher() -> Iterator[LoopbackCatcher]:
    c = LoopbackCatcher()
    yield c
    c.close()


def test_catcher_returns_code_and_state_and_answers_in_french(catcher: LoopbackCatcher) -> None:
    assert catcher.redirect_uri == f"http://127.0.0.1:{catcher.port}/callback"

    miss = requests.get(f"http://127.0.0.1:{catcher.port}/favicon.ico", timeout=5)
    page = requests.get(catcher.redirect_uri, params={"code": "c0de", "state": "st4te"}, timeout=5)

    assert miss.status_code == 404
    assert page.status_code == 200
    assert "Vous pouvez revenir à paris_desk" in page.text
    assert catcher.wait(timeout=1) == ("c0de", "st4te")


def test_catcher_keeps_the_first_answer(catcher: LoopbackCatcher) -> None:
    requests.get(catcher.redirect_uri, params={"code": "first", "state": "s"}, timeout=5)
    requests.get(catcher.redirect_uri, params={"code": "second", "state": "s"}, timeout=5)

    assert catcher.wait(timeout=1) == ("first", "s")


def waiting(catcher: LoopbackCatcher, timeout: float | None) -> tuple[threading.Thread, list]:
    """``catcher.wait(timeout)`` on a thread, its answer in the list once it returns."""
    outcome: list[tuple[str, str] | None] = []
    waiter = threading.Thread(target=lambda: outcome.append(catcher.wait(timeout)), daemon=True)
    waiter.start()
    return waiter, outcome


def test_catcher_wait_times_out(catcher: LoopbackCatcher) -> None:
    waiter, outcome = waiting(catcher, timeout=0.2)
    waiter.join(HANG_GUARD_S)
    assert outcome == [None] and catcher.error == ""


def test_catcher_stops_waiting_when_the_user_refuses(catcher: LoopbackCatcher) -> None:
    waiter, outcome = waiting(catcher, timeout=None)  # only an answer can end this wait

    requests.get(catcher.redirect_uri, params={"error": "access_denied"}, timeout=5)

    waiter.join(HANG_GUARD_S)
    assert outcome == [None], "the refusal did not end the wait"
    assert catcher.error == "access_denied"


def test_catcher_listens_on_loopback_only(catcher: LoopbackCatcher) -> None:
    assert catcher._server.server_address[0] == "127.0.0.1"


# -- registering on something that is not a Mastodon instance -----------------------------------
def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_register_app_on_a_closed_port_is_unreachable_and_not_sent() -> None:
    with pytest.raises(Unreachable) as caught:
        register_app(f"http://127.0.0.1:{_closed_port()}", "http://127.0.0.1/callback")
    assert caught.value.maybe_applied is False


@pytest.fixture(params=[200, 404])
def web_site(request: pytest.FixtureRequest) -> Iterator[str]:
    """A plain web site answering HTML (200, or 404) to ``POST /api/v1/apps``."""
    status = request.param

    class Site(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length") or 0))
            body = b"<!doctype html><title>Mairie</title>"
            self.send_response(status)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_register_app_on_a_web_site_is_not_found(web_site: str) -> None:
    with pytest.raises(NotFound, match="does not speak the Mastodon API"):
        register_app(web_site, "http://127.0.0.1/callback")


def test_plain_http_is_refused_for_a_remote_instance() -> None:
    with pytest.raises(Rejected):
        register_app("http://mastodon.example", "http://127.0.0.1/callback")
