"""The accounts a post goes to: a checklist (colour, label, network) and saved groups.

Nothing is published to an account the user did not check. A group ("Tous les comptes
Paris") checks exactly its accounts in one click.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from paris_desk.core.model import Account, Network
from paris_desk.services.api import TargetGroup
from paris_desk.ui.accounts.model import accessible_text
from paris_desk.ui.accounts.naming import account_icon, account_title

ID_ROLE = Qt.ItemDataRole.UserRole + 1
CHIP = 14


def chip_icon(color: str) -> QIcon:
    pixmap = QPixmap(CHIP, CHIP)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(color).darker(130))
    painter.setBrush(QColor(color))
    painter.drawEllipse(1, 1, CHIP - 2, CHIP - 2)
    painter.end()
    return QIcon(pixmap)


class TargetsPanel(QWidget):
    targets_changed = Signal()
    group_saved = Signal(object)  # TargetGroup
    group_deleted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("Publish from"))
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Accounts to publish from"))
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.setMinimumHeight(120)
        self.title.setBuddy(self.list)
        self.groups = QComboBox()
        self.groups.setAccessibleName(self.tr("Saved groups of accounts"))
        self.groups.setToolTip(self.tr("Check the accounts of a saved group"))
        self.groups.activated.connect(self._on_group_chosen)
        self.save_group_button = QPushButton(self.tr("Save as group…"))
        self.save_group_button.setAccessibleName(self.tr("Save the checked accounts as a group"))
        self.save_group_button.clicked.connect(self._on_save_group)
        self.delete_group_button = QPushButton(self.tr("Delete"))
        self.delete_group_button.setAccessibleName(self.tr("Delete the chosen group"))
        self.delete_group_button.clicked.connect(self._on_delete_group)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_group_button)
        buttons.addWidget(self.delete_group_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.groups)
        layout.addLayout(buttons)
        self._groups: list[TargetGroup] = []
        self._restricted: Network | None = None
        self._updating = False
        self.set_groups([])

    # -- accounts ----------------------------------------------------------------------------

    def set_accounts(self, accounts: Iterable[Account]) -> None:
        checked = set(self.checked_ids())
        self._updating = True
        self.list.clear()
        for account in accounts:
            item = QListWidgetItem(account_icon(account), account_title(account))
            item.setData(ID_ROLE, account.id)
            item.setData(Qt.ItemDataRole.UserRole, account.network.value)
            item.setToolTip(account.handle)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, accessible_text(account))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            state = Qt.CheckState.Checked if account.id in checked else Qt.CheckState.Unchecked
            item.setCheckState(state)
            self.list.addItem(item)
        self._apply_restriction()
        self._updating = False
        self._update_buttons()
        self.targets_changed.emit()

    def ids(self) -> list[str]:
        return [self.list.item(row).data(ID_ROLE) for row in range(self.list.count())]

    def checked_ids(self) -> list[str]:
        return [
            self.list.item(row).data(ID_ROLE)
            for row in range(self.list.count())
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def set_checked(self, ids: Iterable[str]) -> None:
        wanted = set(ids)
        self._updating = True
        for row in range(self.list.count()):
            item = self.list.item(row)
            on = item.data(ID_ROLE) in wanted and bool(item.flags() & Qt.ItemFlag.ItemIsEnabled)
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self._updating = False
        self._update_buttons()
        self.targets_changed.emit()

    def restrict_to(self, network: Network | None) -> None:
        """While replying or quoting: only accounts of the post's network can be checked."""
        self._restricted = network
        self._updating = True
        self._apply_restriction()
        self._updating = False
        self.targets_changed.emit()

    def _apply_restriction(self) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            allowed = self._restricted is None or item.data(Qt.ItemDataRole.UserRole) == (
                self._restricted.value)
            flags = item.flags()
            if allowed:
                item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled)
            else:
                item.setFlags(flags & ~Qt.ItemFlag.ItemIsEnabled)
                item.setCheckState(Qt.CheckState.Unchecked)

    def _on_item_changed(self, _item: QListWidgetItem) -> None:
        if not self._updating:
            self._update_buttons()
            self.targets_changed.emit()

    # -- groups ------------------------------------------------------------------------------

    def set_groups(self, groups: list[TargetGroup]) -> None:
        self._groups = list(groups)
        self.groups.clear()
        self.groups.addItem(self.tr("Choose a group…"), "")
        for group in self._groups:
            self.groups.addItem(group.name, group.name)
        self._update_buttons()

    def select_group(self, name: str) -> None:
        """Show ``name`` as the current group (without changing the checked accounts)."""
        self.groups.setCurrentIndex(max(self.groups.findData(name), 0))
        self._update_buttons()

    def group_names(self) -> list[str]:
        return [g.name for g in self._groups]

    def apply_group(self, name: str) -> None:
        group = next((g for g in self._groups if g.name == name), None)
        if group is not None:
            self.set_checked(group.account_ids)
            self.groups.setCurrentIndex(self.groups.findData(name))
            self._update_buttons()

    @Slot(int)
    def _on_group_chosen(self, index: int) -> None:
        name = self.groups.itemData(index)
        if name:
            self.apply_group(name)
        self._update_buttons()

    def _on_save_group(self) -> None:
        current = self.groups.currentData() or ""
        name, ok = QInputDialog.getText(
            self, self.tr("Save as group"), self.tr("Name of the group:"), text=current
        )
        if ok and name.strip():
            self.group_saved.emit(TargetGroup(" ".join(name.split()), tuple(self.checked_ids())))

    def _on_delete_group(self) -> None:
        name = self.groups.currentData()
        if name:
            self.group_deleted.emit(name)

    def _update_buttons(self) -> None:
        self.save_group_button.setEnabled(bool(self.checked_ids()))
        self.delete_group_button.setEnabled(bool(self.groups.currentData()))
