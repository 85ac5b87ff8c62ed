"""Link cards fetched from a real local web server (http.server on 127.0.0.1)."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import ExifTags, Image

from paris_desk.core.model import Limits
from paris_desk.services import safe_fetch
from paris_desk.services.linkcard import LinkCardError, fetch_card

BLUESKY = Limits(max_characters=300, counting="graphemes", image_size_limit=1_000_000)


def gps_photo() -> bytes:
    image = Image.new("RGB", (2400, 1260), "orange")
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 24.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


OG_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<title>Titre de secours</title>
<meta property="og:title" content="Fête de la musique &amp; concerts gratuits">
<meta property="og:description" content="  Le programme
   du 21 juin, quartier par quartier. ">
<meta property="og:image" content="/img/affiche.jpg">
</head><body><p>Contenu</p></body></html>"""

PAGES: dict[str, tuple[int, str, bytes, dict[str, str]]] = {
    "/fete": (200, "text/html; charset=utf-8", OG_PAGE.encode(), {}),
    "/img/affiche.jpg": (200, "image/jpeg", gps_photo(), {}),
    "/title-only": (200, "text/html", b"<html><head><title>Mairie</title></head></html>", {}),
    "/moved": (301, "text/html", b"", {"Location": "/fete"}),
    "/to-file": (302, "text/html", b"", {"Location": "file:///etc/passwd"}),
    "/pdf": (200, "application/pdf", b"%PDF-1.7", {}),
    "/gone": (404, "text/html", b"<title>Not found</title>", {}),
    "/latin1": (200, "text/html", "<title>Hôtel de Ville</title>".encode("latin-1"),
                {"Content-Type": "text/html; charset=iso-8859-1"}),
}


HANG_GUARD_S = 30  # seconds: only stops a hung test, never reached when all is well
ENDLESS_CHUNKS = 10_000  # 10,000 x 10 kB = 100 MB: a client that reads it all is caught


class Handler(BaseHTTPRequestHandler):
    # Set by the ``site`` fixture for each test: /slow answers once ``release`` is set;
    # /endless sets ``hung_up`` when the client closes the connection before the end.
    release = threading.Event()
    hung_up = threading.Event()

    def log_message(self, *_args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/slow":
            self.release.wait(HANG_GUARD_S)
            self.close_connection = True
            return  # never answers: the client must have given up by itself
        if self.path == "/endless":
            self._endless()
            return
        status, content_type, body, headers = PAGES.get(self.path, PAGES["/gone"])
        self.send_response(status)
        self.send_header("Content-Type", headers.pop("Content-Type", content_type))
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _endless(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        head = b'<html><head><meta property="og:title" content="Sans fin"></head><body>'
        self.wfile.write(head)
        try:
            for _ in range(ENDLESS_CHUNKS):
                self.wfile.write(b"x" * 10_000)
        except (BrokenPipeError, ConnectionResetError):
            self.hung_up.set()


@pytest.fixture
def site() -> Iterator[str]:
    Handler.release, Handler.hung_up = threading.Event(), threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    # A loopback server is reachable only as one of the profile's own servers (issue 13; the
    # refusal itself: tests/services/test_fetch_ssrf.py). Port 9: "unreachable" below.
    safe_fetch.trust_origins("test_linkcard", [url, "http://127.0.0.1:9"])
    yield url
    safe_fetch.trust_origins("test_linkcard", [])
    Handler.release.set()
    server.shutdown()
    server.server_close()  # joins the handler threads
    thread.join(HANG_GUARD_S)


def test_open_graph_card_with_reencoded_thumbnail(site: str) -> None:
    fetched = fetch_card(f"{site}/fete", BLUESKY)
    assert fetched.card.url == f"{site}/fete"
    assert fetched.card.title == "Fête de la musique & concerts gratuits"
    assert fetched.card.description == "Le programme du 21 juin, quartier par quartier."
    assert fetched.card.image_url == f"{site}/img/affiche.jpg"
    thumb = fetched.thumb
    assert thumb is not None and thumb.mime_type == "image/jpeg"
    assert len(thumb.data) <= 1_000_000 and max(thumb.width, thumb.height) <= 2000
    assert b"Exif" not in thumb.data  # GPS gone
    assert thumb.width / thumb.height == pytest.approx(2400 / 1260, rel=0.01)


def test_title_tag_when_no_open_graph_and_no_image(site: str) -> None:
    fetched = fetch_card(f"{site}/title-only", BLUESKY)
    assert fetched.card.title == "Mairie" and fetched.thumb is None


def test_charset_from_the_header(site: str) -> None:
    assert fetch_card(f"{site}/latin1", BLUESKY).card.title == "Hôtel de Ville"


def test_http_redirects_are_followed(site: str) -> None:
    fetched = fetch_card(f"{site}/moved", BLUESKY)
    assert fetched.card.title.startswith("Fête de la musique")
    assert fetched.card.url == f"{site}/moved"  # the link as written in the post


def test_a_redirect_to_a_file_is_refused(site: str) -> None:
    with pytest.raises(LinkCardError, match="non-http"):
        fetch_card(f"{site}/to-file", BLUESKY)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a", "javascript:x"])
def test_only_http_links_are_fetched(url: str) -> None:
    with pytest.raises(LinkCardError):
        fetch_card(url, BLUESKY)


def test_not_html_and_errors_give_no_card(site: str) -> None:
    with pytest.raises(LinkCardError, match="not a web page"):
        fetch_card(f"{site}/pdf", BLUESKY)
    with pytest.raises(LinkCardError, match="404"):
        fetch_card(f"{site}/gone", BLUESKY)
    with pytest.raises(LinkCardError, match="unreachable"):
        fetch_card("http://127.0.0.1:9/", BLUESKY)


def test_a_slow_server_is_abandoned_at_the_deadline(site: str) -> None:
    # /slow never answers and holds the connection until the test ends: the fetch gave up by
    # itself, at its deadline (a timeout, not the server closing the connection).
    with pytest.raises(LinkCardError, match=r"too slow|Timeout"):
        fetch_card(f"{site}/slow", BLUESKY, timeout=0.5)
    assert not Handler.release.is_set()


def test_an_endless_page_is_read_up_to_one_megabyte(site: str) -> None:
    fetched = fetch_card(f"{site}/endless", BLUESKY)
    assert fetched.card.title == "Sans fin"
    # The client hung up long before the end of the 100 MB the server tried to send.
    assert Handler.hung_up.wait(HANG_GUARD_S)
