"""A tiny TID generator for tests (the product's own lives in paris_desk/core/tid.py).

TID = 13 chars of base32-sortable ``234567abcdefghijklmnopqrstuvwxyz`` encoding
``(unix_microseconds << 10) | clock_id``; never goes backwards within a process.
"""

from __future__ import annotations

import threading
import time

S32 = "234567abcdefghijklmnopqrstuvwxyz"
_lock = threading.Lock()
_last = 0


def encode_tid(micros: int, clock_id: int = 7) -> str:
    n = (micros << 10) | (clock_id & 0x3FF)
    return "".join(S32[(n >> (5 * i)) & 31] for i in range(12, -1, -1))


def next_tid(clock_id: int = 7) -> str:
    global _last
    with _lock:
        micros = max(time.time_ns() // 1000, _last + 1)
        _last = micros
    return encode_tid(micros, clock_id)
