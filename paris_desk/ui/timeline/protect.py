"""The "Protect the thread" entries of a post's menu (issue 15).

Offered where the city owns what is protected. Bluesky: on its own root post, who may reply
and whether quotes are allowed; on a reply in one of its threads, hide (or show again) the
reply; on a post quoting one of its posts, detach the quote. Mastodon (4.5): on its own post,
whether quotes are allowed; on a post quoting one of its posts, revoke the quote. The work
runs on a worker through the desk's ``ThreadGuard``; the outcome is told through
``notice``/``error`` callbacks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QMenu

from paris_desk.core.model import Account, Network, Post
from paris_desk.core.threads import ReplyGate, ThreadControls
from paris_desk.ui.lifetime import while_alive

if TYPE_CHECKING:
    from paris_desk.services.threads import ThreadGuard
    from paris_desk.services.workers import TaskManager

Notify = Callable[[str], None]


def owner_of(uri: str, accounts: dict[str, Account]) -> Account | None:
    """The city's Bluesky account whose repository holds ``uri``."""
    did = uri.removeprefix("at://").split("/", 1)[0] if uri.startswith("at://") else ""
    return next((a for a in accounts.values()
                 if a.network is Network.BLUESKY and did and a.user_id == did), None)


def author_account(post: Post, seen_by: tuple[str, ...], accounts: dict[str, Account]
                   ) -> Account | None:
    """The city account that wrote ``post``: on Bluesky by its repository; on Mastodon, the
    account that saw it, when the author's id on its server is that account's own."""
    if post.network is Network.BLUESKY:
        return owner_of(post.uri, accounts)
    return next((a for a in accounts.values() if a.network is Network.MASTODON
                 and a.id in seen_by and a.user_id and a.user_id == post.author.user_id), None)


def gate_names() -> dict[ReplyGate, str]:
    return {
        ReplyGate.EVERYONE: QCoreApplication.translate("Protect", "Everyone"),
        ReplyGate.MENTIONED: QCoreApplication.translate("Protect", "Mentioned accounts"),
        ReplyGate.FOLLOWERS: QCoreApplication.translate("Protect", "Followers"),
        ReplyGate.FOLLOWING: QCoreApplication.translate("Protect", "Accounts we follow"),
        ReplyGate.NOBODY: QCoreApplication.translate("Protect", "Nobody"),
    }


class Protection:
    """Builds the entries and runs them (one per column's ``PostActions``)."""

    def __init__(self, tasks: TaskManager, threads: ThreadGuard, notice: Notify,
                 error: Callable[[Exception, str], None], owner: QObject) -> None:
        """``owner``: the widget the outcome is told in (nothing is told once it is gone)."""
        self._tasks, self._threads = tasks, threads
        self._notice, self._error, self._owner = notice, error, owner

    def add_to(self, menu: QMenu, post: Post, accounts: dict[str, Account], *,
               submenu: bool = True) -> bool:
        """Add what applies to ``post`` (in a "Protect the thread" submenu unless not
        ``submenu``); False, adding nothing, when the city owns nothing around it."""
        root = post.reply_root_uri or post.reply_to_uri
        seen = post.seen_by or ((post.origin_account,) if post.origin_account else ())
        own_post = author_account(post, seen, accounts)
        own_root = owner_of(root, accounts) if root else None  # Bluesky: gates on the root
        own_quoted = (author_account(post.quote, seen, accounts)
                      if post.quote is not None else None)
        if own_post is None and own_root is None and own_quoted is None:
            return False
        sub = (menu.addMenu(QCoreApplication.translate("Protect", "&Protect the thread"))
               if submenu else menu)
        if own_post is not None and own_post.network is Network.MASTODON:
            self._quote_entries(sub, post, own_post)
        elif own_post is not None and not root:
            self._root_entries(sub, post, own_post)
        if own_root is not None and own_post is None:
            self._add(sub, QCoreApplication.translate("Protect", "&Hide this reply"),
                      lambda: self._threads.hide_reply(own_root.id, post, True),
                      QCoreApplication.translate("Protect", "Reply hidden in the thread."))
            self._add(sub, QCoreApplication.translate("Protect", "&Show this reply again"),
                      lambda: self._threads.hide_reply(own_root.id, post, False),
                      QCoreApplication.translate("Protect", "Reply shown again."))
        if own_quoted is not None and post.quote is not None and own_post is None:
            quoted = post.quote
            self._add(sub, QCoreApplication.translate("Protect", "&Detach this quote"),
                      lambda: self._threads.detach_quote(own_quoted.id, quoted, post.uri),
                      QCoreApplication.translate("Protect", "Quote detached from our post."))
        return not sub.isEmpty()

    def _root_entries(self, sub: QMenu, post: Post, owner: Account) -> None:
        gates = sub.addMenu(QCoreApplication.translate("Protect", "&Who may reply"))
        for gate, name in gate_names().items():
            self._add(gates, name,
                      lambda g=gate: self._threads.set_reply_gate(owner.id, post, g),
                      QCoreApplication.translate("Protect", "Who may reply: {who}.").format(
                          who=name))
        self._quote_entries(sub, post, owner)

    def _quote_entries(self, sub: QMenu, post: Post, owner: Account) -> None:
        self._add(sub, QCoreApplication.translate("Protect", "&Forbid quotes"),
                  lambda: self._threads.set_quotes_allowed(owner.id, post, False),
                  QCoreApplication.translate("Protect", "Quotes forbidden."))
        self._add(sub, QCoreApplication.translate("Protect", "&Allow quotes again"),
                  lambda: self._threads.set_quotes_allowed(owner.id, post, True),
                  QCoreApplication.translate("Protect", "Quotes allowed."))

    def _add(self, menu: QMenu, text: str, op: Callable[[], ThreadControls], said: str) -> None:
        action = menu.addAction(text)
        action.triggered.connect(lambda _checked=False: self.run(op, said))

    def run(self, op: Callable[[], ThreadControls], said: str) -> None:
        self._tasks.run(op, while_alive(self._owner, lambda _controls: self._notice(said)),
                        while_alive(self._owner, lambda exc: self._error(exc, "")))
