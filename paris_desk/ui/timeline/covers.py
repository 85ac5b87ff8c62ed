"""What covers a post in the timeline until the user asks to see it, and how it is painted.

- Media a label or Mastodon's ``sensitive`` flag blurs (``core.labels``): the image is drawn
  blurred and darkened, with the reason and a "Voir" button; a click on it shows the media (an
  image click never opens a covered image).
- Posts a filter warns about (``core.filters``, ``warn``) or a moderator's ``!warn`` label:
  the row shrinks to one line, "Filtré : <mot>", with "Voir".
- Posts a filter hides, or a moderator's ``!hide``: the column hides their rows
  (``QListView.setRowHidden``) and counts them on its "N masqués" button, which shows them.

``Covers`` is one per column, GUI thread only. It holds the matcher (compiled filters, handed
over by a worker) and what the user opened, by item key; verdicts are cached per key (a
matcher runs in microseconds, once per post).
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QListView, QPushButton

from paris_desk.core.filters import Matcher, Verdict
from paris_desk.core.labels import HIDE_LABEL, LabelAction, LabelVerdict, label_verdict
from paris_desk.core.merge import ItemKey, item_key
from paris_desk.core.model import Post
from paris_desk.ui.timeline.model import TimelineModel
from paris_desk.ui.timeline.post_layout import Fonts
from paris_desk.ui.timeline.post_rows import HEIGHT_CACHE, HEIGHT_KEPT, forget_oldest

BLUR_CACHE = 64
BLUR_FACTOR = 24  # the image is scaled down this much, then back up (smoothly)
COVER = QColor(0, 0, 0, 110)
COLLAPSED_BG = QColor("#f6f8fa")
GREY = QColor("#5f6368")
LINK = QColor("#0b57d0")


def _show() -> str:
    """The button that uncovers ("Voir")."""
    return QCoreApplication.translate("Covers", "Show")


def reason_text(reason: str) -> str:
    """The reason shown on covered media or a collapsed post, in the user's language."""
    reasons = {
        "porn": QCoreApplication.translate("Covers", "Adult content"),
        "sexual": QCoreApplication.translate("Covers", "Sexual content"),
        "nudity": QCoreApplication.translate("Covers", "Nudity"),
        "graphic-media": QCoreApplication.translate("Covers", "Graphic media"),
        "gore": QCoreApplication.translate("Covers", "Gore"),
        "sensitive": QCoreApplication.translate("Covers", "Sensitive media"),
        "!warn": QCoreApplication.translate("Covers", "Warning from the moderators"),
        HIDE_LABEL: QCoreApplication.translate("Covers", "Hidden by the moderators"),
    }
    return reasons.get(reason, reason)


