"""Bluesky adapter on the atproto SDK (0.0.73). Imports ``atproto`` (~0.45 s): the channel
registry imports this package lazily, and nothing outside ``paris_desk.channels`` imports
atproto.

Public API: ``resolve_service``, ``login``, ``restore``, ``BlueskyChannel``, ``LIMITS``,
``compose_text`` (the text as it will be posted, CW line included, for counting).
"""

from __future__ import annotations

from .channel import LIMITS, BlueskyChannel, restore
from .identity import resolve_service
from .records import compose_text
from .session import login

__all__ = ["LIMITS", "BlueskyChannel", "compose_text", "login", "resolve_service", "restore"]
