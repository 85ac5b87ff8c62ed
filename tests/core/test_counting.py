"""Counting posts the way each server counts them.

Mastodon expectations are copied from halcy/Mastodon.py ``tests/test_status_length.py``
(commit 1124a5a, 2025), whose values were read from a real Mastodon server's remaining-characters
counter with a 1000-character limit ("1000 - 943"); the ZWJ sequences are spelled with explicit
``\\u200d``. Bluesky expectations are the PDS answers recorded in API_NOTES §2.5 (``@atproto/pds``
0.5.35, Nov 2026): 301 "é" refused, 300 "e\\u0301" and 300 flags accepted, 1600 "é" refused.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from mastodon._url_regex import url_regex as mastodon_py_url_regex

from paris_desk.core.counting import (
    Count,
    count_bluesky,
    count_for,
    count_mastodon,
    countable_text,
    grapheme_count,
    url_spans,
)
from paris_desk.core.model import Limits

ROOT = Path(__file__).resolve().parents[2]
HANG_GUARD_S = 30  # seconds: only stops a hung test, never reached when all is well

MASTODON_SERVER_TABLE = [
    ("", 0),
    ("hello", 5),
    (" leading and trailing spaces   ", 31),
    (" tabs\tand\nnewlines\r\n", 19),
    ("check http://example.com and https://example.org/page?x=1#frag", 1000 - 943),
    ("ftp://files.example.net/resource", 1000 - 968),
    ("http://user:pass@example.com:8080/path", 1000 - 962),
    ("http://127.0.0.1:3000/health", 1000 - 972),
    ("https://[2001:db8::1]/status", 1000 - 972),
    ("https://[2001:db8:85a3::8a2e:370:7334]:443/path?ok=1", 1000 - 948),
    ("mailto:someone@example.com", 1000 - 974),
    ("git+ssh://git@example.co.uk:22/repo.git", 1000 - 961),
    ("https://very.long.tld.example.museum/collection/item", 1000 - 977),
    ("@alice", 6),
    ("@bob@example.com", 4),
    ("hi @charlie and @dora@example.social!", 1000 - 978),
    ("hey @me@example.com look at https://example.com/a-b_c~d?e=f#g and @you  ", 50),
    ("a: 🇪🇪", 4),
    ("b: 👨\u200d👩\u200d👧\u200d👦", 4),
    ("c: 👩🏽\u200d💻", 4),
    ("d: ✊🏿", 4),
    ("é", 1),
    ("f\u0301", 1),
    ("https://sub.sub2.Путин.рф/увидимся/в?Гааге=военный#преступник", 1000 - 952),
    ("clusters: 😀😃😄😁😆😅😂🤣😊🙂😉🙃😇🥰😍🤩😘😗😙😚", 30),
    (
        "See: http://example.com https://[2001:db8::2]:8443/a "
        "ftp://user:pw@files.example.org:21/x http://192.168.0.1/",
        1000 - 886,
    ),
    ("@one https://example.social/@two 👩🏽\u200d💻 🇪🇪 @three@example.com ✊🏿", 1000 - 959),
    ("(see https://example.com.)", 30),
    ("[link: http://user:pass@host.example:8080/path?x=y#z]", 1000 - 947),
    ("<@root> and {@admin@example.net}", 20),
    ("https://example.com/a-b_c~d?param_a=1&param-b=2", 1000 - 977),
]


@pytest.mark.parametrize(("text", "expected"), MASTODON_SERVER_TABLE)
def test_mastodon_count_matches_server_measurements(text: str, expected: int) -> None:
    assert count_mastodon(text).used == expected
    # the content warning counts too, grapheme for grapheme
    assert count_mastodon(text, "what").used == expected + 4


# One grapheme each, whatever the code points or bytes (API_NOTES §3.1).
GRAPHEMES = [
    ("é", 1, 2),  # composed U+00E9
    ("e\u0301", 1, 3),  # decomposed: e + combining acute
    ("👍🏽", 1, 8),  # skin tone modifier
    ("👨\u200d👩\u200d👧\u200d👦", 1, 25),  # ZWJ family, 7 code points
    ("🇫🇷", 1, 8),  # flag: two regional indicators
    ("1\ufe0f\u20e3", 1, 7),  # keycap
    ("🏳\ufe0f\u200d🌈", 1, 14),
    ("🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f", 1, 28),  # England
    ("\r\n", 1, 2),
    ("क्षि", 1, 12),
    ("巴黎市政厅", 5, 15),  # CJK: one grapheme per ideograph, 3 bytes each
    ("Hôtel de Ville", 14, 15),
    ("Ho\u0302tel de Ville", 14, 16),  # the NFD spelling: same graphemes, one more byte
]


@pytest.mark.parametrize(("text", "graphemes", "size"), GRAPHEMES)
def test_bluesky_counts_graphemes_and_bytes(text: str, graphemes: int, size: int) -> None:
    count = count_bluesky(text)
    assert (count.used, count.bytes) == (graphemes, size)
    assert count.limit == 300
    assert count.byte_limit == 3000
    assert not count.over


@pytest.mark.parametrize(
    ("text", "graphemes"), [(t, g) for t, g, _ in GRAPHEMES if not t.isspace()]
)
def test_mastodon_counts_the_same_graphemes(text: str, graphemes: int) -> None:
    assert count_mastodon(text).used == graphemes


@pytest.mark.parametrize(
    ("text", "used", "size", "over"),
    [
        ("é" * 300, 300, 600, False),
        ("é" * 301, 301, 602, True),  # PDS: "grapheme too big (maximum 300, got 301)"
        ("e\u0301" * 300, 300, 900, False),  # PDS accepts: graphemes, not code points
        ("🇫🇷" * 300, 300, 2400, False),  # PDS accepts 2400 bytes
        ("é" * 1600, 1600, 3200, True),
        ("👨\u200d👩\u200d👧\u200d👦" * 120, 120, 3000, False),  # exactly 3000 bytes
        ("👨\u200d👩\u200d👧\u200d👦" * 121, 121, 3025, True),  # 121 graphemes, 3025 bytes
    ],
)
def test_bluesky_limits_graphemes_and_bytes(text: str, used: int, size: int, over: bool) -> None:
    count = count_bluesky(text)
    assert (count.used, count.bytes, count.over) == (used, size, over)
    assert count.over_bytes == (size > 3000)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the final dot is not part of the URL: 23 + "."
        ("https://paris.fr/x.", 24),
        (
            "Voir https://www.paris.fr/pages/agenda, puis https://paris.fr/a?b=c!",
            5 + 23 + 7 + 23 + 1,
        ),
        # no scheme: not a URL for the server, counts letter by letter
        ("www.paris.fr", 12),
        ("paris.fr/agenda", 15),
        # a URL's length does not matter, only that it is one
        ("https://www.paris.fr/" + "a" * 200, 23),
        # @user@domain counts as @user; a local mention as itself
        ("Merci @marie.dupont@mastodon.social !", len("Merci @marie.dupont !")),
        ("@ville", 6),
        ("écrire à contact@paris.fr", 25),  # an e-mail address is not a mention
        ("@josé@example.com", 17),  # the server stops at a latin accent: no mention
        ("   \n\t ", 0),  # blank text counts as empty (Ruby blank?)
    ],
)
def test_mastodon_urls_and_mentions(text: str, expected: int) -> None:
    assert count_mastodon(text).used == expected


def test_mastodon_uses_the_instance_url_weight_and_limit() -> None:
    count = count_mastodon("https://paris.fr", max_characters=20, reserved_per_url=30)
    assert count == Count(used=30, limit=20, bytes=16, over=True)
    assert count.remaining == -10


def test_mastodon_limit_is_inclusive() -> None:
    assert not count_mastodon("a" * 500).over
    assert count_mastodon("a" * 501).over
    assert count_mastodon("a" * 497, "CW!!").over  # 4 + 497 = 501
    assert count_mastodon("a" * 476 + " https://paris.fr/" + "x" * 80).used == 500


def test_countable_text_rewrites_entities() -> None:
    assert countable_text("@a@b.fr https://paris.fr/x.", 3) == "@a xxx."


def test_count_for_dispatches_on_limits() -> None:
    mastodon = Limits(max_characters=1000, counting="mastodon", characters_reserved_per_url=23)
    bluesky = Limits(max_characters=300, counting="graphemes", max_bytes=3000)
    text = "https://paris.fr/" + "x" * 100
    assert count_for(mastodon, text, "CW").used == 25
    assert count_for(mastodon, text).limit == 1000
    assert count_for(bluesky, text, "ignored: labels on Bluesky").used == 117
    assert count_for(bluesky, "é" * 1600).over


def test_count_for_refuses_an_unknown_rule() -> None:
    with pytest.raises(ValueError, match="unknown counting rule"):
        count_for(Limits(max_characters=10, counting="code points"), "x")


def test_grapheme_count_empty() -> None:
    assert grapheme_count("") == 0


ORACLE_TEXTS = [text for text, _ in MASTODON_SERVER_TABLE] + [
    "Programme : https://www.paris.fr/pages/agenda#juin (gratuit).",
    "https://fr.wikipedia.org/wiki/Paris_(France) et https://paris.fr/a_(b)_c.",
    "Voir:https://paris.fr/x ahttps://paris.fr/y #https://paris.fr/z @https://paris.fr/w",
    "https://paris.fr/é/à?q=ü&r=1 https://x.paris/ https://ville.notatld/ http://localhost/",
    "https://paris.fr,https://lyon.fr;https://nantes.fr! «https://paris.fr» “https://paris.fr”",
    "HTTPS://PARIS.FR/AGENDA https://xn--p1ai.xn--p1ai/ https://exemple.paris:8080/a?b=c&d=e#f",
    "https://paris.fr/" + "a." * 40 + " https://paris.fr/" + "(" * 10,
]


@pytest.mark.parametrize("text", ORACLE_TEXTS)
def test_url_spans_agree_with_mastodon_py_regex(text: str) -> None:
    # Mastodon.py ships the server's URL grammar (twitter-text) as one regex; ours is
    # transcribed independently and must find the same URLs.
    expected = [m.span(3) for m in mastodon_py_url_regex.finditer(text)]
    assert url_spans(text) == expected


COUNT_NASTY = """
import sys
from paris_desk.core.counting import count_bluesky, count_mastodon
n = int(sys.argv[1])
nasty = "https://paris.fr/" + "a!" * 2000 * n + " " + "@a" * 2000 * n + "(" * 500 * n
print(count_mastodon(nasty).used, count_bluesky(nasty).used)
"""


def test_counting_never_backtracks_badly() -> None:
    """A hostile text ten times the size of a long post takes milliseconds to count (bench/
    timeline_bench.py --only core prints how many); any backtracking worse than linear would
    take minutes on it. Counted in a child process, so the hang guard can stop a regex that
    never gives the interpreter back."""
    counted = subprocess.run(
        [sys.executable, "-c", COUNT_NASTY, "10"], capture_output=True, text=True,
        timeout=HANG_GUARD_S, check=True, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    mastodon, bluesky = map(int, counted.stdout.split())
    assert 0 < mastodon < bluesky  # the link counts 23 on Mastodon, in full on Bluesky
