"""What the windows of one run share: the task manager, the account services, the mode."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from paris_desk.services.desk import Desk
from paris_desk.services.workers import TaskManager
from paris_desk.ui.lifetime import while_alive
from paris_desk.ui.settings.prefs import Settings

if TYPE_CHECKING:
    from paris_desk.services.accounts import AccountService
    from paris_desk.services.outbox import Job

log = logging.getLogger(__name__)


@dataclass
class Session:
    tasks: TaskManager
    accounts: AccountService
    """The accounts shown and used (the sandbox profile's in sandbox mode)."""
    add_accounts: AccountService
    """Where new accounts go. While the app shows the sandbox only because no real account
    exists yet, this is the real profile's service, not ``accounts``."""
    settings_path: Path
    """The real profile's legacy ``settings.json``; its folder holds ``settings.ini``, the
    preferences shared by the real and sandbox modes."""
    language: str = "fr"
    """The language of this run ("fr" or "en")."""
    sandbox: bool = False
    keychain_available: bool = True
    """False when no keychain can hold the secrets of accounts added to ``add_accounts``
    (no OS keychain, outside the explicit sandbox mode): adding is refused."""
    settings: Settings = field(default=None, repr=False)  # type: ignore[assignment]
    """The user's preferences; opened from ``settings_path``'s folder when not given."""
    desk: Desk = field(default=None, repr=False)  # type: ignore[assignment]
    """The application core of the profile shown (over ``accounts``): every action goes
    through it."""

    def __post_init__(self) -> None:
        if self.settings is None:
            self.settings = Settings.open(self.settings_path.parent)
        if self.desk is None:
            self.desk = Desk(self.accounts, executors=self.tasks.executors)
        # The profile is open: the jobs a dead process left SENDING are taken back on the
        # writer thread, before anything sends (the outbox pump's first run queues behind it).
        self.tasks.run_db(self.desk.recover, None, _not_recovered)

    def watch_sent(self, owner: QObject, show: Callable[[list[Job]], None]) -> None:
        """``show(jobs)`` on the GUI thread, while ``owner`` lives, with the jobs each outbox
        run of this process sent: the pump's, an inbox answer's (which also sends the other
        jobs then due, a composer post whose retry came up), any other."""
        deliver = while_alive(owner, show)
        tasks = self.tasks
        stop = self.desk.watch_sent(lambda jobs: tasks.run_on_main(lambda: deliver(jobs)))
        owner.destroyed.connect(lambda *_: stop())

    @property
    def auto_sandbox(self) -> bool:
        """True when the sandbox is shown because no real account is configured."""
        return self.sandbox and self.add_accounts is not self.accounts


def _not_recovered(exc: Exception) -> None:
    """The store refused (busy, damaged): the outbox pump asks again before its first run."""
    log.info("outbox not recovered at start: %s", type(exc).__name__)
