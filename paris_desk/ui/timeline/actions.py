"""Acting on a post from a timeline: reply, like, repost, quote, copy link, open in browser.

The acting account is chosen among the accounts of the post's network, by default the account
that saw it (``seen_by[0]``). Network calls run on workers; the result replaces the row in
place (no reload). Replies and quotes open the composer in reply (or quote) mode: the same
editor, checks and durable outbox as any post (``compose``, set once the composer exists).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QMenu,
    QWidget,
)

from paris_desk.core.model import Account, Post
from paris_desk.services.timeline import PostAction, TimelineService
from paris_desk.services.workers import TaskManager
from paris_desk.ui.errors import describe
from paris_desk.ui.timeline.post_text import account_name


def acting_accounts(post: Post, accounts: dict[str, Account]) -> list[Account]:
    """The accounts that may act on ``post`` (its network), the one that saw it first."""
    same = [a for a in accounts.values() if a.network is post.network]
    owner = post.seen_by[0] if post.seen_by else ""
    return sorted(same, key=lambda a: (a.id != owner, a.position))


Compose = Callable[[Post, str, bool], None]  # (post, acting account id, quote)


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
        self.compose: Compose | None = None  # the composer's opener, once installed

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

    def reply(self, post: Post, account_id: str = "", *, quote: bool = False) -> None:
        """Open the composer on a reply to (or a quote of) ``post`` as ``account_id``."""
        account_id = account_id or self.default_account(post)
        if self.compose is None:
            self.error_occurred.emit(self.tr("The composer is not available."))
            return
        self.compose(post, account_id, quote)

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
