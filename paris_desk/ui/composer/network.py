"""What the composer asks the network while the user types (never on the GUI thread): the link
card of the first link, and whether each @mentioned Bluesky handle exists.

Both run after a pause in typing; results that no longer match the text are dropped. A handle
that does not resolve is flagged before sending (the adapter would leave it as plain text).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from paris_desk.core.model import Account, Draft, Network
from paris_desk.services import composition
from paris_desk.services.accounts import AccountService
from paris_desk.services.composition import Rules
from paris_desk.services.linkcard import FetchedCard, fetch_card
from paris_desk.services.workers import TaskManager
from paris_desk.ui.composer.card import LinkCardPreview


class NetworkSide(QObject):
    changed = Signal()  # mention results arrived: recount the findings

    def __init__(self, tasks: TaskManager, accounts: AccountService, preview: LinkCardPreview,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._accounts = accounts
        self.preview = preview
        self.handles: dict[str, str | None] = {}  # handle -> DID, None when unknown
        self.resolving: set[str] = set()

    def unknown_handles(self, draft: Draft) -> list[str]:
        return [h for h in composition.mentioned_handles(draft)
                if h in self.handles and self.handles[h] is None]

    def check(self, draft: Draft, bluesky: tuple[Account, Rules] | None,
              dismissed: str) -> None:
        """Fetch the card and resolve the mentions ``draft`` needs on ``bluesky``'s account."""
        if bluesky is None or draft.batch_id:
            self.preview.clear()
            return
        account, rules = bluesky
        self._resolve(draft, account)
        url = composition.first_link(composition.text_for(draft, Network.BLUESKY))
        if not url or url == dismissed:
            self.preview.clear()
        elif url != self.preview.url:
            self._fetch(url, rules, bool(draft.images))

    def card_for(self, dismissed: str) -> FetchedCard | None:
        card = self.preview.card
        return card if card is not None and card.card.url != dismissed else None

    def _fetch(self, url: str, rules: Rules, has_images: bool) -> None:
        self.preview.show_loading(url)
        limits = rules.limits

        def done(fetched: FetchedCard) -> None:
            if self.preview.url == url:
                self.preview.show_card(fetched, has_images)

        def failed(_exc: Exception) -> None:
            if self.preview.url == url:
                self.preview.show_failed(url)

        self._tasks.run(lambda: fetch_card(url, limits), done, failed)

    def _resolve(self, draft: Draft, account: Account) -> None:
        wanted = [h for h in composition.mentioned_handles(draft)
                  if h not in self.handles and h not in self.resolving]
        if not wanted:
            return
        self.resolving.update(wanted)
        service = self._accounts

        def resolve() -> dict[str, str | None]:
            channel = service.channel(account.id)
            if not isinstance(channel, composition.ResolvesHandles):
                return {}
            return {handle: channel.resolve_handle(handle) for handle in wanted}

        def done(found: dict[str, str | None]) -> None:
            self.resolving.difference_update(wanted)
            self.handles.update(found)
            self.changed.emit()

        def failed(_exc: Exception) -> None:
            self.resolving.difference_update(wanted)  # unknown for now: asked again later
            self.changed.emit()

        self._tasks.run(resolve, done, failed)
        self.changed.emit()
