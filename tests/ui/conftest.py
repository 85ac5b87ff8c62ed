"""Fixtures for the Qt layer: the real AccountService on the per-test profile, a TaskManager,
accounts stored as if added earlier, the whole main window on accounts of both sandboxes, and
the French translators."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from whole_app import add_sandbox_accounts, open_whole_app, tear_down

from paris_desk.core.model import Account, Network
from paris_desk.services import safe_fetch
from paris_desk.services.accounts import AccountService
from paris_desk.services.workers import TaskManager
from paris_desk.store.accounts import AccountStore
from paris_desk.store.keychain import account_key
from paris_desk.store.profile import Profile
from paris_desk.ui import i18n
from paris_desk.ui.avatars import ImageLoader
from paris_desk.ui.shell.main_window import MainWindow
from paris_desk.ui.shell.session import Session

# Closed ports on 127.0.0.1: a stored account's server that refuses connections at once.
DEAD_URL = "http://127.0.0.1:9"


def stored_accounts() -> list[Account]:
    return [
        Account(
            id="mastodon:@ville@paris.example",
            network=Network.MASTODON,
            handle="@ville@paris.example",
            base_url=DEAD_URL,
            label="Mairie",
            color="#d1242f",
        ),
        Account(
            id="bluesky:culture.paris.example",
            network=Network.BLUESKY,
            handle="culture.paris.example",
            base_url=DEAD_URL,
            label="Culture",
            color="#1a7f37",
        ),
        Account(
            id="mastodon:@sport@paris.example",
            network=Network.MASTODON,
            handle="@sport@paris.example",
            base_url=DEAD_URL,
        ),
    ]


@pytest.fixture
def sample_accounts() -> list[Account]:
    """Three accounts (two labelled), not stored anywhere."""
    return stored_accounts()


@pytest.fixture
def service() -> Iterator[AccountService]:
    accounts = AccountService(Profile.default())
    yield accounts
    accounts.close()


@pytest.fixture
def tasks(qapp: QApplication) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()


@pytest.fixture
def seeded(service: AccountService) -> list[Account]:
    """Three accounts in the store with a secret in the (in-memory) keychain."""
    store = AccountStore(service.db)
    saved = []
    for account in stored_accounts():
        service.keychain.set(account_key(account.id), "stored-secret-" + account.id)
        saved.append(store.upsert(account))
    return saved


@pytest.fixture
def make_session(tasks: TaskManager, service: AccountService) -> Callable[..., Session]:
    def make(**changes: object) -> Session:
        values: dict[str, object] = {
            "tasks": tasks,
            "accounts": service,
            "add_accounts": service,
            "settings_path": Profile.default().settings_path,
        }
        values.update(changes)
        return Session(**values)  # type: ignore[arg-type]

    return make


@pytest.fixture
def make_window(qtbot: QtBot, make_session: Callable[..., Session]) -> Callable[..., MainWindow]:
    def make(**changes: object) -> MainWindow:
        window = MainWindow(make_session(**changes))
        qtbot.addWidget(window)
        return window

    return make


@pytest.fixture
def accounts(service: AccountService, mastodon_sandbox: Any, bluesky_sandbox: Any
             ) -> list[Account]:
    """One city account on each sandbox (``whole_app.add_sandbox_accounts``)."""
    return add_sandbox_accounts(service, mastodon_sandbox, bluesky_sandbox)


@pytest.fixture
def window(qtbot: QtBot, make_window: Callable[..., MainWindow], accounts: list[Account]
           ) -> Iterator[MainWindow]:
    """The main window on ``accounts`` as ``app.run`` opens it, shown and active
    (``whole_app.open_whole_app``); torn down while the task manager still runs. A module
    that needs more (rows loaded, a size) overrides it with a ``window(window)`` fixture."""
    made = open_whole_app(qtbot, make_window)
    yield made
    tear_down(made)


@pytest.fixture
def image_loader(request: pytest.FixtureRequest, tasks: TaskManager, tmp_path: Path
                 ) -> Iterator[ImageLoader]:
    """The window's image loader, its disk cache under ``tmp_path / "cache"``. The origins the
    test module trusted (``safe_fetch.trust_origins(__name__, …)``) are forgotten after it."""
    images = ImageLoader(tasks, tmp_path / "cache")
    yield images
    images.shutdown()
    safe_fetch.trust_origins(request.module.__name__, [])


@pytest.fixture
def french(qapp: QApplication) -> Iterator[list[QTranslator]]:
    """The French translators (Qt's and ours) installed for one test."""
    previous_locale = QLocale()
    installed = i18n.install_translators(qapp, "fr")
    assert len(installed) == 3, "qtbase_fr.qm or paris_desk_fr.qm not found"  # + QtGaps
    yield installed
    for translator in installed:
        QCoreApplication.removeTranslator(translator)
    QLocale.setDefault(previous_locale)
