"""The accounts list with its actions: add, relabel, recolour, reorder, reconnect, remove.

Each change is shown at once in the model and saved by a worker; when saving fails, the list
is read again from the service and the error is reported through ``error_occurred``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QColorDialog,
    QHBoxLayout,
    QInputDialog,
    QListView,
    QMenu,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from paris_desk.core.model import Account, Network
from paris_desk.services.workers import TaskManager
from paris_desk.ui.accounts.delegate import AccountDelegate
from paris_desk.ui.accounts.dialogs import (
    AccountDialog,
    BlueskyAccountDialog,
    MastodonAccountDialog,
)
from paris_desk.ui.accounts.model import AccountsModel, display_text
from paris_desk.ui.errors import describe

if TYPE_CHECKING:
    from paris_desk.services.accounts import AccountService


def _plain(text: str) -> str:
    """An action's text without its mnemonic ampersand or ellipsis, for accessible names."""
    return text.replace("&", "").rstrip("…").strip()


class AccountsPanel(QWidget):
    error_occurred = Signal(str)
    account_added = Signal(object)  # Account

    def __init__(
        self,
        tasks: TaskManager,
        service: AccountService,
        parent: QWidget | None = None,
        add_service: AccountService | None = None,
    ) -> None:
        """``add_service`` receives new accounts when it differs from ``service`` (the app
        shows the sandbox while no real account exists, but adds real ones to the real profile)."""
        super().__init__(parent)
        self._tasks = tasks
        self._service = service
        self._add_service = add_service or service
        self.model = AccountsModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(AccountDelegate(self.view))
        self.view.setAccessibleName(self.tr("Accounts"))
        self.view.setUniformItemSizes(True)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_context_menu)
        self._make_actions()
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        self.model.modelReset.connect(self._update_actions)
        self.model.rowsMoved.connect(self._update_actions)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        layout.addLayout(self._buttons())
        self._update_actions()

    # Building ------------------------------------------------------------------------------

    def _action(
        self, text: str, slot: Callable[[], object], shortcut: QKeySequence | None = None
    ) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        return action

    def _make_actions(self) -> None:
        key = QKeySequence
        self.add_mastodon_action = self._action(
            self.tr("Add a &Mastodon account…"), self.add_mastodon
        )
        self.add_bluesky_action = self._action(self.tr("Add a &Bluesky account…"), self.add_bluesky)
        self.rename_action = self._action(self.tr("&Rename…"), self._on_rename, key("F2"))
        self.recolor_action = self._action(self.tr("Change &colour…"), self._on_recolor)
        self.move_up_action = self._action(
            self.tr("Move &up"), lambda: self.move_selected(-1), key("Ctrl+Shift+Up")
        )
        self.move_down_action = self._action(
            self.tr("Move &down"), lambda: self.move_selected(1), key("Ctrl+Shift+Down")
        )
        self.reconnect_action = self._action(self.tr("Re&connect…"), self._on_reconnect)
        self.remove_action = self._action(
            self.tr("Re&move…"), self._on_remove, key(key.StandardKey.Delete)
        )
        self.selection_actions = [
            self.rename_action,
            self.recolor_action,
            self.move_up_action,
            self.move_down_action,
            self.reconnect_action,
            self.remove_action,
        ]

    def _buttons(self) -> QHBoxLayout:
        add_menu = QMenu(self)
        add_menu.addActions([self.add_mastodon_action, self.add_bluesky_action])
        self.add_button = QToolButton()
        self.add_button.setText(self.tr("Add"))
        self.add_button.setAccessibleName(self.tr("Add an account"))
        self.add_button.setMenu(add_menu)
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        for action in (self.move_up_action, self.move_down_action, self.remove_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAccessibleName(_plain(action.text()))
            row.addWidget(button)
        row.addStretch(1)
        return row

    # State ---------------------------------------------------------------------------------

    def selected(self) -> Account | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.account_at(rows[0].row()) if rows else None

    def select(self, account_id: str) -> None:
        row = self.model.row_of(account_id)
        if row >= 0:
            self.view.selectionModel().setCurrentIndex(
                self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )

    def set_adding_allowed(self, allowed: bool, reason: str = "") -> None:
        for action in (self.add_mastodon_action, self.add_bluesky_action):
            action.setEnabled(allowed)
            action.setToolTip(reason)
        self.add_button.setEnabled(allowed)
        self.add_button.setToolTip(reason)

    @Slot()
    def _update_actions(self) -> None:
        account = self.selected()
        for action in self.selection_actions:
            action.setEnabled(account is not None)
        if account is not None:
            row = self.model.row_of(account.id)
            self.move_up_action.setEnabled(row > 0)
            self.move_down_action.setEnabled(row < self.model.rowCount() - 1)

    def _report(self, exc: Exception, account: Account | None = None) -> None:
        self.error_occurred.emit(describe(exc, display_text(account) if account else ""))

    # Service calls (all on workers) --------------------------------------------------------

    def reload(self) -> None:
        selected = self.selected()
        service = self._service

        def done(accounts: list[Account]) -> None:
            self.model.set_accounts(accounts)
            if selected is not None:
                self.select(selected.id)

        self._tasks.run_db(service.list, done, self._report)

    def _save_failed(self, account: Account | None) -> Callable[[Exception], None]:
        def failed(exc: Exception) -> None:
            self._report(exc, account)
            self.reload()

        return failed

    def relabel(self, account_id: str, label: str) -> None:
        self._update(account_id, label=label)

    def recolor(self, account_id: str, color: str) -> None:
        self._update(account_id, color=color)

    def _update(self, account_id: str, **changes: Any) -> None:
        row = self.model.row_of(account_id)
        if row < 0:
            return
        account = self.model.account_at(row)
        self.model.upsert(dataclasses.replace(account, **changes))
        service = self._service
        self._tasks.run_db(
            lambda: service.update(account_id, **changes),
            self._on_saved,
            self._save_failed(account),
        )

    def _on_saved(self, account: Account) -> None:
        self.model.upsert(account)

    def move_selected(self, delta: int) -> None:
        account = self.selected()
        if account is None:
            return
        row = self.model.row_of(account.id)
        if not self.model.move(row, row + delta):
            return
        ids, service = self.model.ids(), self._service
        self._tasks.run_db(lambda: service.reorder(ids), None, self._save_failed(account))

    def remove(self, account_id: str) -> None:
        row = self.model.row_of(account_id)
        if row < 0:
            return
        account = self.model.account_at(row)
        self.model.remove(account_id)
        service = self._service
        # The keychain may be slow (an OS prompt): not on the database thread.
        self._tasks.run(lambda: service.remove(account_id), None, self._save_failed(account))

    # Dialogs -------------------------------------------------------------------------------

    @Slot()
    def add_mastodon(self) -> AccountDialog:
        return self._open_dialog(MastodonAccountDialog, None)

    @Slot()
    def add_bluesky(self) -> AccountDialog:
        return self._open_dialog(BlueskyAccountDialog, None)

    def _open_dialog(self, kind: type[AccountDialog], account: Account | None) -> AccountDialog:
        service = self._service if account is not None else self._add_service
        dialog = kind(service, self._tasks, account, self.model.rowCount(), self)
        dialog.account_added.connect(self._on_account_added)  # it deletes itself when done
        dialog.open()
        return dialog

    def _on_account_added(self, account: Account) -> None:
        if self._add_service is self._service:
            self.model.upsert(account)
            self.select(account.id)
        self.account_added.emit(account)

    @Slot()
    def _on_reconnect(self) -> None:
        account = self.selected()
        if account is not None:
            kind = (
                MastodonAccountDialog
                if account.network is Network.MASTODON
                else BlueskyAccountDialog
            )
            self._open_dialog(kind, account)

    @Slot()
    def _on_rename(self) -> None:
        account = self.selected()
        if account is None:
            return
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Rename {handle}").format(handle=account.handle))
        dialog.setLabelText(self.tr("Label shown for this account:"))
        dialog.setTextValue(account.label)
        dialog.textValueSelected.connect(lambda text: self.relabel(account.id, text.strip()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    @Slot()
    def _on_recolor(self) -> None:
        account = self.selected()
        if account is None:
            return
        dialog = QColorDialog(QColor(account.color), self)
        dialog.setWindowTitle(self.tr("Colour of {account}").format(account=display_text(account)))
        dialog.colorSelected.connect(lambda color: self.recolor(account.id, color.name()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    @Slot()
    def _on_remove(self) -> None:
        account = self.selected()
        if account is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Remove an account"),
            self.tr(
                "Remove {account} from paris_desk? Its credentials are deleted from the "
                "keychain; nothing is deleted on the server."
            ).format(account=display_text(account)),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        remove = box.addButton(self.tr("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(
            lambda button: self.remove(account.id) if button is remove else None
        )
        box.finished.connect(box.deleteLater)
        box.open()

    @Slot(QPoint)
    def _on_context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addActions([self.add_mastodon_action, self.add_bluesky_action])
        if self.selected() is not None:
            menu.addSeparator()
            menu.addActions(self.selection_actions)
        menu.popup(self.view.viewport().mapToGlobal(pos))
