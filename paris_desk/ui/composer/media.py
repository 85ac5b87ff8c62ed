"""Images of a post: added from a file dialog or by drag and drop, each with its alt text.

Every image must be described before publishing (a public body's legal duty): the panel shows
the accessibility findings of each description under it. Files are read and thumbnailed off
the GUI thread; the images are re-encoded for each network only when publishing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from paris_desk.core.accessibility import Issue
from paris_desk.core.model import DraftImage
from paris_desk.services import images
from paris_desk.services.workers import TaskManager
from paris_desk.ui.composer.checks import issue_message
from paris_desk.ui.folders import pictures_folder
from paris_desk.ui.theme import tone_style

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".bmp", ".tif", ".tiff")
THUMB = 96


def _read_thumbnail(path: str) -> bytes:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise images.ImageError(f"cannot read the file: {exc.strerror}") from exc
    return images.thumbnail(data, THUMB)


class ImageRow(QWidget):
    changed = Signal()
    remove_requested = Signal(object)  # ImageRow

    def __init__(self, path: str, alt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        name = Path(path).name
        self.thumb = QLabel(self.tr("Loading…"))
        self.thumb.setFixedSize(THUMB, THUMB)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumb.setAccessibleName(self.tr("Thumbnail of {name}").format(name=name))
        self.name = QLabel(name)
        self.alt = QPlainTextEdit(alt)
        self.alt.setPlaceholderText(self.tr("Describe the image: who, what, where, text in it…"))
        self.alt.setAccessibleName(self.tr("Alt text of {name}").format(name=name))
        self.alt.setTabChangesFocus(True)
        self.alt.setMaximumHeight(64)
        self.alt.textChanged.connect(self.changed)
        self.issues = QLabel()
        self.issues.setWordWrap(True)
        self.issues.setAccessibleName(self.tr("Checks of the alt text of {name}").format(
            name=name))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setAccessibleName(self.tr("Remove the image {name}").format(name=name))
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        text = QVBoxLayout()
        header = QHBoxLayout()
        header.addWidget(self.name, 1)
        header.addWidget(self.remove_button)
        text.addLayout(header)
        text.addWidget(self.alt)
        text.addWidget(self.issues)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addWidget(self.thumb, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(text, 1)

    def set_thumbnail(self, data: bytes) -> None:
        pixmap = QPixmap()
        if pixmap.loadFromData(data):
            self.thumb.setPixmap(pixmap)

    def set_failed(self) -> None:
        self.thumb.setText(self.tr("Unreadable"))

    def image(self) -> DraftImage:
        return DraftImage(self.path, self.alt.toPlainText())

    def set_issues(self, issues: tuple[Issue, ...]) -> None:
        blocking = any(i.blocking for i in issues)
        lines = [("✖ " if i.blocking else "⚠ ") + issue_message(i) for i in issues]
        self.issues.setText("\n".join(lines))
        self.issues.setStyleSheet(tone_style("error" if blocking else "warning"))
        self.issues.setVisible(bool(lines))


class MediaPanel(QWidget):
    changed = Signal()
    error_occurred = Signal(str)

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._rows: list[ImageRow] = []
        self._max = 4
        self.setAcceptDrops(True)
        self.add_button = QPushButton(self.tr("Add images…"))
        self.add_button.setAccessibleName(self.tr("Add images"))
        self.add_button.clicked.connect(self._on_add)
        self.hint = QLabel()
        self.hint.setAccessibleName(self.tr("Images"))
        header = QHBoxLayout()
        header.addWidget(self.add_button)
        header.addWidget(self.hint, 1)
        self.rows = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addLayout(self.rows)
        self._update()

    # -- API ---------------------------------------------------------------------------------

    def images(self) -> list[DraftImage]:
        return [row.image() for row in self._rows]

    def image_rows(self) -> list[ImageRow]:
        return list(self._rows)

    def set_images(self, drafted: list[DraftImage]) -> None:
        if drafted == self.images():
            return
        for row in list(self._rows):
            self._remove(row, notify=False)
        for image in drafted:
            self._add(image.path, image.alt)
        self._update()

    def set_max(self, count: int) -> None:
        self._max = count
        self._update()

    def set_alt_issues(self, per_image: tuple[tuple[Issue, ...], ...]) -> None:
        for row, issues in zip(self._rows, per_image, strict=False):
            row.set_issues(issues)

    def add_paths(self, paths: list[str]) -> None:
        """Add image files, up to the maximum; the others are refused with a message."""
        room = self._max - len(self._rows)
        wanted = [p for p in paths if Path(p).suffix.lower() in IMAGE_SUFFIXES]
        if len(wanted) < len(paths):
            self.error_occurred.emit(self.tr("Only image files can be added."))
        if len(wanted) > room:
            self.error_occurred.emit(self.tr("At most %n image(s) per post.", "", self._max))
        for path in wanted[:max(room, 0)]:
            self._add(path, "")
        self._update()
        self.changed.emit()

    # -- drag and drop -----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_paths(paths)

    # -- internals ---------------------------------------------------------------------------

    def _on_add(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self, self.tr("Add images"), pictures_folder(),
            self.tr("Images (*.jpg *.jpeg *.png *.gif *.webp *.heic *.bmp *.tif *.tiff)"),
        )
        if paths:
            self.add_paths(paths)

    def _add(self, path: str, alt: str) -> None:
        row = ImageRow(path, alt)
        row.changed.connect(self.changed)
        row.remove_requested.connect(self._remove)
        self._rows.append(row)
        self.rows.addWidget(row)
        self._tasks.run(lambda: _read_thumbnail(path), row.set_thumbnail,
                        lambda _exc: self._on_unreadable(row))
        row.alt.setFocus()

    def _on_unreadable(self, row: ImageRow) -> None:
        if row in self._rows:
            row.set_failed()
            self.error_occurred.emit(self.tr("{name} cannot be read as an image.").format(
                name=Path(row.path).name))

    def _remove(self, row: ImageRow, notify: bool = True) -> None:
        if row in self._rows:
            self._rows.remove(row)
            self.rows.removeWidget(row)
            row.deleteLater()
        if notify:
            self._update()
            self.changed.emit()

    def _update(self) -> None:
        full = len(self._rows) >= self._max
        self.add_button.setEnabled(not full)
        if full:
            self.hint.setText(self.tr("Maximum reached: %n image(s).", "", self._max))
        else:
            self.hint.setText(self.tr("Up to %n image(s), drag and drop accepted.", "", self._max))
        self.hint.setAccessibleDescription(self.hint.text())
