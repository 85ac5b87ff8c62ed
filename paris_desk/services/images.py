"""Images made ready for one network: re-encoded to its limits, upright, without metadata.

``prepare(data, limits)`` always re-encodes (API_NOTES §3.2), so nothing of the source file
survives but its pixels (and its colour profile): the EXIF block (GPS position, camera, date),
XMP and the JPEG comment are dropped, after the EXIF orientation has been applied to the
pixels. The result keeps the aspect ratio and fits:

- the pixel budget: ``limits.image_matrix_limit`` (Mastodon, width x height) and, when the
  network states none (Bluesky), at most 2000 px per side like the official app;
- the byte budget: ``limits.image_size_limit`` (Bluesky 1,000,000 B), else 8 MB.

Output is JPEG, or PNG when the image has transparency (PNG is shrunk until it fits; if it
cannot fit, it is flattened on white and sent as JPEG). Animated images keep their first frame.
Qt-free; CPU-bound: call it from a worker thread.
"""

from __future__ import annotations

import io
import logging
import math
import warnings
from collections.abc import Iterator

from PIL import Image, ImageOps, UnidentifiedImageError

from paris_desk.core.errors import ParisDeskError
from paris_desk.core.model import Limits, PreparedMedia

log = logging.getLogger(__name__)

MAX_SIDE_DEFAULT = 2000  # social-app POST_IMG_MAX, for networks that state no pixel limit
MAX_BYTES_DEFAULT = 8_000_000
MAX_SOURCE_PIXELS = 100_000_000  # refuse to decode more (decompression bombs)
JPEG_QUALITIES = (90, 85, 80, 72, 64, 56)
SHRINK_STEP = 0.8
MIN_SIDE = 64


class ImageError(ParisDeskError):
    """The file is not an image Pillow can read, or is absurdly large. ``path``: the file, when
    the caller knows it; ``size``: (width, height) when the image is too large to decode."""

    def __init__(self, message: str, *, path: str = "", size: tuple[int, int] | None = None
                 ) -> None:
        super().__init__(message)
        self.path = path
        self.size = size


def prepare(data: bytes, limits: Limits, alt: str = "") -> PreparedMedia:
    """``data`` re-encoded for ``limits``; raises ``ImageError``. The file name is neutral
    (``image.jpg``): the original one may name a person or a place."""
    image = _open(data)
    max_bytes = limits.image_size_limit or MAX_BYTES_DEFAULT
    image = _fit_pixels(image, limits)
    for candidate in _shrinking(image):
        encoded, mime_type = _encode(candidate, max_bytes)
        if encoded is not None:
            return PreparedMedia(
                data=encoded,
                mime_type=mime_type,
                alt=alt,
                width=candidate.width,
                height=candidate.height,
                file_name="image.png" if mime_type == "image/png" else "image.jpg",
            )
    raise ImageError(f"cannot fit the image in {max_bytes} bytes")


def pixel_size(data: bytes) -> tuple[int, int]:
    """The upright size of an image (EXIF orientation applied); raises ``ImageError``."""
    image = _open(data)
    return image.size


def thumbnail(data: bytes, side: int = 160) -> bytes:
    """A small upright PNG for a preview (no metadata)."""
    image = _open(data)
    image.thumbnail((side, side))
    out = io.BytesIO()
    _without_info(image).save(out, "PNG")
    return out.getvalue()


# -- internals ---------------------------------------------------------------------------------


def _open(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            source = Image.open(io.BytesIO(data))
            if source.width * source.height > MAX_SOURCE_PIXELS:
                raise _too_large(source.size)
            source.seek(0)  # animated: the first frame
            source.load()
            upright = ImageOps.exif_transpose(source)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ImageError(f"not a readable image: {type(exc).__name__}") from exc
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise _too_large(_declared_size(data)) from exc
    icc = source.info.get("icc_profile")
    if upright.mode not in ("RGB", "RGBA", "L", "LA"):
        upright = upright.convert("RGBA" if _has_alpha(upright) else "RGB")
    upright = _without_info(upright)
    if icc:
        upright.info["icc_profile"] = icc
    return upright


def _too_large(size: tuple[int, int] | None) -> ImageError:
    shown = f" ({size[0]}x{size[1]})" if size else ""
    return ImageError(f"image too large{shown}", size=size)


def _declared_size(data: bytes) -> tuple[int, int] | None:
    """The size an image's header declares, read without decoding the pixels and without
    Pillow's bomb check (which refuses to say it): for the message only."""
    Image.init()
    for name in Image.ID:
        factory, accept = Image.OPEN[name]
        if accept is not None and not accept(data[:16]):
            continue
        try:
            return tuple(factory(io.BytesIO(data), "").size)  # type: ignore[return-value]
        except Exception:  # noqa: BLE001, S112 - any plugin may choke: try the next one
            continue
    return None


def _without_info(image: Image.Image) -> Image.Image:
    """A copy whose ``info`` holds nothing (no EXIF, XMP, comment, DPI): save() finds no
    metadata to carry over."""
    clean = image.copy()
    clean.info = {}
    return clean


def _has_alpha(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA"):
        return True
    return image.mode == "P" and "transparency" in image.info


def _transparent(image: Image.Image) -> bool:
    """True when some pixel is not fully opaque."""
    if image.mode not in ("RGBA", "LA"):
        return False
    extrema = image.getchannel("A").getextrema()  # (min, max) of a single band
    return isinstance(extrema[0], int | float) and extrema[0] < 255


def _fit_pixels(image: Image.Image, limits: Limits) -> Image.Image:
    width, height = image.size
    scale = 1.0
    if limits.image_matrix_limit:
        if width * height > limits.image_matrix_limit:
            scale = math.sqrt(limits.image_matrix_limit / (width * height))
    elif max(width, height) > MAX_SIDE_DEFAULT:
        scale = MAX_SIDE_DEFAULT / max(width, height)
    return _scaled(image, scale) if scale < 1.0 else image


def _scaled(image: Image.Image, scale: float) -> Image.Image:
    """Resized by ``scale``, keeping the aspect ratio (never above the pixel budget)."""
    width = max(1, math.floor(image.width * scale))
    height = max(1, math.floor(image.height * scale))
    resized = image.resize((width, height), Image.Resampling.LANCZOS)
    resized.info = dict(image.info)  # only the ICC profile, if any
    return resized


def _shrinking(image: Image.Image) -> Iterator[Image.Image]:
    """The image, then smaller and smaller copies, down to ``MIN_SIDE``."""
    current = image
    yield current
    while min(current.size) * SHRINK_STEP >= MIN_SIDE:
        current = _scaled(current, SHRINK_STEP)
        yield current


def _encode(image: Image.Image, max_bytes: int) -> tuple[bytes | None, str]:
    icc = image.info.get("icc_profile")
    extra = {"icc_profile": icc} if icc else {}
    if _transparent(image):
        out = io.BytesIO()
        image.save(out, "PNG", optimize=True, **extra)
        if out.tell() <= max_bytes:
            return out.getvalue(), "image/png"
        flat = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    elif image.mode not in ("RGB", "L"):
        image = image.convert("L" if image.mode == "LA" else "RGB")
    for quality in JPEG_QUALITIES:
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality, optimize=True, comment=b"", **extra)
        if out.tell() <= max_bytes:
            return out.getvalue(), "image/jpeg"
    return None, "image/jpeg"
