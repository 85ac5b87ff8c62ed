"""Splitting a text that is too long into a numbered thread, at sentence boundaries.

Each part gets a suffix `` (i/n)`` and must *fit* once numbered, as the caller's network counts
it (``fits`` is given by the caller: Bluesky counts the text as posted, with its content warning
line; Mastodon weighs URLs and counts the warning). Boundaries, best first: paragraph breaks and
sentence ends (``.``, ``!``, ``?``, ``…``, closing quotes allowed after them, common French
abbreviations such as ``M.`` or ``av.`` excluded), then spaces between words, and for a single
word longer than a post, grapheme clusters (a flag or a ZWJ emoji is never cut). No-break spaces
(before ``!``/``?``/``:`` in French, or inside ``10 000``) are never a boundary.

Pure: no I/O, no Qt.
"""

from __future__ import annotations

from collections.abc import Callable

import regex

from paris_desk.core.counting import count_for
from paris_desk.core.model import Limits

NUMBERING = " ({index}/{total})"
MAX_PARTS = 999

Fits = Callable[[str], bool]

# Words after which a period does not end a sentence (French usage in a city's posts).
_ABBREVIATION_WORDS = (
    "m mm mme mmes mlle mlles dr pr me st ste av bd bld pl fg cf ex env vol pp tel tél n° "
    "hab approx sq mr mrs ms"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
_SENTENCE_END = regex.compile(
    r"(?<=[.!?…][\"»”’)\]]*)[ \t\r\n]+|\n[ \t\r\n]*",
)
_WORD_GAP = regex.compile(r"[ \t\r\n]+")
_GRAPHEME = regex.compile(r"\X")


class SplitError(ValueError):
    """The limit is too small for even one grapheme plus its numbering."""


def split_thread(text: str, fits: Fits, numbering: str = NUMBERING) -> list[str]:
    """``[text]`` when it fits; else the numbered parts of a thread, in order.

    Raises ``SplitError`` when even a single grapheme with its numbering does not fit.
    """
    text = text.strip()
    if fits(text):
        return [text]
    for digits in (1, 2, 3):
        widest = numbering.format(index=10**digits - 1, total=10**digits - 1)
        parts = _pack(text, _with_suffix(fits, widest))
        if len(parts) < 10**digits:
            total = len(parts)
            return [
                part + numbering.format(index=index, total=total)
                for index, part in enumerate(parts, start=1)
            ]
    raise SplitError(f"more than {MAX_PARTS} parts")


def _with_suffix(fits: Fits, suffix: str) -> Fits:
    return lambda candidate: fits(candidate + suffix)


def split_for(limits: Limits, text: str, spoiler: str = "") -> list[str]:
    """``split_thread`` with one account's counting rule (``spoiler``: Mastodon's CW)."""
    return split_thread(text, lambda s: not count_for(limits, s, spoiler).over)


def _pack(text: str, fits: Fits) -> list[str]:
    """Greedy packing of sentences into parts that fit; oversized sentences by words, then
    oversized words by graphemes."""
    parts: list[str] = []
    current = ""
    for piece, gap in _pieces(text, fits):
        candidate = current + piece
        if current and not fits(candidate.strip()):
            parts.append(current.strip())
            candidate = piece
        current = candidate + gap
    if current.strip():
        parts.append(current.strip())
    return parts


def _pieces(text: str, fits: Fits) -> list[tuple[str, str]]:
    """``(piece, gap after it)`` pairs, each piece fitting alone."""
    out: list[tuple[str, str]] = []
    for sentence, gap in _cut(text, _sentence_gaps(text)):
        if fits(sentence):
            out.append((sentence, gap))
            continue
        words = _cut(sentence, list(_WORD_GAP.finditer(sentence)))
        for index, (word, word_gap) in enumerate(words):
            after = word_gap if index < len(words) - 1 else gap
            if fits(word):
                out.append((word, after))
            else:
                chunks = _by_graphemes(word, fits)
                out.extend((chunk, "") for chunk in chunks[:-1])
                out.append((chunks[-1], after))
    return out


def _sentence_gaps(text: str) -> list[regex.Match[str]]:
    gaps = []
    for match in _SENTENCE_END.finditer(text):
        if "\n" not in match.group() and _ends_with_abbreviation(text[: match.start()]):
            continue
        gaps.append(match)
    return gaps


def _ends_with_abbreviation(before: str) -> bool:
    if not before.endswith("."):
        return False
    word = before[:-1].rsplit(None, 1)[-1] if before[:-1].strip() else ""
    word = word.lstrip("(«\"“")
    if len(word) == 1 and word.isalpha():  # an initial: "J. Dupont"
        return True
    return word.casefold() in _ABBREVIATIONS


def _cut(text: str, gaps: list[regex.Match[str]]) -> list[tuple[str, str]]:
    pieces: list[tuple[str, str]] = []
    position = 0
    for gap in gaps:
        if gap.start() > position:
            pieces.append((text[position : gap.start()], gap.group()))
        position = gap.end()
    if position < len(text):
        pieces.append((text[position:], ""))
    return pieces


def _by_graphemes(word: str, fits: Fits) -> list[str]:
    chunks: list[str] = []
    current = ""
    for grapheme in _GRAPHEME.findall(word):
        if fits(current + grapheme):
            current += grapheme
            continue
        if not current:
            raise SplitError("one grapheme and its numbering exceed the limit")
        chunks.append(current)
        current = grapheme
        if not fits(current):
            raise SplitError("one grapheme and its numbering exceed the limit")
    chunks.append(current)
    return chunks
