"""Attack through a post: an avatar or media URL that points into the internal network (SSRF,
issue 13). The image loader must send it no request in production mode (the trap's address is
none of the profile's servers), and only images that decoded reach the disk cache."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from pytestqt.qtbot import QtBot
from traps import Trap

from paris_desk.services import safe_fetch
from paris_desk.ui.avatars import ImageLoader, cache_path
from tests.photos import png

SIZE = QSize(32, 32)
GUARD_MS = 15000


def wait_failed(qtbot: QtBot, loader: ImageLoader, url: str) -> None:
    qtbot.waitUntil(lambda: url in loader._failed, timeout=GUARD_MS)


def test_an_avatar_in_the_internal_network_is_never_requested(
    qtbot: QtBot, image_loader: ImageLoader, tmp_path: Path
) -> None:
    with Trap(200, {"Content-Type": "image/png"}, png()) as internal:
        urls = [f"{internal.url}/avatar.png", f"http://localhost:{internal.port}/a.png",
                f"http://[::ffff:127.0.0.1]:{internal.port}/a.png"]
        for url in urls:
            assert image_loader.image(url, SIZE) is None
            wait_failed(qtbot, image_loader, url)
        assert internal.seen == []
    assert not (tmp_path / "cache" / "images").exists()


def test_only_images_that_decoded_are_cached(
    qtbot: QtBot, image_loader: ImageLoader, tmp_path: Path
) -> None:
    with Trap(200, {"Content-Type": "image/png"}, b"\x89PNG not really") as bad, \
            Trap(200, {"Content-Type": "image/png"}, png()) as good:
        safe_fetch.trust_origins(__name__, [bad.url, good.url])  # own servers
        broken, fine = f"{bad.url}/broken.png", f"{good.url}/fine.png"
        image_loader.image(broken, SIZE)
        wait_failed(qtbot, image_loader, broken)
        with qtbot.waitSignal(image_loader.image_loaded, timeout=GUARD_MS):
            image_loader.image(fine, SIZE)
    assert image_loader.image(fine, SIZE) is not None
    assert not cache_path(tmp_path / "cache", broken).exists()
    assert cache_path(tmp_path / "cache", fine).read_bytes() == png()
