"""Adding accounts through the dialogs, with the real AccountService and SDKs talking HTTP to
the sandbox servers on 127.0.0.1."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Network
from paris_desk.services.accounts import AccountService
from paris_desk.services.workers import TaskManager
from paris_desk.store.keychain import account_key
from paris_desk.ui.accounts.dialogs import BlueskyAccountDialog, MastodonAccountDialog
from paris_desk.ui.accounts.panel import AccountsPanel

NBSP = "\u00a0"
SIGN_IN_TIMEOUT_MS = 15000


@pytest.fixture
def panel(qtbot: QtBot, tasks: TaskManager, service: AccountService) -> AccountsPanel:
    widget = AccountsPanel(tasks, service)
    qtbot.addWidget(widget)
    return widget


class BrowserStub(QObject):
    """Receives what QDesktopServices.openUrl would give the system browser."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


@pytest.fixture
def browser() -> Any:
    stub = BrowserStub()
    for scheme in ("http", "https"):
        QDesktopServices.setUrlHandler(scheme, stub, "open")
    yield stub
    for scheme in ("http", "https"):
        QDesktopServices.unsetUrlHandler(scheme)


def test_bluesky_dialog_adds_the_account(
    qtbot: QtBot, panel: AccountsPanel, service: AccountService, bluesky_sandbox: Any
) -> None:
    city = bluesky_sandbox.accounts[0]
    dialog = panel.add_bluesky()
    assert isinstance(dialog, BlueskyAccountDialog)
    dialog.identifier_edit.setText(city["handle"])
    dialog.password_edit.setText(city["password"])
    dialog.server_edit.setText(bluesky_sandbox.base_url)
    dialog.label_edit.setText("Mairie (Bluesky)")
    dialog.color_button.set_color("#8250df")
    with qtbot.waitSignal(dialog.account_added, timeout=SIGN_IN_TIMEOUT_MS) as blocker:
        dialog.sign_in_button.click()
    account = blocker.args[0]
    assert account.network is Network.BLUESKY
    assert account.handle == city["handle"]
    assert panel.model.ids() == [account.id]
    assert panel.selected() == account
    stored = service.get(account.id)
    assert (stored.label, stored.color) == ("Mairie (Bluesky)", "#8250df")
    secret = service.keychain.get(account_key(account.id))
    assert secret and city["password"] not in secret  # a session is kept, not the password
    assert not dialog.isVisible()


def test_bluesky_wrong_password_is_explained_in_the_dialog(
    qtbot: QtBot, french: object, panel: AccountsPanel, bluesky_sandbox: Any
) -> None:
    dialog = panel.add_bluesky()
    dialog.identifier_edit.setText(bluesky_sandbox.accounts[0]["handle"])
    dialog.password_edit.setText("aaaa-bbbb-cccc-dddd")
    dialog.server_edit.setText(bluesky_sandbox.base_url)
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: dialog.sign_in_button.isEnabled(), timeout=SIGN_IN_TIMEOUT_MS)
    assert dialog.status.text().startswith("Identifiant ou mot de passe refusé.")
    assert dialog.isVisible()
    assert panel.model.rowCount() == 0


def test_bluesky_email_code_is_asked_for_then_used(
    qtbot: QtBot, french: object, panel: AccountsPanel, bluesky_sandbox: Any
) -> None:
    city = bluesky_sandbox.accounts[1]
    bluesky_sandbox.require_auth_factor(city["handle"], "2FA-CODE")
    dialog = panel.add_bluesky()
    dialog.identifier_edit.setText(city["handle"])
    dialog.password_edit.setText(city["main_password"])
    dialog.server_edit.setText(bluesky_sandbox.base_url)
    assert not dialog.code_edit.isVisibleTo(dialog)
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: dialog.code_edit.isVisibleTo(dialog), timeout=SIGN_IN_TIMEOUT_MS)
    assert dialog.status.text() == (
        f"Un code de connexion a été envoyé à l'adresse e-mail du compte{NBSP}: "
        "saisissez-le pour continuer."
    )
    dialog.code_edit.setText("2FA-CODE")
    with qtbot.waitSignal(dialog.account_added, timeout=SIGN_IN_TIMEOUT_MS):
        dialog.sign_in_button.click()
    assert panel.model.rowCount() == 1


