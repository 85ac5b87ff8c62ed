"""The inbox view with pytest-qt, over HTTP against both sandboxes (two Mastodon and two
Bluesky accounts): merged and grouped list, filters, read state on the servers, replies as the
mentioned account in the right thread, "à traiter", moderation, keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Network
from paris_desk.sandbox.http import Fault
from paris_desk.services.accounts import AccountService
from paris_desk.services.desk import Desk
from paris_desk.services.inbox import InboxItem, InboxService
from paris_desk.services.outbox import RetryPolicy
from paris_desk.services.workers import TaskManager
from paris_desk.store.inbox import InboxStore
from paris_desk.store.profile import Profile
from paris_desk.ui.inbox.actions import ReportDialog
from paris_desk.ui.inbox.model import InboxRole
from paris_desk.ui.inbox.view import InboxView
from paris_desk.ui.timeline.acting import ShareDialog

WAIT = 15_000


@pytest.fixture
def accounts(mastodon_sandbox: Any, bluesky_sandbox: Any) -> Iterator[AccountService]:
    service = AccountService(Profile.default())
    for acct in ("ville", "culture"):
        service.add_mastodon_token(mastodon_sandbox.base_url, mastodon_sandbox.token_for(acct))
    for who in bluesky_sandbox.accounts:
        service.add_bluesky(who["handle"], who["password"], service=bluesky_sandbox.base_url)
    yield service
    service.close()


@pytest.fixture
def settings_path(tmp_path: Path) -> str:
    return str(tmp_path / "inbox.ini")


def make_view(qtbot: QtBot, tasks: TaskManager, accounts: AccountService,
              settings_path: str) -> InboxView:
    desk = Desk(accounts, retry_policy=RetryPolicy(max_attempts=4, base_delay=0.05))
    settings = QSettings(settings_path, QSettings.Format.IniFormat)
    view = InboxView(tasks, desk.inbox, accounts.list, settings)
    view.answer = desk.answer  # as install_inbox wires it: replies go through the outbox
    view.react = desk.react  # likes and shares: the core's one action, as the timeline's
    view.outbox = desk.outbox  # type: ignore[attr-defined]
    view.opened: list[str] = []  # type: ignore[misc]
    view.open_url = lambda url: view.opened.append(url.toString())  # type: ignore[attr-defined]
    qtbot.addWidget(view)
    view.resize(1100, 700)
    with qtbot.waitSignals([view.loaded, view.loaded], timeout=WAIT):  # the store, the servers
        view.reload()
    return view


@pytest.fixture
def view(qtbot: QtBot, tasks: TaskManager, accounts: AccountService,
         settings_path: str) -> InboxView:
    return make_view(qtbot, tasks, accounts, settings_path)


def ids(accounts: AccountService, network: Network) -> list[str]:
    return [a.id for a in accounts.list() if a.network is network]


def rows(view: InboxView) -> list[InboxItem]:
    return [view.proxy.index(r, 0).data(InboxRole.ITEM) for r in range(view.proxy.rowCount())]


def select_first(view: InboxView, qtbot: QtBot, account_id: str, kind: str) -> InboxItem:
    for r in range(view.proxy.rowCount()):
        index = view.proxy.index(r, 0)
        if index.data(InboxRole.ACCOUNT_ID) == account_id and index.data(InboxRole.KIND) == kind:
            with qtbot.waitSignal(view.thread_loaded, timeout=WAIT):
                view.list.setCurrentIndex(index)
            item = view.current_item()
            assert item is not None
            return item
    raise AssertionError(f"no {kind} for {account_id}")


def test_every_account_merged_newest_first_and_grouped(
    view: InboxView, accounts: AccountService, qtmodeltester: Any
) -> None:
    shown = rows(view)

    assert {i.account_id for i in shown} == {a.id for a in accounts.list()}
    times = [i.latest.created_at for i in shown]
    assert times == sorted(times, reverse=True)
    grouped = [i for i in shown if i.group.count > 1]
    assert grouped and all(i.group.kind.value in ("like", "repost", "follow") for i in grouped)
    assert "other(s) liked your post" in view.proxy.index(
        shown.index(next(i for i in grouped if i.group.kind.value == "like")), 0).data()
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.proxy)


def test_rows_read_in_french(view: InboxView, french: Any) -> None:
    view.model.set_accounts(list(view._accounts.values()))  # rebuild rows in French

    texts = [view.model.index(r).data() for r in range(view.model.rowCount())]

    assert any(" et " in t and "autres ont aimé votre post" in t for t in texts)
    assert any(t.endswith("vous a mentionné") for t in texts)


def test_filters_apply_and_are_remembered(
    view: InboxView, qtbot: QtBot, tasks: TaskManager, accounts: AccountService,
    settings_path: str,
) -> None:
    bsky = ids(accounts, Network.BLUESKY)[1]
    view.account_filter.setCurrentIndex(view.account_filter.findData(bsky))
    view.todo_check.setChecked(True)

    assert rows(view) and all(i.account_id == bsky and i.to_handle for i in rows(view))
    view.kind_filter.setCurrentIndex(view.kind_filter.findData("like"))
    assert rows(view) == []
    view.kind_filter.setCurrentIndex(0)
    view.todo_check.setChecked(False)
    view.unread_check.setChecked(True)
    assert all(i.unread for i in rows(view))

    again = make_view(qtbot, tasks, accounts, settings_path)
    assert again.account_filter.currentData() == bsky
    assert again.unread_check.isChecked() and not again.todo_check.isChecked()
    assert {i.account_id for i in rows(again)} == {bsky}


def click_row(view: InboxView, qtbot: QtBot, row: int) -> InboxItem:
    """Click the row as a person would: on the list's viewport, inside the row's rectangle."""
    index = view.proxy.index(row, 0)
    view.list.scrollTo(index)
    rect = view.list.visualRect(index)
    qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.list.currentIndex().row() == row
    item = view.current_item()
    assert item is not None
    return item


def stored(accounts: AccountService, account_id: str) -> dict[Any, InboxItem]:
    snapshot = InboxService(accounts, InboxStore(accounts.db)).snapshot([account_id])
    return {i.key: i for i in snapshot.items}


def test_selecting_one_notification_marks_only_that_one_read(
    view: InboxView, qtbot: QtBot, accounts: AccountService, mastodon_sandbox: Any,
    bluesky_sandbox: Any,
) -> None:
    view.show()
    masto = ids(accounts, Network.MASTODON)[0]
    view.account_filter.setCurrentIndex(view.account_filter.findData(masto))
    unread_before = view.counts().unread
    assert unread_before > 2
    seen_before = [bluesky_sandbox.seen_at(b["did"]) for b in bluesky_sandbox.accounts]

    item = click_row(view, qtbot, 0)  # the newest
    assert item.unread is False
    assert view.counts().unread == unread_before - 1
    assert sum(i.unread for i in rows(view)) == view.counts().by_account[masto][0]
    qtbot.waitUntil(lambda: not stored(accounts, masto)[item.key].unread, timeout=WAIT)
    # Older notifications nobody looked at: the server's marker does not move over them.
    assert "notifications" not in mastodon_sandbox.markers.get(
        mastodon_sandbox.account_id("ville"), {})
    assert [bluesky_sandbox.seen_at(b["did"]) for b in bluesky_sandbox.accounts] == seen_before


def test_the_marker_moves_up_to_what_was_seen(
    view: InboxView, qtbot: QtBot, accounts: AccountService, mastodon_sandbox: Any
) -> None:
    view.show()
    masto = ids(accounts, Network.MASTODON)[0]
    view.account_filter.setCurrentIndex(view.account_filter.findData(masto))
    while settle(view, qtbot):
        pass  # the whole history, as a user scrolling to the end
    last = view.proxy.rowCount() - 1
    view.list.setCurrentIndex(view.proxy.index(last, 0))  # the oldest
    view.list.setFocus()
    for _ in range(last - 1):  # then every item but the newest, by keyboard
        qtbot.keyClick(view.list, Qt.Key.Key_K)
    newest = rows(view)[0]
    assert newest.unread and view.list.currentIndex().row() == 1

    seen = [n for i in rows(view)[1:] for n in i.group.notifications]
    unseen = newest.group.notifications
    marker = mastodon_sandbox.markers[mastodon_sandbox.account_id("ville")]
    qtbot.waitUntil(lambda: "notifications" in marker, timeout=WAIT)
    qtbot.waitUntil(lambda: marker["notifications"]["last_read_id"] == max(
        (n for n in seen if n.created_at < min(u.created_at for u in unseen)),
        key=lambda n: (n.created_at, n.id)).id, timeout=WAIT)
    assert all(int(n.id) > int(marker["notifications"]["last_read_id"]) for n in unseen)


def test_mark_all_as_read_is_its_own_button(
    view: InboxView, qtbot: QtBot, accounts: AccountService, mastodon_sandbox: Any,
    bluesky_sandbox: Any,
) -> None:
    view.show()
    masto = ids(accounts, Network.MASTODON)[0]
    view.account_filter.setCurrentIndex(view.account_filter.findData(masto))
    unread_before = view.counts().by_account
    assert unread_before[masto][0] > 0

    with qtbot.waitSignal(view.marked_read, timeout=WAIT):
        qtbot.mouseClick(view.mark_all_button, Qt.MouseButton.LeftButton)

    newest = max((i.latest for i in view.model.items() if i.account_id == masto),
                 key=lambda n: n.created_at)
    marker = mastodon_sandbox.markers[mastodon_sandbox.account_id("ville")]["notifications"]
    assert marker["last_read_id"] == newest.id
    assert view.counts().by_account[masto][0] == 0
    assert bluesky_sandbox.seen_at(bluesky_sandbox.accounts[1]["did"]) is None  # not shown

    view.account_filter.setCurrentIndex(0)  # all accounts
    with qtbot.waitSignal(view.marked_read, timeout=WAIT):
        qtbot.mouseClick(view.mark_all_button, Qt.MouseButton.LeftButton)
    assert bluesky_sandbox.seen_at(bluesky_sandbox.accounts[1]["did"]) is not None
    assert view.counts().unread == 0


def test_showing_the_view_marks_nothing_read(
    view: InboxView, qtbot: QtBot, mastodon_sandbox: Any
) -> None:
    unread = view.counts().unread
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        view.refresh()
    assert view.counts().unread == unread > 0
    assert not mastodon_sandbox.markers.get(mastodon_sandbox.account_id("culture"))


def test_a_read_item_stays_listed_under_unread_only_while_selected(
    view: InboxView, qtbot: QtBot
) -> None:
    view.show()
    view.unread_check.setChecked(True)
    count = view.proxy.rowCount()
    first = click_row(view, qtbot, 0)
    assert view.proxy.rowCount() == count and view.current_item().key == first.key
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_J)
    qtbot.waitUntil(lambda: first.key not in {i.key for i in rows(view)})  # another selected
    assert view.proxy.rowCount() == count - 1


def test_an_answer_read_before_a_change_landed_does_not_undo_it(
    view: InboxView, qtbot: QtBot, accounts: AccountService
) -> None:
    """A refresh asked before the user's read and "handled" reached the store, answered after
    (a busy machine: its snapshot was read first), must not show them undone; the answer to a
    refresh asked after they landed is the store's, as it is."""
    view.show()
    row = next(r for r, i in enumerate(rows(view)) if i.unread and i.group.needs_action)
    ids = list(view._accounts)
    before = view.service.snapshot(ids)  # what a snapshot read before the changes holds
    asked = view._generation + 1  # a refresh asked now, before the changes
    view._generation = asked
    item = click_row(view, qtbot, row)
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: not stored(accounts, item.account_id)[item.key].unread
                    and stored(accounts, item.account_id)[item.key].handled is not None
                    and not any(e.pending for e in view._edits.values()), timeout=WAIT)
    assert {i.key: i for i in before.items}[item.key].unread  # stale indeed

    view._apply(before, asked)  # its answer comes now
    shown = {i.key: i for i in rows(view)}[item.key]
    assert not shown.unread and shown.handled is not None

    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        view.refresh()  # asked after they landed: the store holds them
    shown = {i.key: i for i in rows(view)}[item.key]
    assert not shown.unread and shown.handled is not None
    assert view._edits == {}  # nothing kept over the store any more


