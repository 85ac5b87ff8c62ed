"""Keyword filters in the inbox window (issue 15): the "N masqués" toggle and the wiring.

``InboxFilterModel`` does the filtering (hidden items left out, warned ones covered by
"Filtré : mot"); this puts its count on a toggle in the filter bar, opens a warned item when
the user selects it (the detail pane then shows it whole), and reads the compiled filters on
the database thread at start and at each "Actualiser". In the detail pane's conversation,
the other posts a hide filter matches, and the replies the thread's author hid (Bluesky),
are left out and counted; those a warn filter matches read "Filtré : mot".
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QModelIndex
from PySide6.QtWidgets import QHBoxLayout, QPushButton

from paris_desk.core.filters import Matcher
from paris_desk.core.model import Post, TextSpan, Thread
from paris_desk.ui.inbox.detail import thread_html
from paris_desk.ui.inbox.model import InboxFilterModel, InboxRole
from paris_desk.ui.lifetime import while_alive

if TYPE_CHECKING:
    from paris_desk.ui.inbox.view import InboxView


class HiddenToggle(QPushButton):
    """"N masqués": checked, the hidden items are shown (until unchecked)."""

    def __init__(self, proxy: InboxFilterModel) -> None:
        super().__init__()
        self.setObjectName("inbox_hidden_button")
        self.setCheckable(True)
        self.setFlat(True)
        self._proxy = proxy
        self.toggled.connect(proxy.set_show_hidden)
        proxy.hidden_changed.connect(lambda _count: self._update())
        proxy.filter_changed.connect(self._update)
        self._update()

    def _update(self) -> None:
        count = self._proxy.hidden_count
        if self._proxy.show_hidden:
            text = QCoreApplication.translate("Covers", "Hide the filtered posts again")
        else:
            text = QCoreApplication.translate("Covers", "%n hidden", "", count)
        self.setText(text)
        self.setAccessibleName(text)
        self.setVisible(count > 0)


def install_filters(view: InboxView, load_matcher: Callable[[], Matcher]) -> HiddenToggle:
    """Add the toggle to ``view``'s filter bar and keep its filters up to date."""
    proxy = view.proxy
    toggle = HiddenToggle(proxy)
    bar = view.counts_label.parentWidget().layout().itemAt(0).layout()  # type: ignore[union-attr]
    if isinstance(bar, QHBoxLayout):
        bar.insertWidget(bar.indexOf(view.counts_label), toggle)

    def opened(current: QModelIndex, _previous: QModelIndex) -> None:
        key = current.data(InboxRole.KEY) if current.isValid() else None
        if key is not None:
            proxy.open_item(key)

    def reload() -> None:
        view.tasks.run_db(load_matcher, while_alive(proxy, proxy.set_matcher))

    def conversation(thread: Thread) -> None:
        item = view.current_item()
        if item is None:
            return
        shown, hidden = covered(thread, proxy.matcher, item.account_id)
        if shown is not thread:
            view.detail.thread_view.setHtml(thread_html(shown))
        if hidden:
            view.detail.status.setText(view.detail.status.text() + " " + QCoreApplication.translate(
                "Covers", "%n hidden", "", hidden))

    view.list.selectionModel().currentChanged.connect(opened)
    view.thread_loaded.connect(conversation)
    view.refresh_button.clicked.connect(reload)
    reload()
    return toggle


def covered(thread: Thread, matcher: Matcher, account_id: str) -> tuple[Thread, int]:
    """``thread`` as the detail pane shows it: the post itself whole (the user opened it),
    the others left out when hidden (a hide filter, a reply the author hid) or covered by
    "Filtré : mot"; and how many were left out. The same ``thread`` when nothing changed."""
    hidden_uris = set(thread.hidden_replies)
    count = 0

    def keep(posts: tuple[Post, ...]) -> tuple[Post, ...]:
        nonlocal count
        out = []
        for post in posts:
            verdict = matcher.verdict(post, (account_id,))
            if post.uri in hidden_uris or (verdict is not None and verdict.hidden):
                count += 1
            elif verdict is not None:
                line = QCoreApplication.translate("Covers", "Filtered: {word}").format(
                    word=verdict.text)
                out.append(replace(post, text=line, html=html.escape(line),
                                   spans=(TextSpan(line),), media=(), card=None, quote=None,
                                   content_warning=""))
            else:
                out.append(post)
        return tuple(out)

    ancestors, replies = keep(thread.ancestors), keep(thread.replies)
    if ancestors == thread.ancestors and replies == thread.replies:
        return thread, 0
    return replace(thread, ancestors=ancestors, replies=replies), count
