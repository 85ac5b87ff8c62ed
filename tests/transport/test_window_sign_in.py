"""Adding a Mastodon account in the window, to a server whose certificate the workstation does
not trust: the dialog says which certificate problem, who issued it, and what IT must do."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from tls_rig import CA_NAME

from paris_desk.services.accounts import AccountService
from paris_desk.services.api import Profile
from paris_desk.services.workers import TaskManager
from paris_desk.ui import i18n
from paris_desk.ui.accounts.panel import AccountsPanel

NBSP = "\u00a0"


@pytest.fixture
def french_panel(qtbot: QtBot, qapp: QApplication) -> Iterator[AccountsPanel]:
    previous = QLocale()
    translators = i18n.install_translators(qapp, "fr")
    tasks = TaskManager()
    service = AccountService(Profile.default())
    panel = AccountsPanel(tasks, service)
    qtbot.addWidget(panel)
    yield panel
    tasks.shutdown()
    service.close()
    for translator in translators:
        QCoreApplication.removeTranslator(translator)
    QLocale.setDefault(previous)


def test_the_dialog_names_the_unknown_authority(
    qtbot: QtBot, french_panel: AccountsPanel, tls_front: Any, mastodon_sandbox: Any
) -> None:
    dialog = french_panel.add_mastodon()
    dialog.instance_edit.setText(tls_front.base_url)
    dialog.tabs.setCurrentIndex(1)
    dialog.token_edit.setText(mastodon_sandbox.accounts[0]["access_token"])

    dialog.token_button.click()
    qtbot.waitUntil(lambda: dialog.token_button.isEnabled(), timeout=15000)

    assert dialog.status.text() == (
        "Le certificat du serveur n'est pas reconnu "
        f"(autorité inconnue{NBSP}: {CA_NAME}){NBSP}; paris_desk a refusé la connexion à "
        "127.0.0.1. Si votre service informatique utilise son propre certificat, il doit être "
        "installé dans le magasin de certificats du système."
    )
    assert dialog.isVisible()
    assert french_panel.model.rowCount() == 0