def test_reply_goes_out_as_the_mentioned_mastodon_account_in_the_thread(
    view: InboxView, qtbot: QtBot, accounts: AccountService, mastodon_sandbox: Any
) -> None:
    culture = ids(accounts, Network.MASTODON)[1]
    item = select_first(view, qtbot, culture, "mention")
    assert item.post is not None
    todo_before = view.counts().to_handle
    view.list.setFocus()

    qtbot.keyClick(view.list, Qt.Key.Key_R)
    assert view.detail.reply_edit.hasFocus() or view.detail.reply_edit.toPlainText()
    assert view.detail.reply_edit.toPlainText().startswith("@")
    view.detail.reply_edit.insertPlainText("Merci, nous transmettons au service.")
    with qtbot.waitSignal(view.reply_sent, timeout=WAIT) as sent:
        view.detail.send_button.click()

    post = sent.args[0]
    status = next(s for s in mastodon_sandbox.statuses_by("culture") if s["uri"] == post.uri)
    assert status["in_reply_to_id"] == item.post.native_id
    assert status["account"]["acct"] == "culture"
    assert [m["id"] for m in status["mentions"]] == [item.post.author.user_id]
    assert not view.current_item().to_handle
    assert view.counts().to_handle == todo_before - 1
    assert view.detail.reply_edit.toPlainText() == ""


