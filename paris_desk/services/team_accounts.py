"""The accounts a member publishes to in team mode: this workstation's, and the team's others.

An account the team registered (``TeamService.register_account``: id, network, handle, no
secret) whose credentials are on another workstation, or only on the worker's host, can still
be published to from here: the publication is checked and prepared here like any other (with
its network's default limits when its instance cannot be asked), and its jobs wait in the
team's shared outbox until a process that holds the credentials claims them (the outbox
offers each host only the jobs of the accounts it holds). Nothing fails for lack of
credentials here; the job is sent, exactly once, by whoever can.

Qt-free and blocking, like the other services.
"""

from __future__ import annotations

from collections.abc import Callable

from paris_desk.core.channel import Channel
from paris_desk.core.errors import ChannelError, UnknownAccount
from paris_desk.core.model import Account, Network
from paris_desk.services.accounts import AccountService, AmbiguousAccount

Registry = Callable[[], list[tuple[str, str, str, bool]]]  # (id, network, handle, approval)


class CredentialsElsewhere(ChannelError):
    """The account is the team's; its credentials are on another workstation (or the
    worker's): nothing can be asked of its server from here."""


class TeamAccounts:
    """``AccountSource`` for the publisher (``get``, ``channel``), over this workstation's
    ``AccountService`` and the team's registry."""

    def __init__(self, local: AccountService, registry: Registry) -> None:
        self.local = local
        self._registry = registry

    def get(self, account_id: str) -> Account:
        try:
            return self.local.get(account_id)
        except UnknownAccount:
            for account in self.elsewhere():
                if account.id == account_id:
                    return account
            raise

    def channel(self, account_id: str) -> Channel:
        """This workstation's adapter; ``CredentialsElsewhere`` for a team account it does not
        hold (the publisher then uses the network's defaults, and checks no mention)."""
        try:
            return self.local.channel(account_id)
        except UnknownAccount as exc:
            raise CredentialsElsewhere(f"{account_id}: credentials on another workstation",
                                       account_id=account_id) from exc

    def here(self) -> list[Account]:
        return self.local.list()

    def elsewhere(self) -> list[Account]:
        """The team's accounts this workstation holds no credentials for."""
        held = {a.id for a in self.local.list()}
        return [_account(i, n, h) for i, n, h, _ in self._registry() if i not in held]

    def resolve(self, ref: str) -> Account:
        """As ``AccountService.resolve``, then among the team's other accounts: by id, or by
        a unique end of the handle. ``UnknownAccount`` when none or several match."""
        try:
            return self.local.resolve(ref)
        except AmbiguousAccount:
            raise
        except UnknownAccount:
            pass
        wanted = ref.strip().lower().lstrip("@")
        others = self.elsewhere()
        exact = [a for a in others if a.id.lower() == ref.strip().lower()]
        found = exact or [a for a in others if a.handle.lower().lstrip("@").endswith(wanted)]
        if len(found) != 1:
            raise UnknownAccount(ref)
        return found[0]


def _account(account_id: str, network: str, handle: str) -> Account:
    kind = Network(network)
    base_url = ""
    if kind is Network.MASTODON and handle.count("@") >= 2:  # "@ville@paris.social"
        base_url = "https://" + handle.rsplit("@", 1)[1]
    return Account(account_id, kind, handle, base_url)
