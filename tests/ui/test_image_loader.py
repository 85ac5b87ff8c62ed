"""The image loader under the way the window uses it: one picture asked for at several sizes at
once (the row's thumbnail, the image viewer, a cover) loads at each of them, and a disk cache
that cannot be written costs the cache, never the picture."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from pytestqt.qtbot import QtBot
from traps import Trap

from paris_desk.services import safe_fetch
from paris_desk.ui.avatars import ImageLoader
from tests.photos import png

SIZES = [QSize(32, 32), QSize(120, 80), QSize(900, 700)]
GUARD_MS = 30000  # only stops a hung test, never reached when all is well


def load_all(qtbot: QtBot, loader: ImageLoader, urls: list[str]) -> list[tuple[str, QSize]]:
    """Ask for every URL at every size at once; wait until each is loaded or failed; return
    what did not load."""
    wanted = [(url, size) for url in urls for size in SIZES]
    for url, size in wanted:
        assert loader.image(url, size) is None

    def settled() -> bool:
        return all(url in loader._failed or loader.image(url, size) is not None
                   for url, size in wanted)

    qtbot.waitUntil(settled, timeout=GUARD_MS)
    return [(url, size) for url, size in wanted if loader.image(url, size) is None]


def test_one_picture_asked_at_several_sizes_at_once_loads_at_each(
    qtbot: QtBot, image_loader: ImageLoader
) -> None:
    with Trap(200, {"Content-Type": "image/png"}, png(640, 480)) as server:
        safe_fetch.trust_origins(__name__, [server.url])
        urls = [f"{server.url}/media/{n}.png" for n in range(40)]
        assert load_all(qtbot, image_loader, urls) == []
        assert image_loader._failed == set()


def test_a_cache_that_cannot_be_written_costs_the_cache_not_the_picture(
    qtbot: QtBot, image_loader: ImageLoader, tmp_path: Path
) -> None:
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "images").write_bytes(b"")  # a file where the folder should be
    with Trap(200, {"Content-Type": "image/png"}, png(640, 480)) as server:
        safe_fetch.trust_origins(__name__, [server.url])
        assert load_all(qtbot, image_loader, [f"{server.url}/media/a.png"]) == []
