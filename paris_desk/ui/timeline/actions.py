"""Acting on a post from a timeline: reply, like, repost, quote, copy link, open in browser.

The acting account is chosen among the accounts of the post's network, by default the account
that saw it (``seen_by[0]``). Network calls run on workers; the result replaces the row in
place (no reload). Replies and quotes go through a simple box until the composer exists; its
idempotency key is kept across retries, so a second click never posts twice.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from paris_desk.core.model import Account, Post, PostRequest
from paris_desk.core.tid import next_tid
from paris_desk.services.timeline import PostAction, TimelineService
from paris_desk.services.workers import TaskManager
from paris_desk.ui.errors import describe
from paris_desk.ui.timeline.post_text import account_name


def acting_accounts(post: Post, accounts: dict[str, Account]) -> list[Account]:
    """The accounts that may act on ``post`` (its network), the one that saw it first."""
    same = [a for a in accounts.values() if a.network is post.network]
    owner = post.seen_by[0] if post.seen_by else ""
    return sorted(same, key=lambda a: (a.id != owner, a.position))


class PostActions(QObject):
    """Runs actions for one timeline column and reports through signals."""

    post_updated = Signal(object)  # Post: the row to replace
    error_occurred = Signal(str)
    notice = Signal(str)

    def __init__(
        self,
        tasks: TaskManager,
        service: TimelineService,
        accounts: Callable[[], dict[str, Account]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._service = service
        self._accounts = accounts
        self._parent = parent

    def default_account(self, post: Post) -> str:
        choices = acting_accounts(post, self._accounts())
        return choices[0].id if choices else ""

    def toggle_like(self, post: Post, account_id: str = "") -> None:
        account_id = account_id or self.default_account(post)
        owner = post.seen_by[:1] == (account_id,)
        self.act(account_id, PostAction.UNLIKE if owner and post.liked else PostAction.LIKE, post)

    def toggle_repost(self, post: Post, account_id: str = "") -> None:
        account_id = account_id or self.default_account(post)
        owner = post.seen_by[:1] == (account_id,)
        undo = owner and post.reposted
        self.act(account_id, PostAction.UNREPOST if undo else PostAction.REPOST, post)

    def act(self, account_id: str, action: PostAction, post: Post) -> None:
        if not account_id:
            return
        service = self._service
        self._tasks.run(
            lambda: service.act(account_id, action, post),
            self.post_updated.emit,
            lambda exc: self.error_occurred.emit(describe(exc, self._name(account_id))),
        )

    def reply(self, post: Post, account_id: str = "", *, quote: bool = False) -> ReplyDialog:
        account_id = account_id or self.default_account(post)
        dialog = ReplyDialog(self._tasks, self._service, post, account_id,
                             self._name(account_id), quote=quote, parent=self._parent)
        dialog.published.connect(lambda _post: self.notice.emit(dialog.success_text()))
        dialog.open()
        return dialog

    @staticmethod
    def copy_link(post: Post) -> None:
        QGuiApplication.clipboard().setText(post.url or post.uri)

    @staticmethod
    def open_in_browser(post: Post) -> bool:
        url = post.url or post.uri
        if not url.lower().startswith(("http://", "https://")):
            return False
        return QDesktopServices.openUrl(QUrl(url))

    def _name(self, account_id: str) -> str:
        return account_name(account_id, self._accounts())

    def menu(self, post: Post, parent: QWidget) -> QMenu:
        """The actions menu of one post, with the acting-account chooser."""
        menu = QMenu(parent)
        menu.setAccessibleName(self.tr("Post actions"))
        choices = acting_accounts(post, self._accounts())
        chosen = {"id": choices[0].id if choices else ""}
        if len(choices) > 1:
            submenu = menu.addMenu(self.tr("Act as"))
            group = QActionGroup(submenu)
            for account in choices:
                action = group.addAction(account.label or account.handle)
                action.setCheckable(True)
                action.setChecked(account.id == chosen["id"])
                action.triggered.connect(lambda _c=False, a=account.id: chosen.update(id=a))
            submenu.addActions(group.actions())
            menu.addSeparator()

        def add(text: str, slot: Callable[[], object], enabled: bool = True) -> QAction:
            action = menu.addAction(text)
            action.triggered.connect(slot)
            action.setEnabled(enabled)
            return action

        can_act = bool(choices)
        add(self.tr("&Reply…"), lambda: self.reply(post, chosen["id"]), can_act)
        like = self.tr("Un&like") if post.liked else self.tr("&Like")
        add(like, lambda: self.toggle_like(post, chosen["id"]), can_act)
        repost = self.tr("Undo re&post") if post.reposted else self.tr("Re&post")
        add(repost, lambda: self.toggle_repost(post, chosen["id"]), can_act)
        add(self.tr("&Quote…"), lambda: self.reply(post, chosen["id"], quote=True), can_act)
        menu.addSeparator()
        add(self.tr("&Copy link"), lambda: self.copy_link(post))
        add(self.tr("&Open in browser"), lambda: self.open_in_browser(post))
        return menu


class ReplyDialog(QDialog):
    """A plain reply (or quote) box: publishes off the GUI thread, keeps the text on error."""

    published = Signal(object)  # Post

    def __init__(
        self,
        tasks: TaskManager,
        service: TimelineService,
        post: Post,
        account_id: str,
        account_label: str,
        *,
        quote: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._service = service
        self._post = post
        self._account_id = account_id
        self._label = account_label
        self._quote = quote
        self._key = next_tid()  # chosen once: a retry after a failure reuses it
        title = self.tr("Quote as {account}") if quote else self.tr("Reply as {account}")
        self.setWindowTitle(title.format(account=account_label))
        self.setAccessibleName(self.windowTitle())
        context = QLabel(self.tr("To {handle}: {text}").format(
            handle=post.author.handle, text=post.text[:140]))
        context.setWordWrap(True)
        context.setTextFormat(Qt.TextFormat.PlainText)
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName(self.tr("Text of the reply"))
        self.editor.setTabChangesFocus(True)  # Tab leaves the box (keyboard-only users)
        if not quote and post.author.handle:
            self.editor.setPlainText(post.author.handle + " ")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Status"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.publish_button = buttons.addButton(
            self.tr("&Publish"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.publish_button.setAccessibleName(self.tr("Publish"))
        buttons.accepted.connect(self.publish)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (context, self.editor, self.status, buttons):
            layout.addWidget(widget)
        self.finished.connect(self.deleteLater)

    def success_text(self) -> str:
        return self.tr("Published as {account}.").format(account=self._label)

    def publish(self) -> None:
        text = self.editor.toPlainText().strip()
        if not text:
            self.status.setText(self.tr("Write something first."))
            return
        self.publish_button.setEnabled(False)
        self.status.setText(self.tr("Publishing…"))
        post = self._post
        request = PostRequest(
            text,
            idempotency_key=self._key,
            reply_to=None if self._quote else post,
            quote=post if self._quote else None,
        )
        service, account_id = self._service, self._account_id
        self._tasks.run(lambda: service.publish(account_id, request), self._done, self._failed)

    def _done(self, post: Post) -> None:
        self.published.emit(post)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.publish_button.setEnabled(True)
        self.status.setText(describe(exc, self._label))
