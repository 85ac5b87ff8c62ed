"""Filters in the window's timeline and conversations (issue 15), on the Mastodon sandbox
through Mastodon.py: a hide filter made in the profile leaves the timeline's and the
conversation's rows of the insult hidden and counted, the citizen's question in view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mastodon import Mastodon
from pytestqt.qtbot import QtBot

from paris_desk.core.filters import FilterAction
from paris_desk.services.accounts import AccountService
from paris_desk.ui.shell.main_window import MainWindow
from paris_desk.ui.timeline.thread_dialog import ThreadDialog
from paris_desk.ui.timeline.view import install_timeline

WAIT = 20_000  # ms: a hang guard only
HOSTILE = "Vous êtes des INCAPABLES, démissionnez !"
QUESTION = "Bonjour, la piscine Pontoise rouvre-t-elle lundi ? Merci"


def test_the_insult_is_hidden_in_the_timeline_and_in_the_conversation(
    qtbot: QtBot, make_window: Callable[..., MainWindow], service: AccountService,
    mastodon_sandbox: Any,
) -> None:
    def client(acct: str) -> Mastodon:
        return Mastodon(access_token=mastodon_sandbox.token_for(acct),
                        api_base_url=mastodon_sandbox.base_url, version_check_mode="none")

    city = client("ville").status_post("Travaux de la piscine Pontoise : point d'étape.")
    for text in (HOSTILE, QUESTION):
        client("culture").status_post(f"@ville {text}", in_reply_to_id=city["id"])
    service.add_mastodon_token(mastodon_sandbox.base_url, mastodon_sandbox.token_for("ville"))
    window = make_window()
    window.session.desk.filters.add("incapables", action=FilterAction.HIDE)
    view = install_timeline(window, window.session)
    qtbot.waitUntil(lambda: bool(view.columns()), timeout=WAIT)
    column = view.columns()[0]
    qtbot.waitUntil(lambda: not column.feed.refreshing and column.model.rowCount() > 0,
                    timeout=WAIT)
    with qtbot.waitSignal(column.feed.refreshed, timeout=WAIT):
        column.refresh()
    column.show_new_posts()

    posts = column.model.posts()
    insult = next(i for i, p in enumerate(posts) if "INCAPABLES" in p.text)
    question = next(i for i, p in enumerate(posts) if p.text.endswith(QUESTION))
    qtbot.waitUntil(lambda: column.view.isRowHidden(insult), timeout=WAIT)
    assert not column.view.isRowHidden(question)
    assert column.hidden_rows.count == 1

    root = next(p for p in posts if p.uri == city["uri"])
    dialog = ThreadDialog(column, root)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3, timeout=WAIT)
    shown = [p.text for row, p in enumerate(dialog.model.posts())
             if not dialog.view.isRowHidden(row)]
    assert any(t.endswith(QUESTION) for t in shown)
    assert not any("INCAPABLES" in t for t in shown)
    assert dialog.hidden_rows.count == 1


def test_a_filter_made_on_a_phone_applies_at_start(
    qtbot: QtBot, make_window: Callable[..., MainWindow], service: AccountService,
    mastodon_sandbox: Any,
) -> None:
    phone = Mastodon(access_token=mastodon_sandbox.token_for("ville"),
                     api_base_url=mastodon_sandbox.base_url, version_check_mode="none")
    phone.create_filter_v2("Insultes", ["home"], "hide",
                           keywords_attributes=[{"keyword": "incapables"}])
    service.add_mastodon_token(mastodon_sandbox.base_url, mastodon_sandbox.token_for("ville"))
    window = make_window()
    view = install_timeline(window, window.session)
    qtbot.waitUntil(lambda: bool(view.columns()), timeout=WAIT)
    column = view.columns()[0]
    qtbot.waitUntil(lambda: bool(column.delegate.covers.matcher), timeout=WAIT)
    assert [f.text for f in window.session.desk.filters.list()] == ["incapables"]
