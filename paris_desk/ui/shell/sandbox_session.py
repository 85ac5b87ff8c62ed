"""Starting the sandbox servers in-process and registering their accounts in the sandbox profile.

Blocking functions, for a worker thread. The sandbox ports change at every start, so the
accounts are added again each time (adding replaces an account with the same id, keeping its
label and colour) and accounts left over from an earlier run are removed.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from paris_desk.core.errors import ParisDeskError
from paris_desk.core.model import Account
from paris_desk.ui.color_button import suggested_color

if TYPE_CHECKING:
    from paris_desk.sandbox.serve import Sandboxes
    from paris_desk.services.accounts import AccountService

log = logging.getLogger(__name__)


def start(service: AccountService, seed: int = 0) -> Sandboxes:
    """Start both sandbox servers on free ports and register their accounts."""
    from paris_desk.sandbox.serve import start_sandboxes

    boxes = start_sandboxes(mastodon_port=0, bluesky_port=0, latency_ms=0, seed=seed)
    try:
        register_accounts(service, boxes)
    except BaseException:
        boxes.stop()
        raise
    return boxes


def register_accounts(service: AccountService, boxes: Sandboxes) -> list[Account]:
    """Add every sandbox account to ``service``; remove the sandbox profile's other accounts.

    New accounts get the colour of their position; accounts seen before keep their label and
    colour (Mastodon sandbox ids include the port, so those are new at each start).
    """
    known = {account.id for account in service.list()}
    added: list[Account] = [
        service.add_mastodon_token(boxes.mastodon.base_url, item["access_token"])
        for item in boxes.mastodon.accounts
    ]
    added += [
        service.add_bluesky(item["handle"], item["password"], service=boxes.bluesky.base_url)
        for item in boxes.bluesky.accounts
    ]
    for position, account in enumerate(added):
        if account.id not in known:
            added[position] = service.update(account.id, color=suggested_color(position))
    current = [account.id for account in added]
    for stale in service.list():
        if stale.id not in current:
            try:
                service.remove(stale.id)
            except ParisDeskError as exc:
                log.warning("could not remove stale sandbox account %s: %s", stale.handle, exc)
    added = service.reorder(current)  # the same order at every start
    log.info("sandbox ready: %d accounts", len(added))
    return added
