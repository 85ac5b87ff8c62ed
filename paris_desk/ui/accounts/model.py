"""The list of accounts the user added, in their chosen order (Tokodon's AccountManager)."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from paris_desk.core.model import Account, Network

_Index = QModelIndex | QPersistentModelIndex

NETWORK_NAMES = {Network.MASTODON: "Mastodon", Network.BLUESKY: "Bluesky"}


class AccountRole(enum.IntEnum):
    ID = Qt.ItemDataRole.UserRole + 1
    LABEL = enum.auto()
    HANDLE = enum.auto()
    NETWORK = enum.auto()
    COLOR = enum.auto()
    ACCOUNT = enum.auto()
    COUNTS = enum.auto()  # (unread, to handle) from the inbox, or None before it loaded


def counts_text(unread: int, to_handle: int) -> str:
    """"3 non lus · 1 à traiter", as the inbox says it."""
    return QCoreApplication.translate("InboxView", "{unread} unread · {todo} to handle").format(
        unread=unread, todo=to_handle
    )


def display_text(account: Account) -> str:
    """What the list shows first: the label, else the profile's name, else the handle."""
    return account.label or account.display_name or account.handle


def accessible_text(account: Account) -> str:
    """The sentence a screen reader says for the row."""
    title = display_text(account)
    if title != account.handle:
        text = QCoreApplication.translate("AccountsModel", "{label}, {handle}, {network} account")
    else:
        text = QCoreApplication.translate("AccountsModel", "{handle}, {network} account")
    return text.format(label=title, handle=account.handle, network=NETWORK_NAMES[account.network])


class AccountsModel(QAbstractListModel):
    """Rows are accounts; ``data()`` only reads the ``Account`` values it holds."""

    _CHANGING_ROLES = (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.AccessibleTextRole,
        AccountRole.LABEL,
        AccountRole.COLOR,
        AccountRole.ACCOUNT,
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._accounts: list[Account] = []
        self._counts: dict[str, tuple[int, int]] = {}

    # Reading -------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._accounts)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, QAbstractListModel.CheckIndexOption.IndexIsValid):
            return None
        account = self._accounts[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display_text(account)
        if role == Qt.ItemDataRole.DecorationRole:
            return QColor(account.color)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{account.handle} ({account.base_url})"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            counts = self._counts.get(account.id)
            spoken = accessible_text(account)
            return f"{spoken}, {counts_text(*counts)}" if counts else spoken
        if role == AccountRole.COUNTS:
            return self._counts.get(account.id)
        return self._custom_data(account, role)

    def set_counts(self, by_account: Mapping[str, tuple[int, int]]) -> None:
        """Show each account's unread and "à traiter" counts (from the inbox)."""
        for row, account in enumerate(self._accounts):
            counts = by_account.get(account.id, (0, 0))
            if self._counts.get(account.id) != counts:
                self._counts[account.id] = counts
                index = self.index(row)
                self.dataChanged.emit(
                    index, index, [AccountRole.COUNTS, Qt.ItemDataRole.AccessibleTextRole]
                )

    @staticmethod
    def _custom_data(account: Account, role: int) -> Any:
        values: dict[int, Any] = {
            AccountRole.ID: account.id,
            AccountRole.LABEL: account.label,
            AccountRole.HANDLE: account.handle,
            AccountRole.NETWORK: account.network.value,
            AccountRole.COLOR: account.color,
            AccountRole.ACCOUNT: account,
        }
        return values.get(role)

    def roleNames(self) -> dict[int, QByteArray]:  # noqa: N802 - Qt API
        names = super().roleNames()
        names.update({role.value: QByteArray(role.name.lower().encode()) for role in AccountRole})
        return names

    def account_at(self, row: int) -> Account:
        return self._accounts[row]

    def accounts(self) -> list[Account]:
        return list(self._accounts)

    def ids(self) -> list[str]:
        return [account.id for account in self._accounts]

    def row_of(self, account_id: str) -> int:
        """The row of ``account_id``, or -1."""
        for row, account in enumerate(self._accounts):
            if account.id == account_id:
                return row
        return -1

    # Changing ------------------------------------------------------------------------------

    def set_accounts(self, accounts: Iterable[Account]) -> None:
        self.beginResetModel()
        self._accounts = sorted(accounts, key=lambda a: a.position)
        self.endResetModel()

    def upsert(self, account: Account) -> None:
        """Replace the account with the same id, or append it."""
        row = self.row_of(account.id)
        if row >= 0:
            self._accounts[row] = account
            index = self.index(row)
            self.dataChanged.emit(index, index, list(self._CHANGING_ROLES))
            return
        end = len(self._accounts)
        self.beginInsertRows(QModelIndex(), end, end)
        self._accounts.append(account)
        self.endInsertRows()

    def remove(self, account_id: str) -> None:
        row = self.row_of(account_id)
        if row < 0:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._accounts[row]
        self.endRemoveRows()

    def move(self, row: int, to_row: int) -> bool:
        """Move the account at ``row`` so that it ends at ``to_row``; False when out of range."""
        count = len(self._accounts)
        if not (0 <= row < count and 0 <= to_row < count) or row == to_row:
            return False
        # Qt's destination is the row *before which* the item lands, counted before the move.
        destination = to_row + 1 if to_row > row else to_row
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        self._accounts.insert(to_row, self._accounts.pop(row))
        self.endMoveRows()
        return True
