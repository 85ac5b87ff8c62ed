"""Strangers' mentions, "Demandes" (issue 15), to accept or dismiss. Blocking and Qt-free.

- Mastodon 4.3+: the notification requests the server keeps (its policy filtered them out of
  the notifications); accepting and dismissing go to the server.
- Bluesky keeps nothing of the kind: the mentions, replies and quotes of accounts the city
  does not follow (``Notification.from_stranger``) held in the inbox's store make one request
  per sender until the user decides; the decision is kept in the profile
  (``RequestDecisionStore``) and the inbox shows the accepted senders' items.

The accounts are asked in parallel, on the process's network pool (``services.executors``);
one failing never hides the others' requests."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from paris_desk.core.errors import ParisDeskError, Rejected
from paris_desk.core.model import Network
from paris_desk.core.requests import MentionRequest, SupportsRequests
from paris_desk.services.executors import Executors, fan_out

if TYPE_CHECKING:
    from paris_desk.core.channel import Channel
    from paris_desk.core.model import Account, Notification
    from paris_desk.store.requests import RequestDecisionStore

log = logging.getLogger(__name__)

LOCAL = "local:"  # the id prefix of a request kept by this app (Bluesky)
HELD = 200  # notifications per account read from the inbox's store (its window)


class AccountSource(Protocol):
    def list(self) -> list[Account]: ...

    def channel(self, account_id: str) -> Channel: ...


class InboxSource(Protocol):
    """What the inbox's store gives (``store.inbox.InboxStore``): read straight from it, so
    that the inbox service's decoded copies are left as the window holds them."""

    def load(self, account_ids: Sequence[str], limit_per_account: int = ...
             ) -> list[Notification]: ...


@dataclass(frozen=True, slots=True)
class Requests:
    items: tuple[MentionRequest, ...] = ()
    failures: dict[str, ParisDeskError] = field(default_factory=dict)


class RequestService:
    def __init__(self, accounts: AccountSource, decisions: RequestDecisionStore | None = None,
                 inbox: InboxSource | None = None, *, executors: Executors | None = None
                 ) -> None:
        self._accounts = accounts
        self._decisions = decisions
        self._inbox = inbox
        self._executors = executors  # the process's network pool (the Desk's)

    def load(self, account_ids: Sequence[str] | None = None) -> Requests:
        """Every account's pending requests, most recently updated first."""
        ids = list(account_ids) if account_ids is not None else [
            a.id for a in self._accounts.list()]
        found: list[MentionRequest] = []
        failures: dict[str, ParisDeskError] = {}
        if not ids:
            return Requests()
        for account_id, future in zip(ids, fan_out(self._executors, self._one, ids),
                                      strict=True):
            try:
                found += future.result()
            except ParisDeskError as exc:
                failures[account_id] = exc
        found += self._local(ids)
        found.sort(key=lambda r: r.updated_at, reverse=True)
        return Requests(tuple(found), failures)

    def accepted_strangers(self, account_ids: Sequence[str]) -> frozenset[tuple[str, str]]:
        """``(account_id, author_id)`` of the strangers whose mentions join the inbox."""
        if self._decisions is None:
            return frozenset()
        return frozenset(k for k, accepted in self._decisions.decisions(account_ids).items()
                         if accepted)

    def notifications(self, request: MentionRequest) -> list[Notification]:
        if request.id.startswith(LOCAL):
            return self._held(request.account_id).get(request.author.user_id, [])
        return self._control(request.account_id).request_notifications(request)

    def accept(self, request: MentionRequest) -> None:
        self._decide(request, True)

    def dismiss(self, request: MentionRequest) -> None:
        self._decide(request, False)

    def _decide(self, request: MentionRequest, accepted: bool) -> None:
        if request.id.startswith(LOCAL):
            if self._decisions is not None:
                self._decisions.decide(request.account_id, request.author.user_id, accepted)
        elif accepted:
            self._control(request.account_id).accept_request(request)
        else:
            self._control(request.account_id).dismiss_request(request)
        log.info("%s %s the request %s", request.account_id,
                 "accepted" if accepted else "dismissed", request.id)

    def _local(self, account_ids: Sequence[str]) -> list[MentionRequest]:
        """One request per stranger not decided yet, from the inbox's store (no network)."""
        if self._inbox is None or self._decisions is None:
            return []
        bluesky = [a.id for a in self._accounts.list()
                   if a.network is Network.BLUESKY and a.id in account_ids]
        decided = self._decisions.decisions(bluesky)
        out = []
        for account_id in bluesky:
            for author_id, notes in self._held(account_id).items():
                if (account_id, author_id) in decided:
                    continue
                latest = notes[0]
                out.append(MentionRequest(LOCAL + author_id, account_id, latest.author,
                                          len(notes), latest.created_at, latest.post))
        return out

    def _held(self, account_id: str) -> dict[str, list[Notification]]:
        """The strangers' notifications held for ``account_id``, per sender, newest first."""
        if self._inbox is None:
            return {}
        by_author: dict[str, list[Notification]] = {}
        for n in self._inbox.load([account_id], HELD):
            if n.from_stranger and n.author.user_id:
                by_author.setdefault(n.author.user_id, []).append(n)
        for notes in by_author.values():
            notes.sort(key=lambda n: n.created_at, reverse=True)
        return by_author

    def _one(self, account_id: str) -> list[MentionRequest]:
        channel = self._accounts.channel(account_id)
        return channel.mention_requests() if isinstance(channel, SupportsRequests) else []

    def _control(self, account_id: str) -> SupportsRequests:
        channel = self._accounts.channel(account_id)
        if not isinstance(channel, SupportsRequests):
            raise Rejected("unsupported", account_id=account_id,
                           network=channel.account.network.value)
        return channel
