"""The "Filtres" dialog (issue 15) on both sandboxes through the real clients: a filter made
on a phone shows up, one added in the dialog reaches both servers and says so, a bad regular
expression is refused in words, and removing deletes the servers' copies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from mastodon import Mastodon
from pytestqt.qtbot import QtBot

from paris_desk.services.accounts import AccountService
from paris_desk.services.desk import Desk
from paris_desk.services.workers import TaskManager
from paris_desk.store.profile import Profile
from paris_desk.ui.filters.dialog import FiltersDialog

WAIT = 20_000  # ms: a hang guard only


@pytest.fixture
def desk(mastodon_sandbox: Any, bluesky_sandbox: Any) -> Iterator[Desk]:
    accounts = AccountService(Profile.default())
    accounts.add_mastodon_token(mastodon_sandbox.base_url, mastodon_sandbox.token_for("ville"))
    who = bluesky_sandbox.accounts[0]
    accounts.add_bluesky(who["handle"], who["password"], service=bluesky_sandbox.base_url)
    desk = Desk(accounts)
    yield desk
    desk.close()


def rows(dialog: FiltersDialog) -> list[list[str]]:
    table = dialog.table
    return [[table.topLevelItem(i).text(c) for c in range(4)]
            for i in range(table.topLevelItemCount())]


def test_the_dialog_lists_adds_and_removes(
    qtbot: QtBot, tasks: TaskManager, desk: Desk, mastodon_sandbox: Any
) -> None:
    phone = Mastodon(access_token=mastodon_sandbox.token_for("ville"),
                     api_base_url=mastodon_sandbox.base_url, version_check_mode="none")
    phone.create_filter_v2("Foot", ["home"], "warn", keywords_attributes=[{"keyword": "foot"}])
    dialog = FiltersDialog(tasks, desk.filters, desk.accounts.list)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: bool(rows(dialog)), timeout=WAIT)
    assert [r[0] for r in rows(dialog)] == ["foot"]  # made on the phone

    dialog.text.setText("incapables")
    dialog.action.setCurrentIndex(dialog.action.findData("hide"))
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT):
        dialog.add_button.click()
    added = next(r for r in rows(dialog) if r[0] == "incapables")
    assert added[1] == "Hide" and added[2] == "All accounts"
    assert added[3].count(": yes") == 2  # on both servers
    assert {f["title"] for f in phone.filters_v2()} == {"Foot", "incapables"}

    dialog.text.setText("(")
    dialog.regex.setChecked(True)
    dialog.add_button.click()
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Invalid regular expression"),
                    timeout=WAIT)

    index = next(i for i in range(dialog.table.topLevelItemCount())
                 if dialog.table.topLevelItem(i).text(0) == "incapables")
    dialog.table.setCurrentItem(dialog.table.topLevelItem(index))
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT):
        dialog.remove_button.click()
    assert [r[0] for r in rows(dialog)] == ["foot"]
    assert {f["title"] for f in phone.filters_v2()} == {"Foot"}
