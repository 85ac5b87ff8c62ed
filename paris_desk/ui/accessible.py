"""What a screen reader gets beyond Qt's own accessible interfaces.

- **Rows with actions.** Qt's list rows (``QAccessibleTableCell``) offer one fixed action,
  "Toggle", and no hook to add more. ``install()`` puts a factory in front of Qt's for the
  application's item lists: the list is a ``ListAccessible`` whose rows (``RowAccessible``)
  expose, through the accessibility actions interface, what the list's owner declares with
  ``set_row_actions(view, provider)`` (reply, share, like, open… each with its key), plus
  "SetFocus" (go to the row) and, for a checkable row, "Toggle" (tick or untick it).
- **One focused object.** Qt marks the current row of every list, and the current tab of every
  tab bar, "focused", even when another widget has the focus: a screen reader then hears
  several focused objects. Here a row (or tab) says "focused" only when its list (or tab bar)
  has the keyboard focus, and then the list leaves that state to the row (its active child).
- **Announcements.** ``announce(widget, text)`` speaks ``text`` (a post published, new posts,
  an error) with ``QAccessibleAnnouncementEvent`` (Qt 6.8+), or, on an older Qt, as a name
  change of the widget (a status object: the label showing the text).

Python interfaces are made only while an assistive technology (or a test) asks for them; each
row interface is registered in Qt's cache and deleted with its list or when the rows change.
"""

from __future__ import annotations

import weakref
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6 import QtGui
from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QAccessible, QAccessibleEvent, QAccessibleInterface
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAccessibleWidget,
    QLabel,
    QListView,
    QTabBar,
    QWidget,
)

translate = QCoreApplication.translate

SET_FOCUS = "SetFocus"
TOGGLE = "Toggle"


@dataclass(frozen=True)
class RowAction:
    """One action of a row: ``name`` is its stable identifier (AT-SPI ``GetName``),
    ``label`` what is spoken, ``key`` the key that does the same from the list."""

    name: str
    label: str
    run: Callable[[], object]
    key: str = ""
    description: str = ""


RowActions = Callable[[QModelIndex], list[RowAction]]

_providers: weakref.WeakKeyDictionary[QAbstractItemView, RowActions] = (
    weakref.WeakKeyDictionary())
_interfaces: dict[int, QAccessibleWidget] = {}  # widget's C++ address -> its interface
_installed = False


def set_row_actions(view: QAbstractItemView, provider: RowActions) -> None:
    """The actions of ``view``'s rows (``provider(index)``), for screen readers."""
    _providers[view] = provider


def row_actions(view: QAbstractItemView, index: QModelIndex) -> list[RowAction]:
    """What a screen reader is offered on the row ``index`` of ``view``."""
    provider = _providers.get(view)
    actions = list(provider(index)) if provider is not None and index.isValid() else []
    actions.append(RowAction(SET_FOCUS, translate("Accessible", "Go to this row"),
                             lambda: _focus_row(view, index)))
    if index.flags() & Qt.ItemFlag.ItemIsUserCheckable:
        actions.append(RowAction(TOGGLE, translate("Accessible", "Tick or untick"),
                                 lambda: _toggle_check(view, index)))
    return actions


def _focus_row(view: QAbstractItemView, index: QModelIndex) -> None:
    if index.isValid():
        view.setCurrentIndex(index)
        view.scrollTo(index)
    view.setFocus(Qt.FocusReason.OtherFocusReason)


def _toggle_check(view: QAbstractItemView, index: QModelIndex) -> None:
    checked = index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    state = Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked
    view.model().setData(index, state, Qt.ItemDataRole.CheckStateRole)


# -- announcements ----------------------------------------------------------------------------


announced: deque[str] = deque(maxlen=50)
"""The last announcements, newest last (the diagnostics and the tests read them)."""


def announce(widget: QObject, text: str, *, assertive: bool = False) -> None:
    """Have a screen reader say ``text`` (a live region), on behalf of ``widget``."""
    if not text:
        return
    announced.append(text)
    if not QAccessible.isActive():
        return
    if hasattr(QtGui, "QAccessibleAnnouncementEvent"):
        event = QtGui.QAccessibleAnnouncementEvent(widget, text)
        if assertive:
            event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
        QAccessible.updateAccessibility(event)
        return
    if isinstance(widget, QWidget):  # pragma: no cover - Qt before 6.8
        widget.setAccessibleName(text)
        QAccessible.updateAccessibility(QAccessibleEvent(widget, QAccessible.Event.NameChanged))


