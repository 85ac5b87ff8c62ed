"""Accessibility findings and unknown @mentions, shown inline under the text.

``core.accessibility`` gives codes; this module is where they become French sentences
(``issue_message``). Errors (fancy letters, missing or too long alt text) block publishing;
the rest is advice, with a one-click fix when a suggestion exists (``#FeteDeLaMusique``).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from paris_desk.core.accessibility import Issue, IssueCode
from paris_desk.services.composition import Block
from paris_desk.services.publisher import Finding, Problem, Refused
from paris_desk.ui.errors import sentences
from paris_desk.ui.theme import tone_style

translate = QCoreApplication.translate


_MESSAGES = {
    IssueCode.ALT_MISSING: QT_TRANSLATE_NOOP(
        "Accessibility", "Describe this image for people who cannot see it (required)."),
    IssueCode.ALT_TOO_LONG: QT_TRANSLATE_NOOP(
        "Accessibility", "This description is longer than the network accepts: shorten it."),
    IssueCode.ALT_FILE_NAME: QT_TRANSLATE_NOOP(
        "Accessibility", "This description is a file name: say what the image shows."),
    IssueCode.ALT_PLACEHOLDER: QT_TRANSLATE_NOOP(
        "Accessibility", "“Image” or “photo” says nothing: describe what it shows."),
    IssueCode.ALT_TOO_SHORT: QT_TRANSLATE_NOOP(
        "Accessibility", "This description is very short: is it enough to understand the image?"),
    IssueCode.HASHTAG_CASE: QT_TRANSLATE_NOOP(
        "Accessibility",
        "Write hashtags of several words with capitals so screen readers read them word by "
        "word: {suggestion}"),
    IssueCode.EMOJI_RUN: QT_TRANSLATE_NOOP(
        "Accessibility", "Several emoji in a row are read out one by one: keep one."),
    IssueCode.EMOJI_MID_SENTENCE: QT_TRANSLATE_NOOP(
        "Accessibility", "An emoji in the middle of a sentence interrupts it when read aloud: "
        "move it to the end."),
    IssueCode.FANCY_LETTERS: QT_TRANSLATE_NOOP(
        "Accessibility", "Stylised letters (“{text}”) are spelled out symbol by symbol by screen "
        "readers, and are refused: use plain letters ({suggestion})."),
}


def issue_message(issue: Issue, text: str = "") -> str:
    """The sentence for ``issue``; ``text`` is the checked text (to quote the span)."""
    span = text[issue.span[0]: issue.span[1]] if issue.span and text else ""
    return translate("Accessibility", str(_MESSAGES[issue.code])).format(
        suggestion=issue.suggestion, text=span)


class ChecksPanel(QWidget):
    fix_requested = Signal(object)  # Issue

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("Accessibility and mentions"))
        self.title.setStyleSheet("font-weight: bold;")
        self.rows = QVBoxLayout()
        self.rows.setSpacing(2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(self.rows)
        self._widgets: list[QWidget] = []
        self.setAccessibleName(self.tr("Accessibility and mentions"))
        self.show_findings([], "", [], [])

    def show_findings(self, issues: list[Issue], text: str, unknown_handles: list[str],
                      pending_handles: list[str]) -> None:
        for widget in self._widgets:
            self.rows.removeWidget(widget)
            widget.deleteLater()
        self._widgets = []
        for issue in issues:
            self._add_row(issue_message(issue, text), issue.blocking, issue)
        for handle in unknown_handles:
            self._add_row(self.tr("@{handle}: no such Bluesky account, the mention will stay plain "
                                  "text.").format(handle=handle), False)
        if pending_handles:
            self._add_row(self.tr("Checking the mentioned accounts…"), False)
        self.setVisible(bool(self._widgets))

    def messages(self) -> list[str]:
        return [w.findChild(QLabel).text() for w in self._widgets]  # type: ignore[union-attr]

    def _add_row(self, message: str, blocking: bool, issue: Issue | None = None) -> None:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        prefix = "✖ " if blocking else "⚠ "
        label = QLabel(prefix + message)
        label.setWordWrap(True)
        label.setStyleSheet(tone_style("error" if blocking else "warning"))
        label.setAccessibleName(message)
        layout.addWidget(label, 1)
        if issue is not None and issue.suggestion:
            button = QPushButton(self.tr("Fix"))
            button.setAccessibleName(self.tr("Fix: {suggestion}").format(
                suggestion=issue.suggestion))
            button.clicked.connect(lambda _c=False, i=issue: self.fix_requested.emit(i))
            layout.addWidget(button)
        self.rows.addWidget(row)
        self._widgets.append(row)


def block_message(block: Block, over: list[str], max_media: int) -> str:
    """Why Publish is disabled, as a sentence (``over``: names of the networks over limit).
    The composer's own words where it knows more (the networks over limit, the image limit,
    the publication below); else the catalogue's refusal, as a submission would say it."""
    if block is Block.OVER_LIMIT:
        return translate(
            "ComposerChecks", "Too long for {networks}: split it into a thread or adapt the text."
        ).format(networks=", ".join(over))
    if block is Block.TOO_MANY_IMAGES:
        return translate(
            "ComposerChecks", "Too many images for the checked accounts (at most %n).", None,
            max_media)
    if block is Block.PUBLISHED:
        return translate(
            "ComposerChecks", "This draft is already being published: follow it below.")
    return sentences().refusal(Finding(Problem(block.value)))


def refusal_text(exc: Refused) -> str:
    """Why the core refused a draft (nothing was queued), one sentence per reason: the
    catalogue the command line prints too."""
    return " ".join(sentences().refusals(exc))
