"""Attack through the inbox: a notification whose author's handle (no display name) and post
carry bidi overrides (issue 13). The row is painted like the same row without them."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QListView
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Account, Author, Network, Notification, NotificationKind, Post
from paris_desk.core.notifications import group
from paris_desk.services.inbox import InboxItem
from paris_desk.ui.inbox.delegate import InboxDelegate
from paris_desk.ui.inbox.model import InboxModel

A = "mastodon:@ville@paris.example"
T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def mention(handle: str, text: str) -> InboxItem:
    author = Author(handle=handle, display_name="", user_id="7")
    post = Post(uri="https://example.org/statuses/7", native_id="7", network=Network.MASTODON,
                author=author, created_at=T0, text=text)
    note = Notification(id="n7", account_id=A, kind=NotificationKind.MENTION, author=author,
                        created_at=T0, post=post, unread=True)
    (g,) = group([note])
    return InboxItem(g, g.unread, None)


def rendered(qtbot: QtBot, item: InboxItem) -> QImage:
    model = InboxModel()
    model.set_accounts([Account(A, Network.MASTODON, "@ville@paris.example",
                                "https://paris.example", label="Mairie")])
    model.set_items([item])
    view = QListView()
    view.setItemDelegate(InboxDelegate(None, view))
    view.setModel(model)
    qtbot.addWidget(view)
    view.resize(600, 200)
    view.show()
    qtbot.waitExposed(view)
    return view.viewport().grab(view.visualRect(model.index(0, 0))).toImage()


def test_a_bidi_override_in_an_inbox_row_changes_nothing_on_screen(qtbot: QtBot) -> None:
    hostile = mention("@p7\u202egro.elpmaxe@example.org",
                      "Bonjour \u202e@ville, écrivez à \u2066ecivres@paris.fr\u2069 vite.")
    clean = mention("@p7gro.elpmaxe@example.org",
                    "Bonjour @ville, écrivez à ecivres@paris.fr vite.")
    assert rendered(qtbot, hostile) == rendered(qtbot, clean)