def test_reply_goes_out_as_the_mentioned_bluesky_account_in_the_thread(
    view: InboxView, qtbot: QtBot, accounts: AccountService, bluesky_sandbox: Any
) -> None:
    culture = ids(accounts, Network.BLUESKY)[1]
    item = select_first(view, qtbot, culture, "reply")
    post = item.post
    assert post is not None
    assert "<hr>" in view.detail.thread_view.toHtml() or view.detail.status.text()

    view.start_reply()
    view.detail.reply_edit.setPlainText("Merci, c'est noté.")
    with qtbot.waitSignal(view.reply_sent, timeout=WAIT) as sent:
        view.detail.send_button.click()

    record = bluesky_sandbox.stored_record(sent.args[0].uri)
    assert record.did == bluesky_sandbox.accounts[1]["did"]
    assert record.value["reply"]["parent"]["uri"] == post.uri
    assert record.value["reply"]["root"]["uri"] == post.reply_root_uri


def test_a_reply_whose_connection_drops_after_the_server_stored_it_goes_out_once(
    view: InboxView, qtbot: QtBot, accounts: AccountService, mastodon_sandbox: Any
) -> None:
    ville = ids(accounts, Network.MASTODON)[0]
    select_first(view, qtbot, ville, "mention")
    view.detail.reply_edit.setPlainText("@x Bien reçu.")
    mastodon_sandbox.add_fault(Fault("drop_after_commit", "POST", r"/api/v1/statuses$"))
    before = mastodon_sandbox.status_count()

    with qtbot.waitSignal(view.reply_sent, timeout=WAIT):
        view.detail.send_button.click()

    assert mastodon_sandbox.status_count() == before + 1
    (job,) = view.outbox.jobs()  # type: ignore[attr-defined]
    assert (job.state.name, job.attempts) == ("SENT", 2)  # retried, found, not sent again


