""""Demandes" in the inbox (issue 15): strangers' mentions the servers kept out of the list.

A "Demandes (N)" button in the inbox's filter bar, shown while some wait (read again with
each inbox load), opens ``RequestsDialog``: one row per sender and account, with
"Accepter" (the sender's notifications join the inbox, now and from then on), "Ignorer" and
"Voir le fil" (the kept notifications, read from the server). Nothing leaves the list but by
the user's choice. The work runs on the network pool (``desk.requests``).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from paris_desk.core.requests import MentionRequest
from paris_desk.ui.errors import describe
from paris_desk.ui.lifetime import while_alive
from paris_desk.ui.timeline.post_text import account_name, clean

if TYPE_CHECKING:
    from paris_desk.core.model import Account, Notification
    from paris_desk.services.requests import Requests, RequestService
    from paris_desk.services.workers import TaskManager
    from paris_desk.ui.inbox.view import InboxView


class RequestsDialog(QDialog):
    changed = Signal()  # a request was accepted or dismissed
    loaded = Signal()

    def __init__(self, tasks: TaskManager, service: RequestService,
                 accounts: dict[str, Account], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Requests"))
        self.setAccessibleName(self.tr("Mentions from accounts you do not follow"))
        self.resize(720, 480)
        self._tasks, self._service, self._accounts = tasks, service, accounts
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Requests"))
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.thread = QTextBrowser()
        self.thread.setAccessibleName(self.tr("Their messages"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.accept_button = QPushButton(self.tr("&Accept"))
        self.accept_button.setToolTip(self.tr("Their mentions join the inbox, now and later"))
        self.accept_button.clicked.connect(lambda: self._act(self._service.accept))
        self.dismiss_button = QPushButton(self.tr("&Ignore"))
        self.dismiss_button.clicked.connect(lambda: self._act(self._service.dismiss))
        self.show_button = QPushButton(self.tr("&See the messages"))
        self.show_button.clicked.connect(self.show_thread)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.accept_button, self.dismiss_button, self.show_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.thread, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._update_buttons()
        self.reload()

    def current(self) -> MentionRequest | None:
        item = self.list.currentItem()
        found = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return found if isinstance(found, MentionRequest) else None

    def reload(self) -> None:
        self._tasks.run(self._service.load, while_alive(self, self._show),
                        while_alive(self, self._failed))

    def show_thread(self) -> None:
        request = self.current()
        if request is not None:
            self._tasks.run(lambda: self._service.notifications(request),
                            while_alive(self, self._show_thread), while_alive(self, self._failed))

    def _act(self, op: Callable[[MentionRequest], None]) -> None:
        request = self.current()
        if request is None:
            return
        self._tasks.run(lambda: op(request), while_alive(self, lambda _none: self._acted()),
                        while_alive(self, self._failed))

    def _acted(self) -> None:
        self.thread.clear()
        self.changed.emit()
        self.reload()

    def _show(self, requests: Requests) -> None:
        self.list.clear()
        for request in requests.items:
            who = clean(request.author.display_name) or request.author.handle
            text = self.tr("{who} ({handle}) to {account}: %n message(s)", "",
                           request.count).format(who=who, handle=request.author.handle,
                                                 account=account_name(request.account_id,
                                                                      self._accounts))
            if request.last_post is not None:
                text += "\n" + clean(request.last_post.text)[:200]
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, request)
            self.list.addItem(item)
        self.status.setText("\n".join(
            describe(exc, account_name(a, self._accounts))
            for a, exc in requests.failures.items())
            or ("" if requests.items else self.tr("No request is waiting.")))
        self._update_buttons()
        self.loaded.emit()

    def _show_thread(self, notifications: list[Notification]) -> None:
        parts = [f"<p><b>{html.escape(n.author.handle)}</b><br>"
                 f"{html.escape(n.post.text if n.post else '')}</p>" for n in notifications]
        self.thread.setHtml("".join(parts))

    def _failed(self, exc: Exception) -> None:
        self.status.setText(describe(exc))

    def _update_buttons(self) -> None:
        chosen = self.current() is not None
        for button in (self.accept_button, self.dismiss_button, self.show_button):
            button.setEnabled(chosen)


def install_requests(view: InboxView, service: RequestService) -> QToolButton:
    """The "Demandes (N)" button in ``view``'s filter bar."""
    button = QToolButton()
    button.setObjectName("inbox_requests_button")
    button.setAccessibleName(QCoreApplication.translate("RequestsDialog", "Requests"))
    button.hide()
    bar = view.counts_label.parentWidget().layout().itemAt(0).layout()  # type: ignore[union-attr]
    if bar is not None:
        bar.insertWidget(bar.indexOf(view.counts_label), button)  # type: ignore[attr-defined]

    def counted(loaded: tuple[Requests, frozenset[tuple[str, str]]]) -> None:
        requests, accepted = loaded
        view.proxy.set_accepted_strangers(accepted)
        count = len(requests.items)
        text = QCoreApplication.translate("RequestsDialog", "Requests (%n)", "", count)
        button.setText(text)
        button.setAccessibleName(text)
        button.setVisible(count > 0)

    def recount() -> None:
        ids = [a.id for a in view.model.accounts().values()]
        view.tasks.run(lambda: (service.load(), service.accepted_strangers(ids)),
                       while_alive(button, counted), lambda _exc: None)

    def open_dialog() -> None:
        dialog = RequestsDialog(view.tasks, service, view.model.accounts(), view)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(view.reload)  # accepted notifications join the inbox
        dialog.changed.connect(recount)
        dialog.open()

    button.clicked.connect(open_dialog)
    view.loaded.connect(lambda *_: recount())
    return button
