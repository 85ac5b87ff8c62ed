"""Accessibility checks before publishing, and readable hashtags."""

from __future__ import annotations

import pytest

from paris_desk.core.accessibility import (
    Issue,
    IssueCode,
    Level,
    blocks_publishing,
    check_alt,
    check_text,
    plain_letters,
)
from paris_desk.core.hashtags import camel_case, split_words

C = IssueCode


def codes(issues: list[Issue]) -> list[str]:
    return [issue.code.value for issue in issues]


# --- alt text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("alt", ["", "   ", "\n\t"])
def test_missing_alt_blocks_publishing(alt: str) -> None:
    issues = check_alt(alt)
    assert issues == [Issue(Level.ERROR, C.ALT_MISSING)]
    assert blocks_publishing(issues)
    assert issues[0].message_key == "a11y.alt_missing"


@pytest.mark.parametrize(
    ("alt", "file_name"),
    [
        ("IMG_1234.jpg", ""),
        ("IMG_1234", ""),
        ("DSC01234", ""),
        ("PXL_20240501_103211123", ""),
        ("Screenshot_20240501-103211", ""),
        ("Capture d’écran 2024-05-01 à 10.32.11", ""),
        ("WhatsApp Image 2024-05-01 at 10.32.11", ""),
        ("affiche-fete.PNG", ""),
        ("affiche-fete", "/home/agent/Images/affiche-fete.png"),  # the file's own name
        ("Affiche-Fete.png", r"C:\Users\agent\Pictures\affiche-fete.png"),
    ],
)
def test_a_file_name_is_not_an_alt_text(alt: str, file_name: str) -> None:
    issues = check_alt(alt, file_name)
    assert codes(issues) == ["alt_file_name"]
    assert not blocks_publishing(issues)  # advice: only a missing alt text blocks


@pytest.mark.parametrize(
    "alt",
    [
        "image",
        "Photo",
        "img",
        "capture",
        "Capture d’écran",
        "screenshot",
        "Une image",
        "L’image 2",
        "« Illustration »",
        "picture",
        "alt text",
        "texte alternatif",
        "visuel",
        "Logo",
        "TODO",
    ],
)
def test_placeholder_words(alt: str) -> None:
    assert codes(check_alt(alt)) == ["alt_placeholder"]


@pytest.mark.parametrize("alt", ["Un chat", "Vue de Paris", "Carte"])
def test_short_alt_text(alt: str) -> None:
    assert codes(check_alt(alt)) == ["alt_too_short"]


@pytest.mark.parametrize(
    "alt",
    [
        "Affiche de la Fête de la musique 2026, place de la République",
        "Image de la place de la République sous la neige",  # starts with "image": still fine
        "Le maire coupe le ruban",  # 23 graphemes
    ],
)
def test_good_alt_text(alt: str) -> None:
    assert check_alt(alt, "IMG_1234.jpg") == []


def test_alt_over_the_network_limit_blocks() -> None:
    issues = check_alt("Une description " * 100, max_length=1500)
    assert codes(issues) == ["alt_too_long"]
    assert blocks_publishing(issues)
    assert check_alt("Une description " * 10, max_length=1500) == []


# --- hashtags ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("fetedelamusique", "FeteDeLaMusique"),
        ("fêtedelamusique", "FêteDeLaMusique"),  # accents kept
        ("jeuxolympiques2024", "JeuxOlympiques2024"),
        ("budgetparticipatif", "BudgetParticipatif"),
        ("semaineeuropeennedudeveloppementdurable", "SemaineEuropeenneDuDeveloppementDurable"),
        ("xyzabcdefghijk", ""),  # unknown words: no guess
        ("paris", ""),  # one word: nothing to split
        ("", ""),
    ],
)
def test_camel_case(tag: str, expected: str) -> None:
    assert camel_case(tag) == expected


def test_split_prefers_fewest_words() -> None:
    assert split_words("nuitblanche") == ["nuit", "blanche"]
    assert split_words("2024") == ["2024"]
    assert split_words("zzz") == []


def test_long_lowercase_hashtags_get_a_suggestion() -> None:
    text = "Venez à la #fetedelamusique ce soir !"
    assert check_text(text) == [
        Issue(Level.WARNING, C.HASHTAG_CASE, (11, 27), "#FeteDeLaMusique"),
    ]


