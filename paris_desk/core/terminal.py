"""Text from the network made safe for a terminal (issue 13, "Hostile input").

A post, a display name or a server's error message can carry control characters: ESC starts
sequences that set the window title, clear the screen or rewrite what was printed; BEL rings;
C1 controls (U+0080–U+009F) are ESC's one-byte twins on some terminals; bidi overrides
(U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C) reorder what follows, so a handle can read as
another. :func:`for_terminal` shows each of them as a visible escape (``\\x1b``, ``\\u202e``)
instead. Tabs stay; line breaks stay only where the caller prints several lines. The JSON output
needs none of this (``json.dump`` escapes control characters).
"""

from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_ALWAYS = f"\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}"  # every C0 but TAB and LF; DEL; C1; bidi
_UNSAFE_LINE = re.compile(f"[{_ALWAYS}\n\u2028\u2029]")
_UNSAFE_MULTILINE = re.compile(f"[{_ALWAYS}\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: str, *, multiline: bool = False) -> str:
    """``text`` with every control character shown as an escape (``multiline``: keep LF)."""
    pattern = _UNSAFE_MULTILINE if multiline else _UNSAFE_LINE
    return pattern.sub(_escape, text)
