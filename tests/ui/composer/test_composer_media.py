"""Images in the composer: alt text required before publishing (the button says why), EXIF and
GPS gone from the bytes the servers received, drag and drop, and the networks' maximum."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import ExifTags, Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Account
from paris_desk.store.outbox import Job
from paris_desk.ui.composer.widget import ComposerWidget

Type = Callable[[ComposerWidget, str], None]
WaitJobs = Callable[..., list[Job]]
POST = "app.bsky.feed.post"
ALT = "La grande roue illuminée place de la Concorde, la nuit, vue depuis les Tuileries."


def write_photo(folder: Path, name: str = "IMG_2024.jpg", size: tuple[int, int] = (2600, 1300),
                ) -> Path:
    """A phone photo: GPS position in its EXIF, a maker, a comment."""
    image = Image.new("RGB", size, "navy")
    image.paste("gold", (0, 0, size[0] // 3, size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 59.0)
    path = folder / name
    image.save(path, "JPEG", exif=exif, comment=b"chez moi")
    return path


def assert_clean(data: bytes) -> None:
    for marker in (b"Exif\x00\x00", b"GPS", b"PhoneMaker", b"chez moi"):
        assert marker not in data
    with Image.open(io.BytesIO(data)) as image:
        assert dict(image.getexif()) == {}


@pytest.fixture
def checked(composer: ComposerWidget, both: tuple[Account, Account]) -> ComposerWidget:
    composer.targets_panel.set_checked([a.id for a in both])
    return composer


def test_missing_alt_text_disables_publish_and_says_why(
        qtbot: QtBot, checked: ComposerWidget, type_text: Type, tmp_path: Path) -> None:
    type_text(checked, "La grande roue est de retour !")
    checked.media.add_paths([str(write_photo(tmp_path))])
    qtbot.wait(150)
    assert not checked.publish_button.isEnabled()
    assert checked.blocking_reasons() == "Cannot publish yet: Every image needs an alt text."
    (row,) = checked.media.image_rows()
    assert "Describe this image" in row.issues.text()

    row.alt.setPlainText("IMG_2024.jpg")  # a file name: a warning, not a block
    qtbot.wait(150)
    assert checked.publish_button.isEnabled()
    assert "file name" in row.issues.text()
    row.alt.setPlainText("   ")
    qtbot.wait(150)
    assert not checked.publish_button.isEnabled()
    row.alt.setPlainText(ALT)
    qtbot.wait(150)
    assert checked.publish_button.isEnabled()
    assert checked.blocking_reasons() == ""
    assert row.issues.text() == ""
    qtbot.waitUntil(lambda: row.thumb.pixmap() is not None and not row.thumb.pixmap().isNull())


def test_exif_and_gps_are_stripped_from_the_uploaded_bytes(
        qtbot: QtBot, checked: ComposerWidget, both: tuple[Account, Account], type_text: Type,
        wait_jobs: WaitJobs, tmp_path: Path, bluesky_sandbox: Any, mastodon_sandbox: Any) -> None:
    mastodon, bluesky = both
    type_text(checked, "La grande roue est de retour !")
    checked.media.add_paths([str(write_photo(tmp_path))])
    checked.media.image_rows()[0].alt.setPlainText(ALT)
    qtbot.wait(150)
    checked.publish_button.click()
    jobs = wait_jobs(checked, count=2)

    job = next(j for j in jobs if j.account_id == bluesky.id)
    record = bluesky_sandbox.records(bluesky.user_id, POST)[job.idempotency_key]
    (image,) = record["embed"]["images"]
    assert image["alt"] == ALT
    assert image["aspectRatio"]["width"] / image["aspectRatio"]["height"] == pytest.approx(2.0)
    assert max(image["aspectRatio"]["width"], image["aspectRatio"]["height"]) <= 2000
    blob = bluesky_sandbox.blob(image["image"]["ref"]["$link"])
    assert len(blob) <= 1_000_000
    assert_clean(blob)

    status = mastodon_sandbox.statuses_by("ville")[0]
    (attachment,) = status["media_attachments"]
    assert attachment["description"] == ALT
    assert_clean(mastodon_sandbox.uploaded_media(attachment["id"]))
    assert mastodon.id in {j.account_id for j in jobs}


def test_drag_and_drop_adds_images_up_to_the_maximum(
        qtbot: QtBot, checked: ComposerWidget, tmp_path: Path) -> None:
    errors: list[str] = []
    checked.error_occurred.connect(errors.append)
    paths = [write_photo(tmp_path, f"photo{n}.jpg", (40, 30)) for n in range(5)]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    checked.media.dropEvent(drop)
    assert [Path(i.path).name for i in checked.media.images()] == [
        "photo0.jpg", "photo1.jpg", "photo2.jpg", "photo3.jpg"]
    assert errors == ["At most 4 image(s) per post."]
    assert not checked.media.add_button.isEnabled()
    checked.media.image_rows()[0].remove_button.click()
    assert len(checked.media.images()) == 3
    assert checked.media.add_button.isEnabled()


def test_an_unreadable_file_is_reported(qtbot: QtBot, checked: ComposerWidget,
                                        tmp_path: Path) -> None:
    errors: list[str] = []
    checked.error_occurred.connect(errors.append)
    fake = tmp_path / "affiche.png"
    fake.write_bytes(b"not a picture")
    checked.media.add_paths([str(fake)])
    qtbot.waitUntil(lambda: errors == ["affiche.png cannot be read as an image."])
