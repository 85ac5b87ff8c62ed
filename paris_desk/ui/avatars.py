"""Avatars and image thumbnails, loaded without blocking the GUI thread.

``image(url, size)`` answers at once: the scaled ``QImage`` when it is in memory (an LRU of a
few hundred), else None, and then a worker brings it: from the disk cache in
``profile.cache_dir/images`` or downloaded through ``services.safe_fetch`` (http/https only, no
private or loopback address unless it is one of the profile's own servers, ``image/*`` only,
20 MB at most), decoded and scaled off the GUI thread. Only an image that decoded is written to
the disk cache. ``image_loaded(url)`` tells the views to repaint. A failed URL is not asked for
again during the run.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections import OrderedDict
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QImage

from paris_desk.services import safe_fetch
from paris_desk.services.workers import DaemonExecutor, TaskManager

log = logging.getLogger(__name__)

MAX_BYTES = safe_fetch.MAX_IMAGE_BYTES
TIMEOUT = 10.0
MEMORY_ITEMS = 400
WORKERS = 4
ImageKey = tuple[str, int, int]


def cache_path(cache_dir: Path, url: str) -> Path:
    return cache_dir / "images" / hashlib.sha256(url.encode("utf-8")).hexdigest()


def fetch_bytes(url: str, cache_dir: Path) -> tuple[bytes, bool]:
    """The bytes at ``url`` and whether they came from the disk cache. Worker only.

    Not cached here: call :func:`store` once they decoded."""
    try:
        return cache_path(cache_dir, url).read_bytes(), True
    except FileNotFoundError:
        pass
    except OSError as exc:  # an unreadable cache: the network still has the picture
        log.warning("image disk cache unreadable (%s): %s", type(exc).__name__,
                    cache_path(cache_dir, url).parent)
    got = safe_fetch.fetch(
        url, max_bytes=MAX_BYTES, accept=safe_fetch.IMAGE_TYPES, timeout=TIMEOUT
    )
    return got.body, False


def store(url: str, cache_dir: Path, data: bytes) -> None:
    """Write an image that decoded to the disk cache (atomically, readable by the user only).

    Each call writes its own temporary file: the same picture is often loaded at two sizes at
    once (a row's thumbnail and the viewer), and a shared one let a reader see half a file and
    a writer find its file moved away."""
    path = cache_path(cache_dir, url)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_scaled(url: str, cache_dir: Path, size: QSize) -> QImage:
    """Fetch (or read from the cache), decode and scale; cache only what decoded."""
    data, cached = fetch_bytes(url, cache_dir)
    try:
        image = decode_scaled(data, size)
    except ValueError:
        if cached:  # a damaged cache entry: forget it
            cache_path(cache_dir, url).unlink(missing_ok=True)
        raise
    if not cached:
        try:
            store(url, cache_dir, data)
        except OSError as exc:  # the disk cache is a saving, the picture is what counts
            log.warning("image not written to the disk cache (%s): %s", type(exc).__name__,
                        cache_path(cache_dir, url).parent)
    return image


def decode_scaled(data: bytes, size: QSize) -> QImage:
    """Decode and scale to cover ``size``, centred crop. Worker only (QImage is reentrant)."""
    image = QImage.fromData(data)
    if image.isNull():
        raise ValueError("not an image")
    scaled = image.scaled(
        size,
        Qt.AspectRatioMode.KeepAspectRatioByExpanding,
        Qt.TransformationMode.SmoothTransformation,
    )
    x = (scaled.width() - size.width()) // 2
    y = (scaled.height() - size.height()) // 2
    return scaled.copy(QRect(x, y, size.width(), size.height()))


class ImageLoader(QObject):
    image_loaded = Signal(str)

    def __init__(
        self,
        tasks: TaskManager,
        cache_dir: Path,
        parent: QObject | None = None,
        memory_items: int = MEMORY_ITEMS,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._cache_dir = cache_dir
        self._memory: OrderedDict[ImageKey, QImage] = OrderedDict()
        self._memory_items = memory_items
        self._loading: set[ImageKey] = set()
        self._failed: set[str] = set()
        self._executor = DaemonExecutor(WORKERS, "paris-desk-img")
        self.destroyed.connect(lambda *_: self._executor.shutdown(0.0))

    def image(self, url: str, size: QSize) -> QImage | None:
        """The image scaled to ``size`` if loaded; else None (and it starts loading)."""
        if not url or url in self._failed:
            return None
        key = (url, size.width(), size.height())
        found = self._memory.get(key)
        if found is not None:
            self._memory.move_to_end(key)
            return found
        if key not in self._loading:
            self._loading.add(key)
            self._start(key)
        return None

    def shutdown(self) -> None:
        self._executor.shutdown(0.0)

    def _start(self, key: ImageKey) -> None:
        url, width, height = key
        cache_dir = self._cache_dir
        tasks = self._tasks

        def work() -> QImage:
            return load_scaled(url, cache_dir, QSize(width, height))

        def finished(future: Any) -> None:
            tasks.run_on_main(lambda: self._finished(key, future))

        try:
            self._executor.submit(work).add_done_callback(finished)
        except RuntimeError:  # shut down: the app is quitting
            self._loading.discard(key)

    def _finished(self, key: ImageKey, future: Any) -> None:
        if not shiboken6.isValid(self):
            return  # the window closed while the image was on its way
        self._loading.discard(key)
        if future.cancelled():
            return
        exc = future.exception()
        if exc is not None:
            if not isinstance(exc, OSError | ValueError | safe_fetch.FetchRefused):
                log.error("bug while loading an image", exc_info=exc)
            else:
                log.info("image not loaded (%s): %s", type(exc).__name__, key[0][:80])
            self._failed.add(key[0])
            return
        self._memory[key] = future.result()
        while len(self._memory) > self._memory_items:
            self._memory.popitem(last=False)
        self.image_loaded.emit(key[0])
