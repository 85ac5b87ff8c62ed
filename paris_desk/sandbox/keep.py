"""What the city accounts did on the sandbox servers, kept across restarts.

The servers live in memory and are seeded afresh at every start (the same data for the same
seed and anchor). ``changes(boxes)`` says what the city accounts changed since the seed: on
Mastodon, the posts they liked or boosted (or stopped liking or boosting); on Bluesky, the
records they created or deleted in their repositories (likes, reposts, follows, posts without
images). ``apply(boxes, changes)`` does it again on freshly seeded servers. Plain JSON-able
data: the caller stores it (the app, in the sandbox profile).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from paris_desk.sandbox.bluesky.xrpc import parse_datetime

if TYPE_CHECKING:
    from paris_desk.sandbox.bluesky import BlueskySandbox
    from paris_desk.sandbox.mastodon import MastodonSandbox
    from paris_desk.sandbox.serve import Sandboxes

log = logging.getLogger(__name__)
VERSION = 1


def seeded(boxes: Sandboxes) -> None:
    """Note the seed's state (call right after the servers start, before any request)."""
    boxes.mastodon.seed_marks = _mastodon_marks(boxes.mastodon)  # type: ignore[attr-defined]
    boxes.bluesky.seed_uris = _bluesky_uris(boxes.bluesky)  # type: ignore[attr-defined]


def changes(boxes: Sandboxes) -> dict[str, Any]:
    return {"version": VERSION, "mastodon": _mastodon_changes(boxes.mastodon),
            "bluesky": _bluesky_changes(boxes.bluesky)}


def apply(boxes: Sandboxes, kept: dict[str, Any]) -> None:
    if kept.get("version") != VERSION:
        return
    with boxes.mastodon.lock:
        _mastodon_apply(boxes.mastodon, kept.get("mastodon") or {})
    with boxes.bluesky.lock:
        _bluesky_apply(boxes.bluesky, kept.get("bluesky") or {})


# -- Mastodon: likes and boosts of the city accounts ---------------------------------------

def _city_ids(server: MastodonSandbox) -> list[str]:
    return [server.account_id(a["acct"]) for a in server.accounts]


def _mastodon_marks(server: MastodonSandbox) -> set[tuple[str, str, str]]:
    """(what, account id, status id) for every like and boost of a city account."""
    city = set(_city_ids(server))
    marks: set[tuple[str, str, str]] = set()
    with server.lock:
        for st in server.statuses.values():
            if st.deleted:
                continue
            marks |= {("favourite", a, st.id) for a in st.favourited_by & city}
            marks |= {("reblog", a, st.id) for a in st.reblogged_by & city}
    return marks


def _mastodon_changes(server: MastodonSandbox) -> dict[str, list[list[str]]]:
    before = getattr(server, "seed_marks", set())
    now = _mastodon_marks(server)
    return {"added": sorted(map(list, now - before)), "removed": sorted(map(list, before - now))}


def _mastodon_apply(server: MastodonSandbox, kept: dict[str, list[list[str]]]) -> None:
    for what, account_id, status_id in kept.get("added", []):
        account, st = server.users.get(account_id), server.statuses.get(status_id)
        if account is None or st is None or st.deleted:
            continue
        if what == "favourite":
            server.favourite(account, st)
        elif what == "reblog":
            server.create_reblog(account, st)
    for what, account_id, status_id in kept.get("removed", []):
        st = server.statuses.get(status_id)
        if st is None:
            continue
        if what == "favourite":
            st.favourited_by.discard(account_id)
        elif what == "reblog":
            for boost in list(server.statuses.values()):
                if boost.reblog_of == st.id and boost.account_id == account_id:
                    server.remove_status(boost)


# -- Bluesky: the city accounts' records ---------------------------------------------------

def _city_dids(server: BlueskySandbox) -> list[str]:
    return [a["did"] for a in server.accounts]


def _bluesky_uris(server: BlueskySandbox) -> set[str]:
    with server.lock:
        return {record.uri for did in _city_dids(server)
                for records in server.state.repos.get(did, {}).values()
                for record in records.values()}


def _has_blob(value: Any) -> bool:
    if isinstance(value, dict):
        return value.get("$type") == "blob" or any(_has_blob(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_blob(v) for v in value)
    return False


def _bluesky_changes(server: BlueskySandbox) -> dict[str, list[Any]]:
    before = getattr(server, "seed_uris", set())
    created, now = [], set()
    with server.lock:
        for did in _city_dids(server):
            for collection, records in server.state.repos.get(did, {}).items():
                for rkey, record in records.items():
                    now.add(record.uri)
                    if record.uri not in before and not _has_blob(record.value):
                        created.append({"did": did, "collection": collection, "rkey": rkey,
                                        "value": record.value,
                                        "at": record.indexed_at.isoformat()})
    return {"created": created, "deleted": sorted(before - now)}


def _bluesky_apply(server: BlueskySandbox, kept: dict[str, list[Any]]) -> None:
    state = server.state
    for uri in kept.get("deleted", []):
        record = state.by_uri.get(uri)
        if record is not None:
            state.delete(record.did, record.collection, record.rkey)
    for item in kept.get("created", []):
        if item["rkey"] in state.collection(item["did"], item["collection"]):
            continue
        try:
            state.create(item["did"], item["collection"], item["rkey"], item["value"],
                         parse_datetime(item["at"]))
        except Exception:  # noqa: BLE001 - one record the new seed refuses: skip it
            log.info("sandbox: a kept %s record was not restored", item["collection"])
