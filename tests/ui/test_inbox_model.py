"""The inbox list model and its filters, on hand-made notifications (no network)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QSignalSpy

from paris_desk.core.model import Account, Author, Network, Notification, NotificationKind, Post
from paris_desk.core.notifications import group
from paris_desk.services.inbox import InboxItem
from paris_desk.store.inbox import Handled, Handling
from paris_desk.ui.inbox.model import InboxFilterModel, InboxModel, InboxRole

A = "mastodon:@ville@paris.example"
B = "bluesky:culture.paris.example"
T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
SUBJECT = "https://paris.example/statuses/1"


def person(n: int) -> Author:
    names = ["Marie", "Karim", "Sophie", "Lucas", "Amina", "Jules"]
    return Author(handle=f"@p{n}@example.org", display_name=names[n % len(names)],
                  user_id=str(n))


def post(n: int) -> Post:
    return Post(uri=f"https://example.org/statuses/{n}", native_id=str(n),
                network=Network.MASTODON, author=person(n), created_at=T0,
                text=f"Bonjour @ville, question numéro {n} sur les horaires.")


def note(n: int, kind: NotificationKind, account: str = A, minutes: int | None = None,
         unread: bool = True) -> Notification:
    by_post = kind in (NotificationKind.LIKE, NotificationKind.REPOST)
    return Notification(
        id=f"{account}-{n}", account_id=account, kind=kind, author=person(n),
        created_at=T0 + timedelta(minutes=n if minutes is None else minutes),
        post=None if kind is NotificationKind.FOLLOW else post(n),
        subject_uri=SUBJECT if by_post else "", unread=unread,
    )


def items(notes: list[Notification], handled: set[str] = frozenset()) -> list[InboxItem]:  # type: ignore[assignment]
    out = []
    for g in group(notes):
        mark = Handled(Handling.DISMISSED, T0) if g.latest.id in handled else None
        out.append(InboxItem(g, g.unread, mark if g.needs_action else None))
    return out


def sample() -> list[Notification]:
    return [
        note(1, NotificationKind.LIKE), note(2, NotificationKind.LIKE),
        note(3, NotificationKind.LIKE, unread=False), note(4, NotificationKind.MENTION),
        note(5, NotificationKind.REPLY, B), note(6, NotificationKind.FOLLOW, B, unread=False),
        note(7, NotificationKind.QUOTE), note(8, NotificationKind.REPOST, B),
    ]


def accounts() -> list[Account]:
    return [Account(A, Network.MASTODON, "@ville@paris.example", "https://paris.example",
                    label="Mairie", color="#d1242f"),
            Account(B, Network.BLUESKY, "culture.paris.example", "https://pds.example")]


@pytest.fixture
def model(qapp: Any) -> InboxModel:
    m = InboxModel()
    m.set_accounts(accounts())
    m.set_items(items(sample()), has_older=True)
    return m


def keys(m: Any) -> list[Any]:
    return [m.index(r, 0).data(InboxRole.KEY) for r in range(m.rowCount())]


def test_rows_say_what_happened_for_which_account(model: InboxModel) -> None:
    texts = [model.index(r).data() for r in range(model.rowCount())]

    assert texts == [
        "Sophie shared your post", "Karim quoted your post", "Marie followed you",
        "Jules replied to you", "Amina mentioned you", "Lucas and 2 other(s) liked your post",
    ]
    likes = model.index(5)
    assert likes.data(InboxRole.ACCOUNT_NAME) == "Mairie"
    assert likes.data(InboxRole.ACCOUNT_COLOR) == "#d1242f"
    assert likes.data(InboxRole.UNREAD) is True
    assert model.index(1).data(InboxRole.TO_HANDLE) is True
    assert model.index(2).data(InboxRole.TO_HANDLE) is False
    spoken = model.index(4).data(Qt.ItemDataRole.AccessibleTextRole)
    assert spoken.startswith("Amina mentioned you, for Mairie,")
    assert "question numéro 4" in spoken and spoken.endswith("Unread. To handle.")


def test_models_pass_the_model_tester(model: InboxModel, qtmodeltester: Any) -> None:
    qtmodeltester.check(model)
    proxy = InboxFilterModel()
    proxy.setSourceModel(model)
    proxy.set_kinds(["mention", "reply", "quote"])
    qtmodeltester.check(proxy)


def test_a_new_snapshot_changes_only_what_differs(model: InboxModel) -> None:
    before = keys(model)
    inserted, removed, changed = (QSignalSpy(model.rowsInserted), QSignalSpy(model.rowsRemoved),
                                  QSignalSpy(model.dataChanged))
    notes = [*sample(), note(9, NotificationKind.MENTION), note(10, NotificationKind.MENTION, B)]
    notes = [n for n in notes if n.id != f"{B}-6"]  # the follow is gone
    notes = [replace(n, unread=False) if n.id == f"{A}-4" else n for n in notes]

    model.set_items(items(notes))

    assert keys(model)[2:] == [k for k in before if k[0] != "follow"]
    assert inserted.count() == 1 and removed.count() == 1  # one run each
    assert changed.count() == 1  # the mention that became read
    assert model.index(model.row_of(("mention", A, f"id:{A}-4"))).data(InboxRole.UNREAD) is False


def test_a_group_that_moves_to_the_top_is_reinserted(model: InboxModel,
                                                     qtmodeltester: Any) -> None:
    qtmodeltester.check(model)
    notes = [*sample(), note(11, NotificationKind.LIKE)]  # a new like of the same post

    model.set_items(items(notes))

    assert model.index(0).data() == "Jules and 3 other(s) liked your post"
    assert model.rowCount() == 6


def test_filters_combine(model: InboxModel) -> None:
    proxy = InboxFilterModel()
    proxy.setSourceModel(model)

    proxy.set_account_ids([A])
    assert [k[1] for k in keys(proxy)] == [A] * 3
    proxy.set_kinds(["like"])
    assert [k[0] for k in keys(proxy)] == ["like"]
    proxy.set_kinds([])
    proxy.set_account_ids([])
    proxy.set_unread_only(True)
    assert ("follow", B, "2026-06-01") not in keys(proxy) and len(keys(proxy)) == 5
    proxy.set_to_handle_only(True)
    assert [k[0] for k in keys(proxy)] == ["quote", "reply", "mention"]
    assert proxy.shown_accounts([A, B]) == [A, B]


def test_handled_items_leave_the_to_handle_filter_live(model: InboxModel) -> None:
    proxy = InboxFilterModel()
    proxy.setSourceModel(model)
    proxy.set_to_handle_only(True)
    mention = model.item_at(model.row_of(("mention", A, f"id:{A}-4")))

    model.update_item(replace(mention, handled=Handled(Handling.ANSWERED, T0, "x")))

    assert [k[0] for k in keys(proxy)] == ["quote", "reply"]


def test_filters_are_remembered(tmp_path: Path, model: InboxModel) -> None:
    path = str(tmp_path / "inbox.ini")
    proxy = InboxFilterModel(QSettings(path, QSettings.Format.IniFormat))
    proxy.set_account_ids([B])
    proxy.set_kinds(["mention", "reply"])
    proxy.set_unread_only(True)

    again = InboxFilterModel(QSettings(path, QSettings.Format.IniFormat))

    assert again.account_ids == {B}
    assert again.kinds == {"mention", "reply"}
    assert (again.unread_only, again.to_handle_only) == (True, False)


def test_fetch_more_asks_once_until_finished(model: InboxModel) -> None:
    asked = QSignalSpy(model.older_requested)

    model.fetchMore()
    model.fetchMore()
    assert asked.count() == 1
    model.finish_fetch(has_older=False)
    assert not model.canFetchMore()
