"""Issue 12, point 5: accounts told apart. Where an account is named (Préférences, the inbox's
account filter, the timeline's "Add a column" menu) it shows its network badge and handle; each
account added through the CLI gets its own colour."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from test_settings_dialog import opened_with_ctrl_comma

from paris_desk.cli.main import main
from paris_desk.core.colors import ACCOUNT_COLORS
from paris_desk.core.model import Account
from paris_desk.services.accounts import AccountService
from paris_desk.ui.accounts.naming import account_title
from paris_desk.ui.inbox.install import install_inbox
from paris_desk.ui.shell.main_window import MainWindow
from paris_desk.ui.timeline.view import install_timeline

WAIT = 15_000


def test_accounts_added_with_the_cli_wear_different_colours(
    monkeypatch: pytest.MonkeyPatch, mastodon_sandbox: Any, bluesky_sandbox: Any,
    service: AccountService,
) -> None:
    for acct in ("ville", "culture"):
        monkeypatch.setattr("sys.stdin", io.StringIO(mastodon_sandbox.token_for(acct) + "\n"))
        assert main(["account", "add", "mastodon", "--instance", mastodon_sandbox.base_url,
                     "--token-stdin"]) == 0
    for who in bluesky_sandbox.accounts:
        monkeypatch.setattr("sys.stdin", io.StringIO(who["password"] + "\n"))
        assert main(["account", "add", "bluesky", "--handle", who["handle"], "--service",
                     bluesky_sandbox.base_url, "--password-stdin"]) == 0

    colours = [a.color for a in service.list()]
    assert len(colours) == 4
    assert len(set(colours)) == 4
    assert set(colours) <= set(ACCOUNT_COLORS)


@pytest.fixture
def twins(seeded: list[Account], service: AccountService) -> list[Account]:
    """The same name on both networks, as a city has."""
    return [service.update(a.id, label="Ville de Paris") for a in seeded[:2]]


def test_preferences_show_the_network_and_the_handle(
    qtbot: QtBot, make_window: Callable[..., MainWindow], twins: list[Account]
) -> None:
    window = make_window()
    window.accounts_panel.reload()
    qtbot.waitUntil(lambda: window.accounts_panel.model.rowCount() == 3, timeout=WAIT)

    dialog = opened_with_ctrl_comma(qtbot, window)
    texts = [dialog.targets.item(r).text() for r in range(dialog.targets.count())]
    mastodon, bluesky = texts[0], texts[1]
    assert mastodon == "Ville de Paris · @ville@paris.example · Mastodon"
    assert bluesky == "Ville de Paris · culture.paris.example · Bluesky"
    assert not dialog.targets.item(0).icon().isNull()
    dialog.reject()


def test_the_inbox_filter_and_the_column_menu_tell_the_twins_apart(
    qtbot: QtBot, make_window: Callable[..., MainWindow], twins: list[Account]
) -> None:
    window = make_window()
    timeline = install_timeline(window, window.session)
    inbox = install_inbox(window, window.session)
    window.accounts_panel.reload()
    qtbot.waitUntil(lambda: inbox.account_filter.count() == 4, timeout=WAIT)

    shown = [inbox.account_filter.itemText(i) for i in range(1, 4)]
    assert shown[:2] == [account_title(a) for a in twins]
    assert shown[0] != shown[1]
    assert all(not inbox.account_filter.itemIcon(i).isNull() for i in range(1, 4))

    qtbot.waitUntil(lambda: len(timeline._accounts) == 3, timeout=WAIT)
    timeline.add_menu.aboutToShow.emit()
    entries = [a.text() for a in timeline.add_menu.actions()][1:]
    assert entries[:2] == shown[:2]
    timeline.add_menu.actions()[2].trigger()  # the Bluesky twin's home, as a column
    column = timeline.columns()[-1]
    assert column.title.text() == f"<b>Home of {account_title(twins[1])}</b>"
    QApplication.processEvents()
