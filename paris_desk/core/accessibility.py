"""Checks run on a post before it is published, for readers using a screen reader.

Only errors block publishing: a missing alt text, an alt text the server would refuse as too
long, and "fancy" letters (Mathematical Alphanumeric Symbols, fullwidth, circled and squared
letters), which screen readers spell out one symbol name at a time. Everything else is advice.
Issues carry codes, never sentences: the UI translates ``message_key``. Spans are code-point
offsets ``(start, end)`` into the checked string (Python indices, not Qt's UTF-16 units).
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

import regex

from paris_desk.core.hashtags import camel_case

MIN_ALT_GRAPHEMES = 15
LONG_HASHTAG = 12  # an all-lowercase hashtag longer than this is hard to read aloud
EMOJI_RUN = 3


class Level(enum.StrEnum):
    ERROR = "error"  # blocks publishing
    WARNING = "warning"  # advice


class IssueCode(enum.StrEnum):
    ALT_MISSING = "alt_missing"
    ALT_TOO_LONG = "alt_too_long"
    ALT_FILE_NAME = "alt_file_name"
    ALT_PLACEHOLDER = "alt_placeholder"
    ALT_TOO_SHORT = "alt_too_short"
    HASHTAG_CASE = "hashtag_case"
    EMOJI_RUN = "emoji_run"
    EMOJI_MID_SENTENCE = "emoji_mid_sentence"
    FANCY_LETTERS = "fancy_letters"


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding. ``suggestion`` is a replacement for ``span`` when one is known
    (``#FeteDeLaMusique`` for ``#fetedelamusique``, plain letters for fancy ones)."""

    level: Level
    code: IssueCode
    span: tuple[int, int] | None = None
    suggestion: str = ""

    @property
    def message_key(self) -> str:
        return f"a11y.{self.code.value}"

    @property
    def blocking(self) -> bool:
        return self.level is Level.ERROR


def blocks_publishing(issues: list[Issue]) -> bool:
    return any(issue.blocking for issue in issues)


_GRAPHEME = regex.compile(r"\X")


# --- alt text ---------------------------------------------------------------------------------

_IMAGE_EXTENSION = r"\.(?:jpe?g|png|gif|webp|heic|heif|avif|bmp|tiff?|svg)"
_FILE_NAME_PATTERNS = (
    regex.compile(rf"[^\s/\\]+{_IMAGE_EXTENSION}", regex.IGNORECASE),  # any image file name
    regex.compile(r"(?:img|dsc[nf]?|pxl|mvimg|vid|dji|gopr|sam|p)[ _-]?\d{3,}[\w-]*", regex.I),
    regex.compile(  # "Capture d’écran 2024-05-01 à 10.32.11", "Screenshot_20240501-103211"
        r"(?:screenshot|screen shot|capture d.{1,2}[ée]cran|capture|whatsapp image|image|photo)"
        r"(?:[\s_-]*(?:from|de|du|at|à|a)?[\s_-]*[\d.:_-]+)+(?:\s*(?:am|pm))?",
        regex.IGNORECASE,
    ),
)
_PLACEHOLDERS = frozenset(
    (
        "image",
        "images",
        "img",
        "photo",
        "photos",
        "photographie",
        "picture",
        "pic",
        "pics",
        "capture",
        "capture d ecran",
        "capture ecran",
        "screenshot",
        "screen shot",
        "screen",
        "illustration",
        "visuel",
        "graphique",
        "graphic",
        "alt",
        "alt text",
        "alttext",
        "texte alternatif",
        "description",
        "affiche",
        "logo",
        "icone",
        "icon",
        "gif",
        "video",
        "sans titre",
        "untitled",
        "no description",
        "pas de description",
        "aucune description",
        "n a",
        "na",
        "none",
        "aucun",
        "aucune",
        "rien",
        "todo",
        "tbd",
        "a remplir",
        "",
    )
)
_ARTICLE_WORDS = "un une la le l les cette ce cet a an the this my ma mon notre our"
_ARTICLES = frozenset(_ARTICLE_WORDS.split())


def _fold(text: str) -> str:
    """Lower-case words without accents or punctuation: ``« L’Image »`` → ``l image``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(regex.sub(r"[\p{P}\p{S}]+", " ", bare).split())


def _is_placeholder(alt: str) -> bool:
    words = _fold(alt).split()
    while words and words[0] in _ARTICLES:
        words.pop(0)
    while words and words[-1].isdigit():
        words.pop()
    return " ".join(words) in _PLACEHOLDERS


def _is_file_name(alt: str, file_name: str) -> bool:
    if file_name:
        path = PurePath(file_name.replace("\\", "/"))
        if alt.casefold() in {path.name.casefold(), path.stem.casefold()}:
            return True
    return any(pattern.fullmatch(alt) for pattern in _FILE_NAME_PATTERNS)


def check_alt(alt: str, file_name: str = "", *, max_length: int = 0) -> list[Issue]:
    """Check an image's alt text. ``file_name`` is the picture's file (any path);
    ``max_length`` is the network's limit in graphemes (0 = none)."""
    text = alt.strip()
    if not text:
        return [Issue(Level.ERROR, IssueCode.ALT_MISSING)]
    issues: list[Issue] = []
    size = len(_GRAPHEME.findall(text))
    if max_length and size > max_length:
        issues.append(Issue(Level.ERROR, IssueCode.ALT_TOO_LONG))
    if _is_file_name(text, file_name):
        issues.append(Issue(Level.WARNING, IssueCode.ALT_FILE_NAME))
    elif _is_placeholder(text):
        issues.append(Issue(Level.WARNING, IssueCode.ALT_PLACEHOLDER))
    elif size < MIN_ALT_GRAPHEMES:
        issues.append(Issue(Level.WARNING, IssueCode.ALT_TOO_SHORT))
    return issues


