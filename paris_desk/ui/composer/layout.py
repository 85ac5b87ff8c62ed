"""How the composer's parts are laid out (kept apart from its behaviour in ``composer.py``).

Left column: accounts to publish from, then drafts. Centre, scrollable: reply banner, text and
counters, checks, images, link card, options, Publish with the reason it is disabled, and the
publication's progress.

Tab runs in the order of the work, not of the columns (``apply_tab_order``): the text, the
images and their descriptions, the options, the accounts to publish from, Publish; then the
publication's progress, the reply banner's Cancel and the drafts.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from paris_desk.ui.composer.widget import ComposerWidget

translate = QCoreApplication.translate

BANNER_STYLE = (
    "#reply_banner { background: #e8f0fe; border: 1px solid #aecbfa; border-radius: 4px; }"
    " #reply_banner QLabel { color: #174ea6; }"
)


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold; margin-top: 6px;")
    return label


def _separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


def build_layout(c: ComposerWidget) -> None:
    c.reply_banner.setObjectName("reply_banner")
    c.reply_banner.setStyleSheet(BANNER_STYLE)
    c.reply_banner.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    c.reply_banner.setAccessibleName(translate("ComposerLayout", "Replying or quoting"))
    c.reply_label.setWordWrap(True)
    banner = QHBoxLayout(c.reply_banner)
    banner.setContentsMargins(8, 4, 4, 4)
    banner.addWidget(c.reply_label, 1)
    banner.addWidget(c.reply_cancel)
    c.reply_banner.hide()

    left = QWidget()
    left.setMinimumWidth(300)
    left_layout = QVBoxLayout(left)
    left_layout.setContentsMargins(8, 8, 4, 8)
    left_layout.addWidget(c.targets_panel, 2)
    left_layout.addWidget(_separator())
    left_layout.addWidget(c.drafts_panel, 3)

    publish_row = QHBoxLayout()
    publish_row.addWidget(c.reason, 1)
    c.publish_button.setMinimumWidth(200)
    publish_row.addWidget(c.publish_button, 0,
                          Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)

    content = QWidget()
    centre = QVBoxLayout(content)
    centre.setContentsMargins(4, 8, 8, 8)
    centre.addWidget(c.reply_banner)
    centre.addWidget(c.editor, 1)
    centre.addWidget(c.checks)
    centre.addWidget(_heading(translate("ComposerLayout", "Images")))
    centre.addWidget(c.media)
    centre.addWidget(c.card_preview)
    centre.addWidget(_heading(translate("ComposerLayout", "Options")))
    centre.addWidget(c.options)
    centre.addWidget(_separator())
    centre.addLayout(publish_row)
    centre.addWidget(c.publish_panel)
    centre.addStretch(0)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(content)
    scroll.setAccessibleName(translate("ComposerLayout", "Post being written"))
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a page, not a stop: Tab goes to its controls

    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(left)
    splitter.addWidget(scroll)
    splitter.setStretchFactor(0, 0)
    splitter.setStretchFactor(1, 1)
    splitter.setSizes([310, 790])
    splitter.setChildrenCollapsible(False)
    layout = QVBoxLayout(c)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(splitter)
    apply_tab_order(c)


def _focusables(section: QWidget) -> list[QWidget]:
    """``section`` and the widgets in it that Tab may reach, in their focus-chain order."""
    tab = Qt.FocusPolicy.TabFocus
    found = [section] if (section.focusPolicy() & tab) == tab else []
    widget = section.nextInFocusChain()
    for _ in range(2000):  # the chain is a ring: stop where it started
        if widget is None or widget is section:
            break
        if section.isAncestorOf(widget) and (widget.focusPolicy() & tab) == tab:
            found.append(widget)  # a tab widget too: Tab lands on its bar, its focus proxy
        widget = widget.nextInFocusChain()
    return found


def apply_tab_order(c: ComposerWidget) -> None:
    """Text → images → options → accounts → Publish (issue 17); again when images come or go."""
    sections: list[QWidget] = [c.editor, c.checks, c.media, c.card_preview, c.options,
                               c.targets_panel, c.publish_button, c.publish_panel,
                               c.reply_banner, c.drafts_panel]
    chain = [c.editor.common]
    for section in sections:
        if section is c.media:  # each image's description, then its Remove button
            chain.append(c.media.add_button)
            for row in c.media.image_rows():
                chain += [row.alt, row.remove_button]
            continue
        chain += [w for w in _focusables(section) if w is not c.editor.common]
    for first, second in pairwise(chain):
        QWidget.setTabOrder(first, second)
