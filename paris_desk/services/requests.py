"""Strangers' mentions, "Demandes" (issue 15): the notifications each account's server kept
out of its list (Mastodon 4.3+ notification requests), to accept or dismiss. Blocking and
Qt-free; the accounts are asked in parallel, one failing never hides the others' requests."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from paris_desk.core.errors import ParisDeskError, Rejected
from paris_desk.core.requests import MentionRequest, SupportsRequests

if TYPE_CHECKING:
    from paris_desk.core.channel import Channel
    from paris_desk.core.model import Account, Notification

log = logging.getLogger(__name__)

MAX_PARALLEL = 8


class AccountSource(Protocol):
    def list(self) -> list[Account]: ...

    def channel(self, account_id: str) -> Channel: ...


@dataclass(frozen=True, slots=True)
class Requests:
    items: tuple[MentionRequest, ...] = ()
    failures: dict[str, ParisDeskError] = field(default_factory=dict)


class RequestService:
    def __init__(self, accounts: AccountSource) -> None:
        self._accounts = accounts

    def load(self, account_ids: Sequence[str] | None = None) -> Requests:
        """Every account's pending requests, most recently updated first."""
        ids = list(account_ids) if account_ids is not None else [
            a.id for a in self._accounts.list()]
        found: list[MentionRequest] = []
        failures: dict[str, ParisDeskError] = {}
        if not ids:
            return Requests()
        with ThreadPoolExecutor(min(MAX_PARALLEL, len(ids)), "requests") as pool:
            futures = {a: pool.submit(self._one, a) for a in ids}
            for account_id, future in futures.items():
                try:
                    found += future.result()
                except ParisDeskError as exc:
                    failures[account_id] = exc
        found.sort(key=lambda r: r.updated_at, reverse=True)
        return Requests(tuple(found), failures)

    def notifications(self, request: MentionRequest) -> list[Notification]:
        return self._control(request.account_id).request_notifications(request)

    def accept(self, request: MentionRequest) -> None:
        self._control(request.account_id).accept_request(request)
        log.info("%s accepted the request %s", request.account_id, request.id)

    def dismiss(self, request: MentionRequest) -> None:
        self._control(request.account_id).dismiss_request(request)
        log.info("%s dismissed the request %s", request.account_id, request.id)

    def _one(self, account_id: str) -> list[MentionRequest]:
        channel = self._accounts.channel(account_id)
        return channel.mention_requests() if isinstance(channel, SupportsRequests) else []

    def _control(self, account_id: str) -> SupportsRequests:
        channel = self._accounts.channel(account_id)
        if not isinstance(channel, SupportsRequests):
            raise Rejected("unsupported", account_id=account_id,
                           network=channel.account.network.value)
        return channel
