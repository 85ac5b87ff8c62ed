"""Splitting an over-long post into a numbered thread that each network accepts."""

from __future__ import annotations

import pytest

from paris_desk.core.counting import count_bluesky, count_for, grapheme_count
from paris_desk.core.model import Limits
from paris_desk.core.split import SplitError, split_for, split_thread

BLUESKY = Limits(max_characters=300, counting="graphemes", max_bytes=3000)
MASTODON = Limits(max_characters=500, counting="mastodon", characters_reserved_per_url=23)

SENTENCES = [
    "La piscine Joséphine-Baker rouvre ses portes samedi 14 juin après trois mois de travaux.",
    "Les horaires d'été s'appliquent : de 9 h à 21 h tous les jours, nocturne le jeudi.",
    "Le bassin nordique est chauffé à 27 °C et la plage solarium est de nouveau accessible.",
    "Réservation conseillée sur https://www.paris.fr/pages/piscine-josephine-baker-1234 !",
    "Tarif réduit pour les moins de 26 ans 🏊‍♀️🇫🇷 et gratuité pour les bénéficiaires du RSA.",
    "Merci de votre patience pendant les travaux.",
]
TEXT = " ".join(SENTENCES)


def within(limits: Limits) -> object:
    return lambda s: not count_for(limits, s).over


def test_a_text_that_fits_is_one_part_without_numbering() -> None:
    assert split_for(BLUESKY, "  Bonjour Paris !  ") == ["Bonjour Paris !"]


def test_bluesky_parts_fit_once_numbered_and_end_on_sentences() -> None:
    parts = split_for(BLUESKY, TEXT)
    assert len(parts) == 2
    for index, part in enumerate(parts, start=1):
        assert part.endswith(f" ({index}/2)")
        assert not count_bluesky(part).over
        body = part.removesuffix(f" ({index}/2)")
        assert body.endswith((".", "!"))  # cut between sentences
    rejoined = " ".join(p.rsplit(" (", 1)[0] for p in parts)
    assert rejoined == TEXT


def test_mastodon_counts_urls_as_23_when_packing() -> None:
    url = "https://www.paris.fr/" + "a" * 400  # 421 characters, 23 for Mastodon
    text = f"Voir {url} pour tout savoir. " + "Phrase de remplissage assez longue. " * 14
    parts = split_for(MASTODON, text.strip())
    assert len(parts) == 2
    assert url in parts[0]  # a URL is never cut, and weighs 23
    assert all(not count_for(MASTODON, p).over for p in parts)


def test_numbering_width_grows_with_ten_parts_or_more() -> None:
    small = Limits(max_characters=40, counting="graphemes")
    text = " ".join(f"Phrase numéro {n} ici." for n in range(1, 16))
    parts = split_for(small, text)
    assert len(parts) >= 10
    assert parts[0].endswith(f" (1/{len(parts)})")
    assert all(grapheme_count(p) <= 40 for p in parts)


def test_paragraph_breaks_are_boundaries_even_without_punctuation() -> None:
    small = Limits(max_characters=40, counting="graphemes")
    parts = split_for(small, "Programme du week-end\nConcert place de la République")
    assert parts == ["Programme du week-end (1/2)", "Concert place de la République (2/2)"]


def test_abbreviations_and_initials_do_not_end_a_sentence() -> None:
    small = Limits(max_characters=60, counting="graphemes")
    text = "Rendez-vous av. Foch avec M. J. Dupont. Puis visite du musée. Et goûter au parc."
    parts = split_for(small, text)
    assert parts[0].startswith("Rendez-vous av. Foch avec M. J. Dupont.")


def test_no_break_spaces_are_not_boundaries() -> None:
    small = Limits(max_characters=34, counting="graphemes")
    text = "Quelle journée\u202f! Bravo aux 10\u00a0000 coureurs du marathon\u202f!"
    parts = split_for(small, text)
    assert parts[0].startswith("Quelle journée\u202f!")
    assert not any(p.startswith(("!", "000")) for p in parts)


def test_a_sentence_longer_than_a_post_is_cut_between_words() -> None:
    small = Limits(max_characters=30, counting="graphemes")
    sentence = "Les travaux de la ligne de tramway T3 durent jusqu'en septembre prochain"
    parts = split_for(small, sentence)
    assert len(parts) > 1
    bodies = [p.rsplit(" (", 1)[0] for p in parts]
    assert " ".join(bodies) == sentence
    assert all(grapheme_count(p) <= 30 for p in parts)


def test_an_endless_word_is_cut_between_graphemes_never_inside_one() -> None:
    small = Limits(max_characters=12, counting="graphemes")
    flags = "🇫🇷" * 20 + "👨\u200d👩\u200d👧\u200d👦" * 5
    parts = split_for(small, flags)
    bodies = [p.rsplit(" (", 1)[0] for p in parts]
    assert "".join(bodies) == flags
    for body in bodies:
        assert body.count("\U0001f1eb") == body.count("\U0001f1f7")  # no half flag
        assert body.count("\u200d") % 3 == 0  # no half family


def test_bluesky_bytes_limit_also_applies() -> None:
    heavy = Limits(max_characters=300, counting="graphemes", max_bytes=3000)
    text = " ".join(["🇫🇷" * 90 + "."] * 3)  # 273 graphemes, 2.2 kB of UTF-8
    parts = split_for(heavy, text)
    assert all(not count_for(heavy, p).over for p in parts)


def test_the_caller_decides_what_fits_for_example_with_a_warning_line() -> None:
    prefix = "⚠️ CW: Travaux\n"
    parts = split_thread(TEXT, lambda s: not count_bluesky(prefix + s).over)
    assert all(not count_bluesky(prefix + p).over for p in parts)


def test_impossible_limits_raise() -> None:
    tiny = Limits(max_characters=5, counting="graphemes")
    with pytest.raises(SplitError):
        split_for(tiny, "Bonjour tout le monde")
