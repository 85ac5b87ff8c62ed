"""Attack through the window: an add-account dialog given a plain http:// instance or server
(issue 13). The credential must reach no one (an HTTP proxy trap on loopback sees nothing) and
the dialog says why, in French."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from traps import Trap

from paris_desk.services.accounts import AccountService
from paris_desk.services.workers import TaskManager
from paris_desk.ui.accounts.panel import AccountsPanel

HOSTILE = "http://some-name.test"
REFUSED = "Connexion refusée : http://some-name.test n’est pas chiffré (http://)"
SIGN_IN_TIMEOUT_MS = 15000


@pytest.fixture
def proxy_trap(monkeypatch: pytest.MonkeyPatch) -> Iterator[Trap]:
    with Trap(502) as trap:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            monkeypatch.setenv(name, trap.url)
        for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.delenv(name, raising=False)
        yield trap


@pytest.fixture
def panel(qtbot: QtBot, tasks: TaskManager, service: AccountService) -> AccountsPanel:
    widget = AccountsPanel(tasks, service)
    qtbot.addWidget(widget)
    return widget


def test_mastodon_token_dialog_refuses_plain_http(
    qtbot: QtBot, french: object, panel: AccountsPanel, proxy_trap: Trap
) -> None:
    dialog = panel.add_mastodon()
    dialog.instance_edit.setText(HOSTILE)
    dialog.tabs.setCurrentIndex(1)
    dialog.token_edit.setText("jeton-secret-du-compte-ville")
    dialog.token_button.click()
    qtbot.waitUntil(lambda: dialog.token_button.isEnabled(), timeout=SIGN_IN_TIMEOUT_MS)
    assert dialog.status.text().startswith(REFUSED)
    assert proxy_trap.seen == []
    assert panel.model.rowCount() == 0


def test_bluesky_dialog_refuses_plain_http(
    qtbot: QtBot, french: object, panel: AccountsPanel, proxy_trap: Trap
) -> None:
    dialog = panel.add_bluesky()
    dialog.identifier_edit.setText("ville.sandbox.test")
    dialog.password_edit.setText("aaaa-bbbb-cccc-dddd")
    dialog.server_edit.setText(HOSTILE)
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: dialog.sign_in_button.isEnabled(), timeout=SIGN_IN_TIMEOUT_MS)
    assert dialog.status.text().startswith(REFUSED)
    assert proxy_trap.seen == []
    assert panel.model.rowCount() == 0
