"""Acting on a post from a timeline: reply, like, repost, quote, copy link, open in browser.

The acting account is chosen among the accounts of the post's network, by default the account
that saw it (``seen_by[0]``), and always before acting: with several accounts on that network a
like first asks which one (``acting.choose_account``); a share (boost, repost) asks for a
confirmation that names the account (``acting.ShareDialog``; on by default, the Préférences
turn it off). Once done, ``done`` carries a sentence naming the account and how to undo it.
Network calls run on workers; the result replaces the row in place (no reload). Replies and
quotes open the composer in reply (or quote) mode: the same editor, checks and durable outbox
as any post (``compose``, set once the composer exists).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, Signal
from PySide6.QtGui import QAction, QActionGroup, QCursor, QGuiApplication
from PySide6.QtWidgets import (
    QMenu,
    QWidget,
)

from paris_desk.core.model import Account, Post
from paris_desk.services.reactions import PostAction
from paris_desk.services.workers import TaskManager
from paris_desk.ui import links
from paris_desk.ui.accounts.naming import account_icon, account_title
from paris_desk.ui.errors import describe
from paris_desk.ui.timeline.acting import ShareDialog, choose_account
from paris_desk.ui.timeline.post_text import account_name
from paris_desk.ui.timeline.protect import Protection


def acting_accounts(post: Post, accounts: dict[str, Account]) -> list[Account]:
    """The accounts that may act on ``post`` (its network), the one that saw it first."""
    same = [a for a in accounts.values() if a.network is post.network]
    owner = post.seen_by[0] if post.seen_by else ""
    return sorted(same, key=lambda a: (a.id != owner, a.position))


Compose = Callable[[Post, str, bool], None]  # (post, acting account id, quote)
React = Callable[[str, PostAction, Post], Post]  # Desk.react: (account id, action, post)


class PostActions(QObject):
    """Runs actions for one timeline column and reports through signals."""

    post_updated = Signal(object)  # Post: the row to replace
    error_occurred = Signal(str)
    notice = Signal(str)
    done = Signal(str, object)  # what was done, as which account; its undo (a callable)

    def __init__(
        self,
        tasks: TaskManager,
        accounts: Callable[[], dict[str, Account]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._accounts = accounts
        self._parent = parent
        self.compose: Compose | None = None  # the composer's opener, once installed
        self.react: React | None = None  # like and repost through the core (Desk.react)
        self.confirm_shares: Callable[[], bool] = lambda: True  # the Préférences, once wired
        self.stop_confirming: Callable[[], None] = lambda: None
        self.anchor: Callable[[], QPoint] = QCursor.pos  # where the account chooser opens
        self.protection: Protection | None = None  # "Protect the thread" (desk.threads)

    def default_account(self, post: Post) -> str:
        choices = acting_accounts(post, self._accounts())
        return choices[0].id if choices else ""

    def toggle_like(self, post: Post, account_id: str = "") -> QMenu | None:
        """Like (or unlike) ``post``; without ``account_id`` and with several accounts on its
        network, first asks which account likes (the returned menu)."""
        choices = acting_accounts(post, self._accounts())
        if post.liked and not account_id:  # liked by the account that saw it: undo that
            self.act(self.default_account(post), PostAction.UNLIKE, post)
            return None
        if account_id or len(choices) < 2:
            account_id = account_id or self.default_account(post)
            owner = post.seen_by[:1] == (account_id,)
            undo = owner and post.liked
            self.act(account_id, PostAction.UNLIKE if undo else PostAction.LIKE, post)
            return None
        return choose_account(self._parent, self.tr("Like as…"), choices, self.anchor(),
                              lambda chosen: self.act(chosen, PostAction.LIKE, post))

    def toggle_repost(self, post: Post, account_id: str = "") -> QWidget | None:
        """Share (or undo the share of) ``post``. A share first asks for a confirmation that
        names the account (the returned dialog), or which account shares (a menu) when the
        Préférences turned the confirmation off and several accounts could."""
        chosen = account_id or self.default_account(post)
        if post.reposted and post.seen_by[:1] == (chosen,):
            self.act(chosen, PostAction.UNREPOST, post)
            return None
        choices = acting_accounts(post, self._accounts())
        if not chosen:
            return None
        if self.confirm_shares():
            dialog = ShareDialog(post, choices, chosen, self._parent)
            dialog.accepted.connect(lambda: self._share_confirmed(dialog, post))
            dialog.open()
            return dialog
        if account_id or len(choices) < 2:
            self.act(chosen, PostAction.REPOST, post)
            return None
        return choose_account(self._parent, self.tr("Share as…"), choices, self.anchor(),
                              lambda picked: self.act(picked, PostAction.REPOST, post))

    def _share_confirmed(self, dialog: ShareDialog, post: Post) -> None:
        if dialog.dont_ask.isChecked():
            self.stop_confirming()
        self.act(dialog.account_id(), PostAction.REPOST, post)

    def act(self, account_id: str, action: PostAction, post: Post) -> None:
        react = self.react
        if not account_id or react is None:
            return

        def succeeded(fresh: Post) -> None:
            self.post_updated.emit(fresh)
            self._say_done(account_id, action, fresh)

        self._tasks.run(
            lambda: react(account_id, action, post),
            succeeded,
            lambda exc: self.error_occurred.emit(describe(exc, self._name(account_id))),
        )

    def _say_done(self, account_id: str, action: PostAction, post: Post) -> None:
        name = self._name(account_id)
        undo = {PostAction.LIKE: PostAction.UNLIKE, PostAction.REPOST: PostAction.UNREPOST}
        texts = {
            PostAction.LIKE: self.tr("Liked as {account}."),
            PostAction.UNLIKE: self.tr("Like withdrawn ({account})."),
            PostAction.REPOST: self.tr("Shared as {account}."),
            PostAction.UNREPOST: self.tr("Share withdrawn ({account})."),
        }
        text = texts.get(action)
        if text is None:
            return
        back = undo.get(action)
        self.done.emit(text.format(account=name),
                       (lambda: self.act(account_id, back, post)) if back else None)

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

    def open_in_browser(self, post: Post) -> bool:
        """The post on its server's web page; a message when no browser opens it."""
        return links.open_link(post.url or post.uri, self.error_occurred.emit)

    def _name(self, account_id: str) -> str:
        return account_name(account_id, self._accounts())

    def menu(self, post: Post, parent: QWidget) -> QMenu:
        """The actions menu of one post, with the acting-account chooser."""
        menu = QMenu(parent)
        menu.setAccessibleName(self.tr("Post actions"))
        choices = acting_accounts(post, self._accounts())
        chosen = {"id": choices[0].id if choices else ""}
        if choices:
            as_text = self.tr("As: {account}")
            submenu = menu.addMenu(as_text.format(account=self._name(chosen["id"])))
            submenu.setEnabled(len(choices) > 1)
            group = QActionGroup(submenu)
            for account in choices:
                action = group.addAction(account_icon(account), account_title(account))
                action.setCheckable(True)
                action.setChecked(account.id == chosen["id"])

                def pick(_c: bool = False, a: str = account.id) -> None:
                    chosen.update(id=a)
                    submenu.setTitle(as_text.format(account=self._name(a)))

                action.triggered.connect(pick)
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
        if self.protection is not None:
            self.protection.add_to(menu, post, self._accounts())
        return menu
