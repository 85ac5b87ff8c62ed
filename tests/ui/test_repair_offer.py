"""At start, a damaged database: the window says what happened and offers to rebuild it."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from paris_desk.services.accounts import AccountService
from paris_desk.store.db import KnownStoreError, StoreErrorCode
from paris_desk.store.profile import Profile
from paris_desk.ui.shell.repair_offer import offer_repair


def test_the_window_offers_to_rebuild_a_damaged_database(qtbot: QtBot, french: object) -> None:
    profile = Profile.default().ensure()
    profile.db_path.write_bytes(b"<html>pas une base</html>" * 100)
    try:
        AccountService(profile)
    except KnownStoreError as exc:
        error = exc
    assert error.code is StoreErrorCode.CORRUPT
    asked: list[QMessageBox] = []
    told: list[str] = []

    def ask(box: QMessageBox) -> bool:
        asked.append(box)
        return True  # the default button: "Mettre de côté et reconstruire"

    assert offer_repair(profile, error, ask=ask, tell=told.append)
    (box,) = asked
    assert box.text().startswith("La base locale est endommagée.")
    assert box.defaultButton().text() == "Mettre de côté et reconstruire"
    assert told[0].startswith("La base endommagée a été déplacée vers ")
    AccountService(profile).close()  # opens now


def test_quitting_keeps_the_damaged_file(qtbot: QtBot) -> None:
    profile = Profile.default().ensure()
    profile.db_path.write_bytes(b"")
    error = KnownStoreError(StoreErrorCode.EMPTY)
    assert not offer_repair(profile, error, ask=lambda _box: False, tell=lambda _t: None)
    assert profile.db_path.stat().st_size == 0
    assert not list(profile.root.glob("*.damaged-*"))
