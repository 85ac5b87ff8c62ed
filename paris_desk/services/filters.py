"""Keyword filters: kept in the profile, synced to the accounts' servers, applied to items.

Blocking and Qt-free. ``add`` and ``remove`` change the profile only; ``sync`` then brings each
account's server in line (the window and the CLI call it right after, and at start):

- a word filter that applies to an account and is not on its server yet is created there
  (Mastodon filters v2 with the contexts home, notifications and thread; Bluesky muted words);
  one already there with the same text is adopted rather than doubled;
- a filter removed here is deleted from every server that holds it (a server that cannot be
  reached keeps it listed as removed until a later sync succeeds);
- what a server holds that the app does not know (a filter made on a phone) shows up here: it
  joins the filter with the same text and action, or becomes a new filter for that account;
- a linked filter that vanished from a server (deleted elsewhere) is made again: the app's list
  is the city's policy. Regular expressions stay local (neither server keeps them).

``judge``/``judge_posts``/``judge_items`` give each item its ``Verdict`` (None: not filtered).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from paris_desk.core.errors import ParisDeskError
from paris_desk.core.filters import (
    Filter,
    FilterAction,
    Matcher,
    RemoteFilter,
    SupportsFilterSync,
    Verdict,
    fold,
    validate,
)
from paris_desk.services.audit import AuditTrail, record
from paris_desk.services.executors import Executors, fan_out

if TYPE_CHECKING:
    from paris_desk.core.channel import Channel
    from paris_desk.core.model import Account, Post
    from paris_desk.services.inbox import InboxItem
    from paris_desk.store.filters import FilterStore
    from paris_desk.store.team.filters import TeamFilterStore

log = logging.getLogger(__name__)

UNSUPPORTED = "unsupported"

SyncState = bool | str  # True: on the server; False: not (yet); "unsupported"


class AccountSource(Protocol):
    def list(self) -> list[Account]: ...

    def channel(self, account_id: str) -> Channel: ...


@dataclass(frozen=True, slots=True)
class FilterState:
    """A filter with, for each account it applies to, whether that account's server has it."""

    filter: Filter
    synced: dict[str, SyncState]


