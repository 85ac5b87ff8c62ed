"""The timeline in the main window, driven on both sandboxes: merged unified home, new-posts
bar, infinite scroll, a failing account, hostile HTML, actions, saved columns."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from paris_desk.core.merge import item_key
from paris_desk.core.model import Account, Network
from paris_desk.services.accounts import AccountService
from paris_desk.ui.shell.main_window import MainWindow
from paris_desk.ui.timeline.column import TimelineColumn
from paris_desk.ui.timeline.model import PostRole
from paris_desk.ui.timeline.post_layout import make_document
from paris_desk.ui.timeline.view import SETTINGS_FILE, TimelineView, install_timeline

NBSP = "\u00a0"


@pytest.fixture
def sandbox_accounts(
    service: AccountService, mastodon_sandbox: Any, bluesky_sandbox: Any
) -> list[Account]:
    added = [
        service.add_mastodon_token(mastodon_sandbox.base_url, item["access_token"], label=label)
        for item, label in zip(mastodon_sandbox.accounts, ("Mairie", "Culture"), strict=True)
    ]
    added += [
        service.add_bluesky(item["handle"], item["password"], service=bluesky_sandbox.base_url)
        for item in bluesky_sandbox.accounts
    ]
    return added


@pytest.fixture
def timeline(
    qtbot: QtBot, make_window: Callable[..., MainWindow], sandbox_accounts: list[Account]
) -> Iterator[TimelineView]:
    window = make_window()
    view = install_timeline(window, window.session)
    qtbot.waitUntil(lambda: bool(view.columns()), timeout=5000)
    yield view


def loaded(qtbot: QtBot, view: TimelineView) -> TimelineColumn:
    """The first column after a refresh started now (the held-back posts brought in)."""
    column = view.columns()[0]
    qtbot.waitUntil(lambda: not column.feed.refreshing, timeout=15000)  # the one at install
    with qtbot.waitSignal(column.feed.refreshed, timeout=15000):
        column.refresh()
    column.show_new_posts()
    return column


def test_unified_home_merges_all_accounts_once_each(
    qtbot: QtBot, qtmodeltester: Any, timeline: TimelineView, sandbox_accounts: list[Account]
) -> None:
    column = loaded(qtbot, timeline)
    posts = column.model.posts()

    assert column.spec == "unified"
    assert len(posts) > 40
    keys = [item_key(post) for post in posts]
    assert len(keys) == len(set(keys))
    assert [p.sort_time for p in posts] == sorted((p.sort_time for p in posts), reverse=True)
    assert {p.network for p in posts} == {Network.MASTODON, Network.BLUESKY}
    seen = {account for post in posts for account in post.seen_by}
    assert seen == {a.id for a in sandbox_accounts}
    assert any(len(post.seen_by) == 2 for post in posts)
    assert column.feed.errors == {}
    qtmodeltester.check(column.model)


def test_new_posts_wait_behind_the_bar_until_clicked(
    qtbot: QtBot, french: object, timeline: TimelineView, mastodon_sandbox: Any
) -> None:
    column = loaded(qtbot, timeline)
    top = column.model.post_at(0)
    rows = column.model.rowCount()
    mastodon_sandbox.post_as("culture", "Nouvelle exposition à l'Hôtel de Ville dès samedi.")

    with qtbot.waitSignal(column.feed.refreshed, timeout=15000):
        column.refresh()

    assert column.model.rowCount() == rows
    assert column.model.post_at(0) == top
    assert column.new_posts.isVisibleTo(column)
    assert column.new_posts.text() == "1 nouveau post"
    qtbot.mouseClick(column.new_posts, Qt.MouseButton.LeftButton)
    assert column.model.rowCount() == rows + 1
    assert column.model.post_at(0).text.startswith("Nouvelle exposition")
    assert not column.new_posts.isVisibleTo(column)


def test_scrolling_to_the_bottom_fetches_older_pages_of_every_account(
    qtbot: QtBot, timeline: TimelineView, mastodon_sandbox: Any, bluesky_sandbox: Any
) -> None:
    column = loaded(qtbot, timeline)
    timeline.window().show()
    qtbot.waitExposed(timeline.window())
    rows = column.model.rowCount()
    before = (len(mastodon_sandbox.requests), len(bluesky_sandbox.requests))

    column.view.scrollToBottom()
    qtbot.waitUntil(lambda: column.model.rowCount() > rows, timeout=15000)

    def timeline_reads(server: Any, start: int, path: str) -> int:
        return sum(1 for r in server.requests[start:] if r.path == path)

    assert timeline_reads(mastodon_sandbox, before[0], "/api/v1/timelines/home") == 2
    assert timeline_reads(bluesky_sandbox, before[1], "/xrpc/app.bsky.feed.getTimeline") == 2
    posts = column.model.posts()
    assert len({item_key(p) for p in posts}) == len(posts)


def test_a_revoked_account_shows_a_banner_and_the_others_load(
    qtbot: QtBot,
    french: object,
    timeline: TimelineView,
    sandbox_accounts: list[Account],
    mastodon_sandbox: Any,
) -> None:
    mastodon_sandbox.revoke_token(mastodon_sandbox.accounts[0]["access_token"])

    column = loaded(qtbot, timeline)

    failing = sandbox_accounts[0].id
    assert list(column.feed.errors) == [failing]
    assert column.banners.text_of(failing) == (
        f"La session de Mairie a expiré{NBSP}; reconnectez-vous."
    )
    assert column.banners.isVisibleTo(column)
    others = {a.id for a in sandbox_accounts[1:]}
    assert others <= {a for post in column.model.posts() for a in post.seen_by}


def test_hostile_html_is_neutralised(qtbot: QtBot, timeline: TimelineView) -> None:
    column = loaded(qtbot, timeline)
    while not any("Concours photo" in p.text for p in column.model.posts()):
        rows = column.model.rowCount()
        column.model.fetchMore()
        qtbot.waitUntil(lambda rows=rows: column.model.rowCount() > rows, timeout=15000)
    hostile = [
        row for row in range(column.model.rowCount())
        if re.search(r"Concours photo|Notre affiche|Facture_|pièce jointe|pour valider",
                     column.model.post_at(row).text)
    ]
    assert hostile
    for row in hostile:
        text = column.model.index(row).data(PostRole.TEXT)
        for bad in ("<script", "javascript:", "vbscript:", "data:text", "<img", "onerror",
                    "<iframe", "<form", "style=", "\u202e"):
            assert bad not in text.body.html.lower()
        assert set(re.findall(r'href="([a-z]+):', text.body.html)) <= {"http", "https", "mailto"}
        document = make_document(text.body, column.font(), 400)
        assert "<img" not in document.toHtml()


class _Browser(QObject):
    """Stands in for the desktop browser (QDesktopServices.setUrlHandler)."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


