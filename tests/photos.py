"""A phone's photo for the publishing tests: big, with EXIF, a GPS position and a comment;
and the check that none of it reached a server. A plain PNG for servers that serve pictures."""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image

GPS_IFD = 0x8825
PHOTO_NAME = "IMG_20261207_rue_de_Rivoli_Marie_Dupont.jpg"


def camera_photo(path: Path, width: int = 3000, height: int = 2000) -> Path:
    """A 6-megapixel JPEG as a phone writes it: noisy pixels (so it stays big), EXIF with the
    camera and a GPS position (Hôtel de Ville), a JPEG comment."""
    rng = random.Random(7)
    image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 15"  # Model
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 7.0)})
    image.save(path, "JPEG", quality=95, exif=exif, comment=b"Marie Dupont, 12 rue X")
    assert path.stat().st_size > 2_000_000  # over what Bluesky accepts as it is
    with Image.open(path) as check:
        assert check.getexif().get_ifd(GPS_IFD)
    return path


def assert_clean(data: bytes) -> None:
    assert PHOTO_NAME.encode() not in data
    assert b"PhoneMaker" not in data
    assert b"Marie Dupont" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert "exif" not in image.info
        assert not image.getexif()
        assert not image.getexif().get_ifd(GPS_IFD)
        assert "comment" not in image.info


def png(width: int = 64, height: int = 64, colour: str | tuple[int, int, int] = "teal") -> bytes:
    """A plain PNG of one colour, as a server would serve an avatar or a media file."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()
