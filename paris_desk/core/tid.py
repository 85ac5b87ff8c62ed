"""Bluesky TIDs: the record keys we choose (and persist) before the first send.

A TID is 13 characters of base32-sortable (``234567abcdefghijklmnopqrstuvwxyz``) encoding the
64-bit integer ``(unix_microseconds << 10) | clock_id``, top bit zero, so TIDs sort as text in
time order (API_NOTES §2.4; ``packages/common-web/src/tid.ts``). A ``TidClock`` never repeats
nor goes backwards, even when the wall clock does, and is safe to share between threads.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from datetime import UTC, datetime, timedelta

ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
LENGTH = 13
MAX_CLOCK_ID = 1023
_TID = re.compile(r"[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def encode(value: int) -> str:
    """13-character base32-sortable form of a non-negative 63-bit integer."""
    if not 0 <= value < 1 << 63:
        raise ValueError(f"TID value out of range: {value}")
    chars = []
    for _ in range(LENGTH):
        chars.append(ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def is_tid(s: object) -> bool:
    """True for a syntactically valid TID (what the PDS accepts as a post record key)."""
    return isinstance(s, str) and _TID.fullmatch(s) is not None


def decode(tid: str) -> tuple[datetime, int]:
    """The UTC timestamp (microsecond precision) and clock id inside ``tid``.

    Raises ``ValueError`` when ``tid`` is not a TID."""
    if not is_tid(tid):
        raise ValueError(f"not a TID: {tid!r}")
    value = 0
    for char in tid:
        value = (value << 5) | ALPHABET.index(char)
    micros, clock_id = value >> 10, value & MAX_CLOCK_ID
    return _EPOCH + timedelta(microseconds=micros), clock_id


class TidClock:
    """Issues strictly increasing TIDs for one clock id (random when not given)."""

    def __init__(self, clock_id: int | None = None) -> None:
        if clock_id is None:
            clock_id = secrets.randbelow(MAX_CLOCK_ID + 1)
        if not 0 <= clock_id <= MAX_CLOCK_ID:
            raise ValueError(f"clock id must be in 0..{MAX_CLOCK_ID}: {clock_id}")
        self.clock_id = clock_id
        self._last_micros = 0
        self._lock = threading.Lock()

    def next(self, now: datetime | None = None) -> str:
        """A new TID for ``now`` (default: the wall clock), later than every one issued before."""
        micros = time.time_ns() // 1000 if now is None else _micros(now)
        with self._lock:
            micros = max(micros, self._last_micros + 1)
            self._last_micros = micros
        return encode((micros << 10) | self.clock_id)


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


_default_clock = TidClock()


def next_tid() -> str:
    """A new TID from this process's shared clock."""
    return _default_clock.next()
