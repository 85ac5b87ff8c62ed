"""A post's images in the app, large, each with its description (alt text) under it.

Opened by a click on an image of a post (``PostDelegate.image_activated``). Left and Right go
from one image to the next; Escape closes. "Open in the browser" shows the original.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtGui import QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from paris_desk.core.model import Post
from paris_desk.ui.avatars import ImageLoader
from paris_desk.ui.timeline.post_text import clean

VIEW_SIZE = QSize(1200, 800)


class ImageViewer(QDialog):
    def __init__(self, post: Post, index: int, images: ImageLoader,
                 open_link: Callable[[str], object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("image_viewer")
        self.post, self.images, self._open_link = post, images, open_link
        self.index = 0
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(320, 240)
        self.alt = QLabel()
        self.alt.setWordWrap(True)
        self.alt.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.alt.setAccessibleName(self.tr("Image description"))
        self.previous_button = QPushButton(self.tr("◀ &Previous"))
        self.next_button = QPushButton(self.tr("&Next ▶"))
        self.browser_button = QPushButton(self.tr("Open in the &browser"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for button in (self.previous_button, self.next_button, self.browser_button):
            button.setAccessibleName(button.text().replace("&", ""))
            button.setAutoDefault(False)
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(close.text().replace("&", ""))
        buttons.rejected.connect(self.reject)
        self.previous_button.clicked.connect(lambda: self.show_image(self.index - 1))
        self.next_button.clicked.connect(lambda: self.show_image(self.index + 1))
        self.browser_button.clicked.connect(self._browse)
        several = len(post.media) > 1
        self.previous_button.setVisible(several)
        self.next_button.setVisible(several)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.alt)
        layout.addWidget(buttons)
        images.image_loaded.connect(self._on_loaded)
        self.finished.connect(self.deleteLater)
        self.resize(900, 700)
        self.show_image(index)

    def url(self) -> str:
        media = self.post.media[self.index]
        return media.url or media.preview_url

    def show_image(self, index: int) -> None:
        count = len(self.post.media)
        self.index = max(0, min(index, count - 1))
        author = clean(self.post.author.display_name) or self.post.author.handle
        self.setWindowTitle(self.tr("Image {n} of {count} — {author}").format(
            n=self.index + 1, count=count, author=author))
        self.setAccessibleName(self.windowTitle())
        alt = self.post.media[self.index].alt.strip()
        self.alt.setText(alt or self.tr("No description (alt text) was given for this image."))
        self.alt.setAccessibleDescription(self.alt.text())
        self.previous_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < count - 1)
        self._draw()

    def _draw(self) -> None:
        image = self.images.image(self.url(), VIEW_SIZE)
        if image is None:
            self.picture.setText(self.tr("Loading the image…"))
            return
        pixmap = QPixmap.fromImage(image)
        room = self.picture.size()
        if pixmap.width() > room.width() or pixmap.height() > room.height():
            pixmap = pixmap.scaled(room, Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
        self.picture.setPixmap(pixmap)

    @Slot(str)
    def _on_loaded(self, url: str) -> None:
        if url == self.url():
            self._draw()

    def _browse(self) -> None:
        self._open_link(self.url())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Right:
            self.show_image(self.index + 1)
        elif event.key() == Qt.Key.Key_Left:
            self.show_image(self.index - 1)
        else:
            super().keyPressEvent(event)
