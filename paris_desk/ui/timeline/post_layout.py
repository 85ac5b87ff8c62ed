"""Where each part of a post goes for a given width: the geometry ``PostDelegate`` paints,
measures (``sizeHint``) and hit-tests. Built on the GUI thread, cached per (item, width).

Row heights can also be measured ahead, by the worker that prepares the posts
(``measure_texts``: font metrics only, which Qt allows outside the GUI thread since 5.0), so
that bringing in a thousand rows costs the GUI thread dictionary look-ups only.

    [avatar]  ↻ shared by …
              Name  @handle  [network]                     il y a 5 min
              in reply to @…
              [content warning ·············· Show]
              body text (QTextDocument)
              [thumb][thumb][thumb][thumb]
              [link card]
              [quoted post]
              ↩ 3   ↻ 5   ♥ 12                         [account chips]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QTextDocument, QTextOption

from paris_desk.core.model import Post
from paris_desk.ui.theme import tone_colour
from paris_desk.ui.timeline.post_text import PostText, RichBody

MARGIN = 10
AVATAR = 40
GAP = 6
THUMB_HEIGHT = 120
SINGLE_THUMB_MAX = 260
SINGLE_THUMB_WIDTH = 420
CARD_HEIGHT = 58
QUOTE_PADDING = 8


@dataclass(frozen=True, slots=True)
class Fonts:
    base: QFont
    bold: QFont
    small: QFont
    line: int  # line heights of ``base`` and ``small``
    small_line: int
    toggle: int  # width of the content warning's toggle
    key: str  # ``base.key()``

    @classmethod
    def from_font(cls, font: QFont) -> Fonts:
        bold = QFont(font)
        bold.setBold(True)
        small = QFont(font)
        size = font.pointSizeF()
        if size > 0:
            small.setPointSizeF(max(size - 1.0, 6.0))
        toggle = QFontMetrics(bold).horizontalAdvance("Masquer") + 16
        return cls(QFont(font), bold, small, QFontMetrics(font).height(),
                   QFontMetrics(small).height(), toggle, font.key())

    @property
    def shared_line(self) -> int:
        """What the "shared by" line of a repost adds to a row."""
        return self.small_line + 2


@dataclass(frozen=True, slots=True)
class Geometry:
    """What a worker needs to measure rows as a view will lay them out."""

    width: int
    font: QFont


@dataclass(slots=True)
class PostLayout:
    width: int
    height: int = 0
    avatar: QRect = field(default_factory=QRect)
    shared_line: QRect | None = None
    header: QRect = field(default_factory=QRect)
    reply_line: QRect | None = None
    warning: QRect | None = None
    warning_toggle: QRect | None = None
    body: QRect | None = None
    doc: QTextDocument | None = None
    media: list[QRect] = field(default_factory=list)
    card: QRect | None = None
    quote: QRect | None = None
    quote_header: QRect | None = None
    quote_body: QRect | None = None
    quote_doc: QTextDocument | None = None
    footer: QRect = field(default_factory=QRect)


def make_document(body: RichBody, font: QFont, width: int) -> QTextDocument:
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    doc.setDefaultFont(font)
    link = tone_colour("link")
    doc.setDefaultStyleSheet(f"a {{ color: {link}; text-decoration: none; }}")
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    doc.setDefaultTextOption(option)
    doc.setHtml(body.html)  # escaped text and <a href>/<br> only (post_text.rich_body)
    doc.setTextWidth(max(width, 10))
    return doc


def _media_rects(post: Post, x: int, y: int, width: int) -> list[QRect]:
    count = min(len(post.media), 4)
    if count == 0:
        return []
    if count == 1:
        media = post.media[0]
        ratio = media.height / media.width if media.width and media.height else 0.6
        wide = min(width, SINGLE_THUMB_WIDTH)
        height = max(60, min(int(wide * ratio), SINGLE_THUMB_MAX))
        return [QRect(x, y, wide, height)]
    each = (width - GAP * (count - 1)) // count
    return [QRect(x + i * (each + GAP), y, each, THUMB_HEIGHT) for i in range(count)]


def layout_post(
    post: Post, text: PostText, width: int, fonts: Fonts, *, expanded: bool, measure: bool = False
) -> PostLayout:
    """The geometry of ``post`` in a row ``width`` pixels wide (row-relative coordinates).

    ``measure``: only the height, text measured by font metrics (about 20 µs instead of a
    QTextDocument's 400 µs), for ``sizeHint`` over thousands of rows; painting lays out for
    real and corrects the rare row whose height differs."""
    line, small = fonts.line, fonts.small_line
    x = MARGIN + AVATAR + GAP + 4
    inner = max(width - x - MARGIN, 40)
    lay = PostLayout(width)
    y = MARGIN
    if post.repost_by is not None:
        lay.shared_line = QRect(x, y, inner, small)
        y += small + 2
    lay.avatar = QRect(MARGIN, y, AVATAR, AVATAR)
    lay.header = QRect(x, y, inner, line)
    y += line + 2
    if post.reply_to_handle:
        lay.reply_line = QRect(x, y, inner, small)
        y += small + 2
    hidden = bool(post.content_warning) and not expanded
    if post.content_warning:
        lay.warning = QRect(x, y, inner, line + 8)
        toggle = fonts.toggle
        lay.warning_toggle = QRect(x + inner - toggle - 4, y + 2, toggle, line + 4)
        y += line + 8 + GAP
    if not hidden:
        y = _content(post, text, x, y, inner, fonts, lay, measure)
    lay.footer = QRect(x, y, inner, small + 4)
    y += small + 4 + MARGIN
    lay.height = max(y, lay.avatar.bottom() + MARGIN + 1)
    return lay


def row_height(post: Post, text: PostText, width: int, fonts: Fonts, *, expanded: bool) -> int:
    """The height of ``post``'s row (``sizeHint``): the worker's measure when it was taken at
    this width and applies, else measured now (font metrics)."""
    if (
        text.measured_width == width
        and text.measured_font == fonts.key
        and (not expanded or not post.content_warning)
    ):
        return text.measured_height + (fonts.shared_line if post.repost_by is not None else 0)
    return layout_post(post, text, width, fonts, expanded=expanded, measure=True).height


def measure_texts(
    posts: Iterable[Post], texts: Mapping[str, PostText], geometry: Geometry
) -> dict[str, PostText]:
    """``texts`` with their rows measured at ``geometry`` (``row_height``). Any thread: its own
    font objects, font metrics only."""
    fonts = Fonts.from_font(QFont(geometry.font))
    width = geometry.width
    out = dict(texts)
    for post in posts:
        text = out.get(post.uri)
        if text is None or (text.measured_width, text.measured_font) == (width, fonts.key):
            continue
        height = layout_post(post, text, width, fonts, expanded=False, measure=True).height
        height -= fonts.shared_line if post.repost_by is not None else 0
        out[post.uri] = replace(text, measured_width=width, measured_font=fonts.key,
                                measured_height=height)
    return out


def _text_height(body: RichBody, font: QFont, width: int, lay: PostLayout, measure: bool,
                 quote: bool = False) -> int:
    if measure:
        bounds = QFontMetrics(font).boundingRect(
            QRect(0, 0, max(width, 10), 1_000_000), Qt.TextFlag.TextWordWrap, body.plain)
        return bounds.height()
    doc = make_document(body, font, width)
    if quote:
        lay.quote_doc = doc
    else:
        lay.doc = doc
    return int(doc.size().height() + 0.999)


def _content(
    post: Post, text: PostText, x: int, y: int, inner: int, fonts: Fonts, lay: PostLayout,
    measure: bool,
) -> int:
    if text.body.plain.strip():
        height = _text_height(text.body, fonts.base, inner, lay, measure)
        lay.body = QRect(x, y, inner, height)
        y += height + GAP
    lay.media = _media_rects(post, x, y, inner)
    if lay.media:
        y = max(r.bottom() for r in lay.media) + 1 + GAP
    if post.card is not None and post.card.url:
        lay.card = QRect(x, y, inner, CARD_HEIGHT)
        y += CARD_HEIGHT + GAP
    if post.quote is not None and text.quote is not None:
        y = _quote(text.quote, x, y, inner, fonts, lay, measure)
    return y


def _quote(
    body: RichBody, x: int, y: int, inner: int, fonts: Fonts, lay: PostLayout, measure: bool
) -> int:
    small = fonts.small_line
    pad = QUOTE_PADDING
    lay.quote_header = QRect(x + pad, y + pad, inner - 2 * pad, small)
    top = y + pad + small + 4
    height = 0
    if body.plain.strip():
        height = _text_height(body, fonts.small, inner - 2 * pad, lay, measure, quote=True)
        lay.quote_body = QRect(x + pad, top, inner - 2 * pad, height)
    lay.quote = QRect(x, y, inner, top + height + pad - y)
    return lay.quote.bottom() + 1 + GAP