def test_a_reply_the_server_cannot_take_now_waits_in_the_outbox(
    view: InboxView, qtbot: QtBot, accounts: AccountService, mastodon_sandbox: Any
) -> None:
    ville = ids(accounts, Network.MASTODON)[0]
    select_first(view, qtbot, ville, "mention")
    view.detail.reply_edit.setPlainText("@x Bien reçu.")
    mastodon_sandbox.add_fault(Fault("429", "POST", r"/api/v1/statuses$", count=None,
                                     retry_after=3600))
    before = mastodon_sandbox.status_count()

    view.detail.send_button.click()
    qtbot.waitUntil(lambda: view.detail.send_button.isEnabled(), timeout=WAIT)

    assert "outbox" in view.detail.reply_status.text() or view.detail.reply_status.text()
    assert mastodon_sandbox.status_count() == before
    (job,) = view.outbox.jobs()  # type: ignore[attr-defined]
    assert job.request.text == "@x Bien reçu."  # kept: the outbox sends it later, once


def settle(view: InboxView, qtbot: QtBot) -> bool:
    """Let the list load older pages as a scrolling user would; False when there are none."""
    qtbot.waitUntil(lambda: not view.model._is_fetching, timeout=WAIT)
    if not view.model.canFetchMore():
        return False
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        view.model.fetchMore()
    return True


