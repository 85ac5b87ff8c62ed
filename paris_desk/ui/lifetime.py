"""Results that arrive after their widget is gone.

``TaskManager`` hands a worker's result to the GUI thread whatever became of the widget
that asked (a closed dialog, a view torn down at quit): ``while_alive(owner, callback)``
calls ``callback`` only while ``owner``'s C++ object still exists."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QObject

T = TypeVar("T")


def while_alive(owner: QObject, callback: Callable[[T], object]) -> Callable[[T], None]:
    def call(value: T) -> None:
        if shiboken6.isValid(owner):
            callback(value)

    return call