def test_which_hashtags_are_flagged() -> None:
    text = (
        "#FeteDeLaMusique #paris #nuitblanche2026 #xyzabcdefghijk #jeux_olympiques_2024 "
        "＃budgetparticipatif"
    )
    issues = check_text(text)
    assert [(text[s:e], i.suggestion) for i in issues for s, e in [i.span or (0, 0)]] == [
        ("#nuitblanche2026", "#NuitBlanche2026"),
        ("#xyzabcdefghijk", ""),  # flagged, but we cannot guess the words
        ("＃budgetparticipatif", "＃BudgetParticipatif"),
    ]
    assert not blocks_publishing(issues)


# --- emoji ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bravo 🎉🎉🎉", [("emoji_run", "🎉🎉🎉")]),
        ("🎉 🎉 🎉 Bravo", [("emoji_run", "🎉 🎉 🎉")]),
        ("Bravo 🎉🎉", []),  # two is fine
        (
            "Merci 👏🏽👨\u200d👩\u200d👧🇫🇷",
            [("emoji_run", "👏🏽👨\u200d👩\u200d👧🇫🇷")],
        ),  # graphemes
        ("Rendez-vous place de la République 📍 à 14 h", [("emoji_mid_sentence", "📍")]),
        ("J’❤️ Paris", [("emoji_mid_sentence", "❤️")]),
        ("Venez 🎉🎉🎉 nombreux", [("emoji_run", "🎉🎉🎉"), ("emoji_mid_sentence", "🎉🎉🎉")]),
        ("Bravo à tous 🎉\n🎉 Merci", []),  # at the end and at the start of a line
        ("Programme 📅 : samedi", []),
        ("Copyright © Ville de Paris ™", []),  # text symbols are not emoji
    ],
)
def test_emoji(text: str, expected: list[tuple[str, str]]) -> None:
    issues = check_text(text)
    assert [(i.code.value, text[i.span[0] : i.span[1]]) for i in issues if i.span] == expected
    assert all(i.level is Level.WARNING for i in issues)


# --- fancy letters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span_text", "plain"),
    [
        ("𝐁𝐨𝐧𝐣𝐨𝐮𝐫 𝐏𝐚𝐫𝐢𝐬 !", "𝐁𝐨𝐧𝐣𝐨𝐮𝐫 𝐏𝐚𝐫𝐢𝐬", "Bonjour Paris"),  # bold
        ("Ce soir : 𝓟𝓪𝓻𝓲𝓼, 𝓿𝓲𝓵𝓵𝓮", "𝓟𝓪𝓻𝓲𝓼, 𝓿𝓲𝓵𝓵𝓮", "Paris, ville"),  # script
        ("ℌ𝔢𝔩𝔩𝔬", "ℌ𝔢𝔩𝔩𝔬", "Hello"),  # fraktur, its H from Letterlike Symbols
        ("ＰＡＲＩＳ 2026", "ＰＡＲＩＳ", "PARIS"),  # fullwidth
        ("ⓟⓐⓡⓘⓢ", "ⓟⓐⓡⓘⓢ", "paris"),  # circled
        ("🅿🅰🆁🅸🆂", "🅿🅰🆁🅸🆂", "PARIS"),  # negative squared
    ],
)
def test_fancy_letters_are_refused_with_plain_letters_suggested(
    text: str, span_text: str, plain: str
) -> None:
    issues = check_text(text)
    assert len(issues) == 1
    issue = issues[0]
    assert (issue.level, issue.code) == (Level.ERROR, C.FANCY_LETTERS)
    assert issue.span is not None
    assert text[issue.span[0] : issue.span[1]] == span_text
    assert issue.suggestion == plain
    assert blocks_publishing(issues)


@pytest.mark.parametrize("text", ["x = 𝑥", "Parking 🅿️", "Le ℝ des réels", "Hôtel de Ville"])
def test_a_lone_symbol_or_an_emoji_is_not_fancy_text(text: str) -> None:
    assert C.FANCY_LETTERS not in codes(check_text(text))


def test_plain_letters_leaves_other_text_alone() -> None:
    assert plain_letters("Fête 𝟐𝟎𝟐𝟔 ! 🎉") == "Fête 2026 ! 🎉"


def test_issues_are_sorted_by_position() -> None:
    text = "🎉🎉🎉 #fetedelamusique 𝐁𝐨𝐧𝐣𝐨𝐮𝐫"
    assert codes(check_text(text)) == ["emoji_run", "hashtag_case", "fancy_letters"]


def test_clean_text() -> None:
    assert check_text("La #FeteDeLaMusique commence à 18 h, place de la République. 🎶") == []