class LiveLabel(QLabel):
    """A status line that a screen reader hears change (a live region): "Sending…", "Reply
    sent as…", "Loading the conversation…"."""

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        changed = text != self.text()
        super().setText(text)
        if changed and text:
            announce(self, text)


# -- lists ------------------------------------------------------------------------------------


class RowAccessible(QAccessibleWidget):
    """One row of a ``ListAccessible`` (object-less, as Qt's own rows)."""

    def __init__(self, owner: ListAccessible, row: int) -> None:
        super().__init__(owner.view, QAccessible.Role.ListItem)
        self.owner = owner
        self.row = row
        self._actions: list[RowAction] = []

    def index(self) -> QModelIndex:
        view = self.owner.view
        model = view.model() if self.owner.alive() else None
        if model is None:
            return QModelIndex()
        return model.index(self.row, view.modelColumn() if isinstance(view, QListView) else 0,
                           view.rootIndex())

    # QAccessibleInterface
    def object(self) -> QObject | None:
        return None

    def isValid(self) -> bool:  # noqa: N802 - Qt API
        return self.index().isValid()

    def role(self) -> QAccessible.Role:
        return QAccessible.Role.ListItem

    def text(self, kind: QAccessible.Text) -> str:
        index = self.index()
        if not index.isValid():
            return ""
        if kind == QAccessible.Text.Name:
            return str(index.data(Qt.ItemDataRole.AccessibleTextRole)
                       or index.data(Qt.ItemDataRole.DisplayRole) or "")
        if kind == QAccessible.Text.Description:
            return str(index.data(Qt.ItemDataRole.AccessibleDescriptionRole) or "")
        if kind == QAccessible.Text.Help:
            return str(index.data(Qt.ItemDataRole.ToolTipRole) or "")
        return ""

    def setText(self, kind: QAccessible.Text, text: str) -> None:  # noqa: N802 - Qt API
        return

    def state(self) -> QAccessible.State:
        state = QAccessible.State()
        index = self.index()
        view = self.owner.view
        if not index.isValid():
            state.invalid = True
            return state
        state.focusable = True
        state.selectable = True
        selection = view.selectionModel()
        if selection is not None and selection.isSelected(index):
            state.selected = True
        if view.hasFocus() and view.currentIndex() == index:
            state.focused = True
        if view.selectionMode() == QAbstractItemView.SelectionMode.MultiSelection:
            state.multiSelectable = True
        if index.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            state.checkable = True
            check = index.data(Qt.ItemDataRole.CheckStateRole)
            state.checked = check == Qt.CheckState.Checked
            state.checkStateMixed = check == Qt.CheckState.PartiallyChecked
        if not index.flags() & Qt.ItemFlag.ItemIsEnabled:
            state.disabled = True
        if not view.isVisible() or not view.viewport().rect().intersects(view.visualRect(index)):
            state.invisible = True
            state.offscreen = True
        return state

    def rect(self) -> QRect:
        view = self.owner.view
        area = view.visualRect(self.index())
        if area.isNull():
            return QRect()
        return QRect(view.viewport().mapToGlobal(area.topLeft()), area.size())

    def parent(self) -> QAccessibleInterface:
        return self.owner

    def childCount(self) -> int:  # noqa: N802 - Qt API
        return 0

    def child(self, index: int) -> QAccessibleInterface | None:
        return None

    def indexOfChild(self, child: QAccessibleInterface) -> int:  # noqa: N802 - Qt API
        return -1

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # noqa: N802 - Qt API
        return None

    def relations(self, match: object = None) -> list[object]:
        return []

    def focusChild(self) -> QAccessibleInterface | None:  # noqa: N802 - Qt API
        return None

    # QAccessibleActionInterface
    def _current_actions(self) -> list[RowAction]:
        self._actions = row_actions(self.owner.view, self.index()) if self.owner.alive() else []
        return self._actions

    def _find(self, name: str) -> RowAction | None:
        return next((a for a in self._current_actions() if a.name == name), None)

    def actionNames(self) -> list[str]:  # noqa: N802 - Qt API
        return [action.name for action in self._current_actions()]

    def localizedActionName(self, name: str) -> str:  # noqa: N802 - Qt API
        action = self._find(name)
        return action.label if action is not None else name

    def localizedActionDescription(self, name: str) -> str:  # noqa: N802 - Qt API
        action = self._find(name)
        return (action.description or action.label) if action is not None else ""

    def keyBindingsForAction(self, name: str) -> list[str]:  # noqa: N802 - Qt API
        action = self._find(name)
        return [action.key] if action is not None and action.key else []

    def doAction(self, name: str) -> None:  # noqa: N802 - Qt API
        action = self._find(name)
        if action is not None:
            action.run()


