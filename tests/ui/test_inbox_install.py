"""The inbox in the main window: its view and menu entry, counts in the window title, the
composer offered for long replies, the account list kept in step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from paris_desk.services.accounts import AccountService
from paris_desk.ui.accounts.model import AccountRole
from paris_desk.ui.inbox.install import install_inbox
from paris_desk.ui.shell.main_window import MainWindow

WAIT = 15_000


def test_install_adds_the_view_and_puts_the_counts_in_the_title(
    make_window: Callable[..., MainWindow], service: AccountService, mastodon_sandbox: Any,
    qtbot: QtBot,
) -> None:
    service.add_mastodon_token(mastodon_sandbox.base_url, mastodon_sandbox.token_for("ville"))
    window = make_window()
    base = window.windowTitle()

    window.accounts_panel.reload()  # the panel's list came before the inbox (a real start)
    qtbot.waitUntil(lambda: window.accounts_panel.model.rowCount() == 1, timeout=WAIT)
    view = install_inbox(window, window.session)  # loads by itself: no click
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=WAIT)
    qtbot.waitUntil(lambda: window.windowTitle() != base, timeout=WAIT)
    model = window.accounts_panel.model
    qtbot.waitUntil(lambda: model.index(0).data(AccountRole.COUNTS) is not None, timeout=WAIT)

    window.show_view("inbox")
    assert window.current_view() == "inbox"
    assert view.model.rowCount() > 0
    counts = view.counts()
    assert window.windowTitle() == (
        f"{base} — {counts.unread} unread, {counts.to_handle} to handle")
    assert not view.detail.composer_button.isVisibleTo(view)  # no composer in this window

    # The accounts panel shows each account's counts, and says them to a screen reader.
    [account_id] = [a.id for a in model.accounts()]
    row = model.index(0)
    assert model.data(row, AccountRole.COUNTS) == counts.by_account[account_id]
    unread, todo = counts.by_account[account_id]
    assert unread + todo > 0
    spoken = model.data(row, Qt.ItemDataRole.AccessibleTextRole)
    assert spoken.endswith(f"{unread} unread · {todo} to handle")


def test_compose_button_opens_the_reply_in_the_composer(
    make_window: Callable[..., MainWindow], service: AccountService, mastodon_sandbox: Any,
    qtbot: QtBot,
) -> None:
    from paris_desk.ui.composer.install import install_composer

    service.add_mastodon_token(mastodon_sandbox.base_url, mastodon_sandbox.token_for("culture"))
    window = make_window()
    composer = install_composer(window, window.session)
    view = install_inbox(window, window.session)
    window.accounts_panel.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=WAIT)
    mention = next(r for r in range(view.proxy.rowCount())
                   if view.proxy.index(r, 0).data().endswith("mentioned you"))
    with qtbot.waitSignal(view.thread_loaded, timeout=WAIT):
        view.list.setCurrentIndex(view.proxy.index(mention, 0))

    assert view.detail.composer_button.isVisibleTo(view)
    view.detail.composer_button.click()

    assert window.current_view() == "composer"
    draft = composer.current_draft()
    assert draft.reply_to is not None and draft.reply_to.uri == view.current_item().post.uri
    assert draft.targets == (view.current_item().account_id,)
