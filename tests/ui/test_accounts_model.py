"""AccountsModel: a clean list model (qtmodeltester); what users and screen readers get."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor
from pytestqt.modeltest import ModelTester

from paris_desk.core.model import Account
from paris_desk.ui.accounts.model import AccountRole, AccountsModel


def filled(accounts: list[Account]) -> AccountsModel:
    model = AccountsModel()
    model.set_accounts([dataclasses.replace(a, position=i) for i, a in enumerate(accounts)])
    return model


def handles(model: AccountsModel) -> list[str]:
    return [model.index(row).data(AccountRole.HANDLE) for row in range(model.rowCount())]


def test_model_stays_valid_through_every_change(
    sample_accounts: list[Account], qtmodeltester: ModelTester
) -> None:
    model = filled(sample_accounts)
    qtmodeltester.check(model)  # the tester keeps watching the changes below
    first, second, third = sample_accounts
    assert model.move(0, 2)
    assert model.move(2, 0)
    assert model.move(1, 2)
    model.upsert(dataclasses.replace(second, label="Culture et patrimoine"))
    model.upsert(dataclasses.replace(first, id="bluesky:new.example", handle="new.example"))
    model.remove(third.id)
    model.set_accounts([])
    assert model.rowCount() == 0


def test_move_puts_the_account_at_the_requested_row(sample_accounts: list[Account]) -> None:
    model = filled(sample_accounts)
    assert handles(model) == [
        "@ville@paris.example",
        "culture.paris.example",
        "@sport@paris.example",
    ]
    assert model.move(0, 2)
    assert handles(model) == [
        "culture.paris.example",
        "@sport@paris.example",
        "@ville@paris.example",
    ]
    assert model.move(2, 1)
    assert handles(model) == [
        "culture.paris.example",
        "@ville@paris.example",
        "@sport@paris.example",
    ]
    assert not model.move(0, 3)
    assert not model.move(1, 1)


def test_rows_follow_the_stored_position(sample_accounts: list[Account]) -> None:
    model = AccountsModel()
    accounts = sample_accounts
    model.set_accounts(
        [dataclasses.replace(a, position=p) for a, p in zip(accounts, (2, 0, 1), strict=True)]
    )
    assert handles(model) == [
        "culture.paris.example",
        "@sport@paris.example",
        "@ville@paris.example",
    ]


def test_roles_give_label_handle_network_and_colour(sample_accounts: list[Account]) -> None:
    model = filled(sample_accounts)
    mairie, _, sport = (model.index(row) for row in range(3))
    assert mairie.data(Qt.ItemDataRole.DisplayRole) == "Mairie"
    assert sport.data(Qt.ItemDataRole.DisplayRole) == "@sport@paris.example"  # no label
    assert mairie.data(AccountRole.ID) == "mastodon:@ville@paris.example"
    assert mairie.data(AccountRole.NETWORK) == "mastodon"
    assert mairie.data(AccountRole.COLOR) == "#d1242f"
    assert mairie.data(Qt.ItemDataRole.DecorationRole) == QColor("#d1242f")
    assert model.roleNames()[AccountRole.HANDLE] == b"handle"
    assert model.data(QModelIndex(), Qt.ItemDataRole.DisplayRole) is None


def test_accessible_text_reads_label_handle_and_network_in_french(
    sample_accounts: list[Account], french: object
) -> None:
    model = filled(sample_accounts)
    assert (
        model.index(0).data(Qt.ItemDataRole.AccessibleTextRole)
        == "Mairie, @ville@paris.example, compte Mastodon"
    )
    assert (
        model.index(2).data(Qt.ItemDataRole.AccessibleTextRole)
        == "@sport@paris.example, compte Mastodon"
    )


def test_upsert_announces_only_the_changed_row(
    sample_accounts: list[Account], qtbot: object
) -> None:
    model = filled(sample_accounts)
    changes: list[tuple[int, int, list[int]]] = []
    model.dataChanged.connect(lambda a, b, roles: changes.append((a.row(), b.row(), roles)))
    model.upsert(dataclasses.replace(sample_accounts[1], color="#000000"))
    assert len(changes) == 1
    assert changes[0][:2] == (1, 1)
    assert AccountRole.COLOR in changes[0][2]
    assert model.index(1).data(AccountRole.COLOR) == "#000000"


def test_profile_name_is_shown_when_there_is_no_label(
    sample_accounts: list[Account], french: object
) -> None:
    model = AccountsModel()
    model.set_accounts([dataclasses.replace(sample_accounts[2], display_name="Sports à Paris")])
    row = model.index(0)
    assert row.data(Qt.ItemDataRole.DisplayRole) == "Sports à Paris"
    assert row.data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Sports à Paris, @sport@paris.example, compte Mastodon"
    )