class Covers(QObject):
    changed = Signal()  # a verdict or what is shown changed: repaint, hide or show rows

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._matcher = Matcher([])
        self._verdicts: dict[ItemKey, Verdict | None] = {}
        self._opened: set[ItemKey] = set()  # media shown or collapsed posts opened
        self._hidden_uris: frozenset[str] = frozenset()  # replies the thread's author hid
        self._blurred: OrderedDict[tuple[int, int, int], QImage] = OrderedDict()
        self.show_hidden = False

    @property
    def matcher(self) -> Matcher:
        return self._matcher

    def set_matcher(self, matcher: Matcher) -> None:
        self._matcher = matcher
        self._verdicts.clear()
        self.changed.emit()

    # -- verdicts ----------------------------------------------------------------------------
    def filter_verdict(self, post: Post) -> Verdict | None:
        key = item_key(post)
        if key not in self._verdicts:
            forget_oldest(self._verdicts, HEIGHT_CACHE, HEIGHT_KEPT)
            self._verdicts[key] = self._matcher.verdict(post, post.seen_by)
        return self._verdicts[key]

    def hide_uris(self, uris: frozenset[str]) -> None:
        """Also hide these posts (replies the thread's author hid on Bluesky)."""
        self._hidden_uris = uris
        self.changed.emit()

    def hidden(self, post: Post) -> bool:
        """Whether the row is hidden (a hide filter, ``!hide``, a reply hidden by the thread's
        author) unless the user shows them."""
        if post.uri in self._hidden_uris:
            return True
        verdict = self.filter_verdict(post)
        if verdict is not None and verdict.hidden:
            return True
        label = label_verdict(post)
        return label is not None and label.action is LabelAction.HIDE

    def collapsed(self, post: Post) -> str:
        """The one line a post is collapsed to ("Filtered: word"), or "" when shown whole."""
        if item_key(post) in self._opened:
            return ""
        verdict = self.filter_verdict(post)
        if verdict is not None:
            line = QCoreApplication.translate("Covers", "Filtered: {word}")
            return line.format(word=verdict.text)
        label = label_verdict(post)
        if label is not None and label.action is not LabelAction.BLUR_MEDIA:
            return reason_text(label.reason)
        return ""

    def media_cover(self, post: Post) -> LabelVerdict | None:
        """The label that blurs this post's media, until the user shows them."""
        if item_key(post) in self._opened:
            return None
        label = label_verdict(post)
        return label if label is not None and label.action is LabelAction.BLUR_MEDIA else None

    def open(self, post: Post) -> None:
        """The user asked to see it ("Voir")."""
        self._opened.add(item_key(post))
        self.changed.emit()

    def is_open(self, post: Post) -> bool:
        return item_key(post) in self._opened

    def set_show_hidden(self, show: bool) -> None:
        self.show_hidden = show
        self.changed.emit()

    # -- painting ----------------------------------------------------------------------------
    def blurred(self, image: QImage, size: QSize) -> QImage:
        key = (image.cacheKey(), size.width(), size.height())
        found = self._blurred.get(key)
        if found is None:
            small = image.scaled(max(1, size.width() // BLUR_FACTOR),
                                 max(1, size.height() // BLUR_FACTOR),
                                 Qt.AspectRatioMode.IgnoreAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
            found = small.scaled(size, Qt.AspectRatioMode.IgnoreAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
            self._blurred[key] = found
            while len(self._blurred) > BLUR_CACHE:
                self._blurred.popitem(last=False)
        return found


def show_button(rect: QRect, fonts: Fonts) -> QRect:
    """Where "Voir" sits on a covered image or a collapsed row (right or bottom centre)."""
    metrics = QFontMetrics(fonts.bold)
    width = metrics.horizontalAdvance(_show()) + 24
    height = metrics.height() + 8
    return QRect(rect.center().x() - width // 2, rect.bottom() - height - 8, width, height)


def collapsed_button(rect: QRect, fonts: Fonts) -> QRect:
    metrics = QFontMetrics(fonts.bold)
    width = metrics.horizontalAdvance(_show()) + 24
    return QRect(rect.right() - width - 8, rect.top() + 4, width, rect.height() - 8)


def collapsed_height(fonts: Fonts) -> int:
    return QFontMetrics(fonts.base).height() + 20


def paint_cover(painter: QPainter, covers: Covers, rect: QRect, image: QImage | None,
                reason: str, fonts: Fonts) -> None:
    """Covered media: blurred (or a dark tile before the image arrives), the reason, "Voir"."""
    if image is not None:
        painter.drawImage(rect, covers.blurred(image, rect.size()))
    else:
        painter.fillRect(rect, QColor("#3c4043"))
    painter.fillRect(rect, COVER)
    button = show_button(rect, fonts)
    painter.setFont(fonts.bold)
    painter.setPen(QColor("white"))
    text_area = QRect(rect.left() + 8, rect.top() + 8, rect.width() - 16,
                      max(button.top() - rect.top() - 12, 0))
    painter.drawText(text_area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                     "⚠ " + reason_text(reason))
    painter.setBrush(QColor(255, 255, 255, 230))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(button, 4, 4)
    painter.setPen(LINK)
    painter.drawText(button, Qt.AlignmentFlag.AlignCenter, _show())


def paint_collapsed(painter: QPainter, rect: QRect, line: str, fonts: Fonts) -> None:
    """A collapsed row: "Filtré : mot" and "Voir" on the right."""
    painter.fillRect(rect, COLLAPSED_BG)
    button = collapsed_button(rect, fonts)
    painter.setFont(fonts.base)
    painter.setPen(GREY)
    metrics = QFontMetrics(fonts.base)
    area = QRect(rect.left() + 12, rect.top(), button.left() - rect.left() - 20, rect.height())
    painter.drawText(area, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                     metrics.elidedText(line, Qt.TextElideMode.ElideRight, area.width()))
    painter.setFont(fonts.bold)
    painter.setPen(LINK)
    painter.drawText(button, Qt.AlignmentFlag.AlignCenter, _show())


class HiddenRows(QObject):
    """Hides the rows of ``view`` that ``covers`` says are hidden, and keeps ``button`` ("N
    masqués", a toggle that shows them) up to date. Rows arriving are checked as they come;
    everything is checked again when the filters change."""

    count_changed = Signal(int)

    def __init__(self, view: QListView, model: TimelineModel, covers: Covers,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._view, self._model, self._covers = view, model, covers
        self.count = 0
        self.button = QPushButton()
        self.button.setObjectName("hidden_posts_button")
        self.button.setCheckable(True)
        self.button.setFlat(True)
        self.button.setAccessibleName(QCoreApplication.translate("Covers", "Hidden posts"))
        self.button.hide()
        self.button.toggled.connect(covers.set_show_hidden)
        model.rowsInserted.connect(self._on_inserted)
        model.rowsRemoved.connect(self.apply)
        model.modelReset.connect(self.apply)
        covers.changed.connect(self._on_covers_changed)

    def _on_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if parent.isValid():
            return
        changed = False
        for row in range(first, last + 1):
            if self._covers.hidden(self._model.post_at(row)):
                changed = True
                if not self._covers.show_hidden:
                    self._view.setRowHidden(row, True)
        if changed:
            self._count()

    def _on_covers_changed(self) -> None:
        self.apply()
        self._view.doItemsLayout()  # collapsed rows changed height
        self._view.viewport().update()

    def apply(self) -> None:
        show = self._covers.show_hidden
        for row in range(self._model.rowCount()):
            hide = not show and self._covers.hidden(self._model.post_at(row))
            if self._view.isRowHidden(row) != hide:
                self._view.setRowHidden(row, hide)
        self._count()

    def _count(self) -> None:
        count = sum(self._covers.hidden(self._model.post_at(row))
                    for row in range(self._model.rowCount()))
        if count != self.count:
            self.count = count
            self.count_changed.emit(count)
        if self._covers.show_hidden:
            text = QCoreApplication.translate("Covers", "Hide the filtered posts again")
        else:
            text = QCoreApplication.translate("Covers", "%n hidden", "", count)
        self.button.setText(text)
        self.button.setAccessibleName(text)
        self.button.setVisible(count > 0)