def test_to_handle_empties_as_items_are_answered_or_dismissed(
    view: InboxView, qtbot: QtBot, accounts: AccountService
) -> None:
    bsky = ids(accounts, Network.BLUESKY)[0]
    view.account_filter.setCurrentIndex(view.account_filter.findData(bsky))
    view.todo_check.setChecked(True)
    todo = view.proxy.rowCount()
    assert todo >= 1
    counts: list[Any] = []
    view.counts_changed.connect(counts.append)

    answered = select_first(view, qtbot, bsky, rows(view)[0].group.kind.value)
    view.detail.reply_edit.setPlainText("Merci !")
    with qtbot.waitSignal(view.reply_sent, timeout=WAIT):
        view.detail.send_button.click()
    assert answered.key not in {i.key for i in rows(view)}  # left the "à traiter" list
    view.list.setFocus()
    while view.proxy.rowCount() or settle(view, qtbot):
        if view.proxy.rowCount():
            view.list.setCurrentIndex(view.proxy.index(0, 0))
            qtbot.keyClick(view.list, Qt.Key.Key_E)

    assert counts[-1].by_account[bsky][1] == 0
    assert sum(i.group.count for i in view.model.items() if i.account_id == bsky) == 304
    qtbot.waitUntil(lambda: not InboxService(accounts, InboxStore(accounts.db)).snapshot(
        [bsky]).counts.to_handle, timeout=WAIT)  # written to the profile
    view.todo_check.setChecked(False)
    dismissed = next(i for i in rows(view) if i.handled is not None
                     and i.handled.how.value == "dismissed")
    view.select(dismissed.key)
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_E)  # back to "à traiter"
    assert view.counts().by_account[bsky][1] == 1


def test_keyboard_moves_opens_and_toggles_unread(
    view: InboxView, qtbot: QtBot, accounts: AccountService
) -> None:
    view.list.setFocus()
    view.list.setCurrentIndex(view.proxy.index(0, 0))

    qtbot.keyClick(view.list, Qt.Key.Key_J)
    qtbot.keyClick(view.list, Qt.Key.Key_J)
    qtbot.keyClick(view.list, Qt.Key.Key_K)
    assert view.list.currentIndex().row() == 1
    item = next(i for i in rows(view) if i.post is not None and i.unread)
    view.select(item.key)
    with qtbot.waitSignal(view.thread_loaded, timeout=WAIT) as loaded:
        qtbot.keyClick(view.list, Qt.Key.Key_Return)
    assert loaded.args[0].post.uri == item.post.uri
    assert view.current_item().unread is False  # selected: read
    qtbot.keyClick(view.list, Qt.Key.Key_U)
    assert view.current_item().unread is True  # kept unread by hand
    qtbot.waitUntil(lambda: next(
        i for i in InboxService(accounts, InboxStore(accounts.db)).snapshot(
            [item.account_id]).items if i.key == item.key).unread, timeout=WAIT)


