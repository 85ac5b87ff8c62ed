"""The Bluesky link card (fetched from a real local web page, previewed, removable) and replies
or quotes started from another view with ``open_reply``/``open_quote``."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Account, Post
from paris_desk.sandbox.corpus import png_image
from paris_desk.services import safe_fetch
from paris_desk.services.accounts import AccountService
from paris_desk.store.outbox import Job
from paris_desk.ui.composer.widget import ComposerWidget

Type = Callable[[ComposerWidget, str], None]
WaitJobs = Callable[..., list[Job]]
POST = "app.bsky.feed.post"
PAGE = b"""<html><head><title>Secours</title>
<meta property="og:title" content="Nuit Blanche 2026">
<meta property="og:description" content="Le parcours artistique de la nuit du 4 octobre.">
<meta property="og:image" content="/affiche.png">
</head><body></body></html>"""


class Page(BaseHTTPRequestHandler):
    def log_message(self, *_args: object) -> None:
        pass

    def do_GET(self) -> None:
        image = self.path == "/affiche.png"
        body = png_image(120, 63, 2) if image else PAGE
        self.send_response(200)
        self.send_header("Content-Type", "image/png" if image else "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    # A loopback page is fetched only as one of the profile's own servers (issue 13: SSRF);
    # the refusal itself is tests/services/test_fetch_ssrf.py.
    safe_fetch.trust_origins("test_composer_card_reply", [url])
    yield url
    safe_fetch.trust_origins("test_composer_card_reply", [])
    server.shutdown()
    server.server_close()


def test_link_card_preview_is_sent_to_bluesky(
        qtbot: QtBot, composer: ComposerWidget, bluesky_account: Account, type_text: Type,
        wait_jobs: WaitJobs, bluesky_sandbox: Any, site: str) -> None:
    composer.targets_panel.set_checked([bluesky_account.id])
    type_text(composer, f"Tout le parcours : {site}/nuit-blanche")
    preview = composer.card_preview
    qtbot.waitUntil(lambda: preview.title.text() == "Nuit Blanche 2026", timeout=5000)
    assert preview.isVisible()
    assert preview.description.text() == "Le parcours artistique de la nuit du 4 octobre."
    assert preview.thumb.pixmap() is not None and not preview.thumb.pixmap().isNull()
    composer.publish_button.click()
    (job,) = wait_jobs(composer, count=1)
    record = bluesky_sandbox.records(bluesky_account.user_id, POST)[job.idempotency_key]
    external = record["embed"]["external"]
    assert record["embed"]["$type"] == "app.bsky.embed.external"
    assert (external["uri"], external["title"]) == (f"{site}/nuit-blanche", "Nuit Blanche 2026")


def test_removed_card_is_not_sent_and_stays_removed(
        qtbot: QtBot, composer: ComposerWidget, bluesky_account: Account, type_text: Type,
        wait_jobs: WaitJobs, bluesky_sandbox: Any, site: str) -> None:
    composer.targets_panel.set_checked([bluesky_account.id])
    type_text(composer, f"Tout le parcours : {site}/nuit-blanche")
    preview = composer.card_preview
    qtbot.waitUntil(lambda: preview.title.text() == "Nuit Blanche 2026", timeout=5000)
    preview.remove_button.click()
    assert not preview.isVisible()
    type_text(composer, f"Tout le parcours : {site}/nuit-blanche !")
    qtbot.wait(900)  # past the pause after which cards are fetched
    assert not preview.isVisible()
    assert composer.current_draft().card_dismissed == f"{site}/nuit-blanche"
    composer.publish_button.click()
    (job,) = wait_jobs(composer, count=1)
    record = bluesky_sandbox.records(bluesky_account.user_id, POST)[job.idempotency_key]
    assert "embed" not in record


def first_post(service: AccountService, account: Account) -> Post:
    return next(p for p in service.channel(account.id).home_timeline().items
                if p.author.handle != account.handle and p.repost_by is None)


def test_reply_on_bluesky_points_at_the_post(
        qtbot: QtBot, composer: ComposerWidget, both: tuple[Account, Account], type_text: Type,
        wait_jobs: WaitJobs, bluesky_sandbox: Any, service: AccountService) -> None:
    mastodon, bluesky = both
    post = first_post(service, bluesky)
    shown: list[bool] = []
    composer.activation_requested.connect(lambda: shown.append(True))
    composer.open_reply(post, bluesky.id)
    assert shown == [True]
    assert composer.targets_panel.checked_ids() == [bluesky.id]
    assert composer.reply_banner.isVisible()
    assert composer.reply_label.text().startswith(f"Reply to {post.author.handle}: “")
    # Only accounts of the post's network can answer it.
    item = composer.targets_panel.list.item(composer.targets_panel.ids().index(mastodon.id))
    assert not item.flags() & Qt.ItemFlag.ItemIsEnabled
    type_text(composer, "Merci pour votre message, nous transmettons au service concerné.")
    composer.publish_button.click()
    (job,) = wait_jobs(composer, count=1)
    record = bluesky_sandbox.records(bluesky.user_id, POST)[job.idempotency_key]
    assert record["reply"]["parent"]["uri"] == post.uri
    assert not composer.reply_banner.isVisible()  # the next draft is a new post


def test_a_bluesky_reply_starts_with_a_real_mention_and_the_cursor_after_it(
        qtbot: QtBot, composer: ComposerWidget, bluesky_account: Account,
        service: AccountService) -> None:
    post = first_post(service, bluesky_account)
    assert not post.author.handle.startswith("@")
    composer.open_reply(post, bluesky_account.id)
    qtbot.keyClicks(composer.editor.common, "Merci !")
    assert composer.editor.text() == f"@{post.author.handle} Merci !"
    assert composer.editor.common.hasFocus() or composer.editor.common is composer.focusWidget()


def test_reply_on_mastodon_mentions_the_author(
        qtbot: QtBot, composer: ComposerWidget, mastodon_account: Account, type_text: Type,
        wait_jobs: WaitJobs, mastodon_sandbox: Any, service: AccountService,
        bluesky_account: Account) -> None:
    post = first_post(service, mastodon_account)
    composer.open_reply(post, mastodon_account.id)
    user, _, host = post.author.handle.lstrip("@").partition("@")
    own_host = mastodon_account.handle.lstrip("@").partition("@")[2]
    # a real mention, as Mastodon writes it: @user on the account's own server
    assert composer.editor.text() == (f"@{user} " if host == own_host else f"@{user}@{host} ")
    composer.editor.common.insertPlainText("C'est noté, merci !")
    qtbot.wait(150)
    composer.publish_button.click()
    wait_jobs(composer, count=1)
    status = mastodon_sandbox.statuses_by("ville")[0]
    assert status["in_reply_to_id"] == post.native_id
    assert "C&#39;est noté, merci !" in status["content"] or "C'est noté" in status["content"]
    assert [m["id"] for m in status["mentions"]] == [post.author.user_id]  # it reaches them


def test_quote_and_cancel(qtbot: QtBot, composer: ComposerWidget, bluesky_account: Account,
                          type_text: Type, wait_jobs: WaitJobs, bluesky_sandbox: Any,
                          service: AccountService) -> None:
    post = first_post(service, bluesky_account)
    composer.open_quote(post, bluesky_account.id)
    assert composer.reply_label.text().startswith(f"Quote of {post.author.handle}")
    composer.reply_cancel.click()
    assert not composer.reply_banner.isVisible()
    assert composer.current_draft().quote is None
    composer.open_quote(post, bluesky_account.id)
    type_text(composer, "À lire !")
    composer.publish_button.click()
    (job,) = wait_jobs(composer, count=1)
    record = bluesky_sandbox.records(bluesky_account.user_id, POST)[job.idempotency_key]
    assert record["embed"]["record"]["uri"] == post.uri
