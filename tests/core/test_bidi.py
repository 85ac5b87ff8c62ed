"""Handles and names cannot reorder the text around them (issue 13)."""

from __future__ import annotations

from paris_desk.core.bidi import FSI, PDI, isolate, strip_bidi

SPOOF = "@ville\u202efr.sirap"  # reads as "@villeparis.rf" once reversed


def test_explicit_controls_are_removed() -> None:
    assert strip_bidi(SPOOF) == "@villefr.sirap"
    assert strip_bidi("\u2066a\u2069\u202ab\u202c\u200fc\u061c") == "abc"


def test_a_name_is_one_isolated_run() -> None:
    assert isolate(SPOOF) == f"{FSI}@villefr.sirap{PDI}"
    arabic = "بلدية باريس"
    assert isolate(arabic) == f"{FSI}{arabic}{PDI}"  # right-to-left kept, but isolated
    line = "partagé par {name} hier".format(name=isolate("\u202eevil"))
    assert "\u202e" not in line and line.endswith(f"{PDI} hier")
