"""Images re-encoded for each network: upright, within limits, same shape, no metadata."""

from __future__ import annotations

import io
import os

import pytest
from PIL import ExifTags, Image

from paris_desk.core.model import Limits
from paris_desk.services.images import ImageError, pixel_size, prepare, thumbnail

BLUESKY = Limits(max_characters=300, counting="graphemes", image_size_limit=1_000_000)
MASTODON = Limits(
    max_characters=500,
    counting="mastodon",
    image_size_limit=16_777_216,
    image_matrix_limit=33_177_600,
)
PARIS_LATITUDE = (48.0, 51.0, 24.0)


def photo_with_gps(size: tuple[int, int] = (400, 200), orientation: int = 6) -> bytes:
    """A JPEG as a phone writes it: GPS position, camera, orientation, XMP and a comment.
    The left quarter is red, the rest blue."""
    image = Image.new("RGB", size, "blue")
    image.paste("red", (0, 0, size[0] // 4, size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Secret Model 12"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = PARIS_LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (2.0, 21.0, 3.0)
    out = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description Creator="Agent X"/></x:xmpmeta>'
    image.save(out, "JPEG", exif=exif, xmp=xmp, comment=b"shot at home")
    return out.getvalue()


def noise(size: tuple[int, int]) -> bytes:
    """Random pixels: the worst case for compression."""
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_the_source_really_carries_gps() -> None:
    with Image.open(io.BytesIO(photo_with_gps())) as source:
        gps = source.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert gps[ExifTags.GPS.GPSLatitude] == PARIS_LATITUDE
        assert "xmp" in source.info and source.info.get("comment") == b"shot at home"


@pytest.mark.parametrize("limits", [BLUESKY, MASTODON], ids=["bluesky", "mastodon"])
def test_every_metadata_block_is_dropped(limits: Limits) -> None:
    upload = prepare(photo_with_gps(), limits, alt="Façade de l'Hôtel de Ville")
    assert upload.mime_type == "image/jpeg"
    assert upload.alt == "Façade de l'Hôtel de Ville"
    assert upload.file_name == "image.jpg"
    for marker in (b"Exif\x00\x00", b"GPS", b"PhoneMaker", b"Secret Model", b"xmpmeta",
                   b"Agent X", b"shot at home"):
        assert marker not in upload.data
    with Image.open(io.BytesIO(upload.data)) as result:
        assert dict(result.getexif()) == {}
        assert "exif" not in result.info and "xmp" not in result.info
        assert "comment" not in result.info


def test_orientation_is_applied_to_the_pixels_before_exif_goes() -> None:
    upload = prepare(photo_with_gps((400, 200), orientation=6), BLUESKY)
    assert (upload.width, upload.height) == (200, 400)  # rotated upright
    with Image.open(io.BytesIO(upload.data)) as result:
        assert result.size == (200, 400)
        red, _green, blue = result.convert("RGB").getpixel((100, 20))
        assert red > 200 and blue < 60  # the red strip, once on the left, is now on top
        red, _green, blue = result.convert("RGB").getpixel((100, 380))
        assert blue > 200 and red < 60


def test_bluesky_gets_at_most_a_million_bytes_and_2000_px_with_the_same_shape() -> None:
    upload = prepare(noise((3000, 2000)), BLUESKY)
    assert len(upload.data) <= 1_000_000
    assert max(upload.width, upload.height) <= 2000
    assert upload.width / upload.height == pytest.approx(1.5, rel=0.01)
    with Image.open(io.BytesIO(upload.data)) as result:
        assert result.size == (upload.width, upload.height)


def test_mastodon_pixel_budget_is_width_times_height() -> None:
    limits = Limits(max_characters=500, counting="mastodon", image_size_limit=16_777_216,
                    image_matrix_limit=1_000_000)
    upload = prepare(noise((2400, 1000)), limits)
    assert upload.width * upload.height <= 1_000_000
    assert upload.width / upload.height == pytest.approx(2.4, rel=0.01)
    assert len(upload.data) <= 16_777_216


def test_a_small_image_keeps_its_size() -> None:
    upload = prepare(photo_with_gps((640, 480), orientation=1), MASTODON)
    assert (upload.width, upload.height) == (640, 480)


def test_transparency_stays_png_until_it_cannot_fit() -> None:
    image = Image.new("RGBA", (300, 200), (255, 0, 0, 0))
    image.paste((0, 0, 255, 255), (0, 0, 150, 200))
    out = io.BytesIO()
    image.save(out, "PNG")
    upload = prepare(out.getvalue(), BLUESKY)
    assert upload.mime_type == "image/png"
    assert upload.file_name == "image.png"
    with Image.open(io.BytesIO(upload.data)) as result:
        assert result.mode == "RGBA" and result.getpixel((250, 100))[3] == 0

    noisy = Image.frombytes("RGBA", (600, 600), os.urandom(600 * 600 * 4))
    out = io.BytesIO()
    noisy.save(out, "PNG")
    tight = Limits(max_characters=300, counting="graphemes", image_size_limit=150_000)
    flattened = prepare(out.getvalue(), tight)
    assert len(flattened.data) <= 150_000
    assert flattened.mime_type == "image/jpeg"  # flattened on white


def test_garbage_is_refused_with_a_typed_error() -> None:
    with pytest.raises(ImageError):
        prepare(b"not an image at all", BLUESKY)
    with pytest.raises(ImageError):
        pixel_size(b"\x89PNG\r\n\x1a\n truncated")


def test_thumbnail_and_pixel_size_are_upright() -> None:
    data = photo_with_gps((400, 200), orientation=6)
    assert pixel_size(data) == (200, 400)
    with Image.open(io.BytesIO(thumbnail(data, 100))) as thumb:
        assert thumb.size == (50, 100)
        assert dict(thumb.getexif()) == {}
