"""Preview of the link card Bluesky will show for the first link, with a button to remove it.

Mastodon servers build their own preview card; Bluesky shows the one the client sends
(``app.bsky.embed.external``), so the card is fetched (``services.linkcard``) off the GUI thread
and shown here before publishing.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from paris_desk.services.linkcard import FetchedCard

THUMB_WIDTH = 120


class LinkCardPreview(QFrame):
    removed = Signal(str)  # the URL whose card the user removed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("link_card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Link card preview for Bluesky"))
        self.thumb = QLabel()
        self.thumb.setFixedWidth(THUMB_WIDTH)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumb.setAccessibleName(self.tr("Image of the link card"))
        self.heading = QLabel(self.tr("Link card (Bluesky)"))
        self.heading.setStyleSheet("color: palette(placeholder-text);")  # AA in both themes
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold;")
        self.title.setAccessibleName(self.tr("Title of the link card"))
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setAccessibleName(self.tr("Description of the link card"))
        self.host = QLabel()
        self.host.setAccessibleName(self.tr("Site of the link card"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.remove_button = QPushButton(self.tr("Remove the card"))
        self.remove_button.setAccessibleName(self.tr("Remove the link card"))
        self.remove_button.clicked.connect(self._on_remove)
        text = QVBoxLayout()
        text.addWidget(self.heading)
        text.addWidget(self.title)
        text.addWidget(self.description)
        text.addWidget(self.host)
        text.addWidget(self.status)
        layout = QHBoxLayout(self)
        layout.addWidget(self.thumb, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(text, 1)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        self._url = ""
        self.card: FetchedCard | None = None
        self.hide()

    @property
    def url(self) -> str:
        return self._url

    def show_loading(self, url: str) -> None:
        self._url, self.card = url, None
        self._fill("", "", urlsplit(url).netloc, None)
        self.status.setText(self.tr("Loading the preview…"))
        self.remove_button.setEnabled(True)
        self.show()

    def show_card(self, fetched: FetchedCard, images_win: bool) -> None:
        self._url, self.card = fetched.card.url, fetched
        card = fetched.card
        self._fill(card.title, card.description, urlsplit(card.url).netloc,
                   fetched.thumb.data if fetched.thumb else None)
        self.status.setText(self.tr("The images replace this card on Bluesky.")
                            if images_win else "")
        self.status.setVisible(images_win)
        self.show()

    def show_failed(self, url: str) -> None:
        self._url, self.card = url, None
        self.hide()

    def clear(self) -> None:
        self._url, self.card = "", None
        self.hide()

    def _fill(self, title: str, description: str, host: str, thumb: bytes | None) -> None:
        self.title.setText(title)
        self.title.setVisible(bool(title))
        self.description.setText(description)
        self.description.setVisible(bool(description))
        self.host.setText(host)
        self.status.setVisible(True)
        pixmap = QPixmap()
        if thumb and pixmap.loadFromData(thumb):
            self.thumb.setPixmap(pixmap.scaledToWidth(THUMB_WIDTH,
                                                      Qt.TransformationMode.SmoothTransformation))
            self.thumb.show()
        else:
            self.thumb.clear()
            self.thumb.hide()
        self.setAccessibleDescription(" — ".join(p for p in (title, description, host) if p))

    def _on_remove(self) -> None:
        url = self._url
        self.clear()
        self.removed.emit(url)
