"""Control characters from the network never reach the terminal raw (issue 13)."""

from __future__ import annotations

import pytest

from paris_desk.core.terminal import for_terminal


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b]0;Vous êtes piraté\x07", "\\x1b]0;Vous êtes piraté\\x07"),  # window title
        ("\x1b[2J\x1b[H", "\\x1b[2J\\x1b[H"),  # clear screen
        ("ligne\rremplacée", "ligne\\x0dremplacée"),
        ("\x9b31m", "\\x9b31m"),  # C1 CSI
        ("ville\u202efr.laicifo", "ville\\u202efr.laicifo"),  # right-to-left override
        ("\u2066@mairie\u2069", "\\u2066@mairie\\u2069"),
        ("a\u200fb\u061cc", "a\\u200fb\\u061cc"),
        ("del\x7f", "del\\x7f"),
        ("deux\nlignes", "deux\\x0alignes"),
        ("tab\tok, été, 東京, 🎉", "tab\tok, été, 東京, 🎉"),
    ],
)
def test_controls_are_shown_as_escapes(text: str, shown: str) -> None:
    assert for_terminal(text) == shown


def test_multiline_keeps_line_feeds_only() -> None:
    assert for_terminal("un\ndeux\r\n\x1b[1m", multiline=True) == "un\ndeux\\x0d\n\\x1b[1m"
