"""Account colours: distinct, readable on light and dark backgrounds; a new account takes the
first one no other account wears (then they repeat), whether added in the window or the CLI."""

from __future__ import annotations

from collections.abc import Iterable

ACCOUNT_COLORS = (
    "#1f6feb",
    "#d1242f",
    "#1a7f37",
    "#8250df",
    "#bf8700",
    "#0a7ea4",
    "#bc4c00",
    "#6e7781",
)


def next_color(worn: Iterable[str]) -> str:
    """The colour for a new account, given the colours the others wear."""
    worn = [c.lower() for c in worn]
    free = [c for c in ACCOUNT_COLORS if c not in worn]
    return free[0] if free else ACCOUNT_COLORS[len(worn) % len(ACCOUNT_COLORS)]
