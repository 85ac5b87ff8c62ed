"""The "Filtres" dialog (issue 15): the profile's keyword filters, those made on the servers
included, with where each one is synced; add and remove.

Opened from the Comptes menu. It syncs with the servers when it opens and after each change
(on the network pool, never on the GUI thread); ``changed`` tells the views to read the
filters again. The CLI's ``paris-desk filter`` does the same through the same service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from paris_desk.core.filters import FilterAction, InvalidFilter
from paris_desk.core.model import Account
from paris_desk.ui.accounts.naming import account_title
from paris_desk.ui.errors import describe
from paris_desk.ui.lifetime import while_alive

if TYPE_CHECKING:
    from paris_desk.services.filters import FilterService, FilterState
    from paris_desk.services.workers import TaskManager
    from paris_desk.ui.shell.main_window import MainWindow
    from paris_desk.ui.shell.session import Session


class FiltersDialog(QDialog):
    changed = Signal()  # filters added, removed or taken in from a server
    loaded = Signal()  # the list is on screen (after a sync)

    def __init__(self, tasks: TaskManager, filters: FilterService,
                 accounts: Callable[[], list[Account]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Filters"))
        self.setAccessibleName(self.windowTitle())
        self.resize(640, 420)
        self._tasks, self._filters, self._list_accounts = tasks, filters, accounts
        self._accounts: dict[str, Account] = {}
        self.table = QTreeWidget()
        self.table.setAccessibleName(self.tr("Filters"))
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels([self.tr("Word"), self.tr("Action"), self.tr("Accounts"),
                                    self.tr("On the servers")])
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("Word or expression"))
        self.text.setAccessibleName(self.tr("Word or expression to filter"))
        self.regex = QCheckBox(self.tr("Regular e&xpression"))
        self.action = QComboBox()
        self.action.setAccessibleName(self.tr("What the filter does"))
        self.action.addItem(self.tr("Collapse (Filtered: word)"), FilterAction.WARN.value)
        self.action.addItem(self.tr("Hide"), FilterAction.HIDE.value)
        self.account = QComboBox()
        self.account.setAccessibleName(self.tr("For which accounts"))
        self.add_button = QPushButton(self.tr("&Add"))
        self.add_button.clicked.connect(self.add)
        self.text.returnPressed.connect(self.add)
        self.remove_button = QPushButton(self.tr("&Remove"))
        self.remove_button.clicked.connect(self.remove_selected)
        self._layout()
        self.reload()

    def _layout(self) -> None:
        row = QHBoxLayout()
        for widget in (self.text, self.regex, self.action, self.account, self.add_button):
            row.addWidget(widget)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.remove_button)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(row)
        layout.addLayout(bottom)

    # -- work on workers ---------------------------------------------------------------------
    def reload(self) -> None:
        """Sync with the servers (their filters come in), then show the list."""
        self.status.setText(self.tr("Syncing with the servers…"))
        filters, list_accounts = self._filters, self._list_accounts

        def work() -> tuple[list[Account], list[FilterState], dict[str, Exception]]:
            failures = filters.sync()
            return list_accounts(), filters.states(), dict(failures)

        self._tasks.run(work, while_alive(self, self._show), while_alive(self, self._failed))

    def add(self) -> None:
        text = self.text.text()
        regex = self.regex.isChecked()
        action = FilterAction(self.action.currentData())
        account = str(self.account.currentData() or "")
        filters = self._filters

        def work() -> None:
            filters.add(text, regex=regex, accounts=[account] if account else [], action=action)

        self._tasks.run(work, while_alive(self, lambda _none: self._after_change(clear=True)),
                        while_alive(self, self._failed))

    def remove_selected(self) -> None:
        item = self.table.currentItem()
        if item is None:
            return
        filter_id = str(item.data(0, Qt.ItemDataRole.UserRole))
        filters = self._filters
        self._tasks.run(lambda: filters.remove(filter_id),
                        while_alive(self, lambda _removed: self._after_change()),
                        while_alive(self, self._failed))

    def _after_change(self, *, clear: bool = False) -> None:
        if clear:
            self.text.clear()
        self.changed.emit()
        self.reload()

    # -- results -----------------------------------------------------------------------------
    def _show(self, loaded: tuple[list[Account], list[FilterState], dict[str, Exception]]
              ) -> None:
        accounts, states, failures = loaded
        self._accounts = {a.id: a for a in accounts}
        self._fill_accounts()
        self.table.clear()
        for state in states:
            self.table.addTopLevelItem(self._row(state))
        for column in range(4):
            self.table.resizeColumnToContents(column)
        self.status.setText("\n".join(describe(exc, self._name(account_id))
                                      for account_id, exc in failures.items()))
        self.changed.emit()  # filters made on a phone may have come in
        self.loaded.emit()

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, InvalidFilter):
            reason = str(exc)
            if reason.startswith("invalid regular expression"):
                self.status.setText(self.tr("Invalid regular expression: {detail}").format(
                    detail=reason.partition(": ")[2]))
            elif reason == "empty filter":
                self.status.setText(self.tr("Type a word or an expression to filter."))
            else:
                self.status.setText(self.tr("The filter is too long (200 characters at most)."))
        else:
            self.status.setText(describe(exc))

    def _row(self, state: FilterState) -> QTreeWidgetItem:
        f = state.filter
        word = f"/{f.text}/" if f.regex else f.text
        action = self.tr("Hide") if f.action is FilterAction.HIDE else self.tr("Collapse")
        accounts = (", ".join(self._name(a) for a in f.accounts) if f.accounts
                    else self.tr("All accounts"))
        synced = ", ".join(f"{self._name(a)}: {self._sync_word(s)}"
                           for a, s in state.synced.items())
        item = QTreeWidgetItem([word, action, accounts, synced])
        item.setData(0, Qt.ItemDataRole.UserRole, f.id)
        return item

    def _sync_word(self, synced: bool | str) -> str:
        if synced is True:
            return self.tr("yes")
        if synced is False:
            return self.tr("not yet")
        return self.tr("not possible")

    def _fill_accounts(self) -> None:
        current = self.account.currentData()
        self.account.clear()
        self.account.addItem(self.tr("All accounts"), "")
        for account in self._accounts.values():
            self.account.addItem(account_title(account), account.id)
        self.account.setCurrentIndex(max(0, self.account.findData(current)))

    def _name(self, account_id: str) -> str:
        account = self._accounts.get(account_id)
        return account_title(account) if account is not None else account_id


def install_filters_dialog(window: MainWindow, session: Session,
                           on_changed: Callable[[], None]) -> None:
    """"Filtres…" in the Comptes menu; each change makes the views read the filters again."""
    action = window.accounts_menu.addAction(
        QCoreApplication.translate("FiltersDialog", "&Filters…"))

    def open_dialog() -> None:
        dialog = FiltersDialog(session.tasks, session.desk.filters, session.accounts.list,
                               window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(on_changed)
        dialog.open()

    action.triggered.connect(open_dialog)