def test_keys_like_a_post_on_the_server_and_open_it_in_the_browser(
    qtbot: QtBot, timeline: TimelineView, mastodon_sandbox: Any
) -> None:
    column = loaded(qtbot, timeline)
    window = timeline.window()
    window.show()
    qtbot.waitExposed(window)
    row = next(
        r for r in range(column.model.rowCount())
        if column.model.post_at(r).network is Network.MASTODON
        and not column.model.post_at(r).liked and column.model.post_at(r).repost_by is None
    )
    post = column.model.post_at(row)
    column.view.setCurrentIndex(column.model.index(row))
    column.view.setFocus()

    qtbot.keyClick(column.view, Qt.Key.Key_L)  # two Mastodon accounts: which one likes?
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    qtbot.keyClick(QApplication.activePopupWidget(), Qt.Key.Key_Return)  # the one that saw it
    qtbot.waitUntil(lambda: column.model.post_at(row).liked, timeout=10000)

    assert column.model.post_at(row).like_count == post.like_count + 1
    acct = mastodon_sandbox.accounts[0]["acct"]
    me = mastodon_sandbox.account_id(acct)
    assert me in mastodon_sandbox.statuses[post.native_id].favourited_by
    browser = _Browser()
    QDesktopServices.setUrlHandler("http", browser, "open")
    try:
        qtbot.keyClick(column.view, Qt.Key.Key_O)
    finally:
        QDesktopServices.unsetUrlHandler("http")
    assert browser.opened == [post.url]


def test_reply_and_quote_open_the_composer_as_the_account_that_saw_the_post(
    qtbot: QtBot, timeline: TimelineView
) -> None:
    column = loaded(qtbot, timeline)
    post = next(p for p in column.model.posts()
                if p.network is Network.MASTODON and p.repost_by is None)
    opened: list[tuple[str, str, bool]] = []
    timeline.set_composer(lambda p, account_id, quote: opened.append((p.uri, account_id, quote)))

    column.view.setCurrentIndex(column.model.index(column.model.posts().index(post)))
    column.view.setFocus()
    qtbot.keyClick(column.view, Qt.Key.Key_R)
    column.actions_.reply(post, quote=True)

    assert opened == [(post.uri, post.seen_by[0], False), (post.uri, post.seen_by[0], True)]


def test_columns_are_saved_in_the_profile_and_restored(
    qtbot: QtBot,
    timeline: TimelineView,
    sandbox_accounts: list[Account],
    service: AccountService,
    make_window: Callable[..., MainWindow],
) -> None:
    ini = service.profile.root / SETTINGS_FILE
    bluesky = sandbox_accounts[2].id

    column = timeline.add_column(bluesky)
    qtbot.waitUntil(lambda: ini.exists() and bluesky in ini.read_text(), timeout=5000)
    qtbot.waitUntil(lambda: column.model.rowCount() > 0, timeout=15000)

    assert {a for post in column.model.posts() for a in post.seen_by} == {bluesky}
    again = install_timeline(make_window(), timeline.window().session)
    qtbot.waitUntil(lambda: len(again.columns()) == 2, timeout=5000)
    assert again.area.specs() == ["unified", bluesky]
    assert Path(ini).read_text().count("unified") == 1


def test_unloaded_rows_come_back_from_the_cache_on_scroll(
    qtbot: QtBot, timeline: TimelineView, mastodon_sandbox: Any, bluesky_sandbox: Any
) -> None:
    column = loaded(qtbot, timeline)
    model = column.model
    kept = model.posts()[:20]
    dropped = model.posts()[20:40]
    requests = (len(mastodon_sandbox.requests), len(bluesky_sandbox.requests))

    assert model.unload_beyond(20) > 0
    assert model.rowCount() == 20 and model.canFetchMore()
    model.fetchMore()
    qtbot.waitUntil(lambda: model.rowCount() > 20, timeout=5000)

    assert model.posts()[:20] == kept
    assert [p.uri for p in model.posts()[20:40]] == [p.uri for p in dropped]
    assert (len(mastodon_sandbox.requests), len(bluesky_sandbox.requests)) == requests
