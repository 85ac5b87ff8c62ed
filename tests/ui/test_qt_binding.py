"""The Qt binding itself must survive a long working day."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject


def test_void_calls_do_not_leak_references_to_none() -> None:
    # PySide6 6.12.0 on Python 3.11 takes one reference off None per void method call, so a
    # session that paints for an hour aborts with "Fatal Python error: none_dealloc".
    obj = QObject()
    before = sys.getrefcount(None)
    for _ in range(20_000):
        obj.setObjectName("x")
    assert sys.getrefcount(None) >= before - 100
