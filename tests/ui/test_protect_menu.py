"""'Protect the thread' in a post's menu (issue 15), in the window on the Bluesky sandbox: on
a reply in the city's thread it hides the reply, on the city's post it forbids quotes; a
stranger's post outside the city's threads has no such entry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from paris_desk.channels import bluesky as bsky
from paris_desk.channels.bluesky.convert import rkey_of
from paris_desk.core.model import Post, PostRequest
from paris_desk.core.tid import next_tid
from paris_desk.services.accounts import AccountService
from paris_desk.ui.shell.main_window import MainWindow
from paris_desk.ui.timeline.column import TimelineColumn
from paris_desk.ui.timeline.thread_dialog import ThreadDialog
from paris_desk.ui.timeline.view import install_timeline

WAIT = 20_000  # ms: a hang guard only


def entry(menu: QMenu, *path: str) -> QAction | None:
    """The action at ``path`` (menu texts without '&') in ``menu``."""
    for action in menu.actions():
        if action.text().replace("&", "") != path[0]:
            continue
        if len(path) == 1:
            return action
        sub = action.menu()
        return entry(sub, *path[1:]) if isinstance(sub, QMenu) else None
    return None


def run(qtbot: QtBot, column: TimelineColumn, post: Post, *path: str) -> str:
    menu = column.actions_.menu(post, column)
    action = entry(menu, *path)
    assert action is not None, path
    with qtbot.waitSignal(column.message, timeout=WAIT) as said:
        action.trigger()
    text, is_error = said.args
    assert not is_error, text
    return str(text)


def test_protect_the_citys_thread_from_the_menu(
    qtbot: QtBot, make_window: Callable[..., MainWindow], service: AccountService,
    bluesky_sandbox: Any,
) -> None:
    who = bluesky_sandbox.accounts[0]
    city = service.add_bluesky(who["handle"], who["password"], service=bluesky_sandbox.base_url)
    author = bluesky_sandbox.authors[3]
    login, secret = bsky.login(author["handle"], author["password"],
                               service=bluesky_sandbox.base_url)
    citizen = bsky.restore(login, secret, lambda s: None)
    window = make_window()
    view = install_timeline(window, window.session)
    qtbot.waitUntil(lambda: bool(view.columns()), timeout=WAIT)
    column = view.columns()[0]
    root = service.channel(city.id).post(PostRequest("Piscine Pontoise : point d'étape.",
                                                     idempotency_key=next_tid()))
    insult = citizen.post(PostRequest("Bande d'incapables", reply_to=root,
                                      idempotency_key=next_tid()))
    stranger = citizen.post(PostRequest("Il fait beau", idempotency_key=next_tid()))

    said = run(qtbot, column, insult, "Protect the thread", "Hide this reply")
    assert said == "Reply hidden in the thread."
    gate = dict(bluesky_sandbox.records(city.user_id, "app.bsky.feed.threadgate"))
    assert gate[rkey_of(root.uri)]["hiddenReplies"] == [insult.uri]

    run(qtbot, column, root, "Protect the thread", "Forbid quotes")
    postgate = dict(bluesky_sandbox.records(city.user_id, "app.bsky.feed.postgate"))
    assert postgate[rkey_of(root.uri)]["embeddingRules"] == [
        {"$type": "app.bsky.feed.postgate#disableRule"}]
    run(qtbot, column, root, "Protect the thread", "Who may reply", "Followers")
    gate = dict(bluesky_sandbox.records(city.user_id, "app.bsky.feed.threadgate"))
    assert gate[rkey_of(root.uri)]["allow"] == [{"$type": "app.bsky.feed.threadgate#followerRule"}]

    assert entry(column.actions_.menu(stranger, column), "Protect the thread") is None

    seen = replace(root, seen_by=(city.id,))  # as a timeline row
    dialog = ThreadDialog(column, seen)  # the conversation honours the hidden reply
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=WAIT)
    rows = {p.uri: r for r, p in enumerate(dialog.model.posts())}
    assert dialog.view.isRowHidden(rows[insult.uri]) and not dialog.view.isRowHidden(
        rows[root.uri])
    assert dialog.hidden_rows.count == 1


def test_mastodon_quotes_from_the_menu(
    qtbot: QtBot, make_window: Callable[..., MainWindow], service: AccountService,
    mastodon_sandbox: Any,
) -> None:
    from mastodon import Mastodon

    city = service.add_mastodon_token(mastodon_sandbox.base_url,
                                      mastodon_sandbox.token_for("ville"))
    window = make_window()
    view = install_timeline(window, window.session)
    qtbot.waitUntil(lambda: bool(view.columns()), timeout=WAIT)
    column = view.columns()[0]
    post = replace(service.channel(city.id).post(PostRequest("Piscine : point d'étape.",
                                                             idempotency_key="m1")),
                   seen_by=(city.id,))
    citizen = Mastodon(access_token=mastodon_sandbox.token_for("culture"),
                       api_base_url=mastodon_sandbox.base_url, version_check_mode="none")
    quote = citizen.status_post("Enfin !", quoted_status_id=post.native_id)

    assert entry(column.actions_.menu(post, column), "Protect the thread",
                 "Who may reply") is None  # Bluesky only
    run(qtbot, column, post, "Protect the thread", "Forbid quotes")
    assert citizen.status(post.native_id)["quote_approval"]["automatic"] == []

    quoting = next(p for p in service.channel(city.id).home_timeline(limit=40).items
                   if p.uri == quote["uri"])
    said = run(qtbot, column, quoting, "Protect the thread", "Detach this quote")
    assert said == "Quote detached from our post."
    assert citizen.status(quote["id"])["quote"]["state"] == "revoked"