def test_like_repost_and_open_from_the_inbox(
    view: InboxView, qtbot: QtBot, accounts: AccountService, mastodon_sandbox: Any
) -> None:
    ville = ids(accounts, Network.MASTODON)[0]
    item = select_first(view, qtbot, ville, "mention")
    assert item.post is not None

    with qtbot.waitSignal(view.action_done, timeout=WAIT):
        view.detail.like_button.click()
    view.detail.repost_button.click()  # a share asks first, naming the account
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ShareDialog))
    dialog = QApplication.activeModalWidget()
    assert dialog.account.currentData() == ville and dialog.account.count() == 1
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not view.detail.repost_button.isChecked()  # cancelled: not shared
    view.detail.repost_button.click()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ShareDialog))
    with qtbot.waitSignal(view.action_done, timeout=WAIT):
        qtbot.mouseClick(QApplication.activeModalWidget().share_button,
                         Qt.MouseButton.LeftButton)
    view.detail.open_button.click()

    status = next(s for s in mastodon_sandbox.notifications_for("ville")
                  if s["status"] and s["status"]["id"] == item.post.native_id)["status"]
    assert view.detail.like_button.isChecked() and view.detail.repost_button.isChecked()
    assert status["favourites_count"] >= 1
    assert view.opened == [QUrl(item.post.url).toString()]  # type: ignore[attr-defined]


def _click_confirm(qtbot: QtBot, box: QMessageBox) -> None:
    qtbot.waitUntil(box.isVisible, timeout=WAIT)
    box.yes_button.click()  # type: ignore[attr-defined]


def test_mute_with_confirmation_and_undo(
    view: InboxView, qtbot: QtBot, accounts: AccountService, mastodon_sandbox: Any
) -> None:
    ville = ids(accounts, Network.MASTODON)[0]
    item = select_first(view, qtbot, ville, "mention")
    me = mastodon_sandbox.account_id("ville")

    box = view.moderate("mute")
    assert item.latest.author.handle in box.text()
    with qtbot.waitSignal(view.action_done, timeout=WAIT,
                          check_params_cb=lambda what: what == "mute"):
        _click_confirm(qtbot, box)
    assert set(mastodon_sandbox.mutes[me]) == {item.latest.author.user_id}
    assert view.undo_bar.isVisibleTo(view) and view.undo_bar.undo_button.isVisibleTo(view)

    with qtbot.waitSignal(view.action_done, timeout=WAIT,
                          check_params_cb=lambda what: what == "unmute"):
        view.undo_bar.undo_button.click()
    assert mastodon_sandbox.mutes[me] == {}


def test_cancelled_block_does_nothing_and_confirmed_block_reaches_bluesky(
    view: InboxView, qtbot: QtBot, accounts: AccountService, bluesky_sandbox: Any
) -> None:
    bsky = ids(accounts, Network.BLUESKY)[0]
    item = select_first(view, qtbot, bsky, "mention")
    did = bluesky_sandbox.accounts[0]["did"]

    box = view.moderate("block")
    qtbot.waitUntil(box.isVisible, timeout=WAIT)
    box.cancel_button.click()  # type: ignore[attr-defined]
    QApplication.processEvents()
    assert not bluesky_sandbox.blocks.get(did)

    with qtbot.waitSignal(view.action_done, timeout=WAIT):
        _click_confirm(qtbot, view.moderate("block"))
    assert item.latest.author.user_id in bluesky_sandbox.blocks[did]
    with qtbot.waitSignal(view.action_done, timeout=WAIT):
        view.undo_bar.undo_button.click()
    assert item.latest.author.user_id not in bluesky_sandbox.blocks.get(did, {})


