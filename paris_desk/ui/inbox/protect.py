"""'Protéger…' in the inbox's detail pane (issue 15): the same entries as a timeline post's
"Protect the thread" menu (``ui.timeline.protect``), for the selected item's post: hide a
reply in the city's thread, detach a quote of the city's post, gate the city's own post.
The button shows only when something applies; what was done is said in the detail pane."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QModelIndex
from PySide6.QtWidgets import QBoxLayout, QMenu, QToolButton, QWidget

from paris_desk.ui.errors import describe
from paris_desk.ui.timeline.protect import Protection

if TYPE_CHECKING:
    from paris_desk.services.threads import ThreadGuard
    from paris_desk.ui.inbox.view import InboxView


def install_protection(view: InboxView, threads: ThreadGuard) -> QToolButton:
    detail = view.detail
    protection = Protection(view.tasks, threads, detail.show_status,
                            lambda exc, label: view.error_occurred.emit(describe(exc, label)),
                            detail)
    button = QToolButton()
    button.setObjectName("inbox_protect_button")
    button.setText(QCoreApplication.translate("Protect", "Protect…"))
    button.setAccessibleName(QCoreApplication.translate("Protect", "Protect the thread"))
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    menu = QMenu(button)
    button.setMenu(menu)
    button.hide()
    row = _row_of(detail, detail.report_button)
    if row is not None:
        row.insertWidget(row.indexOf(detail.report_button) + 1, button)

    def refill(_current: QModelIndex | None = None, _previous: QModelIndex | None = None
               ) -> None:
        menu.clear()
        item = view.current_item()
        post = item.post if item is not None else None
        shown = post is not None and protection.add_to(menu, post, view.model.accounts(),
                                                       submenu=False)
        button.setVisible(shown)

    view.list.selectionModel().currentChanged.connect(refill)
    return button


def _row_of(detail: QWidget, widget: QWidget) -> QBoxLayout | None:
    """The row layout of the detail pane that holds ``widget``."""
    outer = detail.layout()
    for i in range(outer.count() if outer is not None else 0):
        row = outer.itemAt(i).layout()
        if isinstance(row, QBoxLayout) and row.indexOf(widget) >= 0:
            return row
    return None
