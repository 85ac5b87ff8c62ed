"""Team mode in the window: the team's changes, live (LISTEN/NOTIFY), so a colleague's
"traité" or assignment shows on this screen without a polling loop.

``ChangeThread`` (a QThread, stopped at quit) listens on its own connection
(``TeamService.listen``) and emits each change; ``TeamLive``, in the GUI thread, receives
them queued and asks the inbox to read its state again, once per burst (``SETTLE_MS``).
Nothing here runs in a window that is not in a team.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot

from paris_desk.core.errors import ParisDeskError
from paris_desk.services.api import Profile
from paris_desk.services.team import TeamService

log = logging.getLogger(__name__)

WAIT_S = 0.5  # each wait on the listener: how soon the thread sees a stop request
PAUSE_SLICE_MS = 100
RETRY_MS = 5000  # after the connection failed
SETTLE_MS = 200  # changes within this are one re-read
INBOX_KINDS = frozenset({"handled", "assignment"})


class Listener(Protocol):
    def wait(self, timeout: float) -> list[Any]: ...

    def close(self) -> None: ...


class ChangeThread(QThread):
    changed = Signal(str, object)  # kind, data (dict)
    listening = Signal()  # the listener is in place: changes committed from now on arrive

    def __init__(self, open_listener: Callable[[], Listener], parent: QObject | None = None
                 ) -> None:
        super().__init__(parent)
        self._open = open_listener

    def run(self) -> None:
        listener: Listener | None = None
        while not self.isInterruptionRequested():
            try:
                if listener is None:
                    listener = self._open()
                    self.listening.emit()
                for change in listener.wait(WAIT_S):
                    self.changed.emit(change.kind, change.data)
            except ParisDeskError as exc:
                log.info("team changes paused (%s: %s)", type(exc).__name__, exc)
                listener = self._close(listener)
                self._pause(RETRY_MS)
        self._close(listener)

    def _pause(self, ms: int) -> None:
        """Sleep ``ms`` in short slices: a quit (``stop``) never waits for the whole pause."""
        for _ in range(0, ms, PAUSE_SLICE_MS):
            if self.isInterruptionRequested():
                return
            self.msleep(PAUSE_SLICE_MS)

    @staticmethod
    def _close(listener: Listener | None) -> None:
        if listener is not None:
            try:
                listener.close()
            except ParisDeskError as exc:
                log.info("team listener close failed: %s", exc)

    @Slot()
    def stop(self) -> None:
        self.requestInterruption()
        self.wait()


class TeamLive(QObject):
    """Receives the thread's changes in the GUI thread; ``inbox_changed`` once per burst,
    ``approval_changed`` for each submission or decision (its data: id, state, author)."""

    inbox_changed = Signal()
    approval_changed = Signal(object)

    def __init__(self, thread: ChangeThread, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thread_ = thread
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.inbox_changed)
        thread.changed.connect(self._on_changed)

    @Slot(str, object)
    def _on_changed(self, kind: str, data: object) -> None:
        if kind in INBOX_KINDS:
            self._settle.start()
        elif kind == "approval":
            self.approval_changed.emit(data)

    def start(self) -> None:
        self.thread_.start()

    def stop(self) -> None:
        self.thread_.stop()


def install_team_live(window: QObject, profile: Profile,
                      reread_inbox: Callable[[], None]) -> TeamLive | None:
    """In team mode: listen, and re-read the inbox when a colleague changes it. None when
    the profile is in no team."""
    team = TeamService(profile)
    if team.membership() is None:
        return None
    live = TeamLive(ChangeThread(team.listen), window)
    live.inbox_changed.connect(reread_inbox)
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(live.stop)
    live.start()
    return live