def test_report_reaches_the_server(
    view: InboxView, qtbot: QtBot, accounts: AccountService, mastodon_sandbox: Any
) -> None:
    culture = ids(accounts, Network.MASTODON)[1]
    item = select_first(view, qtbot, culture, "mention")
    assert item.post is not None

    dialog = view.report()
    assert isinstance(dialog, ReportDialog)
    dialog.reason.setCurrentIndex(dialog.reason.findData("spam"))
    dialog.comment.setPlainText("Message publicitaire répété.")
    with qtbot.waitSignal(view.action_done, timeout=WAIT):
        dialog.send.click()

    (report,) = mastodon_sandbox.reports
    assert report["status_ids"] == [item.post.native_id]
    assert (report["category"], report["comment"]) == ("spam", "Message publicitaire répété.")
    assert report["reporter"] == "culture"
    assert not view.undo_bar.undo_button.isVisibleTo(view)  # a report cannot be withdrawn


def test_one_failing_account_is_named_and_the_others_show(
    qtbot: QtBot, tasks: TaskManager, accounts: AccountService, mastodon_sandbox: Any,
    settings_path: str,
) -> None:
    mastodon_sandbox.add_fault(Fault("503", "GET", r"/api/v1/notifications$", count=None))
    service = InboxService(accounts, InboxStore(accounts.db))
    view = InboxView(tasks, service, accounts.list,
                     QSettings(settings_path, QSettings.Format.IniFormat))
    qtbot.addWidget(view)
    errors: list[str] = []
    view.error_occurred.connect(errors.append)

    with qtbot.waitSignals([view.loaded, view.loaded], timeout=WAIT):
        view.reload()

    assert len(errors) == 2 and all("@ville" in e or "@culture" in e for e in errors)
    assert {i.account_id for i in rows(view)} == set(ids(accounts, Network.BLUESKY))


def test_every_control_has_an_accessible_name(view: InboxView) -> None:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QPlainTextEdit

    widgets = view.findChildren(QAbstractButton) + view.findChildren(QComboBox) \
        + view.findChildren(QPlainTextEdit) + view.findChildren(QLabel)
    unnamed = [w for w in widgets if not w.accessibleName()
               and w.metaObject().className() not in ("QScrollBar",)]
    assert unnamed == []
    assert view.list.accessibleName()
    assert view.proxy.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole)


def test_a_new_mention_is_announced_and_its_notification_opens_it(
    qtbot: QtBot, tasks: TaskManager, accounts: AccountService, mastodon_sandbox: Any,
    settings_path: str,
) -> None:
    from paris_desk.ui.shell.tray import InboxTray

    service = InboxService(accounts, InboxStore(accounts.db))
    tray = InboxTray()
    view = InboxView(tasks, service, accounts.list,
                     QSettings(settings_path, QSettings.Format.IniFormat), tray=tray)
    qtbot.addWidget(view)
    with qtbot.waitSignals([view.loaded, view.loaded], timeout=WAIT):
        view.reload()
    mastodon_sandbox.post_as("mairie18", "@culture La piscine est-elle ouverte ?")

    with qtbot.waitSignal(tray.announced, timeout=WAIT) as told:
        view.refresh()
    with qtbot.waitSignal(view.thread_loaded, timeout=WAIT):
        tray._on_message_clicked()  # the user clicks the desktop notification

    assert told.args[0].title.endswith("mentioned you")
    assert "piscine" in told.args[0].body
    assert view.current_item() is not None and view.current_item().key == told.args[0].key