class FilterService:
    def __init__(self, accounts: AccountSource, store: FilterStore | TeamFilterStore, *,
                 executors: Executors | None = None, audit: AuditTrail | None = None) -> None:
        self._accounts = accounts
        self._audit = audit  # team mode: each change is a "filter" row of the audit log
        self._store = store
        self._executors = executors  # the process's network pool (the Desk's)
        self._lock = threading.RLock()
        self._matcher: Matcher | None = None
        self._matched: list[Filter] = []  # the filters ``_matcher`` was built from

    # -- the list ----------------------------------------------------------------------------
    def list(self) -> list[Filter]:
        return self._store.list()

    def states(self) -> list[FilterState]:
        """Every filter with its sync state, from what the profile knows (no network)."""
        links = self._store.links()
        account_ids = [a.id for a in self._accounts.list()]
        states = []
        for f in self._store.list():
            synced: dict[str, SyncState] = {}
            for account_id in account_ids:
                if f.applies_to((account_id,)):
                    synced[account_id] = (
                        UNSUPPORTED if not self._syncable(f, account_id)
                        else (f.id, account_id) in links
                    )
            states.append(FilterState(f, synced))
        return states

    def add(self, text: str, *, regex: bool = False, accounts: Sequence[str] = (),
            action: FilterAction = FilterAction.WARN) -> Filter:
        """A new filter, in the profile only (``sync`` takes it to the servers);
        ``InvalidFilter`` when ``text`` cannot be used."""
        f = Filter(uuid.uuid4().hex[:12], validate(text, regex), regex,
                   tuple(dict.fromkeys(accounts)), action)
        with self._lock:
            self._store.save(f)
            self._matcher = None
        log.info("filter %s added (%s, %d accounts)", f.id, f.action.value, len(f.accounts))
        record(self._audit, "filter", account=", ".join(f.accounts),
               detail=f"added {f.id} ({f.action.value}): {f.text}")
        return f

    def remove(self, filter_id: str) -> bool:
        """Remove it here (``sync`` deletes the servers' copies); False if unknown."""
        with self._lock:
            gone = self._store.get(filter_id)
            removed = self._store.mark_removed(filter_id)
            self._matcher = None
        if removed and gone is not None:
            record(self._audit, "filter", account=", ".join(gone.accounts),
                   detail=f"removed {gone.id} ({gone.action.value}): {gone.text}")
        return removed

    # -- verdicts ----------------------------------------------------------------------------
    def matcher(self) -> Matcher:
        """The filters as stored now: read again at each call (one query), since another
        process (the CLI, a colleague's workstation in team mode) may have changed them; the
        compiled matcher is kept while they are the same. The window calls this on its
        database thread when it refreshes."""
        filters = self._store.list()
        with self._lock:
            if self._matcher is None or self._matched != filters:
                self._matcher, self._matched = Matcher(filters), filters
            return self._matcher

    def _current(self) -> Matcher:
        """The matcher last read (read once if none): for verdicts on many items in a row."""
        with self._lock:
            matcher = self._matcher
        return matcher if matcher is not None else self.matcher()

    def judge(self, post: Post | None, account_ids: Iterable[str]) -> Verdict | None:
        return self._current().verdict(post, account_ids)

    def judge_posts(self, posts: Iterable[Post]) -> list[Verdict | None]:
        """One verdict per timeline post (it applies through any account in ``seen_by``)."""
        matcher = self.matcher()
        return [matcher.verdict(p, p.seen_by or (p.origin_account,)) for p in posts]

    def judge_items(self, items: Iterable[InboxItem]) -> list[Verdict | None]:
        """One verdict per inbox item (its post, for the account it was for)."""
        matcher = self.matcher()
        return [matcher.verdict(item.post, (item.account_id,)) for item in items]

    # -- the servers -------------------------------------------------------------------------
    def sync(self, account_ids: Sequence[str] | None = None) -> dict[str, ParisDeskError]:
        """Bring the servers of ``account_ids`` (None: every account) in line with the profile
        and take in what they hold; returns the failures by account (the others are synced)."""
        if account_ids is None:
            account_ids = [a.id for a in self._accounts.list()]
        failures: dict[str, ParisDeskError] = {}
        channels: dict[str, SupportsFilterSync] = {}
        for account_id in account_ids:
            try:
                channel = self._accounts.channel(account_id)
            except ParisDeskError as exc:
                failures[account_id] = exc
                continue
            if isinstance(channel, SupportsFilterSync):
                channels[account_id] = channel
        remote = self._read_all(channels, failures)
        with self._lock:
            for account_id, held in remote.items():
                try:
                    self._reconcile(account_id, channels[account_id], held)
                except ParisDeskError as exc:
                    log.info("filters of %s not synced: %s", account_id, type(exc).__name__)
                    failures[account_id] = exc
            self._store.purge()
            self._matcher = None
        return failures

    def _read_all(self, channels: dict[str, SupportsFilterSync],
                  failures: dict[str, ParisDeskError]) -> dict[str, list[RemoteFilter]]:
        if not channels:
            return {}
        remote: dict[str, list[RemoteFilter]] = {}
        ids = list(channels)
        futures = fan_out(self._executors, lambda a: channels[a].server_filters(), ids)
        for account_id, future in zip(ids, futures, strict=True):
            try:
                remote[account_id] = future.result()
            except ParisDeskError as exc:
                failures[account_id] = exc
        return remote

    def _reconcile(self, account_id: str, channel: SupportsFilterSync,
                   held: list[RemoteFilter]) -> None:
        links = {fid: rid for (fid, acc), rid in self._store.links([account_id]).items()}
        by_id = {r.remote_id: r for r in held}
        # 1. removed here, or no longer for this account: delete the server's copy.
        wanted = {f.id: f for f in self._store.list()
                  if f.applies_to((account_id,)) and not f.regex}
        for filter_id, remote_id in list(links.items()):
            if filter_id not in wanted:
                channel.remove_server_filter(remote_id)
                self._store.unlink(filter_id, account_id)
                by_id.pop(remote_id, None)
                del links[filter_id]
        # 2. wanted here and not on the server (new, or deleted elsewhere): adopt or create.
        linked = set(links.values()) & set(by_id)
        for f in wanted.values():
            if links.get(f.id) in by_id:
                continue
            same = next((r for r in by_id.values() if r.remote_id not in linked
                         and fold(r.text) == fold(f.text)), None)
            made = same or channel.add_server_filter(f.text, f.action)
            self._store.link(f.id, account_id, made.remote_id)
            linked.add(made.remote_id)
        # 3. on the server and unknown here: take it in.
        for r in by_id.values():
            if r.remote_id not in linked:
                self._take_in(account_id, r)

    def _take_in(self, account_id: str, r: RemoteFilter) -> None:
        kin = next((f for f in self._store.list() if not f.regex and f.action is r.action
                    and fold(f.text) == fold(r.text)), None)
        if kin is not None and (kin.id, account_id) in self._store.links([account_id]):
            log.debug("filter %s: a second copy on the server of %s is left alone", kin.id,
                      account_id)
            return
        if kin is None:
            kin = Filter(uuid.uuid4().hex[:12], r.text, False, (account_id,), r.action)
        elif kin.accounts and account_id not in kin.accounts:
            kin = replace(kin, accounts=(*kin.accounts, account_id))
        self._store.save(kin)
        self._store.link(kin.id, account_id, r.remote_id)
        log.info("filter %s taken in from the server of %s", kin.id, account_id)

    def _syncable(self, f: Filter, account_id: str) -> bool:
        if f.regex:
            return False
        try:
            channel = self._accounts.channel(account_id)
        except ParisDeskError:
            return True  # it would be, once signed in again
        return isinstance(channel, SupportsFilterSync)
