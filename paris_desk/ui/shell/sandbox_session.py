"""Starting the sandbox servers in-process and registering their accounts in the sandbox profile.

Blocking functions, for a worker thread. The sandbox profile keeps its state like any other:
``sandbox.json`` in it remembers the ports and the moment the sample data was made for, so a
restart serves the same data with the same ids and URLs, and the accounts, their columns, the
handled notifications stay what they were. Only when a port is taken by another program does
the server move, and then its account is registered anew (adding replaces an account with the
same id, keeping its label and colour) and the one left over is removed.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paris_desk.core.errors import ParisDeskError
from paris_desk.core.model import Account
from paris_desk.ui.color_button import suggested_color

if TYPE_CHECKING:
    from paris_desk.sandbox.serve import Sandboxes
    from paris_desk.services.accounts import AccountService

log = logging.getLogger(__name__)


STATE_FILE = "sandbox.json"
ACTIONS_FILE = "sandbox_actions.json"  # what the accounts did on the servers (sandbox.keep)


def start(service: AccountService, seed: int = 0) -> Sandboxes:
    """Start both sandbox servers (on the ports of the last start when they are free) and
    register their accounts."""
    from paris_desk.sandbox.serve import start_sandboxes

    path = service.profile.root / STATE_FILE
    saved = _read_state(path)
    anchor = _anchor(saved) or datetime.now(UTC).replace(microsecond=0)
    ports = (int(saved.get("mastodon_port", 0)), int(saved.get("bluesky_port", 0)))
    try:
        boxes = start_sandboxes(*ports, latency_ms=0, seed=seed, anchor=anchor)
    except OSError as exc:  # a port taken meanwhile: any free one (the accounts move)
        log.info("sandbox ports %s not free (%s): new ones", ports, exc)
        boxes = start_sandboxes(0, 0, latency_ms=0, seed=seed, anchor=anchor)
    try:
        _restore_actions(boxes, service.profile.root / ACTIONS_FILE)
        register_accounts(service, boxes)
        _write_state(path, {"mastodon_port": boxes.mastodon.port,
                            "bluesky_port": boxes.bluesky.port,
                            "anchor": anchor.isoformat(), "seed": seed})
    except BaseException:
        boxes.stop()
        raise
    return boxes


def _restore_actions(boxes: Sandboxes, path: Path) -> None:
    """What the accounts did on the servers last time (likes, boosts, reposts…), done again
    on the freshly seeded servers; saved again when they stop."""
    from paris_desk.sandbox import keep

    keep.seeded(boxes)
    kept = _read_state(path)
    if kept:
        keep.apply(boxes, kept)

    def save() -> None:
        try:
            _write_state(path, keep.changes(boxes))
        except OSError as exc:
            log.warning("sandbox actions not saved: %s", exc)

    boxes.before_stop.append(save)


def _read_state(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("sandbox state unreadable, starting afresh: %s", exc)
        return {}
    return data if isinstance(data, dict) else {}


def _anchor(saved: dict[str, Any]) -> datetime | None:
    try:
        anchor = datetime.fromisoformat(str(saved["anchor"]))
    except (KeyError, ValueError):
        return None
    return anchor if anchor.tzinfo is not None else anchor.replace(tzinfo=UTC)


def _write_state(path: Path, state: dict[str, Any]) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(state, indent=2), encoding="utf-8")
    temporary.replace(path)


def register_accounts(service: AccountService, boxes: Sandboxes) -> list[Account]:
    """Add every sandbox account to ``service``; remove the sandbox profile's other accounts.

    New accounts get the colour of their position; accounts seen before keep their label and
    colour (Mastodon sandbox ids include the port: new when the port had to change).
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
