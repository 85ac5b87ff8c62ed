"""Minimal TID generator for the reference tests (the production one will live elsewhere).

A TID is 13 characters of base32-sortable (``234567abcdefghijklmnopqrstuvwxyz``) encoding the
64-bit value ``(unix_microseconds << 10) | clock_id`` with the top bit zero
(``packages/common-web/src/tid.ts`` in bluesky-social/atproto).
"""

from __future__ import annotations

import random
import threading
import time

ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
TID_LENGTH = 13


def encode_tid(micros: int, clock_id: int) -> str:
    if not 0 <= clock_id < 1024:
        raise ValueError(f"clock_id out of range: {clock_id}")
    if not 0 <= micros < 1 << 53:
        raise ValueError(f"timestamp out of range: {micros}")
    value = (micros << 10) | clock_id
    chars = []
    for _ in range(TID_LENGTH):
        chars.append(ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def decode_tid(tid: str) -> tuple[int, int]:
    """Return ``(unix_microseconds, clock_id)``."""
    if len(tid) != TID_LENGTH:
        raise ValueError(f"not a TID: {tid!r}")
    value = 0
    for ch in tid:
        value = (value << 5) | ALPHABET.index(ch)
    return value >> 10, value & 1023


class TidClock:
    """Strictly increasing TIDs from the wall clock (never backwards, even if the clock is)."""

    def __init__(self, clock_id: int | None = None) -> None:
        self.clock_id = random.randrange(1024) if clock_id is None else clock_id
        self._last = 0
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            now = time.time_ns() // 1000
            self._last = max(now, self._last + 1)
            return encode_tid(self._last, self.clock_id)
