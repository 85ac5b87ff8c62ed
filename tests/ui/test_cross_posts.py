"""TimelineModel with cross-posts (one submission published on several accounts): one row while
grouping is on, the members back as rows when it is off, a refresh never adds a row; the user's
own posts go in at once, even above the row being read. Checked by Qt's model tester."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Account, Author, Network, Post
from paris_desk.ui.timeline.model import PostRole, TimelineModel
from paris_desk.ui.timeline.post_text import prepare

T0 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
M, B = "mastodon:@ville@paris.example", "bluesky:ville.paris.example"
ACCOUNTS = {
    M: Account(M, Network.MASTODON, "@ville@paris.example", "x", label="Mairie (Mastodon)"),
    B: Account(B, Network.BLUESKY, "ville.paris.example", "x", label="Mairie (Bluesky)"),
}


def post(n: int, account: str = M, **changes: Any) -> Post:
    network = Network.BLUESKY if account == B else Network.MASTODON
    values: dict[str, Any] = {
        "uri": f"{network.value}:{account}/{n}",
        "native_id": str(n),
        "network": network,
        "author": Author("@ville@paris.example", "Ville de Paris"),
        "created_at": T0 + timedelta(minutes=n),
        "text": f"post {n}",
        "seen_by": (account,),
    }
    values.update(changes)
    return Post(**values)


def add(model: TimelineModel, posts: list[Post], **kw: Any) -> int:
    return model.add(posts, {p.uri: prepare(p) for p in posts}, **kw)


def texts(model: TimelineModel) -> list[str]:
    return [p.text for p in model.posts()]


def cross_post(n: int) -> tuple[Post, Post, dict[str, tuple[str, str]]]:
    """The same text on both accounts (two posts, two uris) and what the outbox says of them."""
    mastodon = post(n, M, text=f"cross {n}")
    bluesky = post(n, B, text=f"cross {n}", created_at=T0 + timedelta(minutes=n, seconds=1))
    return mastodon, bluesky, {mastodon.uri: (f"batch{n}#0", M), bluesky.uri: (f"batch{n}#0", B)}


def test_a_cross_post_is_one_row_naming_its_accounts(qtmodeltester: Any) -> None:
    model = TimelineModel()
    model.set_accounts(ACCOUNTS)
    add(model, [post(n) for n in range(5)])
    mastodon, bluesky, groups = cross_post(10)
    model.set_cross_posts(groups)

    add(model, [mastodon, bluesky])

    assert texts(model).count("cross 10") == 1
    row = texts(model).index("cross 10")
    index = model.index(row)
    assert sorted(index.data(PostRole.GROUP)) == sorted([M, B])
    description = index.data(Qt.ItemDataRole.AccessibleDescriptionRole)
    assert "Published on 2 accounts:" in description
    assert "Mairie (Mastodon)" in description and "Mairie (Bluesky)" in description
    assert model.contains((bluesky.uri, "")) and model.contains((mastodon.uri, ""))
    assert model.index(0 if row else 1).data(PostRole.GROUP) == []  # other rows: no group
    qtmodeltester.check(model)


def test_posts_already_shown_are_grouped_once_the_outbox_names_them(
    qtbot: QtBot, qtmodeltester: Any
) -> None:
    model = TimelineModel()
    mastodon, bluesky, groups = cross_post(10)
    add(model, [post(1), mastodon, bluesky, post(2)])
    assert texts(model).count("cross 10") == 2

    with qtbot.waitSignal(model.rowsRemoved):
        model.set_cross_posts(groups)

    assert texts(model).count("cross 10") == 1 and model.rowCount() == 3
    qtmodeltester.check(model)


def test_the_toggle_shows_each_account_s_row_and_back(qtmodeltester: Any) -> None:
    model = TimelineModel()
    mastodon, bluesky, groups = cross_post(10)
    model.set_cross_posts(groups)
    add(model, [post(1), mastodon, bluesky])

    model.set_grouping(False)
    assert texts(model).count("cross 10") == 2
    assert all(model.index(r).data(PostRole.GROUP) == [] for r in range(model.rowCount()))
    qtmodeltester.check(model)

    model.set_grouping(True)
    assert texts(model).count("cross 10") == 1 and model.rowCount() == 2
    qtmodeltester.check(model)


def test_a_refresh_bringing_the_cross_post_again_adds_no_row(qtbot: QtBot) -> None:
    model = TimelineModel()
    mastodon, bluesky, groups = cross_post(10)
    model.set_cross_posts(groups)
    add(model, [post(1), mastodon, bluesky])

    with qtbot.assertNotEmitted(model.rowsInserted):
        add(model, [bluesky, mastodon, post(1)], hold_newer_than=0)

    assert model.pending_count == 0
    assert texts(model).count("cross 10") == 1
    model.set_grouping(False)
    assert texts(model).count("cross 10") == 2  # not 4


def test_own_posts_go_in_at_once_even_above_the_row_being_read(qtbot: QtBot) -> None:
    model = TimelineModel()
    add(model, [post(n) for n in range(5)])
    add(model, [post(20)], hold_newer_than=0)  # a refresh held it behind the bar
    assert model.pending_count == 1

    with qtbot.waitSignal(model.pending_changed) as pending:
        inserted = model.add_now([post(20), post(21)], {})

    assert inserted == 2 and pending.args == [0]
    assert texts(model)[:2] == ["post 21", "post 20"]


def test_an_unloaded_group_starts_again_when_read_back() -> None:
    model = TimelineModel(max_rows=3)
    mastodon, bluesky, groups = cross_post(0)
    model.set_cross_posts(groups)
    add(model, [mastodon, bluesky, post(5), post(6)])
    add(model, [post(7)], hold_newer_than=0)
    model.show_pending()  # the cross-post's row leaves memory

    assert "cross 0" not in texts(model)
    assert not model.contains((bluesky.uri, ""))
    add(model, [bluesky, mastodon])  # read back from the cache
    assert texts(model).count("cross 0") == 1


def test_a_cross_post_is_said_in_french(french: object) -> None:
    model = TimelineModel()
    model.set_accounts(ACCOUNTS)
    mastodon, bluesky, groups = cross_post(10)
    model.set_cross_posts(groups)
    add(model, [mastodon, bluesky])

    description = model.index(0).data(Qt.ItemDataRole.AccessibleDescriptionRole)

    assert description == "Publié sur 2 comptes : Mairie (Mastodon), Mairie (Bluesky)."