class ListAccessible(QAccessibleWidget):
    """An item list whose rows are ``RowAccessible`` (children numbered by row, as Qt's list
    interface numbers them in its focus events)."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view, QAccessible.Role.List)
        self.view = view
        self._rows: dict[int, tuple[RowAccessible, int]] = {}  # row -> (interface, cache id)
        self._model: QObject | None = None
        self._watch_model()

    def alive(self) -> bool:
        return shiboken6.isValid(self.view)

    def _watch_model(self) -> None:
        model = self.view.model()
        if model is None or model is self._model:
            return
        self._model = model
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted,
                       model.rowsRemoved, model.rowsMoved):
            signal.connect(self.forget_rows)  # rows are numbered: renumbered, asked again

    def forget_rows(self, *_args: object) -> None:
        """Drop the row interfaces (Qt's cache deletes them): the rows changed."""
        rows, self._rows = self._rows, {}
        for _iface, cache_id in rows.values():
            if QAccessible.accessibleInterface(cache_id) is not None:
                QAccessible.deleteAccessibleInterface(cache_id)

    def childCount(self) -> int:  # noqa: N802 - Qt API
        if not self.alive():
            return 0
        self._watch_model()
        model = self.view.model()
        return model.rowCount(self.view.rootIndex()) if model is not None else 0

    def child(self, index: int) -> QAccessibleInterface | None:
        if index < 0 or index >= self.childCount():
            return None
        found = self._rows.get(index)
        if found is not None and QAccessible.accessibleInterface(found[1]) is not None:
            return found[0]
        row = RowAccessible(self, index)
        self._rows[index] = (row, QAccessible.registerAccessibleInterface(row))
        return row

    def indexOfChild(self, child: QAccessibleInterface) -> int:  # noqa: N802 - Qt API
        if isinstance(child, RowAccessible) and child.owner is self:
            return child.row
        return -1

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # noqa: N802 - Qt API
        if not self.alive():
            return None
        viewport = self.view.viewport()
        index = self.view.indexAt(viewport.mapFromGlobal(QPoint(x, y)))
        return self.child(index.row()) if index.isValid() else None

    def focusChild(self) -> QAccessibleInterface | None:  # noqa: N802 - Qt API
        if self.alive() and self.view.hasFocus() and self.view.currentIndex().isValid():
            return self.child(self.view.currentIndex().row())
        return None

    def state(self) -> QAccessible.State:
        state = super().state()
        if state.focused and self.view.currentIndex().isValid():
            state.focused = False  # the current row says it (the list's active child)
        return state


# -- tab bars ---------------------------------------------------------------------------------


class TabAccessible(QAccessibleWidget):
    def __init__(self, owner: TabBarAccessible, tab: int) -> None:
        super().__init__(owner.bar, QAccessible.Role.PageTab)
        self.owner = owner
        self.tab = tab

    def object(self) -> QObject | None:
        return None

    def isValid(self) -> bool:  # noqa: N802 - Qt API
        return self.owner.alive() and self.tab < self.owner.bar.count()

    def role(self) -> QAccessible.Role:
        return QAccessible.Role.PageTab

    def text(self, kind: QAccessible.Text) -> str:
        if not self.isValid():
            return ""
        bar = self.owner.bar
        if kind == QAccessible.Text.Name:
            return (bar.accessibleTabName(self.tab) or bar.tabText(self.tab)).replace("&", "")
        if kind == QAccessible.Text.Description:
            return bar.tabToolTip(self.tab)
        return ""

    def setText(self, kind: QAccessible.Text, text: str) -> None:  # noqa: N802 - Qt API
        return

    def state(self) -> QAccessible.State:
        state = QAccessible.State()
        if not self.isValid():
            state.invalid = True
            return state
        bar = self.owner.bar
        state.selectable = True
        state.focusable = bar.focusPolicy() != Qt.FocusPolicy.NoFocus
        current = bar.currentIndex() == self.tab
        state.selected = current
        state.focused = current and bar.hasFocus()
        if not bar.isTabEnabled(self.tab):
            state.disabled = True
        if not bar.isVisible() or not bar.isTabVisible(self.tab):
            state.invisible = True
        return state

    def rect(self) -> QRect:
        bar = self.owner.bar
        area = bar.tabRect(self.tab)
        return QRect(bar.mapToGlobal(area.topLeft()), area.size())

    def parent(self) -> QAccessibleInterface:
        return self.owner

    def childCount(self) -> int:  # noqa: N802 - Qt API
        return 0

    def child(self, index: int) -> QAccessibleInterface | None:
        return None

    def indexOfChild(self, child: QAccessibleInterface) -> int:  # noqa: N802 - Qt API
        return -1

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # noqa: N802 - Qt API
        return None

    def relations(self, match: object = None) -> list[object]:
        return []

    def focusChild(self) -> QAccessibleInterface | None:  # noqa: N802 - Qt API
        return None

    def actionNames(self) -> list[str]:  # noqa: N802 - Qt API
        return [QAccessibleWidget.pressAction()]

    def localizedActionName(self, name: str) -> str:  # noqa: N802 - Qt API
        return translate("Accessible", "Show this tab")

    def doAction(self, name: str) -> None:  # noqa: N802 - Qt API
        if name == QAccessibleWidget.pressAction() and self.isValid():
            self.owner.bar.setCurrentIndex(self.tab)


class TabBarAccessible(QAccessibleWidget):
    """A tab bar: its tabs, then its child widgets (close and scroll buttons)."""

    def __init__(self, bar: QTabBar) -> None:
        super().__init__(bar, QAccessible.Role.PageTabList)
        self.bar = bar
        self._tabs: dict[int, tuple[TabAccessible, int]] = {}
        bar.currentChanged.connect(self._forget_stale)

    def alive(self) -> bool:
        return shiboken6.isValid(self.bar)

    def _forget_stale(self, *_args: object) -> None:
        count = self.bar.count() if self.alive() else 0
        for tab in [t for t in self._tabs if t >= count]:
            _iface, cache_id = self._tabs.pop(tab)
            if QAccessible.accessibleInterface(cache_id) is not None:
                QAccessible.deleteAccessibleInterface(cache_id)

    def forget_rows(self, *_args: object) -> None:
        tabs, self._tabs = self._tabs, {}
        for _iface, cache_id in tabs.values():
            if QAccessible.accessibleInterface(cache_id) is not None:
                QAccessible.deleteAccessibleInterface(cache_id)

    def text(self, kind: QAccessible.Text) -> str:
        """Its name, else its tab widget's (Qt's own names a bar by its current tab)."""
        found = super().text(kind)
        if kind != QAccessible.Text.Name or found or not self.alive():
            return found
        owner = self.bar.parentWidget()
        if owner is not None and owner.accessibleName():
            return owner.accessibleName()
        return self.bar.tabText(self.bar.currentIndex()).replace("&", "")

    def childCount(self) -> int:  # noqa: N802 - Qt API
        return (self.bar.count() + super().childCount()) if self.alive() else 0

    def child(self, index: int) -> QAccessibleInterface | None:
        if not self.alive() or index < 0:
            return None
        count = self.bar.count()
        if index >= count:
            return super().child(index - count)
        found = self._tabs.get(index)
        if found is not None and QAccessible.accessibleInterface(found[1]) is not None:
            return found[0]
        tab = TabAccessible(self, index)
        self._tabs[index] = (tab, QAccessible.registerAccessibleInterface(tab))
        return tab

    def indexOfChild(self, child: QAccessibleInterface) -> int:  # noqa: N802 - Qt API
        if isinstance(child, TabAccessible):
            return child.tab if child.owner is self else -1
        found = super().indexOfChild(child)
        return found + self.bar.count() if found >= 0 else -1

    def focusChild(self) -> QAccessibleInterface | None:  # noqa: N802 - Qt API
        if self.alive() and self.bar.hasFocus() and self.bar.currentIndex() >= 0:
            return self.child(self.bar.currentIndex())
        return None

    def state(self) -> QAccessible.State:
        state = super().state()
        if state.focused and self.bar.currentIndex() >= 0:
            state.focused = False  # the current tab says it
        return state


# -- containers that hand the focus on ---------------------------------------------------------


class PlainAccessible(QAccessibleWidget):
    """A plain widget (a container, a view, a text box's viewport). When it has a focus proxy
    (a view that gives the focus to its main control, a viewport to its text box), the proxy
    takes the focus and says so: Qt would have this one report "focused" too."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget, QAccessible.Role.Client)

    def state(self) -> QAccessible.State:
        state = super().state()
        widget = self.widget()
        if widget is not None and widget.focusProxy() is not None:
            state.focused = False
            state.focusable = False
        return state


# -- counters ---------------------------------------------------------------------------------

COUNTER_PROPERTY = "accessibleCounter"


class CounterAccessible(QAccessibleWidget):
    """A label that shows a count ("62 unread · 37 to handle", "12 / 500 — Mastodon"): its
    name says what it counts, its value the count (Qt's label has no value, and its explicit
    name hides its text)."""

    def __init__(self, label: QLabel) -> None:
        super().__init__(label, QAccessible.Role.StaticText)
        self.label = label

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Value:
            return self.label.text() if shiboken6.isValid(self.label) else ""
        found = super().text(kind)
        if kind == QAccessible.Text.Name and not found and shiboken6.isValid(self.label):
            return self.label.text()
        return found


def mark_counter(label: QLabel) -> None:
    """``label`` shows a count: a screen reader gets it as the label's value."""
    label.setProperty(COUNTER_PROPERTY, True)
    if not QAccessible.isActive():
        return  # nothing asked for it yet: the factory will make it when something does
    made = QAccessible.queryAccessibleInterface(label)
    if made is not None and not isinstance(made, CounterAccessible):
        QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(made))  # Qt's, made early


