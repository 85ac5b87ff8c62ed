"""Bluesky facets: detection on outgoing text, and safe display of received facets."""

from __future__ import annotations

import itertools
import random

import pytest
from atproto_client.utils import detect_facets, detect_mentions

from paris_desk.core.facets import Facet, detect, spans_from_facets, valid_facets
from paris_desk.core.model import TextSpan
from paris_desk.sandbox.corpus import LINKS, TOPICS


def _labels(text: str, facets: list[Facet]) -> list[tuple[str, str, str]]:
    data = text.encode()
    return [(f.kind, data[f.byte_start : f.byte_end].decode(), f.value) for f in facets]


def test_offsets_are_utf8_bytes() -> None:
    text = "Fête 🇫🇷 à l’Hôtel de Ville : https://paris.fr/fete #Fête"
    facets = detect(text)
    assert facets == [
        Facet(40, 61, "link", "https://paris.fr/fete"),
        Facet(62, 68, "tag", "Fête"),
    ]
    assert _labels(text, facets) == [
        ("link", "https://paris.fr/fete", "https://paris.fr/fete"),
        ("tag", "#Fête", "Fête"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Infos : https://paris.fr/x.", [("link", "https://paris.fr/x", "https://paris.fr/x")]),
        ("https://paris.fr/x?", [("link", "https://paris.fr/x", "https://paris.fr/x")]),
        ("(voir https://paris.fr/x)", [("link", "https://paris.fr/x", "https://paris.fr/x")]),
        (
            "https://fr.wikipedia.org/wiki/Paris_(France)",
            [("link", *["https://fr.wikipedia.org/wiki/Paris_(France)"] * 2)],
        ),
        ("www.paris.fr, voilà", [("link", "www.paris.fr", "https://www.paris.fr")]),
        ("paris.fr/agenda", [("link", "paris.fr/agenda", "https://paris.fr/agenda")]),
        ("fichier.pdf etc.etc 3.14 M.Durand", []),  # no known TLD: not links
        ("M.Dupont", [("link", "M.Dupont", "https://M.Dupont")]),  # .dupont is a TLD (sic)
        ("contact@paris.fr", []),  # neither a link nor a mention
        ("http://localhost:8080/x", [("link", *["http://localhost:8080/x"] * 2)]),
        ("xhttps://paris.fr", []),  # must follow start, whitespace or "("
    ],
)
def test_links(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _labels(text, detect(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#FeteDeLaMusique!", [("tag", "#FeteDeLaMusique", "FeteDeLaMusique")]),
        ("＃Paris", [("tag", "＃Paris", "Paris")]),
        ("#JO2024 #2024", [("tag", "#JO2024", "JO2024")]),  # all digits: not a tag
        ("a#b", []),  # must follow start or whitespace
        ("#\ufe0f\u20e3 keycap", []),
        ("#été.", [("tag", "#été", "été")]),
        ("#" + "a" * 64, [("tag", "#" + "a" * 64, "a" * 64)]),
        ("#" + "a" * 65, []),  # over 64 graphemes
        ("#" + "e\u0301" * 64, [("tag", "#" + "e\u0301" * 64, "e\u0301" * 64)]),
    ],
)
def test_tags(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _labels(text, detect(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Merci @paris.bsky.social !", [("mention", "@paris.bsky.social", "paris.bsky.social")]),
        ("(@ville.test)", [("mention", "@ville.test", "ville.test")]),
        ("@marie.durand.", []),  # "durand" is no TLD
        ("@ville", []),  # a handle needs a domain
        ("bonjour@paris.fr", []),
        ("@-bad.fr", []),  # not a valid handle
    ],
)
def test_mentions(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _labels(text, detect(text)) == expected


def test_detect_sorts_and_never_overlaps() -> None:
    text = "#Paris https://paris.fr @ville.bsky.social www.paris.fr #Fin"
    facets = detect(text)
    assert [f.kind for f in facets] == ["tag", "link", "mention", "link", "tag"]
    for before, after in itertools.pairwise(facets):
        assert before.byte_end <= after.byte_start


def _corpus() -> list[str]:
    rng = random.Random(7)
    texts = [
        topic.format(event="Fête", day="samedi", link=rng.choice(LINKS), tag="Paris")
        for topic in TOPICS
    ]
    texts += [
        "Voir www.paris.fr et paris.fr/agenda, (https://paris.fr/a) https://x.fr/b).",
        "@paris.bsky.social @ville.test @nope (@culture.paris.fr) é@a.fr",
        "#Fête! #2024 #été, ＃Paris #a_b https://paris.fr/#ancre",
    ]
    return texts


@pytest.mark.parametrize("text", _corpus())
def test_detect_agrees_with_the_atproto_sdk(text: str) -> None:
    # atproto's offline port of @atproto/api detectFacets is the reference implementation
    expected = []
    for facet in detect_facets(text):
        feature = facet.features[0]
        kind, value = ("link", feature.uri) if hasattr(feature, "uri") else ("tag", feature.tag)
        expected.append((facet.index.byte_start, facet.index.byte_end, kind, value))
    expected += [(m.byte_start, m.byte_end, "mention", m.handle) for m in detect_mentions(text)]
    ours = [(f.byte_start, f.byte_end, f.kind, f.value) for f in detect(text)]
    assert ours == sorted(expected)


# --- received facets --------------------------------------------------------------------------

TEXT = "Hôtel de Ville : https://paris.fr #Fête @ville.fr"  # "ô" and "ê" are two bytes


def _spans(facets: list[object]) -> tuple[TextSpan, ...]:
    return spans_from_facets(TEXT, facets)


GOOD = [
    Facet(18, 34, "link", "https://paris.fr"),
    Facet(35, 41, "tag", "Fête"),
    Facet(42, 51, "mention", "did:plc:ville"),
]


def test_spans_from_valid_facets() -> None:
    assert _spans(list(GOOD)) == (
        TextSpan("Hôtel de Ville : "),
        TextSpan("https://paris.fr", "https://paris.fr", "link"),
        TextSpan(" "),
        TextSpan("#Fête", "Fête", "tag"),
        TextSpan(" "),
        TextSpan("@ville.fr", "did:plc:ville", "mention"),
    )


def test_spans_are_sorted_whatever_the_input_order() -> None:
    assert _spans(list(reversed(GOOD))) == _spans(list(GOOD))


@pytest.mark.parametrize(
    "bad",
    [
        Facet(-1, 5, "link", "https://paris.fr"),  # negative start
        Facet(40, 52, "link", "https://paris.fr"),  # past the end (51 bytes)
        Facet(10, 10, "link", "https://paris.fr"),  # empty
        Facet(12, 10, "link", "https://paris.fr"),  # reversed
        Facet(2, 5, "link", "https://paris.fr"),  # starts inside "ô"
        Facet(0, 2, "link", "https://paris.fr"),  # ends inside "ô"
        Facet(0, 5, "link", "javascript:alert(1)"),  # not a web link
        Facet(0, 5, "mention", ""),  # no target
        Facet(0, 5, "cashtag", "$X"),  # type: ignore[arg-type]  # unknown kind
        Facet(0.0, 5, "link", "https://paris.fr"),  # type: ignore[arg-type]  # not an int
        Facet(False, 5, "link", "https://paris.fr"),  # bool is not an offset
        Facet(0, 5, "link", None),  # type: ignore[arg-type]
        ("0", "5", "link"),  # not a Facet at all
        None,
    ],
)
def test_an_invalid_facet_is_dropped_alone(bad: object) -> None:
    assert _spans([GOOD[0], bad, GOOD[1], GOOD[2]]) == _spans(list(GOOD))


def test_overlapping_facets_keep_the_first() -> None:
    overlapping = Facet(20, 38, "link", "https://evil.example")
    assert valid_facets(TEXT, [GOOD[0], overlapping, GOOD[1]]) == [GOOD[0], GOOD[1]]
    # adjacent is not overlapping
    assert valid_facets("abcd", [Facet(0, 2, "tag", "ab"), Facet(2, 4, "tag", "cd")]) == [
        Facet(0, 2, "tag", "ab"),
        Facet(2, 4, "tag", "cd"),
    ]


def test_plain_text_and_empty_text() -> None:
    assert spans_from_facets("Bonjour", []) == (TextSpan("Bonjour"),)
    assert spans_from_facets("", [Facet(0, 1, "tag", "x")]) == ()


def test_received_text_is_never_normalised() -> None:
    text = "Ho\u0302tel #Fe\u0302te"  # NFD, as sent by some client: offsets are of these bytes
    facet = Facet(8, 15, "tag", "Fête")
    assert spans_from_facets(text, [facet])[-1] == TextSpan("#Fe\u0302te", "Fête", "tag")


def test_lone_surrogates_do_not_raise() -> None:
    spans = spans_from_facets("a\ud800b", [Facet(0, 1, "tag", "a"), Facet(1, 3, "tag", "x")])
    assert "".join(s.text for s in spans) == "a\ud800b"


def test_random_facets_never_raise_and_keep_the_text() -> None:
    rng = random.Random(42)
    texts = [TEXT, "🇫🇷👨\u200d👩\u200d👧 é e\u0301 巴黎", "x"]
    for _ in range(2000):
        text = rng.choice(texts)
        size = len(text.encode())
        facets = [
            Facet(rng.randint(-3, size + 3), rng.randint(-3, size + 3), "link", "https://a.fr")
            for _ in range(rng.randint(0, 6))
        ]
        spans = spans_from_facets(text, facets)
        assert "".join(span.text for span in spans) == text
        linked = [s for s in spans if s.kind == "link"]
        assert len(linked) == len(valid_facets(text, facets))
