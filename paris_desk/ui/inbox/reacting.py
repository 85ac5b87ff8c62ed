"""Acting on the selected post from the inbox: like, share (after a confirmation that names
the account, as in the timeline) and links opened in the system's browser; ``InboxView``'s, as
a mixin. Strings keep the ``InboxView`` context (see ``ui.inbox.moderation``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QUrl, Slot
from PySide6.QtGui import QGuiApplication

from paris_desk.services.reactions import PostAction
from paris_desk.ui import links
from paris_desk.ui.errors import describe
from paris_desk.ui.timeline.acting import ShareDialog

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from paris_desk.core.model import Account, Post
    from paris_desk.core.notifications import GroupKey
    from paris_desk.services.inbox import InboxItem
    from paris_desk.services.workers import TaskManager
    from paris_desk.ui.inbox.detail import InboxDetail

translate = QCoreApplication.translate


class InboxReacting:
    """Needs from the view: the reaction (``Desk.react``), the selection, the detail pane and
    how links open (``open_url``, replaced in tests)."""

    if TYPE_CHECKING:
        tasks: TaskManager
        detail: InboxDetail
        react: Callable[[str, PostAction, Post], Post] | None
        open_url: Callable[[QUrl], Any]
        confirm_shares: Callable[[], bool]
        stop_confirming: Callable[[], object]
        action_done: SignalInstance
        error_occurred: SignalInstance
        _accounts: dict[str, Account]
        _posts: dict[GroupKey, Post]

        def current_item(self) -> InboxItem | None: ...

        def _post_of(self, item: InboxItem) -> Post | None: ...

        def _name(self, item: InboxItem) -> str: ...

    def _share(self, on: bool) -> ShareDialog | None:
        """Share as the item's account, after a confirmation that names it (unless the
        Préférences turned it off, as in the timeline); undoing a share asks nothing."""
        item = self.current_item()
        post = self._post_of(item) if item is not None else None
        account = self._accounts.get(item.account_id) if item is not None else None
        if not on or post is None or account is None or not self.confirm_shares():
            self._react("repost", on)
            return None
        dialog = ShareDialog(post, [account], account.id, self)  # type: ignore[arg-type]  # a QWidget

        def confirmed() -> None:
            if dialog.dont_ask.isChecked():
                self.stop_confirming()
            self._react("repost", True)

        dialog.accepted.connect(confirmed)
        dialog.rejected.connect(lambda: self.detail.set_reacted(post))
        dialog.open()
        return dialog

    def _react(self, what: str, on: bool) -> None:
        item = self.current_item()
        post = self._post_of(item) if item is not None else None
        react = self.react
        if item is None or post is None or react is None:
            return
        if what == "like":
            action = PostAction.LIKE if on else PostAction.UNLIKE
        else:
            action = PostAction.REPOST if on else PostAction.UNREPOST

        def done(fresh: Post) -> None:
            self._posts[item.key] = fresh
            self.detail.set_reacted(fresh)
            self.action_done.emit(what)

        def failed(exc: Exception) -> None:
            self.detail.set_reacted(post)
            self.error_occurred.emit(describe(exc, self._name(item)))

        self.tasks.run(lambda: react(item.account_id, action, post), done, failed)

    @Slot()
    def open_in_browser(self) -> None:
        item = self.current_item()
        post = self._post_of(item) if item is not None else None
        if post is not None:
            self._on_link(post.url or post.uri)

    def _on_link(self, url: str) -> None:
        """In the system's browser; a message in the window when none opens it."""
        if not url.lower().startswith(links.SCHEMES):
            self.error_occurred.emit(translate(
                "InboxView", "This link cannot be opened: {url}").format(url=url[:200]))
        elif self.open_url(QUrl(url)) is False:
            QGuiApplication.clipboard().setText(url)
            self.error_occurred.emit(translate("InboxView",
                "No browser could open the link. It is copied: paste it in a browser. ({url})"
            ).format(url=url[:200]))