# -- the factory ------------------------------------------------------------------------------


def _is_popup_part(widget: QWidget) -> bool:
    """A combo box's or completer's popup list: Qt's combo box interface speaks for it."""
    window = widget.window()
    return window is not widget and window.windowType() == Qt.WindowType.Popup


def _forget(key: int) -> None:
    iface = _interfaces.pop(key, None)
    if isinstance(iface, ListAccessible | TabBarAccessible):
        iface.forget_rows()


def _factory(key: str, obj: QObject) -> QAccessibleInterface | None:
    try:
        made: QAccessibleWidget
        if isinstance(obj, QListView) and obj.viewMode() == QListView.ViewMode.ListMode:
            if _is_popup_part(obj):
                return None
            made = ListAccessible(obj)
        elif isinstance(obj, QTabBar):
            made = TabBarAccessible(obj)
        elif isinstance(obj, QLabel) and obj.property(COUNTER_PROPERTY):
            made = CounterAccessible(obj)
        elif key == "QWidget" and isinstance(obj, QWidget) and not obj.isWindow():
            made = PlainAccessible(obj)  # no more specific interface: a plain widget
        else:
            return None
    except RuntimeError:  # the object is being destroyed
        return None
    ident = shiboken6.getCppPointer(obj)[0]
    _interfaces[ident] = made  # Qt's cache holds the C++ side; this keeps the Python side
    obj.destroyed.connect(lambda *_a, ident=ident: _forget(ident))
    return made


def install() -> None:
    """Put the factory in front of Qt's (once per process; before the first list is asked)."""
    global _installed  # once per process, as QAccessible.installFactory
    if _installed:
        return
    _installed = True
    QAccessible.installFactory(_factory)

