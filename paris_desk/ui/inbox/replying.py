"""Answering from the inbox: ``InboxView``'s reply box wiring, as a mixin.

r (or "Reply") opens the box under the conversation with the mentions an answer needs; Ctrl+Enter
sends it through the application core (``Desk.answer``: a draft queued in the durable outbox,
sent now, never twice), as the account that was mentioned. Once sent, the item is "answered",
its jobs go to the timeline (``jobs_sent``) and the conversation is loaded again. "Compose…"
hands the post to the window's composer instead. Strings keep the ``InboxView`` context (see
``ui.inbox.moderation``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Slot

from paris_desk.services.api import Handled, Handling
from paris_desk.services.inbox import reply_prefix
from paris_desk.services.outbox import JobState
from paris_desk.ui.errors import describe

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from paris_desk.core.model import Account, Post
    from paris_desk.core.notifications import GroupKey
    from paris_desk.services.inbox import InboxItem
    from paris_desk.services.workers import TaskManager
    from paris_desk.ui.inbox.detail import InboxDetail

translate = QCoreApplication.translate


class InboxReplying:
    """Needs from the view: the answer (``Desk.answer``), the selection, the detail pane."""

    if TYPE_CHECKING:
        tasks: TaskManager
        detail: InboxDetail
        answer: Callable[[InboxItem, str], Any] | None
        jobs_sent: SignalInstance
        reply_sent: SignalInstance
        replied_to: SignalInstance
        _accounts: dict[str, Account]
        _open_in_composer: Callable[[Post, str], None] | None

        def current_item(self) -> InboxItem | None: ...

        def _post_of(self, item: InboxItem) -> Post | None: ...

        def _name(self, item: InboxItem) -> str: ...

        def _update_key(self, key: GroupKey, **changes: Any) -> None: ...

        def open_thread(self) -> None: ...

    @Slot()
    def start_reply(self) -> None:
        item = self.current_item()
        account = self._accounts.get(item.account_id) if item is not None else None
        if item is None or account is None or item.post is None:
            return
        self.detail.start_reply(reply_prefix(item, account))

    def set_composer(self, open_reply: Callable[[Post, str], None] | None) -> None:
        """Offer "Compose…": the window's composer, for a reply with media or a long text
        (its answer is noticed in the thread, which marks the item answered)."""
        self._open_in_composer = open_reply
        self.detail.composer_button.setVisible(open_reply is not None)

    @Slot()
    def reply_in_composer(self) -> None:
        item = self.current_item()
        post = self._post_of(item) if item is not None else None
        if item is not None and post is not None and self._open_in_composer is not None:
            self._open_in_composer(post, item.account_id)

    @Slot(str)
    def send_reply(self, text: str) -> None:
        """Answer the item with ``text`` as the account it was for, through the application
        core: the reply is a draft checked and queued in the durable outbox like any post, so
        a failure or a crash never loses it and a second click never sends it twice."""
        item = self.current_item()
        if item is None or item.post is None or self.answer is None:
            return
        self.detail.set_sending(True)
        answer = self.answer

        def done(outcome: Any) -> None:
            self.detail.set_sending(False)
            self.detail.reply_edit.clear()
            sent = [job for job in outcome.jobs if job.state is JobState.SENT]
            if sent:  # the reply in the timeline at once, as the outbox pump's posts
                self.jobs_sent.emit(sent)
            post = outcome.first_post
            if outcome.sent and post is not None:
                self.detail.reply_status.setText(translate(
                    "InboxView", "Reply sent as {account}.").format(account=self._name(item)))
                self._update_key(item.key, handled=Handled(Handling.ANSWERED, post.created_at,
                                                            post.uri))
                self.reply_sent.emit(post)
                if item.post is not None:
                    self.replied_to.emit(item.post.uri)
                self.open_thread()
                return
            self.detail.reply_status.setText(translate("InboxView",
                "Reply to send as {account}: kept in the outbox, it will be sent as soon as "
                "possible.").format(account=self._name(item)))

        def failed(exc: Exception) -> None:
            self.detail.set_sending(False)
            self.detail.reply_status.setText(describe(exc, self._name(item)))

        self.tasks.run(lambda: answer(item, text), done, failed)
