"""The window, given the address of a web site instead of a Mastodon instance (issue 13)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from traps import Trap

from paris_desk.services.accounts import AccountService
from paris_desk.services.workers import TaskManager
from paris_desk.ui.accounts.panel import AccountsPanel

WEB_PAGE = b"<!doctype html><html><body>Bienvenue sur le site de la mairie</body></html>"


@pytest.fixture
def panel(qtbot: QtBot, tasks: TaskManager, service: AccountService) -> AccountsPanel:
    widget = AccountsPanel(tasks, service)
    qtbot.addWidget(widget)
    return widget


def test_a_web_site_is_not_a_mastodon_server(
    qtbot: QtBot, french: object, panel: AccountsPanel
) -> None:
    with Trap(200, {"Content-Type": "text/html"}, WEB_PAGE) as site:
        dialog = panel.add_mastodon()
        dialog.instance_edit.setText(site.url)
        dialog.tabs.setCurrentIndex(1)
        dialog.token_edit.setText("jeton")
        dialog.token_button.click()
        qtbot.waitUntil(lambda: dialog.token_button.isEnabled(), timeout=15000)
    assert dialog.status.text().startswith(
        "Cette adresse répond par une page web : ce n’est pas un serveur Mastodon."
    )
