"""The pane beside the inbox list: the conversation of the selected item, the actions on it and
a reply box addressed to its author, sending as the account that was mentioned.

A dumb widget: ``InboxView`` fills it (``show_item``, ``show_thread``) and wires its buttons.
The thread is drawn as safe rich text (``post_text.rich_body``: escaped spans, http(s) links
only) in a ``QTextBrowser`` that never follows a link itself.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from paris_desk.core.model import Post, Thread
from paris_desk.ui.accessible import LiveLabel
from paris_desk.ui.theme import current_colours, tone_colour
from paris_desk.ui.timeline.post_text import clean, relative_time, rich_body


def post_html(post: Post, *, current: bool = False, indent: int = 0) -> str:
    """One post of the thread: who, when, and its body."""
    who = html.escape(clean(post.author.display_name) or post.author.handle)
    handle = html.escape(post.author.handle)
    when = html.escape(relative_time(post.created_at))
    body = rich_body(post).html
    if post.content_warning:
        body = f"<i>⚠ {html.escape(clean(post.content_warning))}</i><br>{body}"
    style = f"margin-left:{indent * 18}px; padding:6px;"
    if current:
        style += f" background:{current_colours().mark};"
    muted = tone_colour("muted")
    return (f'<div style="{style}"><b>{who}</b> <span style="color:{muted}">{handle} · '
            f"{when}</span><br>{body}</div>")


def thread_html(thread: Thread) -> str:
    """Ancestors oldest first, the post highlighted, then its replies (indented)."""
    parts = [post_html(p) for p in thread.ancestors]
    parts.append(post_html(thread.post, current=True))
    parts += [post_html(p, indent=1) for p in thread.replies]
    return "<hr>".join(parts)


class InboxDetail(QWidget):
    send_requested = Signal(str)  # the reply text
    link_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Conversation"))
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setAccessibleName(self.tr("Selected notification"))
        self.thread_view = QTextBrowser()
        self.thread_view.setOpenLinks(False)
        self.thread_view.setAccessibleName(self.tr("Conversation thread"))
        self.thread_view.anchorClicked.connect(lambda url: self.link_activated.emit(url.toString()))
        self.status = LiveLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Thread status"))

        self.reply_button = self._button(self.tr("&Reply"), self.tr("Reply (R)"))
        self.composer_button = self._button(self.tr("Compose…"),
                                            self.tr("Reply in the composer (media, long text)"))
        self.composer_button.hide()  # shown when the window has a composer
        self.like_button = self._button(self.tr("Like"), self.tr("Like this post"), True)
        self.repost_button = self._button(self.tr("Share"), self.tr("Share this post"), True)
        self.open_button = self._button(self.tr("Open"), self.tr("Open in the browser"))
        self.handled_button = self._button(self.tr("Handled"),
                                           self.tr("Mark as handled (E)"), True)
        self.unread_button = self._button(self.tr("Unread"), self.tr("Keep unread (U)"), True)
        self.mute_button = self._button(self.tr("Mute…"), self.tr("Mute the author"))
        self.block_button = self._button(self.tr("Block…"), self.tr("Block the author"))
        self.report_button = self._button(self.tr("Report…"), self.tr("Report the post"))

        self.reply_label = QLabel()
        self.reply_label.setAccessibleName(self.tr("Reply as"))
        self.reply_edit = QPlainTextEdit()
        self.reply_edit.setAccessibleName(self.tr("Reply text"))
        self.reply_edit.setPlaceholderText(self.tr("Your reply…"))
        self.reply_edit.setMaximumHeight(110)
        self.reply_edit.setTabChangesFocus(True)  # Tab leaves the box (keyboard-only users)
        self.reply_label.setBuddy(self.reply_edit)
        self.send_button = QPushButton(self.tr("&Send"))
        self.send_button.setAccessibleName(self.tr("Send the reply"))
        self.send_button.clicked.connect(self._on_send)
        send_key = QShortcut(QKeySequence("Ctrl+Return"), self.reply_edit)
        send_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        send_key.activated.connect(self._on_send)
        self.reply_status = LiveLabel()
        self.reply_status.setWordWrap(True)
        self.reply_status.setAccessibleName(self.tr("Reply status"))
        self._layout()
        self.show_item(None)

    def _button(self, text: str, name: str, checkable: bool = False) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(name)
        button.setAccessibleName(name)
        button.setCheckable(checkable)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    def _layout(self) -> None:
        actions = QHBoxLayout()
        for button in (self.reply_button, self.composer_button, self.like_button,
                       self.repost_button, self.open_button, self.handled_button,
                       self.unread_button):
            actions.addWidget(button)
        actions.addStretch(1)
        moderation = QHBoxLayout()
        for button in (self.mute_button, self.block_button, self.report_button):
            moderation.addWidget(button)
        moderation.addStretch(1)
        send = QHBoxLayout()
        send.addWidget(self.reply_status, 1)
        send.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.header)
        layout.addLayout(actions)
        layout.addLayout(moderation)
        layout.addWidget(self.thread_view, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.reply_label)
        layout.addWidget(self.reply_edit)
        layout.addLayout(send)

    # -- filling -----------------------------------------------------------------------------
    def show_item(self, header: str | None, post: Post | None = None, *,
                  reply_as: str = "", can_moderate: bool = False) -> None:
        """Show a selected row (``header`` None: nothing selected)."""
        has_post = post is not None
        self.header.setText(header or self.tr("Select a notification to see its conversation."))
        self.thread_view.setHtml(post_html(post, current=True) if post is not None else "")
        self.status.clear()
        for button in (self.reply_button, self.composer_button, self.like_button,
                       self.repost_button, self.open_button, self.report_button):
            button.setEnabled(has_post)
        for button in (self.handled_button, self.unread_button):
            button.setEnabled(header is not None)
        for button in (self.mute_button, self.block_button):
            button.setEnabled(header is not None and can_moderate)
        self.report_button.setEnabled(has_post and can_moderate)
        self.set_reacted(post)
        self.reply_label.setText(self.tr("Reply as {account}").format(account=reply_as)
                                 if has_post else self.tr("Reply"))
        self.reply_edit.setEnabled(has_post)
        self.send_button.setEnabled(has_post)

    def set_reacted(self, post: Post | None) -> None:
        self.like_button.setChecked(bool(post and post.liked))
        self.repost_button.setChecked(bool(post and post.reposted))

    def set_state(self, handled: bool, unread: bool) -> None:
        self.handled_button.setChecked(handled)
        self.unread_button.setChecked(unread)

    def show_thread(self, thread: Thread) -> None:
        self.thread_view.setHtml(thread_html(thread))
        self.status.setText(self.tr("%n message(s) in the conversation.", "",
                                    len(thread.ancestors) + 1 + len(thread.replies)))

    def show_status(self, text: str) -> None:
        self.status.setText(text)

    def start_reply(self, prefix: str) -> None:
        """Focus the reply box, addressed (``prefix``) unless the user already typed."""
        if not self.reply_edit.toPlainText().strip():
            self.reply_edit.setPlainText(prefix)
        self.reply_edit.setFocus()
        cursor = self.reply_edit.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.reply_edit.setTextCursor(cursor)

    def set_sending(self, sending: bool) -> None:
        self.send_button.setEnabled(not sending)
        self.reply_edit.setReadOnly(sending)
        if sending:
            self.reply_status.setText(self.tr("Sending…"))

    def _on_send(self) -> None:
        text = self.reply_edit.toPlainText().strip()
        if text and self.send_button.isEnabled():
            self.send_requested.emit(text)
