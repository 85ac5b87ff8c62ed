"""The text of a post: one common text, optional per-network variants, live counters, and the
thread preview when the text is split.

Counters count what each network counts (``services.composition.counters``): Bluesky graphemes
of the text as posted (content-warning line included), Mastodon characters with URLs at the
instance's reserved length. Over the limit, the user can split the text into a numbered thread
("Découper en fil") or adapt it in a variant tab that starts from the common text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from paris_desk.core.counting import grapheme_count
from paris_desk.core.model import Network
from paris_desk.services.composition import Counter
from paris_desk.ui import accessible
from paris_desk.ui.accounts.model import NETWORK_NAMES
from paris_desk.ui.theme import tone_style

NEAR = 20


class EditorPanel(QWidget):
    text_changed = Signal()
    thread_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.common = self._new_editor(self.tr("Text of the post"))
        self.common.setPlaceholderText(self.tr("What does the city want to say?"))
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Text and per-network variants"))
        self.tabs.setTabsClosable(True)
        self.tabs.setTabBarAutoHide(True)  # one text: no tab bar, Tab goes on to the images
        # Tab stops at the bar itself, when there is one: the tab widget would hand the focus
        # to a hidden bar and keep it in the text.
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.tabCloseRequested.connect(self._on_close_tab)
        self.tabs.addTab(self.common, self.tr("Common text"))
        for side in (QTabBar.ButtonPosition.RightSide, QTabBar.ButtonPosition.LeftSide):
            closer = self.tabs.tabBar().tabButton(0, side)  # the common text cannot be closed
            self.tabs.tabBar().setTabButton(0, side, None)
            if closer is not None:
                closer.deleteLater()
        self._variants: dict[Network, QPlainTextEdit] = {}

        self.counters = QHBoxLayout()
        self.counters.setSpacing(24)
        self.counters.addStretch(1)
        self._counter_labels: list[QLabel] = []
        self.thread_button = QPushButton(self.tr("Split into a thread"))
        self.thread_button.setCheckable(True)
        self.thread_button.setAccessibleName(self.tr("Split into a numbered thread"))
        self.thread_button.toggled.connect(self.thread_toggled)
        self.adapt_buttons: dict[Network, QPushButton] = {}
        actions = QHBoxLayout()
        actions.addWidget(self.thread_button)
        for network in Network:
            button = QPushButton(self._adapt_text(network))
            button.setAccessibleName(button.text())
            button.clicked.connect(lambda _c=False, n=network: self.add_variant(n))
            self.adapt_buttons[network] = button
            actions.addWidget(button)
        actions.addStretch(1)
        self.thread_preview = QListWidget()
        self.thread_preview.setAccessibleName(self.tr("Preview of the thread"))
        self.thread_preview.setWordWrap(True)
        self.thread_preview.setAlternatingRowColors(True)
        self.thread_preview.setSpacing(2)
        self.thread_preview.setMaximumHeight(170)
        self.thread_title = QLabel(self.tr("Preview of the thread"))
        self.thread_title.setBuddy(self.thread_preview)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(self.counters)
        layout.addLayout(actions)
        layout.addWidget(self.thread_title)
        layout.addWidget(self.thread_preview)
        self._show_actions(set(), [])

    # -- text --------------------------------------------------------------------------------

    def _new_editor(self, name: str) -> QPlainTextEdit:
        editor = QPlainTextEdit()
        editor.setAccessibleName(name)
        editor.setTabChangesFocus(True)
        editor.setMinimumHeight(120)
        editor.textChanged.connect(self.text_changed)
        return editor

    def _adapt_text(self, network: Network) -> str:
        if network is Network.BLUESKY:
            return self.tr("Adapt for Bluesky")
        return self.tr("Adapt for Mastodon")

    def text(self) -> str:
        return self.common.toPlainText()

    def set_text(self, text: str) -> None:
        if text != self.common.toPlainText():
            self.common.setPlainText(text)

    def variants(self) -> dict[str, str]:
        return {n.value: e.toPlainText() for n, e in self._variants.items()}

    def set_variants(self, variants: dict[str, str]) -> None:
        for network in list(self._variants):
            if network.value not in variants:
                self.remove_variant(network)
        for value, text in variants.items():
            editor = self.add_variant(Network(value), focus=False)
            if editor.toPlainText() != text:
                editor.setPlainText(text)

    def set_read_only(self, read_only: bool) -> None:
        """A draft being published is shown, not edited."""
        for editor in (self.common, *self._variants.values()):
            editor.setReadOnly(read_only)

    def editor(self, network: Network | None = None) -> QPlainTextEdit:
        return self._variants.get(network, self.common) if network else self.common

    def add_variant(self, network: Network, *, focus: bool = True) -> QPlainTextEdit:
        """The network's variant tab, created from the common text if needed."""
        editor = self._variants.get(network)
        if editor is None:
            name = NETWORK_NAMES[network]
            editor = self._new_editor(self.tr("Text for {network}").format(network=name))
            editor.setPlainText(self.common.toPlainText())
            self._variants[network] = editor
            index = self.tabs.addTab(editor, self.tr("For {network}").format(network=name))
            self.tabs.setTabToolTip(index, self.tr("Only {network} publishes this text").format(
                network=name))
            close = self.tabs.tabBar().tabButton(index, QTabBar.ButtonPosition.RightSide)
            if close is not None:
                close.setAccessibleName(self.tr("Remove the variant for {network}").format(
                    network=name))
            self.text_changed.emit()
        if focus:
            self.tabs.setCurrentWidget(editor)
            editor.setFocus()
        return editor

    def remove_variant(self, network: Network) -> None:
        editor = self._variants.pop(network, None)
        if editor is not None:
            self.tabs.removeTab(self.tabs.indexOf(editor))
            editor.deleteLater()
            self.text_changed.emit()

    @Slot(int)
    def _on_close_tab(self, index: int) -> None:
        widget = self.tabs.widget(index)
        for network, editor in list(self._variants.items()):
            if editor is widget:
                self.remove_variant(network)

    def replace_span(self, start: int, end: int, replacement: str) -> None:
        """Replace code points ``start:end`` of the common text, keeping undo."""
        text = self.common.toPlainText()
        cursor = QTextCursor(self.common.document())
        cursor.setPosition(_utf16(text, start))
        cursor.setPosition(_utf16(text, end), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(replacement)

    # -- counters ----------------------------------------------------------------------------

    def show_counters(self, counters: list[Counter], networks: set[Network],
                      as_thread: bool) -> None:
        for label in self._counter_labels:
            self.counters.removeWidget(label)
            label.deleteLater()
        self._counter_labels = []
        for position, counter in enumerate(counters):
            label = QLabel(self._counter_text(counter))
            label.setObjectName(f"counter_{counter.network.value}")
            accessible.mark_counter(label)  # read as a value, under its name
            label.setAccessibleName(self.tr("Length for {network}").format(
                network=NETWORK_NAMES[counter.network]))
            label.setAccessibleDescription(label.text())
            count = counter.count
            if count.over and not counter.parts:
                label.setStyleSheet(tone_style("error", bold=True))
            elif count.remaining <= NEAR:
                label.setStyleSheet(tone_style("warning"))
            self.counters.insertWidget(position, label)
            self._counter_labels.append(label)
        over = {c.network for c in counters if c.count.over}
        self._show_actions(over, counters if as_thread else [])
        self.adapt_buttons_visible(networks, over)

    def counter_texts(self) -> list[str]:
        return [label.text() for label in self._counter_labels]

    def _counter_text(self, counter: Counter) -> str:
        count = counter.count
        network = NETWORK_NAMES[counter.network]
        if counter.host:
            network = f"{network} ({counter.host})"
        if count.over_bytes:
            return self.tr("{n} / {limit} — {network}, too many bytes ({bytes} / {max})").format(
                n=count.used, limit=count.limit, network=network, bytes=count.bytes,
                max=count.byte_limit)
        if counter.parts:
            return self.tr("{n} / {limit} — {network}, thread of {parts}").format(
                n=count.used, limit=count.limit, network=network, parts=len(counter.parts))
        return self.tr("{n} / {limit} — {network}").format(
            n=count.used, limit=count.limit, network=network)

    def adapt_buttons_visible(self, networks: set[Network], over: set[Network]) -> None:
        for network, button in self.adapt_buttons.items():
            button.setVisible(network in networks and network in over
                              and network not in self._variants)

    def _show_actions(self, over: set[Network], threaded: list[Counter]) -> None:
        self.thread_button.setVisible(bool(over) or self.thread_button.isChecked())
        self.thread_preview.clear()
        for counter in threaded:
            name = NETWORK_NAMES[counter.network]
            for part in counter.parts:
                text = self.tr("{network} · {n} characters\n{text}").format(
                    network=name, n=grapheme_count(part), text=part)
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
                self.thread_preview.addItem(item)
        shown = self.thread_preview.count() > 0
        self.thread_preview.setVisible(shown)
        self.thread_title.setVisible(shown)

    def thread_parts_shown(self) -> list[str]:
        return [self.thread_preview.item(i).text() for i in range(self.thread_preview.count())]


def _utf16(text: str, index: int) -> int:
    """Code-point index → Qt's UTF-16 position."""
    return len(text[:index].encode("utf-16-le")) // 2
