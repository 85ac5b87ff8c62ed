"""The filter matcher: Mastodon's whole-word rule, accents folded, regular expressions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from paris_desk.core.filters import (
    Filter,
    FilterAction,
    InvalidFilter,
    Matcher,
    fold,
    validate,
)
from paris_desk.core.model import Author, Media, Network, Post

A, B = "mastodon:ville", "bluesky:ville.sandbox.test"


def post(text: str, *, cw: str = "", alt: str = "", seen_by: tuple[str, ...] = (A,)) -> Post:
    return Post(uri=f"u:{text}", native_id="1", network=Network.MASTODON,
                author=Author(handle="marie"), created_at=datetime(2026, 6, 1, tzinfo=UTC),
                text=text, content_warning=cw, seen_by=seen_by,
                media=(Media(url="http://x/1.png", alt=alt),) if alt else ())


def hit(text: str, word: str, regex: bool = False) -> bool:
    return Matcher([Filter("f", word, regex)]).verdict(post(text), (A,)) is not None


@pytest.mark.parametrize(("text", "word", "expected"), [
    ("C'est nul !", "nul", True),
    ("Une nulle part", "nul", False),  # whole words only
    ("NUL, vraiment", "nul", True),  # case
    ("L'École est fermée", "ecole", True),  # accents folded on the text
    ("l'ecole est fermee", "École", True),  # and on the word
    ("Travaux rue de Rivoli", "rue de rivoli", True),  # phrases
    ("#Grève demain", "#grève", True),  # a word starting with a non-word character
    ("Ma#grève", "#grève", True),  # no boundary before "#", as Mastodon
    ("Pas de grèves", "grève", False),
])
def test_whole_words_like_mastodon(text: str, word: str, expected: bool) -> None:
    assert hit(text, word) is expected


def test_regex_case_insensitive_on_text_and_folded_text() -> None:
    assert hit("Quel IDIOT", r"idio(t|te)s?", regex=True)
    assert hit("Génial", r"^genial$", regex=True)  # only the folded text has no accent
    assert not hit("ingénieux", r"^genial$", regex=True)


def test_content_warning_and_alt_text_are_searched() -> None:
    m = Matcher([Filter("f", "spoiler")])
    assert m.verdict(post("rien", cw="Spoiler"), (A,)) is not None
    assert m.verdict(post("rien", alt="un spoiler"), (A,)) is not None


def test_accounts_scope_and_hide_wins() -> None:
    only_b = Filter("b", "nul", accounts=(B,), action=FilterAction.HIDE)
    warn = Filter("w", "nul")
    m = Matcher([warn, only_b])
    assert m.verdict(post("nul"), (A,)).filter_id == "w"
    verdict = m.verdict(post("nul", seen_by=(A, B)), (A, B))
    assert verdict is not None
    assert (verdict.filter_id, verdict.hidden, verdict.text) == ("b", True, "nul")
    assert m.verdict(None, (A,)) is None
    assert not Matcher([])


def test_validation() -> None:
    assert validate("  nul ", False) == "nul"
    for text, regex in (("  ", False), ("x" * 201, False), ("(", True)):
        with pytest.raises(InvalidFilter):
            validate(text, regex)
    assert fold("ÉCOLE Straße") == "ecole strasse"


def test_a_broken_stored_regex_is_skipped() -> None:
    m = Matcher([Filter("bad", "(", regex=True), Filter("ok", "nul")])
    assert m.verdict(post("nul"), (A,)).filter_id == "ok"
