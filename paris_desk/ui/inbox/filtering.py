"""Keyword filters in the inbox window (issue 15): the "N masqués" toggle and the wiring.

``InboxFilterModel`` does the filtering (hidden items left out, warned ones covered by
"Filtré : mot"); this puts its count on a toggle in the filter bar, opens a warned item when
the user selects it (the detail pane then shows it whole), and reads the compiled filters on
the database thread at start and at each "Actualiser".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QModelIndex
from PySide6.QtWidgets import QHBoxLayout, QPushButton

from paris_desk.core.filters import Matcher
from paris_desk.ui.inbox.model import InboxFilterModel, InboxRole

if TYPE_CHECKING:
    from paris_desk.ui.inbox.view import InboxView


class HiddenToggle(QPushButton):
    """"N masqués": checked, the hidden items are shown (until unchecked)."""

    def __init__(self, proxy: InboxFilterModel) -> None:
        super().__init__()
        self.setObjectName("inbox_hidden_button")
        self.setCheckable(True)
        self.setFlat(True)
        self._proxy = proxy
        self.toggled.connect(proxy.set_show_hidden)
        proxy.hidden_changed.connect(lambda _count: self._update())
        proxy.filter_changed.connect(self._update)
        self._update()

    def _update(self) -> None:
        count = self._proxy.hidden_count
        if self._proxy.show_hidden:
            text = QCoreApplication.translate("Covers", "Hide the filtered posts again")
        else:
            text = QCoreApplication.translate("Covers", "%n hidden", "", count)
        self.setText(text)
        self.setAccessibleName(text)
        self.setVisible(count > 0)


def install_filters(view: InboxView, load_matcher: Callable[[], Matcher]) -> HiddenToggle:
    """Add the toggle to ``view``'s filter bar and keep its filters up to date."""
    proxy = view.proxy
    toggle = HiddenToggle(proxy)
    bar = view.counts_label.parentWidget().layout().itemAt(0).layout()  # type: ignore[union-attr]
    if isinstance(bar, QHBoxLayout):
        bar.insertWidget(bar.indexOf(view.counts_label), toggle)

    def opened(current: QModelIndex, _previous: QModelIndex) -> None:
        key = current.data(InboxRole.KEY) if current.isValid() else None
        if key is not None:
            proxy.open_item(key)

    def reload() -> None:
        view.tasks.run_db(load_matcher, proxy.set_matcher)

    view.list.selectionModel().currentChanged.connect(opened)
    view.refresh_button.clicked.connect(reload)
    reload()
    return toggle
