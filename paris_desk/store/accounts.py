"""The account registry: which accounts the user added, in which order, with which label.

No secret here: an account's token or session is in the keychain under ``account:<id>``.
"""

from __future__ import annotations

import builtins
import sqlite3
from collections.abc import Sequence

from paris_desk.core.errors import UnknownAccount
from paris_desk.core.model import Account, Network
from paris_desk.store.db import Database


def _account(row: sqlite3.Row) -> Account:
    return Account(
        id=row["id"],
        network=Network(row["network"]),
        handle=row["handle"],
        base_url=row["base_url"],
        user_id=row["user_id"],
        display_name=row["display_name"],
        label=row["label"],
        color=row["color"],
        position=row["position"],
    )


class AccountStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def list(self) -> list[Account]:
        """Every account, in the user's order."""
        rows = self._db.execute(
            "SELECT id, network, handle, base_url, user_id, display_name, label, color, position"
            " FROM accounts ORDER BY position, rowid"
        )
        return [_account(r) for r in rows]

    def find(self, account_id: str) -> Account | None:
        rows = self._db.execute(
            "SELECT id, network, handle, base_url, user_id, display_name, label, color, position"
            " FROM accounts WHERE id = ?",
            (account_id,),
        )
        return _account(rows[0]) if rows else None

    def get(self, account_id: str) -> Account:
        account = self.find(account_id)
        if account is None:
            raise UnknownAccount(account_id)
        return account

    def upsert(self, account: Account) -> Account:
        """Insert a new account at the end of the list, or update an existing one in place
        (its position is kept: ``reorder`` is the only way to move an account)."""
        with self._db.transaction():
            position = self._db.scalar("SELECT position FROM accounts WHERE id = ?", (account.id,))
            if position is None:
                position = self._db.scalar("SELECT COALESCE(MAX(position) + 1, 0) FROM accounts")
            self._db.execute(
                "INSERT INTO accounts (id, network, handle, base_url, user_id, display_name, label,"
                " color, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET network = excluded.network, "
                "handle = excluded.handle, base_url = excluded.base_url, "
                "user_id = excluded.user_id, display_name = excluded.display_name, "
                "label = excluded.label, color = excluded.color",
                (
                    account.id,
                    account.network.value,
                    account.handle,
                    account.base_url,
                    account.user_id,
                    account.display_name,
                    account.label,
                    account.color,
                    position,
                ),
            )
        return self.get(account.id)

    def remove(self, account_id: str) -> None:
        """Forget the account (its cached posts go with it). Unknown id: ``UnknownAccount``."""
        with self._db.transaction():
            if self._db.scalar("SELECT 1 FROM accounts WHERE id = ?", (account_id,)) is None:
                raise UnknownAccount(account_id)
            self._db.execute("DELETE FROM accounts WHERE id = ?", (account_id,))

    def reorder(self, ids: Sequence[str]) -> builtins.list[Account]:
        """Put ``ids`` first, in that order; accounts not named keep their order after them."""
        with self._db.transaction():
            rows = self._db.execute("SELECT id FROM accounts ORDER BY position, rowid")
            current = [r["id"] for r in rows]
            unknown = [i for i in ids if i not in current]
            if unknown:
                raise UnknownAccount(unknown[0])
            wanted = list(dict.fromkeys(ids))
            order = wanted + [i for i in current if i not in wanted]
            self._db.executemany(
                "UPDATE accounts SET position = ? WHERE id = ?",
                [(pos, account_id) for pos, account_id in enumerate(order)],
            )
        return self.list()
