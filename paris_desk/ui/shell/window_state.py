"""The main window's size, position and dock widths, kept from one run to the next in
``window.ini`` (in the user's real profile, shared by the sandbox mode like the preferences).

``remember(window, path)`` puts back what was saved (or gives the accounts dock a width where
handles fit, the first time) and saves again when the window closes.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

log = logging.getLogger(__name__)

FILE_NAME = "window.ini"
GEOMETRY_KEY = "main_window/geometry"
STATE_KEY = "main_window/state"
DOCK_WIDTH = 300  # the accounts panel, the first time: a sandbox handle and its counts fit


class _SaveOnClose(QObject):
    def __init__(self, window: QMainWindow, path: Path) -> None:
        super().__init__(window)
        self._window, self._path = window, path

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self._window and event.type() == QEvent.Type.Close:
            save(self._window, self._path)
        return False


def remember(window: QMainWindow, path: Path) -> None:
    """Restore ``window`` from ``path`` and save it there when it closes."""
    if not restore(window, path):
        docks = [d for d in window.findChildren(QDockWidget) if d.objectName()]
        if docks:
            window.resizeDocks(docks, [DOCK_WIDTH] * len(docks), Qt.Orientation.Horizontal)
    window.installEventFilter(_SaveOnClose(window, path))


def restore(window: QMainWindow, path: Path) -> bool:
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    geometry, state = settings.value(GEOMETRY_KEY), settings.value(STATE_KEY)
    if not isinstance(geometry, QByteArray | bytes):
        return False
    restored = window.restoreGeometry(QByteArray(geometry))
    if isinstance(state, QByteArray | bytes):
        restored = window.restoreState(QByteArray(state)) and restored
    if not restored:
        log.info("window state in %s not restored (another screen or version)", path)
    return restored


def save(window: QMainWindow, path: Path) -> None:
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    settings.setValue(GEOMETRY_KEY, window.saveGeometry())
    settings.setValue(STATE_KEY, window.saveState())
    settings.sync()
