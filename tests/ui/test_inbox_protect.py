"""'Protéger…' on an inbox item (issue 15), on the Bluesky sandbox: selecting a reply to the
city's post offers to hide it, and the threadgate on the server then lists it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from paris_desk.channels import bluesky as bsky
from paris_desk.channels.bluesky.convert import rkey_of
from paris_desk.core.model import PostRequest
from paris_desk.core.tid import next_tid
from paris_desk.services.accounts import AccountService
from paris_desk.services.desk import Desk
from paris_desk.services.workers import TaskManager
from paris_desk.store.profile import Profile
from paris_desk.ui.inbox.model import InboxRole
from paris_desk.ui.inbox.protect import install_protection
from paris_desk.ui.inbox.view import InboxView

WAIT = 20_000  # ms: a hang guard only


@pytest.fixture
def desk(bluesky_sandbox: Any) -> Iterator[Desk]:
    accounts = AccountService(Profile.default())
    who = bluesky_sandbox.accounts[0]
    accounts.add_bluesky(who["handle"], who["password"], service=bluesky_sandbox.base_url)
    desk = Desk(accounts)
    yield desk
    desk.close()


def test_hide_a_reply_from_the_inbox(
    qtbot: QtBot, tasks: TaskManager, desk: Desk, bluesky_sandbox: Any, tmp_path: Path
) -> None:
    city = desk.accounts.list()[0]
    root = desk.accounts.channel(city.id).post(PostRequest("Piscine Pontoise : point d'étape.",
                                                           idempotency_key=next_tid()))
    author = bluesky_sandbox.authors[3]
    login, secret = bsky.login(author["handle"], author["password"],
                               service=bluesky_sandbox.base_url)
    insult = bsky.restore(login, secret, lambda s: None).post(
        PostRequest("Bande d'incapables", reply_to=root, idempotency_key=next_tid()))
    view = InboxView(tasks, desk.inbox, desk.accounts.list,
                     QSettings(str(tmp_path / "inbox.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(view)
    button = install_protection(view, desk.threads)
    with qtbot.waitSignals([view.loaded, view.loaded], timeout=WAIT):
        view.reload()

    row = next(r for r in range(view.proxy.rowCount())
               if (item := view.proxy.index(r, 0).data(InboxRole.ITEM)).post is not None
               and item.post.uri == insult.uri)
    view.list.setCurrentIndex(view.proxy.index(row, 0))
    assert not button.isHidden()
    [hide] = [a for a in button.menu().actions() if a.text() == "&Hide this reply"]
    hide.trigger()

    qtbot.waitUntil(lambda: rkey_of(root.uri) in dict(
        bluesky_sandbox.records(city.user_id, "app.bsky.feed.threadgate")), timeout=WAIT)
    gates = dict(bluesky_sandbox.records(city.user_id, "app.bsky.feed.threadgate"))
    assert gates[rkey_of(root.uri)]["hiddenReplies"] == [insult.uri]
