"""Keyword filters in the inbox window (issue 15), on the sandboxes through the real clients:
the insult under a city post leaves the list (counted on "N masqués", which shows it), the
citizen's question under the same post stays, and a warned reply reads "Filtré : mot" until
it is opened."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mastodon import Mastodon
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from paris_desk.core.filters import FilterAction
from paris_desk.services.accounts import AccountService
from paris_desk.services.desk import Desk
from paris_desk.services.inbox import InboxItem
from paris_desk.services.workers import TaskManager
from paris_desk.store.profile import Profile
from paris_desk.ui.inbox.filtering import install_filters
from paris_desk.ui.inbox.model import InboxRole
from paris_desk.ui.inbox.view import InboxView

WAIT = 20_000  # ms: a hang guard only
HOSTILE = "Vous êtes des INCAPABLES, démissionnez !"
QUESTION = "Bonjour, la piscine Pontoise rouvre-t-elle lundi ? Merci"
GRUMBLE = "Encore des travaux, quel bazar"


@pytest.fixture
def desk(mastodon_sandbox: Any) -> Iterator[Desk]:
    accounts = AccountService(Profile.default())
    accounts.add_mastodon_token(mastodon_sandbox.base_url, mastodon_sandbox.token_for("ville"))
    desk = Desk(accounts)
    yield desk
    desk.close()


def citizen_replies(sandbox: Any) -> None:
    def client(acct: str) -> Mastodon:
        return Mastodon(access_token=sandbox.token_for(acct), api_base_url=sandbox.base_url,
                        version_check_mode="none")

    city = client("ville").status_post("Travaux de la piscine Pontoise : point d'étape.")
    for text in (HOSTILE, QUESTION, GRUMBLE):
        client("culture").status_post(f"@ville {text}", in_reply_to_id=city["id"])


def rows(view: InboxView) -> list[InboxItem]:
    return [view.proxy.index(r, 0).data(InboxRole.ITEM) for r in range(view.proxy.rowCount())]


def texts(view: InboxView) -> list[str]:
    return [item.post.text for item in rows(view) if item.post is not None]


def test_the_insult_is_hidden_the_question_stays_and_a_warned_one_is_covered(
    qtbot: QtBot, tasks: TaskManager, desk: Desk, mastodon_sandbox: Any, tmp_path: Path
) -> None:
    citizen_replies(mastodon_sandbox)
    desk.filters.add("incapables", action=FilterAction.HIDE)
    desk.filters.add("bazar", action=FilterAction.WARN)
    view = InboxView(tasks, desk.inbox, desk.accounts.list,
                     QSettings(str(tmp_path / "inbox.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(view)
    toggle = install_filters(view, desk.filters.matcher)
    with qtbot.waitSignals([view.loaded, view.loaded], timeout=WAIT):
        view.reload()
    qtbot.waitUntil(lambda: view.proxy.hidden_count == 1, timeout=WAIT)

    assert any(t.endswith(QUESTION) for t in texts(view))
    assert not any("INCAPABLES" in t for t in texts(view))
    assert toggle.text() == "1 hidden" and not toggle.isHidden()

    warned = next(r for r in range(view.proxy.rowCount())
                  if (item := view.proxy.index(r, 0).data(InboxRole.ITEM)).post is not None
                  and item.post.text.endswith(GRUMBLE))
    index = view.proxy.index(warned, 0)
    assert index.data(InboxRole.EXCERPT) == "Filtered: bazar"
    view.list.setCurrentIndex(index)  # opening it uncovers it
    qtbot.waitUntil(lambda: view.proxy.index(warned, 0).data(InboxRole.EXCERPT) != (
        "Filtered: bazar"), timeout=WAIT)

    toggle.click()  # "1 masqué": shown on demand
    assert any("INCAPABLES" in t for t in texts(view))
    toggle.click()
    assert not any("INCAPABLES" in t for t in texts(view))


def test_the_conversation_leaves_out_hidden_replies_and_covers_warned_ones(
    qtbot: QtBot, tasks: TaskManager, desk: Desk, mastodon_sandbox: Any, tmp_path: Path
) -> None:
    def client(acct: str) -> Mastodon:
        return Mastodon(access_token=mastodon_sandbox.token_for(acct),
                        api_base_url=mastodon_sandbox.base_url, version_check_mode="none")

    city = client("ville").status_post("Travaux de la piscine Pontoise : point d'étape.")
    question = client("culture").status_post(f"@ville {QUESTION}", in_reply_to_id=city["id"])
    for text in (HOSTILE, GRUMBLE):
        client("culture").status_post(f"@ville {text}", in_reply_to_id=question["id"])
    desk.filters.add("incapables", action=FilterAction.HIDE)
    desk.filters.add("bazar", action=FilterAction.WARN)
    view = InboxView(tasks, desk.inbox, desk.accounts.list,
                     QSettings(str(tmp_path / "inbox.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(view)
    install_filters(view, desk.filters.matcher)
    with qtbot.waitSignals([view.loaded, view.loaded], timeout=WAIT):
        view.reload()
    qtbot.waitUntil(lambda: view.proxy.hidden_count == 1, timeout=WAIT)
    row = next(r for r in range(view.proxy.rowCount())
               if (item := view.proxy.index(r, 0).data(InboxRole.ITEM)).post is not None
               and item.post.text.endswith(QUESTION))

    with qtbot.waitSignal(view.thread_loaded, timeout=WAIT):
        view.list.setCurrentIndex(view.proxy.index(row, 0))

    shown = view.detail.thread_view.toPlainText()
    assert QUESTION in shown and "point d'étape" in shown
    assert "INCAPABLES" not in shown and "quel bazar" not in shown
    assert "Filtered: bazar" in shown
    assert view.detail.status.text().endswith("1 hidden")
