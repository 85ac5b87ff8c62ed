"""Bluesky adapter. Reads are plain XRPC over ``requests`` (``xrpc``, ``session``, ``reads``,
``convert``); the atproto SDK (~50 MiB, ~0.45 s to import) is imported only to sign in
(``login``; ``resolve_service`` imports its resolver when called) and at the first write of a
channel. Importing this package imports neither atproto nor httpx; nothing outside
``paris_desk.channels`` imports atproto.

Public API: ``resolve_service``, ``login``, ``restore``, ``BlueskyChannel``, ``LIMITS``,
``compose_text`` (the text as it will be posted, CW line included, for counting).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .channel import LIMITS, BlueskyChannel, restore
from .identity import resolve_service
from .text import compose_text

if TYPE_CHECKING:
    from .signin import login

__all__ = ["LIMITS", "BlueskyChannel", "compose_text", "login", "resolve_service", "restore"]



def __getattr__(name: str) -> Any:
    """``login`` on first use: its module imports the SDK."""
    if name == "login":
        from .signin import login

        globals()["login"] = login
        return login
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