# --- post text --------------------------------------------------------------------------------

_HASHTAG = regex.compile(r"(?<![\w#＃&/])[#＃](\w+)")
_EMOJI = regex.compile(
    r"\p{Emoji_Presentation}|\p{Emoji_Modifier}|\p{Regional_Indicator}|[\ufe0f\u20e3]"
)
_BLANK = frozenset(" \t\u00a0\u202f")
_LETTERLIKE = (  # script, fraktur and double-struck letters missing from the math block
    "\u210a-\u210e\u2110-\u2113\u2115\u2119-\u211d\u2124\u2128\u212c\u212d\u212f-\u2131\u2133\u2134"
)
_FANCY = (
    rf"[\U0001d400-\U0001d7ff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u24b6-\u24e9"
    rf"\U0001f130-\U0001f189{_LETTERLIKE}](?!\ufe0f)"  # 🅿️ (with VS16) is an emoji, not a letter
)
_FANCY_RUN = regex.compile(rf"(?:{_FANCY})+(?:[\s\p{{P}}]+(?:{_FANCY})+)*")
_FANCY_CHAR = regex.compile(_FANCY)


def _hashtag_issues(text: str) -> list[Issue]:
    issues = []
    for m in _HASHTAG.finditer(text):
        body = m.group(1)
        if len(body) > LONG_HASHTAG and body.islower() and "_" not in body:
            suggestion = camel_case(body)
            issues.append(
                Issue(
                    Level.WARNING,
                    IssueCode.HASHTAG_CASE,
                    m.span(),
                    text[m.start()] + suggestion if suggestion else "",
                )
            )
    return issues


def _emoji_runs(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, emoji count)`` of emoji sequences, spaces between them allowed."""
    runs: list[tuple[int, int, int]] = []
    start = end = count = 0
    for m in _GRAPHEME.finditer(text):
        if _EMOJI.search(m.group()):
            if not count:
                start = m.start()
            end, count = m.end(), count + 1
        elif m.group() in _BLANK and count:
            continue
        elif count:
            runs.append((start, end, count))
            count = 0
    if count:
        runs.append((start, end, count))
    return runs


def _mid_sentence(text: str, start: int, end: int) -> bool:
    before = text[:start].rstrip("".join(_BLANK))[-1:]
    after = text[end:].lstrip("".join(_BLANK))[:1]
    return (before.isalnum() or before in {",", "'", "’"}) and before != "" and after.isalnum()


def _emoji_issues(text: str) -> list[Issue]:
    issues = []
    for start, end, count in _emoji_runs(text):
        if count >= EMOJI_RUN:
            issues.append(Issue(Level.WARNING, IssueCode.EMOJI_RUN, (start, end)))
        if _mid_sentence(text, start, end):
            issues.append(Issue(Level.WARNING, IssueCode.EMOJI_MID_SENTENCE, (start, end)))
    return issues


def plain_letters(text: str) -> str:
    """Fancy letters replaced by the plain ones they imitate (``𝐁𝐨𝐧𝐣𝐨𝐮𝐫`` → ``Bonjour``)."""
    out = []
    for char in text:
        code = ord(char)
        if 0x1F150 <= code <= 0x1F169 or 0x1F170 <= code <= 0x1F189:  # negative circled/squared
            out.append(chr(ord("A") + (code - 0x1F150) % 0x20))
        elif _FANCY_CHAR.match(char):
            out.append(unicodedata.normalize("NFKC", char))
        else:
            out.append(char)
    return "".join(out)


def _fancy_issues(text: str) -> list[Issue]:
    issues = []
    for m in _FANCY_RUN.finditer(text):
        if len(_FANCY_CHAR.findall(m.group())) >= 2:
            issues.append(
                Issue(Level.ERROR, IssueCode.FANCY_LETTERS, m.span(), plain_letters(m.group()))
            )
    return issues


def check_text(text: str) -> list[Issue]:
    """Check post text: fancy letters (error), long lowercase hashtags, emoji runs and emoji in
    the middle of a sentence (warnings). Sorted by position."""
    issues = _fancy_issues(text) + _hashtag_issues(text) + _emoji_issues(text)
    issues.sort(key=lambda issue: issue.span or (0, 0))
    return issues
