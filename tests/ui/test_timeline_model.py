"""TimelineModel on its own: merge in runs, the new-posts hold, unloading, fetchMore guard,
checked by Qt's model tester; and the French words of a post."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pytestqt.qtbot import QtBot

from paris_desk.core.merge import item_key
from paris_desk.core.model import Account, Author, Network, Post, TextSpan
from paris_desk.ui.timeline.model import PostRole, TimelineModel
from paris_desk.ui.timeline.post_text import accessible_text, prepare, relative_time

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
A, B = "mastodon:@a@paris.example", "bluesky:b.paris.example"


def post(n: int, account: str = A, minutes: float | None = None, **changes: Any) -> Post:
    values: dict[str, Any] = {
        "uri": f"https://paris.example/statuses/{n}",
        "native_id": str(n),
        "network": Network.MASTODON,
        "author": Author("@marie@paris.example", "Marie"),
        "created_at": T0 + timedelta(minutes=n if minutes is None else minutes),
        "text": f"post {n}",
        "seen_by": (account,),
    }
    values.update(changes)
    return Post(**values)


def add(model: TimelineModel, posts: list[Post], **kw: Any) -> int:
    return model.add(posts, {p.uri: prepare(p) for p in posts}, **kw)


def test_posts_merge_newest_first_once_each(qtmodeltester: Any) -> None:
    model = TimelineModel()
    add(model, [post(n) for n in range(0, 20, 2)])
    add(model, [post(n, B) for n in range(1, 20, 2)] + [post(4, B)])

    assert [p.native_id for p in model.posts()] == [str(n) for n in range(19, -1, -1)]
    assert model.post_at(15).seen_by == (A, B)  # post 4, seen by both
    assert model.index(15).data(PostRole.SEEN_BY) == [A, B]
    qtmodeltester.check(model)


def test_new_items_above_the_reading_row_wait_for_the_bar(
    qtbot: QtBot, qtmodeltester: Any
) -> None:
    model = TimelineModel()
    add(model, [post(n) for n in range(10)])
    qtmodeltester.check(model)

    with qtbot.waitSignal(model.pending_changed) as pending:
        inserted = add(model, [post(50), post(51), post(5, minutes=5.5, uri="x:5b")],
                       hold_newer_than=3)

    assert pending.args == [2]
    assert inserted == 1  # older than the reading row: goes in at once
    assert model.rowCount() == 11 and model.post_at(0).native_id == "9"
    assert model.show_pending() == 2
    assert [p.native_id for p in model.posts()[:3]] == ["51", "50", "9"]
    assert model.pending_count == 0


def test_oldest_rows_unload_and_fetch_more_is_guarded(qtbot: QtBot, qtmodeltester: Any) -> None:
    model = TimelineModel(max_rows=5)
    add(model, [post(n) for n in range(5)])
    qtmodeltester.check(model)
    add(model, [post(10), post(11)], hold_newer_than=0)

    with qtbot.waitSignal(model.rows_unloaded) as unloaded:
        model.show_pending()

    assert unloaded.args == [2]
    assert [p.native_id for p in model.posts()] == ["11", "10", "4", "3", "2"]
    assert model.canFetchMore()
    with qtbot.waitSignal(model.older_requested):
        model.fetchMore()
    assert not model.canFetchMore()  # one load at a time
    with qtbot.assertNotEmitted(model.older_requested):
        model.fetchMore()
    add(model, [post(1), post(0)])
    model.finish_fetch(has_more=False)
    assert model.rowCount() == 7 and not model.canFetchMore()


def test_an_action_result_replaces_its_row_only(qtbot: QtBot) -> None:
    model = TimelineModel()
    add(model, [post(n) for n in range(3)])
    liked = post(1, liked=True, like_count=3)

    with qtbot.waitSignal(model.dataChanged) as changed:
        assert model.update_post(liked)

    assert changed.args[0].row() == changed.args[1].row() == 1
    assert PostRole.LIKED in changed.args[2]
    assert model.post_at(1).liked


def test_post_words_are_french(french: object) -> None:
    now = T0
    assert relative_time(now - timedelta(seconds=20), now) == "à l’instant"
    assert relative_time(now - timedelta(minutes=5), now) == "il y a 5\u00a0min"
    assert relative_time(now - timedelta(hours=3), now) == "il y a 3\u00a0h"
    assert relative_time(now - timedelta(days=2), now) == "il y a 2 jours"
    accounts = {A: Account(A, Network.MASTODON, "@a@paris.example", "x", label="Mairie")}
    item = post(1, minutes=-5, reply_count=1, like_count=2)
    sentence = accessible_text(item, accounts, T0 + timedelta(minutes=1))
    assert sentence.startswith("Marie (@marie@paris.example) sur Mastodon, il y a 6 minutes")
    assert "1 réponse," in sentence and "Vu par Mairie." in sentence


def test_the_body_keeps_safe_links_only() -> None:
    spans = (
        TextSpan("Voir "),
        TextSpan("ici", "javascript:alert(1)", "link"),
        TextSpan(" et "),
        TextSpan("https://www.paris.fr/pages/un-tres-long-chemin-de-page", "https://www.paris.fr/x",
                 "link"),
        TextSpan(" #Vélo", "Vélo", "tag"),
        TextSpan(" <b>fdp\u202eexe.pdf"),
    )
    body = prepare(post(1, network=Network.BLUESKY, spans=spans)).body
    assert "javascript" not in body.html
    assert 'href="https://www.paris.fr/x">paris.fr/pages/un-tres-long-ch…</a>' in body.html
    assert 'href="https://bsky.app/hashtag/Vélo"' in body.html
    assert "&lt;b&gt;fdpexe.pdf" in body.html
    assert body.links == ("https://www.paris.fr/x", "https://bsky.app/hashtag/Vélo")


def test_pages_above_or_below_every_row_go_in_as_one_run_each(
    qtbot: QtBot, qtmodeltester: Any
) -> None:
    model = TimelineModel()
    add(model, [post(n) for n in range(10, 20)])

    with qtbot.waitSignal(model.rowsInserted) as newer:
        add(model, [post(n) for n in (25, 21, 29, 20)])
    with qtbot.waitSignal(model.rowsInserted) as older:
        add(model, [post(n) for n in (3, 9, 0)])
    add(model, [post(15, B), post(14, minutes=14.5, uri="x:14b")])  # among the rows

    assert newer.args[1:] == [0, 3] and older.args[1:] == [14, 16]
    posts = model.posts()
    assert [p.created_at for p in posts] == sorted((p.created_at for p in posts), reverse=True)
    assert model.rowCount() == 18
    assert all(model.row_of(item_key(p)) == row for row, p in enumerate(posts))
    assert model.post_at(model.row_of(item_key(post(15)))).seen_by == (A, B)
    qtmodeltester.check(model)
