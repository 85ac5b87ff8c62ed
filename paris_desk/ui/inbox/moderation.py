"""Mute, block and report from the inbox: ``InboxView``'s moderation, as a mixin.

Each action asks first (``inbox_actions.confirm``, ``ReportDialog``), runs on the worker pool,
and says it is done in the view's ``UndoBar``, with an Undo for mute and block (a report cannot
be withdrawn on either network). Strings keep the ``InboxView`` context: PySide's ``tr`` takes
its context from the runtime class, so this base class names it explicitly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from paris_desk.ui.errors import describe
from paris_desk.ui.inbox.actions import ReportDialog, confirm

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QMessageBox, QWidget

    from paris_desk.core.model import Post
    from paris_desk.services.inbox import InboxItem, InboxService
    from paris_desk.services.workers import TaskManager
    from paris_desk.ui.inbox.actions import UndoBar

translate = QCoreApplication.translate


class InboxModeration:
    """Needs from the view: its services, the selection and where to report."""

    if TYPE_CHECKING:
        service: InboxService
        tasks: TaskManager
        undo_bar: UndoBar
        action_done: SignalInstance
        error_occurred: SignalInstance

        def current_item(self) -> InboxItem | None: ...

        def _post_of(self, item: InboxItem) -> Post | None: ...

        def _name(self, item: InboxItem) -> str: ...

        def refresh(self) -> None: ...

    def moderate(self, what: str) -> QMessageBox | None:
        """Mute (``what="mute"``) or block the selected item's author for its account, after a
        confirmation; returns the question (its action button runs it)."""
        item = self.current_item()
        if item is None:
            return None
        who, account = item.latest.author.handle, self._name(item)
        parent: QWidget = self  # type: ignore[assignment]  # mixed into a QWidget

        def yes() -> None:
            self._run_moderation(item, what, True)

        if what == "mute":
            text = translate("InboxView", "Mute {author} for {account}? Their posts and "
                             "notifications will no longer show for this account.")
            action = translate("InboxView", "Mute")
        else:
            text = translate("InboxView", "Block {author} for {account}? They will no longer "
                             "see nor answer this account's posts.")
            action = translate("InboxView", "Block")
        return confirm(parent, action, text.format(author=who, account=account), action, yes)

    def _run_moderation(self, item: InboxItem, what: str, on: bool) -> None:
        op = self.service.mute if what == "mute" else self.service.block
        author, account = item.latest.author, self._name(item)

        def done(_none: None) -> None:
            self.action_done.emit(what if on else "un" + what)
            texts = {
                ("mute", True): translate("InboxView", "{author} is muted for {account}."),
                ("block", True): translate("InboxView", "{author} is blocked for {account}."),
                ("mute", False): translate("InboxView",
                                           "{author} is no longer muted for {account}."),
                ("block", False): translate("InboxView",
                                            "{author} is no longer blocked for {account}."),
            }
            text = texts[(what, on)].format(author=author.handle, account=account)
            undo = (lambda: self._run_moderation(item, what, False)) if on else None
            self.undo_bar.show_done(text, undo)
            self.refresh()

        self.tasks.run(lambda: op(item.account_id, author, on), done,
                       lambda exc: self.error_occurred.emit(describe(exc, account)))

    def report(self) -> ReportDialog | None:
        """Open the report form for the selected post; sending it reports as its account."""
        item = self.current_item()
        post = self._post_of(item) if item is not None else None
        if item is None or post is None:
            return None
        account = self._name(item)
        dialog = ReportDialog(post.author.handle, account, self)  # type: ignore[arg-type]

        def done(_none: Any) -> None:
            self.action_done.emit("report")
            self.undo_bar.show_done(translate(
                "InboxView", "Report sent to the moderators of {account}'s server.").format(
                account=account))

        def send() -> None:
            reason, comment = dialog.chosen()
            self.tasks.run(lambda: self.service.report(item.account_id, post, reason, comment),
                           done, lambda exc: self.error_occurred.emit(describe(exc, account)))

        dialog.accepted.connect(send)
        dialog.open()
        return dialog
