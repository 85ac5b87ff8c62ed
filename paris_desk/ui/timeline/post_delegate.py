"""Paints one post per row (no widget per row), measures rows, answers clicks on their parts.

Layouts (geometry plus the laid-out ``QTextDocument``) are cached per (item, width, warning
open) in a small LRU; heights in larger tables (``post_rows.RowSizes``), so ``sizeHint`` over
thousands of rows only reads numbers, read by item key (``TimelineModel.key_at``) without a
``data()`` round trip. A row not measured yet takes the height a worker measured
(``post_layout.measure_texts``) when it was taken at this width. Links are followed only when
``post_text.safe_href`` let them through.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

from paris_desk.core.bidi import isolate, strip_bidi
from paris_desk.core.merge import ItemKey, item_key
from paris_desk.core.model import Account, Network, Post
from paris_desk.ui.avatars import ImageLoader
from paris_desk.ui.timeline import covers as cover
from paris_desk.ui.timeline.model import PostRole, TimelineModel
from paris_desk.ui.timeline.post_layout import (
    AVATAR,
    Fonts,
    Geometry,
    PostLayout,
    layout_post,
    row_height,
)
from paris_desk.ui.timeline.post_rows import RowSizes, geometry
from paris_desk.ui.timeline.post_text import (
    NETWORK_NAMES,
    PostText,
    account_name,
    clean,
    relative_time,
)

_Index = QModelIndex | QPersistentModelIndex
LayoutKey = tuple[ItemKey, int, bool]

LAYOUT_CACHE = 120
NETWORK_COLORS = {Network.MASTODON: QColor("#6364ff"), Network.BLUESKY: QColor("#1185fe")}
GREY = QColor("#5f6368")
BORDER = QColor("#d0d7de")
PLACEHOLDER = QColor("#e8eaed")
LIKED = QColor("#d1242f")
REPOSTED = QColor("#1a7f37")


class PostDelegate(QStyledItemDelegate):
    link_activated = Signal(str)
    image_activated = Signal(object, int)  # Post, index in post.media

    def __init__(self, images: ImageLoader, parent: Any = None) -> None:
        super().__init__(parent)
        self._images = images
        self._accounts: dict[str, Account] = {}
        self._layouts: OrderedDict[LayoutKey, PostLayout] = OrderedDict()
        self._rows = RowSizes()
        self._expanded: set[ItemKey] = set()
        self._fonts: Fonts | None = None
        self.covers = cover.Covers(self)  # blurred media, collapsed and hidden posts
        self.sized = 0  # sizeHint calls so far (PostList times its layout passes by them)
        self.first_sized = 0  # those that measured a row for the first time (costlier)

    def set_accounts(self, accounts: dict[str, Account]) -> None:
        self._accounts = dict(accounts)

    def forget_layouts(self) -> None:
        self._layouts.clear()
        self._rows.forget()

    def geometry(self, view: QAbstractItemView) -> Geometry:
        """How rows of ``view`` are measured now (for ``post_layout.measure_texts``)."""
        return geometry(view)

    def is_expanded(self, key: ItemKey) -> bool:
        return key in self._expanded

    def toggle_warning(self, index: _Index) -> None:
        """Open or close the content warning of the row at ``index``."""
        key = index.data(PostRole.KEY)
        if key is None:
            return
        self._expanded.symmetric_difference_update({key})
        self.sizeHintChanged.emit(QModelIndex(index))

    # -- layout -----------------------------------------------------------------------------

    def _width(self, option: QStyleOptionViewItem) -> int:
        return self._rows.width(option)

    def _check_fonts(self, option: QStyleOptionViewItem) -> Fonts:
        """The fonts of the view; cached layouts and heights go when that font changes."""
        fonts, changed = self._rows.fonts(option)
        if changed:
            self._layouts.clear()
        self._fonts = fonts
        return fonts

    def layout_for(self, index: _Index, width: int, option: QStyleOptionViewItem) -> PostLayout:
        """The full layout (with its laid-out documents), for painting and clicks."""
        post: Post = index.data(PostRole.POST)
        text: PostText = index.data(PostRole.TEXT)
        key = (item_key(post), width, item_key(post) in self._expanded)
        found = self._layouts.get(key)
        if found is not None:
            self._layouts.move_to_end(key)
            return found
        fonts = self._check_fonts(option)
        layout = layout_post(post, text, width, fonts, expanded=key[2])
        self._layouts[key] = layout
        while len(self._layouts) > LAYOUT_CACHE:
            self._layouts.popitem(last=False)
        table = self._rows.table(width, key[2])
        measured = table.get(key[0])
        table[key[0]] = layout.height
        if measured is not None and measured != layout.height:  # metrics guessed wrong: fix
            persistent = QPersistentModelIndex(index)
            QTimer.singleShot(0, lambda: persistent.isValid() and self.sizeHintChanged.emit(
                QModelIndex(persistent)))
        return layout

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:  # noqa: N802
        self.sized += 1
        model = index.model()
        row = index.row()
        timeline = model if isinstance(model, TimelineModel) else None  # no data() round trips
        if timeline is not None:
            key = timeline.key_at(row)
        else:
            found: Post | None = index.data(PostRole.POST)
            if found is None:
                return QSize(0, 0)
            key = item_key(found)
        width = self._rows.width(option)
        post_at = timeline.post_at(row) if timeline is not None else index.data(PostRole.POST)
        if post_at is not None and self.covers.collapsed(post_at):
            return self._rows.size(width, cover.collapsed_height(self._check_fonts(option)))
        expanded = key in self._expanded
        height = self._rows.table(width, expanded).get(key)
        if height is None:
            self.first_sized += 1
            fonts = self._check_fonts(option)  # (a new font empties the tables)
            if timeline is None:
                post: Post = index.data(PostRole.POST)
                text: PostText = index.data(PostRole.TEXT)
            else:
                post = timeline.post_at(row)
                text = timeline.text_of(post)
            height = row_height(post, text, width, fonts, expanded=expanded)
            self._rows.table(width, expanded)[key] = height
        return self._rows.size(width, height)

    # -- painting ---------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        post: Post | None = index.data(PostRole.POST)
        if post is None:
            return
        rect: QRect = option.rect  # type: ignore[attr-defined]
        line = self.covers.collapsed(post)
        if line:
            painter.save()
            cover.paint_collapsed(painter, rect, line, self._check_fonts(option))
            painter.setPen(BORDER)
            painter.drawLine(rect.bottomLeft(), rect.bottomRight())
            painter.restore()
            return
        lay = self.layout_for(index, self._width(option), option)
        assert self._fonts is not None  # noqa: S101 - set by layout_for
        fonts = self._fonts
        palette: QPalette = option.palette  # type: ignore[attr-defined]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        if selected:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight).lighter(185))
        painter.setPen(BORDER)
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        painter.translate(rect.topLeft())
        text_color = palette.color(QPalette.ColorRole.Text)
        self._paint_top(painter, post, lay, fonts, text_color)
        if lay.warning is not None:
            self._paint_warning(painter, post, lay, fonts, key_open=lay.body is not None
                                or bool(lay.media) or lay.card is not None)
        if lay.doc is not None and lay.body is not None:
            _draw_doc(painter, lay.doc, lay.body.topLeft(), text_color)
        self._paint_media(painter, post, lay, fonts)
        self._paint_card(painter, post, lay, fonts, text_color)
        self._paint_quote(painter, post, lay, fonts, text_color)
        group = tuple(index.data(PostRole.GROUP) or ())
        self._paint_footer(painter, post, lay, fonts, group)
        painter.restore()

    def _paint_top(
        self, painter: QPainter, post: Post, lay: PostLayout, fonts: Fonts, color: QColor
    ) -> None:
        image = self._images.image(post.author.avatar_url, QSize(AVATAR, AVATAR))
        path = QPainterPath()
        path.addEllipse(lay.avatar)
        if image is not None:
            painter.save()
            painter.setClipPath(path)
            painter.drawImage(lay.avatar, image)
            painter.restore()
        else:
            painter.fillPath(path, PLACEHOLDER)
            painter.setPen(GREY)
            painter.setFont(fonts.bold)
            initial = (clean(post.author.display_name)
                       or strip_bidi(post.author.handle).lstrip("@"))[:1]
            painter.drawText(lay.avatar, Qt.AlignmentFlag.AlignCenter, initial.upper())
        small = QFontMetrics(fonts.small)
        if lay.shared_line is not None and post.repost_by is not None:
            painter.setFont(fonts.small)
            painter.setPen(GREY)
            sharer = clean(post.repost_by.display_name) or post.repost_by.handle
            line = self.tr("↻ shared by {name}").format(name=isolate(sharer))
            painter.drawText(lay.shared_line, Qt.AlignmentFlag.AlignLeft,
                             small.elidedText(line, Qt.TextElideMode.ElideRight,
                                              lay.shared_line.width()))
        self._paint_header(painter, post, lay, fonts, color)
        if lay.reply_line is not None:
            painter.setFont(fonts.small)
            painter.setPen(GREY)
            line = self.tr("in reply to {handle}").format(handle=isolate(post.reply_to_handle))
            painter.drawText(lay.reply_line, Qt.AlignmentFlag.AlignLeft,
                             small.elidedText(line, Qt.TextElideMode.ElideRight,
                                              lay.reply_line.width()))

    def _paint_header(
        self, painter: QPainter, post: Post, lay: PostLayout, fonts: Fonts, color: QColor
    ) -> None:
        header = lay.header
        when = relative_time(post.created_at)
        small = QFontMetrics(fonts.small)
        time_width = small.horizontalAdvance(when) + 4
        painter.setFont(fonts.small)
        painter.setPen(GREY)
        painter.drawText(header, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, when)
        network = NETWORK_NAMES[post.network]
        badge_width = small.horizontalAdvance(network) + 10
        room = header.width() - time_width - badge_width - 8
        bold = QFontMetrics(fonts.bold)
        name = clean(post.author.display_name) or strip_bidi(post.author.handle)
        name = bold.elidedText(name, Qt.TextElideMode.ElideRight, max(room * 2 // 3, 30))
        painter.setFont(fonts.bold)
        painter.setPen(color)
        painter.drawText(header, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
        x = header.left() + bold.horizontalAdvance(name) + 6
        handle = small.elidedText(strip_bidi(post.author.handle), Qt.TextElideMode.ElideRight,
                                  max(header.left() + room - x, 0))
        painter.setFont(fonts.small)
        painter.setPen(GREY)
        handle_rect = QRect(x, header.top(), small.horizontalAdvance(handle), header.height())
        painter.drawText(handle_rect, Qt.AlignmentFlag.AlignVCenter, handle)
        badge = QRect(handle_rect.right() + 8, header.top() + 2, badge_width, header.height() - 4)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(NETWORK_COLORS[post.network])
        painter.drawRoundedRect(badge, 4, 4)
        painter.setPen(QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, network)

    def _paint_warning(
        self, painter: QPainter, post: Post, lay: PostLayout, fonts: Fonts, *, key_open: bool
    ) -> None:
        assert lay.warning is not None and lay.warning_toggle is not None  # noqa: S101
        painter.setPen(QColor("#9a6700"))
        painter.setBrush(QColor("#fff8c5"))
        painter.drawRoundedRect(lay.warning, 4, 4)
        fm = QFontMetrics(fonts.base)
        label = "⚠ " + clean(post.content_warning)
        room = lay.warning.width() - lay.warning_toggle.width() - 16
        painter.setFont(fonts.base)
        painter.setPen(QColor("#4d3800"))
        painter.drawText(lay.warning.adjusted(8, 0, 0, 0),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         fm.elidedText(label, Qt.TextElideMode.ElideRight, room))
        painter.setFont(fonts.bold)
        painter.setPen(QColor("#0b57d0"))
        toggle = self.tr("Hide") if key_open else self.tr("Show")
        painter.drawText(lay.warning_toggle, Qt.AlignmentFlag.AlignCenter, toggle)

    def _paint_media(self, painter: QPainter, post: Post, lay: PostLayout, fonts: Fonts) -> None:
        covered = self.covers.media_cover(post)
        for media, rect in zip(post.media, lay.media, strict=False):
            image = self._images.image(media.preview_url or media.url, rect.size())
            if covered is not None:
                cover.paint_cover(painter, self.covers, rect, image, covered.reason, fonts)
                continue
            if image is not None:
                painter.drawImage(rect, image)
            else:
                painter.fillRect(rect, PLACEHOLDER)
            if media.alt:
                painter.setFont(fonts.small)
                badge = _alt_badge(rect, fonts)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(0, 0, 0, 170))
                painter.drawRoundedRect(badge, 3, 3)
                painter.setPen(QColor("white"))
                painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, "ALT")

    def _paint_card(
        self, painter: QPainter, post: Post, lay: PostLayout, fonts: Fonts, color: QColor
    ) -> None:
        if lay.card is None or post.card is None:
            return
        card = lay.card
        painter.setPen(BORDER)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(card, 6, 6)
        inner = card.adjusted(10, 6, -10, -6)
        if post.card.image_url:  # the page's picture (Bluesky's external thumb, og:image)
            thumb = card_thumb(card)
            image = self._images.image(post.card.image_url, thumb.size())
            if image is not None:
                painter.drawImage(thumb, image)
            else:
                painter.fillRect(thumb, PLACEHOLDER)
            inner.setLeft(thumb.right() + 10)
        third = inner.height() // 3
        bold, small = QFontMetrics(fonts.bold), QFontMetrics(fonts.small)
        domain = post.card.url.split("://", 1)[-1].split("/", 1)[0]
        lines = (
            (fonts.small, GREY, small, domain),
            (fonts.bold, color, bold, clean(post.card.title) or domain),
            (fonts.small, GREY, small, clean(post.card.description)),
        )
        for n, (font, pen, metrics, text) in enumerate(lines):
            painter.setFont(font)
            painter.setPen(pen)
            row = QRect(inner.left(), inner.top() + n * third, inner.width(), third)
            painter.drawText(row, Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(text, Qt.TextElideMode.ElideRight, row.width()))

    def _paint_quote(
        self, painter: QPainter, post: Post, lay: PostLayout, fonts: Fonts, color: QColor
    ) -> None:
        if lay.quote is None or lay.quote_header is None or post.quote is None:
            return
        painter.setPen(BORDER)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(lay.quote, 6, 6)
        quoted = post.quote.author
        painter.setFont(fonts.small)
        painter.setPen(color)
        header = f"{isolate(clean(quoted.display_name) or quoted.handle)}  {isolate(quoted.handle)}"
        painter.drawText(lay.quote_header, Qt.AlignmentFlag.AlignLeft,
                         QFontMetrics(fonts.small).elidedText(
                             header, Qt.TextElideMode.ElideRight, lay.quote_header.width()))
        if lay.quote_doc is not None and lay.quote_body is not None:
            _draw_doc(painter, lay.quote_doc, lay.quote_body.topLeft(), color)

    def _paint_footer(self, painter: QPainter, post: Post, lay: PostLayout, fonts: Fonts,
                      group: tuple[str, ...] = ()) -> None:
        """Counts on the left; on the right the chips of the accounts that saw the post, or,
        for a cross-post's row, "published on N accounts" and the chips of those accounts."""
        footer = lay.footer
        small = QFontMetrics(fonts.small)
        painter.setFont(fonts.small)
        x = footer.left()
        counts = (
            ("↩", post.reply_count, GREY),
            ("↻", post.repost_count, REPOSTED if post.reposted else GREY),
            ("♥" if post.liked else "♡", post.like_count, LIKED if post.liked else GREY),
        )
        for glyph, count, pen in counts:
            text = f"{glyph} {count}"
            painter.setPen(pen)
            painter.drawText(QRect(x, footer.top(), 80, footer.height()),
                             Qt.AlignmentFlag.AlignVCenter, text)
            x += max(small.horizontalAdvance(text) + 24, 56)
        right = footer.right()
        for account_id in reversed(group or post.seen_by):
            name = account_name(account_id, self._accounts)
            account = self._accounts.get(account_id)
            chip_width = small.horizontalAdvance(name) + 12
            chip = QRect(right - chip_width, footer.top() + 1, chip_width, footer.height() - 2)
            if chip.left() < x:
                break
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(account.color if account else "#8c959f"))
            painter.drawRoundedRect(chip, 6, 6)
            painter.setPen(QColor("white"))
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, name)
            right = chip.left() - 4
        if group and right - x > 20:
            painter.setPen(GREY)
            count = len(group)  # a plain name: pyside6-lupdate skips calls with expressions
            label = self.tr("published on %n accounts", "", count)
            painter.drawText(QRect(x, footer.top(), right - x, footer.height()),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                             small.elidedText(label, Qt.TextElideMode.ElideRight, right - x))

    # -- clicks and tooltips ----------------------------------------------------------------

    def editorEvent(  # noqa: N802 - Qt API
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: _Index,
    ) -> bool:
        if event.type() != QEvent.Type.MouseButtonRelease or not isinstance(event, QMouseEvent):
            return False
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        rect: QRect = option.rect  # type: ignore[attr-defined]
        post: Post | None = index.data(PostRole.POST)
        if post is not None and self.covers.collapsed(post):
            if cover.collapsed_button(rect, self._check_fonts(option)).contains(
                    event.position().toPoint()):
                self._open(index, post)
            return True
        lay = self.layout_for(index, self._width(option), option)
        pos = event.position().toPoint() - rect.topLeft()
        return self._click(index, lay, pos, option)

    def _open(self, index: _Index, post: Post) -> None:
        """ "Voir": show the collapsed post or the covered media of the row at ``index``."""
        self.covers.open(post)
        self.sizeHintChanged.emit(QModelIndex(index))

    def _click(
        self, index: _Index, lay: PostLayout, pos: QPoint, option: QStyleOptionViewItem
    ) -> bool:
        post: Post = index.data(PostRole.POST)
        if lay.warning is not None and lay.warning.contains(pos):
            self.toggle_warning(index)
            return True
        covered = self.covers.media_cover(post)
        for n, rect in enumerate(lay.media):
            if rect.contains(pos) and covered is not None:
                if self._fonts is not None and cover.show_button(rect, self._fonts).contains(pos):
                    self._open(index, post)
                return True  # a covered image never opens
            if rect.contains(pos):
                media = post.media[n]
                if media.alt and self._fonts and _alt_badge(rect, self._fonts).contains(pos):
                    widget = option.widget  # type: ignore[attr-defined]
                    origin = option.rect.topLeft() + pos  # type: ignore[attr-defined]
                    QToolTip.showText(widget.viewport().mapToGlobal(origin), clean(media.alt))
                else:
                    self.image_activated.emit(post, n)
                return True
        href = _anchor(lay.doc, lay.body, pos) or _anchor(lay.quote_doc, lay.quote_body, pos)
        if not href and lay.card is not None and lay.card.contains(pos) and post.card:
            href = post.card.url
        if href.lower().startswith(("http://", "https://", "mailto:")):
            self.link_activated.emit(href)
            return True
        return False

    def helpEvent(  # noqa: N802 - Qt API
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: _Index,
    ) -> bool:
        post: Post | None = index.data(PostRole.POST)
        if post is None or event is None:
            return False
        if self.covers.collapsed(post):
            return bool(super().helpEvent(event, view, option, index))
        lay = self.layout_for(index, self._width(option), option)
        pos = event.pos() - option.rect.topLeft()  # type: ignore[attr-defined]
        covered = self.covers.media_cover(post)
        for media, rect in zip(post.media, lay.media, strict=False):
            if rect.contains(pos):
                tip = (cover.reason_text(covered.reason) if covered is not None
                       else clean(media.alt) or self.tr("Image without description"))
                QToolTip.showText(event.globalPos(), tip, view)
                return True
        href = _anchor(lay.doc, lay.body, pos) or _anchor(lay.quote_doc, lay.quote_body, pos)
        if href:
            QToolTip.showText(event.globalPos(), href, view)
            return True
        return bool(super().helpEvent(event, view, option, index))


def card_thumb(card: QRect) -> QRect:
    """Where a link card's picture goes: a square on the card's left."""
    side = card.height() - 2
    return QRect(card.left() + 1, card.top() + 1, side, side)


def _alt_badge(rect: QRect, fonts: Fonts) -> QRect:
    metrics = QFontMetrics(fonts.small)
    width, height = metrics.horizontalAdvance("ALT") + 10, metrics.height() + 2
    return QRect(rect.left() + 6, rect.bottom() - height - 5, width, height)


def _anchor(doc: QTextDocument | None, area: QRect | None, pos: QPoint) -> str:
    if doc is None or area is None or not area.contains(pos):
        return ""
    layout = doc.documentLayout()
    return str(layout.anchorAt((pos - area.topLeft()).toPointF()) or "")


def _draw_doc(painter: QPainter, doc: QTextDocument, at: QPoint, color: QColor) -> None:
    painter.save()
    painter.translate(at)
    context = QAbstractTextDocumentLayout.PaintContext()
    context.palette.setColor(QPalette.ColorRole.Text, color)
    doc.documentLayout().draw(painter, context)
    painter.restore()
