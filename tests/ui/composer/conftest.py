"""The composer on the real services: a Mastodon and a Bluesky sandbox, accounts added through
``AccountService`` as a user would, the real outbox and drafts in the per-test profile."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Account
from paris_desk.services.accounts import AccountService
from paris_desk.store.outbox import Job, JobState
from paris_desk.ui.composer.widget import ComposerWidget
from paris_desk.ui.shell.session import Session


@pytest.fixture
def mastodon_account(service: AccountService, mastodon_sandbox: Any) -> Account:
    ville = mastodon_sandbox.accounts[0]
    return service.add_mastodon_token(mastodon_sandbox.base_url, ville["access_token"],
                                      label="Mairie (Mastodon)", color="#6364ff")


@pytest.fixture
def bluesky_account(service: AccountService, bluesky_sandbox: Any) -> Account:
    ville = bluesky_sandbox.accounts[0]
    return service.add_bluesky(ville["handle"], ville["password"],
                               service=bluesky_sandbox.base_url, label="Mairie (Bluesky)",
                               color="#1185fe")


@pytest.fixture
def both(mastodon_account: Account, bluesky_account: Account) -> tuple[Account, Account]:
    return mastodon_account, bluesky_account


@pytest.fixture
def open_composer(qtbot: QtBot, make_session: Callable[..., Session]
                  ) -> Iterator[Callable[[], ComposerWidget]]:
    """``open_composer()``: a shown composer whose accounts and limits are loaded."""
    made: list[ComposerWidget] = []

    def make() -> ComposerWidget:
        widget = ComposerWidget(make_session())
        qtbot.addWidget(widget)
        widget.resize(1100, 950)
        widget.show()
        widget.reload()
        qtbot.waitUntil(lambda: widget.loaded and widget.rules_loaded, timeout=10_000)
        made.append(widget)
        return widget

    yield make
    for widget in made:  # before the task manager stops
        widget.shutdown()
        widget.close()


@pytest.fixture
def composer(open_composer: Callable[[], ComposerWidget], both: tuple[Account, Account]
             ) -> ComposerWidget:
    return open_composer()


@pytest.fixture
def type_text(qtbot: QtBot) -> Callable[[ComposerWidget, str], None]:
    """Put ``text`` in the common text box and wait for the counters to follow."""

    def put(widget: ComposerWidget, text: str) -> None:
        widget.editor.common.setPlainText(text)
        QApplication.processEvents()
        # The recount is coalesced over 80 ms: wait for it to have run, however long that is.
        qtbot.waitUntil(lambda: not widget._refresh_timer.isActive(), timeout=30_000)

    return put


@pytest.fixture
def wait_jobs(qtbot: QtBot) -> Callable[..., list[Job]]:
    """Wait until every job of the composer's watched batch is in one of ``states``."""

    def wait(widget: ComposerWidget, states: tuple[JobState, ...] = (JobState.SENT,),
             count: int | None = None, timeout: int = 15_000) -> list[Job]:
        def done() -> bool:
            batch = widget.publisher.watched
            jobs = widget.outbox.jobs(batch) if batch else []
            return bool(jobs) and (count is None or len(jobs) == count) and all(
                j.state in states for j in jobs)

        qtbot.waitUntil(done, timeout=timeout)
        return widget.outbox.jobs(widget.publisher.watched)

    return wait
