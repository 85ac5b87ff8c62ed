"""What a column remembers of its posts stays bounded while it streams, and keeps its newest
measures: a column fed for a day neither grows without end nor measures all its rows again."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from pytestqt.qtbot import QtBot

from paris_desk.core.filters import Filter, FilterAction, Matcher, Verdict
from paris_desk.core.model import Author, Network, Post
from paris_desk.ui.timeline.covers import Covers
from paris_desk.ui.timeline.post_rows import HEIGHT_CACHE, HEIGHT_KEPT, RowSizes, forget_oldest

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def test_past_its_bound_a_table_keeps_its_newest_entries_in_order() -> None:
    table = {n: n * 10 for n in range(10)}

    forget_oldest(table, 10, 5)
    assert len(table) == 10  # at the bound: nothing goes

    table[10] = 100
    forget_oldest(table, 10, 5)
    assert list(table) == [6, 7, 8, 9, 10]


def test_a_streaming_column_keeps_the_heights_of_its_newest_rows() -> None:
    rows = RowSizes()
    for n in range(HEIGHT_CACHE + 1):
        rows.table(600, False)[(f"post/{n}", "")] = 80

    kept = rows.table(600, False)

    assert len(kept) == HEIGHT_KEPT
    assert kept[(f"post/{HEIGHT_CACHE}", "")] == 80  # the newest row is not measured again
    assert (f"post/{HEIGHT_CACHE - HEIGHT_KEPT}", "") not in kept  # a long-gone one is not kept


class _Counting(Matcher):
    def __init__(self) -> None:
        super().__init__([Filter("1", "travaux", action=FilterAction.WARN)])
        self.asked: list[str] = []

    def verdict(self, post: Post | None, account_ids: Iterable[str]) -> Verdict | None:
        self.asked.append(post.uri if post is not None else "")
        return super().verdict(post, account_ids)


def _post(n: int) -> Post:
    return Post(uri=f"https://paris.example/statuses/{n}", native_id=str(n),
                network=Network.MASTODON, author=Author("@marie@paris.example", "Marie"),
                created_at=T0 - timedelta(seconds=n), text=f"travaux rue {n}")


def test_filter_verdicts_of_a_streaming_column_stay_bounded(qtbot: QtBot) -> None:
    covers, matcher = Covers(), _Counting()
    covers.set_matcher(matcher)
    streamed = [_post(n) for n in range(HEIGHT_CACHE + 2)]
    for post in streamed:
        assert covers.collapsed(post) == "Filtered: travaux"

    matcher.asked.clear()
    covers.collapsed(streamed[-1])  # a row on screen: its verdict is remembered
    covers.collapsed(streamed[0])  # one long trimmed from the column: forgotten, asked again

    assert matcher.asked == [streamed[0].uri]
