"""Read and "à traiter" state in the inbox: ``InboxView``'s triage, as a mixin.

Reading is per item: selecting an item or group marks it read, and the servers' read watermark
(Mastodon markers, Bluesky ``updateSeen``) moves only over what was seen (``mark_seen``). "Mark
all as read" is its own button (``mark_shown_read``, the accounts shown). e and u toggle
"handled" and "unread"; a change shows at once and is undone when the store refuses it.
``counts_changed`` carries the unread and "à traiter" counts (accounts panel, window title,
tray). Strings keep the ``InboxView`` context (see ``ui.inbox.moderation``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Slot

from paris_desk.services.api import Handled, Handling
from paris_desk.services.inbox import InboxCounts, InboxItem, InboxSnapshot, counts_of
from paris_desk.ui.errors import describe
from paris_desk.ui.timeline.post_text import account_name

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QLabel

    from paris_desk.core.model import Account
    from paris_desk.core.notifications import GroupKey
    from paris_desk.services.inbox import InboxService
    from paris_desk.services.workers import TaskManager
    from paris_desk.ui.inbox.detail import InboxDetail
    from paris_desk.ui.inbox.model import InboxFilterModel, InboxModel
    from paris_desk.ui.shell.tray import InboxTray

log = logging.getLogger(__name__)
translate = QCoreApplication.translate


@dataclass
class _Edit:
    """What the user changed on one item (read, kept unread, handled) while its write is on
    its way: a snapshot read before the write landed must not undo it on screen."""

    changes: dict[str, Any] = field(default_factory=dict)
    pending: int = 0  # writes not finished yet
    landed: int = -1  # the view's request generation when the last one finished


class InboxReading:
    """Needs from the view: its services, models, counts label, the selection and where to
    report."""

    if TYPE_CHECKING:
        service: InboxService
        tasks: TaskManager
        model: InboxModel
        proxy: InboxFilterModel
        detail: InboxDetail
        tray: InboxTray | None
        counts_label: QLabel
        counts_changed: SignalInstance
        error_occurred: SignalInstance
        marked_read: SignalInstance
        _accounts: dict[str, Account]
        _applied: int
        _generation: int
        _edits: dict[GroupKey, _Edit]

        def current_item(self) -> InboxItem | None: ...

        def _apply(self, snapshot: InboxSnapshot, generation: int, *,
                   fresh: bool = False) -> None: ...

        def _name(self, item: InboxItem) -> str: ...

        def _report(self, exc: Exception) -> None: ...

    def mark_seen(self, item: InboxItem) -> None:
        """``item`` was looked at: read here at once, then on its server as far as it can go
        (``InboxService.mark_seen``)."""
        if not item.unread:
            return
        self._update(replace(item, unread=False))
        landed = self._edit(item.key, unread=False)

        def failed(exc: Exception) -> None:
            landed(None)  # read here all the same: only the server's watermark did not move
            log.info("inbox: read state not sent for %s: %s", item.account_id,
                     type(exc).__name__)
            self.error_occurred.emit(describe(exc, self._name(item)))

        self.tasks.run(lambda: self.service.mark_seen(item), landed, failed)

    @Slot()
    def mark_shown_read(self) -> None:
        """"Mark all as read": everything the accounts shown hold, here and on the servers."""
        shown = self.proxy.shown_accounts(self._accounts)

        def done(result: tuple[dict[str, Any], InboxSnapshot]) -> None:
            failures, snapshot = result
            # read after every write that had landed: those changes are in it, or overruled
            self._edits = {key: edit for key, edit in self._edits.items() if edit.pending}
            self._apply(snapshot, self._applied)
            for account_id, exc in failures.items():
                self.error_occurred.emit(describe(exc, account_name(account_id, self._accounts)))
            self.marked_read.emit()

        ids = list(self._accounts)
        self.tasks.run(lambda: (self.service.mark_read(shown), self.service.snapshot(ids)),
                       done, self._report)

    def _counts_changed(self) -> None:
        counts = counts_of(self.model.items())
        self.counts_label.setText(translate(
            "InboxView", "{unread} unread · {todo} to handle").format(
                unread=counts.unread, todo=counts.to_handle))
        if self.tray is not None:
            self.tray.set_counts(counts)
        self.counts_changed.emit(counts)

    def counts(self) -> InboxCounts:
        return counts_of(self.model.items())

    @Slot()
    def toggle_handled(self) -> None:
        item = self.current_item()
        if item is None or not item.group.needs_action:
            return
        handled = item.handled is None
        mark = Handled(Handling.DISMISSED, datetime.now(UTC)) if handled else None
        self._update(replace(item, handled=mark))
        self.tasks.run_db(lambda: self.service.set_handled(item, handled),
                          self._edit(item.key, handled=mark), self._undo_on_error(item))

    @Slot()
    def toggle_unread(self) -> None:
        item = self.current_item()
        if item is None:
            return
        self._update(replace(item, unread=not item.unread))
        self.tasks.run_db(lambda: self.service.set_unread(item, not item.unread),
                          self._edit(item.key, unread=not item.unread),
                          self._undo_on_error(item))

    def _undo_on_error(self, item: InboxItem) -> Callable[[Exception], None]:
        def failed(exc: Exception) -> None:
            self._edits.pop(item.key, None)
            self._update(item)
            self._report(exc)
        return failed

    # -- the user's changes over snapshots ---------------------------------------------------
    def _edit(self, key: GroupKey, **changes: Any) -> Callable[[object], None]:
        """Note a change the user made to the item ``key``, shown already, whose write starts
        now; returns what to call when the write has finished."""
        edit = self._edits.setdefault(key, _Edit())
        edit.changes.update(changes)
        edit.pending += 1

        def landed(_result: object) -> None:
            edit.pending -= 1
            edit.landed = self._generation

        return landed

    def with_edits(self, snapshot: InboxSnapshot, generation: int) -> InboxSnapshot:
        """``snapshot`` (asked for by request ``generation``; 0: the store at start) with the
        user's changes that it may not hold: those whose write had not landed when it was
        asked for. A change is forgotten once a snapshot asked for after it landed is shown."""
        if not self._edits:
            return snapshot
        stale = {key: edit for key, edit in self._edits.items()
                 if edit.pending or generation == 0 or generation <= edit.landed}
        self._edits = stale
        if not stale:
            return snapshot
        items = tuple(replace(i, **stale[i.key].changes) if i.key in stale else i
                      for i in snapshot.items)
        return replace(snapshot, items=items)

    def _update(self, item: InboxItem) -> None:
        self.model.update_item(item)
        self._counts_changed()
        current = self.current_item()
        if current is not None and current.key == item.key:
            self.detail.set_state(item.handled is not None, item.unread)

    def _update_key(self, key: GroupKey, **changes: Any) -> None:
        row = self.model.row_of(key)
        if row >= 0:
            self._update(replace(self.model.item_at(row), **changes))
