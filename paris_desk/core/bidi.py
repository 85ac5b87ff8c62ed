"""Names and handles from the network, kept from reordering the text around them (issue 13).

A display name or handle can carry explicit bidi controls: U+202E (right-to-left override)
turns ``@ville\\u202efr.sirap`` into what reads as another handle, and an override left open
also reverses the rest of the line it is shown in ("shared by …"). :func:`strip_bidi` removes
the explicit controls; :func:`isolate` also wraps the text in FIRST STRONG ISOLATE … POP
DIRECTIONAL ISOLATE, so even a legitimate right-to-left name stays inside its own run.
"""

from __future__ import annotations

import re

BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
FSI, PDI = "\u2068", "\u2069"


def strip_bidi(text: str) -> str:
    return BIDI_CONTROLS.sub("", text)


def isolate(text: str) -> str:
    """``text`` without explicit bidi controls, as one isolated run (to put inside a sentence)."""
    return f"{FSI}{strip_bidi(text)}{PDI}"
