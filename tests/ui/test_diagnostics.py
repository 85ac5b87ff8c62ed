"""Help → Copy the diagnostics, after a full session at DEBUG: accounts added through the
dialogs on both sandboxes, a post published with Ctrl+Enter, the timeline read. The report
says what support needs, and neither it nor any file of the profile (the rotating log
included) holds a token, a password or a session."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from whole_app import install_views, show_window, shut_down, tear_down

from paris_desk import __version__
from paris_desk.services.logging_setup import RedactingFilter, setup_logging, teardown_logging
from paris_desk.store.outbox import JobState
from paris_desk.store.profile import Profile
from paris_desk.ui.composer.widget import ComposerWidget
from paris_desk.ui.shell.diagnostics import LOG_RECORDS, proxy_line, redact_report, trust_line
from paris_desk.ui.shell.main_window import MainWindow
from paris_desk.ui.timeline.view import TimelineView

WAIT_MS = 15_000


@pytest.fixture
def window(qtbot: QtBot, make_window: Callable[..., MainWindow]) -> Iterator[MainWindow]:
    made = show_window(qtbot, make_window())
    yield made
    tear_down(made)  # before the task manager stops


@pytest.fixture
def debug_log(profile_dir: Path) -> Iterator[Any]:
    ring = setup_logging(Profile.default(), logging.DEBUG)
    yield ring
    teardown_logging()


def sign_in(qtbot: QtBot, window: MainWindow, mastodon: Any, bluesky: Any) -> None:
    panel = window.accounts_panel
    dialog = panel.add_mastodon()
    dialog.instance_edit.setText(mastodon.base_url)
    dialog.tabs.setCurrentIndex(1)
    dialog.token_edit.setText(mastodon.accounts[0]["access_token"])
    with qtbot.waitSignal(dialog.account_added, timeout=WAIT_MS):
        dialog.token_button.click()
    dialog = panel.add_bluesky()
    dialog.identifier_edit.setText(bluesky.accounts[0]["handle"])
    dialog.password_edit.setText(bluesky.accounts[0]["password"])
    dialog.server_edit.setText(bluesky.base_url)
    with qtbot.waitSignal(dialog.account_added, timeout=WAIT_MS):
        dialog.sign_in_button.click()


def publish_with_ctrl_enter(qtbot: QtBot, window: MainWindow) -> None:
    composer = window.findChild(ComposerWidget, "composer")
    assert composer is not None
    window.show_view("composer")
    composer.targets_panel.set_checked([a.id for a in window.accounts_panel.model.accounts()])
    composer.editor.common.setPlainText("Fermeture de la mairie du 4e lundi pour travaux.")
    qtbot.waitUntil(composer.publish_button.isEnabled, timeout=WAIT_MS)
    window.activateWindow()  # the sign-in dialogs are gone
    qtbot.waitActive(window)
    composer.editor.common.setFocus()
    qtbot.waitUntil(composer.editor.common.hasFocus)
    qtbot.keyClick(composer.editor.common, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: composer.publisher.watched != "", timeout=WAIT_MS)
    batch = composer.publisher.watched
    qtbot.waitUntil(lambda: [j.state for j in composer.outbox.jobs(batch)]
                    == [JobState.SENT, JobState.SENT], timeout=WAIT_MS)


def read_timeline(qtbot: QtBot, window: MainWindow) -> None:
    view = window.findChild(TimelineView)
    assert view is not None
    window.show_view("timeline")
    qtbot.waitUntil(lambda: bool(view.columns()), timeout=WAIT_MS)
    column = view.columns()[0]
    qtbot.waitUntil(lambda: not column.feed.refreshing, timeout=WAIT_MS)
    with qtbot.waitSignal(column.feed.refreshed, timeout=WAIT_MS):
        column.refresh()
    column.show_new_posts()
    assert column.model.rowCount() > 0


def secrets_of(memory_keyring: Any, mastodon: Any, bluesky: Any) -> set[str]:
    """What was typed or stored: the token, the app password, the sessions and their JWTs."""
    values = [mastodon.accounts[0]["access_token"], bluesky.accounts[0]["password"],
              *memory_keyring.items.values()]  # fmt: skip
    found = set()
    for value in values:
        found.add(value)
        found.update(re.findall(r"eyJ[\w-]+\.[\w-]+\.[\w-]+", value))
    return {s for s in found if len(s) >= 8}


def test_copied_diagnostics_and_profile_files_hold_no_secret(
    qtbot: QtBot,
    window: MainWindow,
    memory_keyring: Any,
    mastodon_sandbox: Any,
    bluesky_sandbox: Any,
    profile_dir: Path,
    debug_log: Any,
) -> None:
    sign_in(qtbot, window, mastodon_sandbox, bluesky_sandbox)
    install_views(qtbot, window)
    publish_with_ctrl_enter(qtbot, window)
    read_timeline(qtbot, window)
    QGuiApplication.clipboard().clear()
    window.diagnostics_action.trigger()
    qtbot.waitUntil(lambda: "paris_desk diagnostics" in QGuiApplication.clipboard().text(),
                    timeout=WAIT_MS)
    report = QGuiApplication.clipboard().text()
    assert window.message_bar.label.text().startswith("The diagnostics were copied")
    shut_down(window)  # the composer saves its draft, the window closes: all on disk

    secrets = secrets_of(memory_keyring, mastodon_sandbox, bluesky_sandbox)
    assert len(secrets) >= 4  # token, app password, session, its JWTs
    for secret in secrets:
        assert secret not in report
    files = [p for p in profile_dir.rglob("*") if p.is_file()]
    assert any(p.name == "paris-desk.log" for p in files)
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, f"a secret is in {path.relative_to(profile_dir)}"

    for line in (f"paris_desk: {__version__}", "Python: 3.", "Qt: 6.", "PySide6: 6.",
                 "Mastodon.py: 2.", "atproto: 0.0.", "Keychain: conftest.MemoryKeyring",
                 f"Profile: {profile_dir} (accounts)", f"TLS trust: {trust_line()}\n",
                 f"HTTPS proxy: {proxy_line()}\n"):
        assert line in report, report[:600]
    accounts = window.accounts_panel.model.accounts()
    assert "Accounts (2):" in report
    for account in accounts:
        assert f"  {account.id}\n" in report
    records = report.split("log records:\n", 1)[1].splitlines()
    assert 20 < len([r for r in records if re.match(r"\d{4}-\d\d-\d\d ", r)]) <= LOG_RECORDS
    assert "DEBUG" in report


def test_the_trust_source_and_the_proxy_are_reported_without_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("https_proxy", "http_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    assert proxy_line() == "none, direct (none)"
    monkeypatch.setenv("HTTPS_PROXY", "http://agent:s3cret@proxy.ville.test:3128")
    monkeypatch.setenv("NO_PROXY", "localhost,.ville.test")

    assert proxy_line() == (
        "http://proxy.ville.test:3128 (environment); bypass: localhost,.ville.test"
    )
    assert trust_line().startswith(("system store (truststore ", "certifi, fallback"))


def test_the_ring_buffer_is_filtered_and_the_report_redacted_again(debug_log: Any) -> None:
    assert any(isinstance(f, RedactingFilter) for f in debug_log.filters)
    token = "Zk3xQ9vLr2Tn8PwYc4HsJ6bDm1EaUf7G"  # an opaque 32-character token
    text = (f"GET /api/v1/timelines/home 200 12 ms\nAuthorization: Bearer {token}\n"
            f"session_string=abc:::def\nleaked {token}x\nstatus 113456789012345678\n")
    redacted = redact_report(text)
    assert token not in redacted
    assert "abc:::def" not in redacted
    assert "GET /api/v1/timelines/home 200 12 ms" in redacted  # ordinary lines are kept
    assert "113456789012345678" in redacted  # a post id is not a secret


def test_diagnostics_in_french_say_they_were_copied(
    qtbot: QtBot, french: object, window: MainWindow, debug_log: Any
) -> None:
    assert [a.text() for a in window.help_menu.actions()][1] == "&Copier le diagnostic"
    window.copy_diagnostics()
    qtbot.waitUntil(lambda: window.message_bar.isVisibleTo(window), timeout=WAIT_MS)
    assert window.message_bar.label.text().startswith("Le diagnostic a été copié")
    assert "Accounts (0):" in QApplication.clipboard().text()