def test_mastodon_token_tab_adds_the_account(
    qtbot: QtBot, panel: AccountsPanel, service: AccountService, mastodon_sandbox: Any
) -> None:
    city = mastodon_sandbox.accounts[0]
    dialog = panel.add_mastodon()
    assert isinstance(dialog, MastodonAccountDialog)
    dialog.instance_edit.setText(mastodon_sandbox.base_url)
    dialog.tabs.setCurrentIndex(1)
    dialog.token_edit.setText(city["access_token"])
    with qtbot.waitSignal(dialog.account_added, timeout=SIGN_IN_TIMEOUT_MS) as blocker:
        dialog.token_button.click()
    account = blocker.args[0]
    assert account.network is Network.MASTODON
    assert panel.model.ids() == [account.id]
    assert service.keychain.get(account_key(account.id)) == city["access_token"]


def test_mastodon_browser_sign_in_completes_when_the_browser_comes_back(
    qtbot: QtBot,
    panel: AccountsPanel,
    service: AccountService,
    mastodon_sandbox: Any,
    browser: BrowserStub,
) -> None:
    acct = mastodon_sandbox.accounts[1]["acct"]
    dialog = panel.add_mastodon()
    dialog.instance_edit.setText(mastodon_sandbox.base_url)
    dialog.browser_button.click()
    qtbot.waitUntil(lambda: bool(browser.urls), timeout=SIGN_IN_TIMEOUT_MS)
    assert "/oauth/authorize?" in browser.urls[0]
    with qtbot.waitSignal(dialog.account_added, timeout=SIGN_IN_TIMEOUT_MS) as blocker:
        # The user approves in the browser; the sandbox redirects to our loopback catcher.
        urllib.request.urlopen(f"{browser.urls[0]}&sandbox_auto_approve={acct}", timeout=10)  # noqa: S310 - 127.0.0.1
    assert blocker.args[0].handle.lstrip("@").startswith(acct.split("@")[0])
    assert [a.id for a in service.list()] == [blocker.args[0].id]


def test_mastodon_pasted_code_completes_the_sign_in(
    qtbot: QtBot,
    panel: AccountsPanel,
    mastodon_sandbox: Any,
    browser: BrowserStub,
) -> None:
    acct = mastodon_sandbox.accounts[0]["acct"]
    dialog = panel.add_mastodon()
    dialog.instance_edit.setText(mastodon_sandbox.base_url)
    dialog.browser_button.click()
    qtbot.waitUntil(lambda: dialog.code_button.isEnabled(), timeout=SIGN_IN_TIMEOUT_MS)
    code = _approve_without_redirect(browser.urls[0], acct)
    dialog.code_edit.setText(code)
    with qtbot.waitSignal(dialog.account_added, timeout=SIGN_IN_TIMEOUT_MS):
        dialog.code_button.click()
    assert panel.model.rowCount() == 1


def _approve_without_redirect(url: str, acct: str) -> str:
    """Approve in the "browser" but stop at the redirect, as when it never reaches us."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(f"{url}&sandbox_auto_approve={acct}", timeout=10)
    except urllib.error.HTTPError as redirect:
        location = redirect.headers["Location"]
    else:
        raise AssertionError("the sandbox did not redirect")
    return urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)["code"][0]


def test_cancelling_a_browser_sign_in_stops_listening(
    qtbot: QtBot,
    panel: AccountsPanel,
    service: AccountService,
    mastodon_sandbox: Any,
    browser: BrowserStub,
) -> None:
    acct = mastodon_sandbox.accounts[0]["acct"]
    dialog = panel.add_mastodon()
    dialog.instance_edit.setText(mastodon_sandbox.base_url)
    dialog.browser_button.click()
    qtbot.waitUntil(lambda: dialog.code_button.isEnabled(), timeout=SIGN_IN_TIMEOUT_MS)
    dialog.reject()  # cancels on a worker

    def approve_late() -> None:
        urllib.request.urlopen(f"{browser.urls[0]}&sandbox_auto_approve={acct}", timeout=10)  # noqa: S310 - 127.0.0.1

    # Approving afterwards reaches nobody: the loopback listener is closed.
    qtbot.waitUntil(lambda: _fails(approve_late), timeout=3000)
    assert service.list() == []
    assert panel.model.rowCount() == 0


def _fails(action: Any) -> bool:
    try:
        action()
    except OSError:  # refused or reset: URLError, ConnectionResetError
        return True
    return False
