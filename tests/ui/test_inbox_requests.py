"""'Demandes' in the inbox (issue 15), on the Mastodon sandbox through Mastodon.py: a private
mention from a stranger is kept out of the inbox and waits under 'Demandes (1)'; 'Voir les
messages' reads it, 'Accepter' brings it into the inbox."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mastodon import Mastodon
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from paris_desk.services.accounts import AccountService
from paris_desk.services.desk import Desk
from paris_desk.services.workers import TaskManager
from paris_desk.store.profile import Profile
from paris_desk.ui.inbox.model import InboxRole
from paris_desk.ui.inbox.requests import RequestsDialog, install_requests
from paris_desk.ui.inbox.view import InboxView

WAIT = 20_000  # ms: a hang guard only
SECRET = "Mon dossier de logement, numéro 42"


@pytest.fixture
def desk(mastodon_sandbox: Any) -> Iterator[Desk]:
    accounts = AccountService(Profile.default())
    accounts.add_mastodon_token(mastodon_sandbox.base_url, mastodon_sandbox.token_for("ville"))
    desk = Desk(accounts)
    yield desk
    desk.close()


def texts(view: InboxView) -> list[str]:
    return [item.post.text for r in range(view.proxy.rowCount())
            if (item := view.proxy.index(r, 0).data(InboxRole.ITEM)).post is not None]


def test_a_strangers_private_mention_waits_under_demandes(
    qtbot: QtBot, tasks: TaskManager, desk: Desk, mastodon_sandbox: Any, tmp_path: Path
) -> None:
    entry = mastodon_sandbox.add_account("karim", "Karim")
    with mastodon_sandbox.lock:
        mastodon_sandbox.users[mastodon_sandbox.account_id("ville")].following.discard(
            entry["id"])
    Mastodon(access_token=entry["access_token"], api_base_url=mastodon_sandbox.base_url,
             version_check_mode="none").status_post(f"@ville {SECRET}", visibility="direct")
    view = InboxView(tasks, desk.inbox, desk.accounts.list,
                     QSettings(str(tmp_path / "inbox.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(view)
    button = install_requests(view, desk.requests)
    with qtbot.waitSignals([view.loaded, view.loaded], timeout=WAIT):
        view.reload()
    qtbot.waitUntil(lambda: not button.isHidden(), timeout=WAIT)
    assert button.text() == "Requests (1)"
    assert not any(SECRET in t for t in texts(view))

    dialog = RequestsDialog(tasks, desk.requests, view.model.accounts(), view)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=WAIT)
    assert "Karim" in dialog.list.item(0).text() and SECRET in dialog.list.item(0).text()
    dialog.list.setCurrentRow(0)
    dialog.show_button.click()
    qtbot.waitUntil(lambda: SECRET in dialog.thread.toPlainText(), timeout=WAIT)

    dialog.changed.connect(view.reload)
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT):
        dialog.accept_button.click()
    assert dialog.list.count() == 0
    qtbot.waitUntil(lambda: any(SECRET in t for t in texts(view)), timeout=WAIT)
    qtbot.waitUntil(button.isHidden, timeout=WAIT)


@pytest.fixture
def bluesky_desk(bluesky_sandbox: Any) -> Iterator[Desk]:
    accounts = AccountService(Profile.default())
    who = bluesky_sandbox.accounts[0]
    accounts.add_bluesky(who["handle"], who["password"], service=bluesky_sandbox.base_url)
    desk = Desk(accounts)
    yield desk
    desk.close()


def test_bluesky_strangers_mentions_wait_until_accepted(
    qtbot: QtBot, tasks: TaskManager, bluesky_desk: Desk, bluesky_sandbox: Any,
    tmp_path: Path,
) -> None:
    from paris_desk.channels import bluesky as bsky
    from paris_desk.core.model import PostRequest
    from paris_desk.core.tid import next_tid

    city = bluesky_desk.accounts.list()[0]
    for name, text in (("karim", "Mon dossier de logement ?"), ("lea", "vous êtes nuls")):
        entry = bluesky_sandbox.add_account(name, name.capitalize())  # the city follows no one
        login, secret = bsky.login(entry["handle"], entry["password"],
                                   service=bluesky_sandbox.base_url)
        bsky.restore(login, secret, lambda s: None).post(
            PostRequest(f"@{city.handle} {text}", idempotency_key=next_tid()))
    view = InboxView(tasks, bluesky_desk.inbox, bluesky_desk.accounts.list,
                     QSettings(str(tmp_path / "inbox.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(view)
    button = install_requests(view, bluesky_desk.requests)
    with qtbot.waitSignals([view.loaded, view.loaded], timeout=WAIT):
        view.reload()
    qtbot.waitUntil(lambda: button.text() == "Requests (2)", timeout=WAIT)
    assert not any("logement" in t or "nuls" in t for t in texts(view))
    assert any(texts(view))  # the followed accounts' notifications are there

    dialog = RequestsDialog(tasks, bluesky_desk.requests, view.model.accounts(), view)
    qtbot.addWidget(dialog)
    dialog.changed.connect(view.reload)
    qtbot.waitUntil(lambda: dialog.list.count() == 2, timeout=WAIT)
    rows = {dialog.list.item(i).text().split(" ")[0]: i for i in range(2)}
    dialog.list.setCurrentRow(rows["Karim"])
    dialog.show_button.click()
    qtbot.waitUntil(lambda: "logement" in dialog.thread.toPlainText(), timeout=WAIT)
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT):
        dialog.accept_button.click()
    dialog.list.setCurrentRow(0)  # Lea
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT):
        dialog.dismiss_button.click()
    assert dialog.list.count() == 0

    button_hidden = button.isHidden
    qtbot.waitUntil(lambda: any("logement" in t for t in texts(view)), timeout=WAIT)
    assert not any("nuls" in t for t in texts(view))  # dismissed: neither here nor there
    qtbot.waitUntil(button_hidden, timeout=WAIT)
