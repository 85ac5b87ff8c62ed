"""Keyword filters: what they are and how a post is judged against them. Pure, no I/O.

A ``Filter`` is a word (or phrase) or a regular expression, for every account or for chosen
ones, with an action: ``hide`` (the item is left out, and counted) or ``warn`` (the item is
collapsed behind "Filtré : <mot>").

Words match as Mastodon's ``CustomFilterKeyword#to_regex`` does for ``whole_word`` keywords
(app/models/custom_filter_keyword.rb): case-insensitively, with a word boundary at each end
that starts or ends with a word character (so "c'est nul!" matches "nul", "nulle" does not).
Beyond Mastodon, accents are folded on both sides ("ecole" filters "École"), so a word typed
without accents on a phone keyboard still works. Regular expressions (Python ``re``) are
matched case-insensitively against the text as written and against its accent-folded form;
they stay local (neither server stores regular expressions).

What is searched: the post's text, its content warning and its media descriptions, as
Mastodon does (``Status#searchable_text``-like); the quoted post's too.

``SupportsFilterSync`` is the capability of an adapter that keeps filters on its server
(Mastodon filters v2, Bluesky muted words).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from paris_desk.core.model import Post

MAX_TEXT = 200  # Mastodon's keyword column is a string; social-app caps muted words lower


class FilterAction(enum.StrEnum):
    HIDE = "hide"
    WARN = "warn"


class InvalidFilter(ValueError):
    """The filter cannot be used as given (empty, too long, a regular expression that does not
    compile); the message says why, in English (the shells word it in French)."""


@dataclass(frozen=True, slots=True)
class Filter:
    """``accounts``: the account ids it applies to; empty = every account."""

    id: str
    text: str
    regex: bool = False
    accounts: tuple[str, ...] = ()
    action: FilterAction = FilterAction.WARN

    def applies_to(self, account_ids: Iterable[str]) -> bool:
        """Whether it applies to an item seen by any of ``account_ids``."""
        return not self.accounts or any(a in self.accounts for a in account_ids)


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why an item is filtered: the filter's id, its action and its text (for "Filtré : …")."""

    filter_id: str
    action: FilterAction
    text: str

    @property
    def hidden(self) -> bool:
        return self.action is FilterAction.HIDE


@dataclass(frozen=True, slots=True)
class RemoteFilter:
    """A filter as one server keeps it. ``remote_id`` is opaque to everyone but its adapter
    (Mastodon: filter id and keyword id; Bluesky: the muted word's id or value)."""

    remote_id: str
    text: str
    action: FilterAction = FilterAction.WARN


@runtime_checkable
class SupportsFilterSync(Protocol):
    """Keyword filters kept on the account's server, so they also apply on the city's phones.

    ``server_filters`` lists what the server holds (filters the app did not make included);
    ``add_server_filter`` stores a word filter and returns it with its ``remote_id``;
    ``remove_server_filter`` is idempotent (already gone: no error)."""

    def server_filters(self) -> list[RemoteFilter]: ...

    def add_server_filter(self, text: str, action: FilterAction) -> RemoteFilter: ...

    def remove_server_filter(self, remote_id: str) -> None: ...


def fold(text: str) -> str:
    """Lower case without accents: "École" -> "ecole" (NFKD, combining marks dropped)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def validate(text: str, regex: bool) -> str:
    """``text`` stripped, or ``InvalidFilter``."""
    text = text.strip()
    if not text:
        raise InvalidFilter("empty filter")
    if len(text) > MAX_TEXT:
        raise InvalidFilter(f"longer than {MAX_TEXT} characters")
    if regex:
        try:
            re.compile(text)
        except re.error as exc:
            raise InvalidFilter(f"invalid regular expression: {exc}") from exc
    return text


def word_pattern(text: str) -> re.Pattern[str]:
    """Mastodon's whole-word keyword regex, over folded text."""
    word = fold(text)
    start = r"\b" if re.match(r"\w", word) else ""
    end = r"\b" if re.search(r"\w$", word) else ""
    return re.compile(start + re.escape(word) + end)


def searchable_text(post: Post) -> str:
    parts = [post.content_warning, post.text, *(m.alt for m in post.media)]
    if post.quote is not None:
        parts.append(searchable_text(post.quote))
    return "\n\n".join(p for p in parts if p)


class Matcher:
    """Filters compiled once; ``verdict`` is called per item, on any thread."""

    def __init__(self, filters: Sequence[Filter]) -> None:
        self._rules: list[tuple[Filter, re.Pattern[str], bool]] = []
        for f in filters:
            if f.regex:
                try:
                    pattern = re.compile(f.text, re.IGNORECASE)
                except re.error:
                    continue  # validated on the way in; a broken one never blocks the rest
                self._rules.append((f, pattern, True))
            else:
                self._rules.append((f, word_pattern(f.text), False))
        # Hiding wins over warning when both match.
        self._rules.sort(key=lambda rule: rule[0].action is not FilterAction.HIDE)

    def __bool__(self) -> bool:
        return bool(self._rules)

    def verdict(self, post: Post | None, account_ids: Iterable[str]) -> Verdict | None:
        """The first filter (``hide`` ones first) that matches ``post`` for these accounts."""
        if post is None or not self._rules:
            return None
        seen = tuple(account_ids)
        text = searchable_text(post)
        folded: str | None = None
        for f, pattern, is_regex in self._rules:
            if not f.applies_to(seen):
                continue
            if folded is None:
                folded = fold(text)
            hit = pattern.search(folded) if not is_regex else (
                pattern.search(text) or pattern.search(folded))
            if hit:
                return Verdict(f.id, f.action, f.text)
        return None
