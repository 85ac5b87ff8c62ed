"""Scheduling from the composer: Mastodon keeps a native scheduled status on the server;
Bluesky waits in paris_desk's outbox (not_before) and the composer says the app must stay open."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QDateTime
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Account
from paris_desk.store.outbox import Job, JobState
from paris_desk.ui.composer.widget import ComposerWidget

Type = Callable[[ComposerWidget, str], None]
WaitJobs = Callable[..., list[Job]]
POST = "app.bsky.feed.post"


def schedule(composer: ComposerWidget, when: datetime) -> None:
    composer.options.schedule.setChecked(True)
    composer.options.when.setDateTime(QDateTime.fromSecsSinceEpoch(int(when.timestamp())))


def test_mastodon_native_scheduled_status_and_bluesky_waits_in_the_outbox(
        qtbot: QtBot, composer: ComposerWidget, both: tuple[Account, Account], type_text: Type,
        wait_jobs: WaitJobs, mastodon_sandbox: Any, bluesky_sandbox: Any) -> None:
    mastodon, bluesky = both
    composer.targets_panel.set_checked([mastodon.id, bluesky.id])
    type_text(composer, "Rappel : conseil de quartier ce soir à 19 h, mairie du 11e.")
    when = (datetime.now(UTC) + timedelta(hours=2)).replace(second=0, microsecond=0)
    schedule(composer, when)
    qtbot.wait(150)
    note = composer.options.schedule_note.text()
    assert "Mastodon: scheduled on the server." in note
    assert ("Bluesky: sent by paris_desk at the set time, the application must stay open."
            in note)
    records_before = len(bluesky_sandbox.records(bluesky.user_id, POST))

    composer.publish_button.click()
    jobs = wait_jobs(composer, (JobState.SENT, JobState.PENDING), count=2)
    by_account = {j.account_id: j for j in jobs}
    qtbot.waitUntil(lambda: composer.outbox.jobs(jobs[0].batch_id) and
                    composer.outbox.store.get(by_account[mastodon.id].id).state
                    is JobState.SENT)

    # Mastodon: a native scheduled status exists on the server, at that time.
    items = [s for s in mastodon_sandbox.scheduled.values()
             if s.account_id == mastodon_sandbox.account_id("ville")]
    assert len(items) == 1
    assert items[0].scheduled_at == when
    assert "conseil de quartier" in items[0].params["text"]
    assert items[0].params["language"] == "fr"
    assert "conseil de quartier" not in mastodon_sandbox.statuses_by("ville")[0]["content"]

    # Bluesky: nothing on the server yet; the job waits in the outbox until the time.
    waiting = composer.outbox.store.get(by_account[bluesky.id].id)
    assert waiting.state is JobState.PENDING and waiting.attempts == 0
    assert waiting.not_before_us == int(when.timestamp() * 1_000_000)
    assert len(bluesky_sandbox.records(bluesky.user_id, POST)) == records_before
    qtbot.waitUntil(lambda: composer.publish_panel.state_texts().get(waiting.id, "").startswith(
        "queued, sent by paris_desk at"))
    qtbot.waitUntil(lambda: composer.publish_panel.state_texts()[
        by_account[mastodon.id].id].startswith("scheduled on the server for"))


def test_a_thread_cannot_be_a_native_scheduled_status(
        qtbot: QtBot, composer: ComposerWidget, mastodon_account: Account, type_text: Type,
        wait_jobs: WaitJobs, mastodon_sandbox: Any) -> None:
    composer.targets_panel.set_checked([mastodon_account.id])
    type_text(composer, "Une phrase assez longue pour remplir le message. " * 12)
    composer.editor.thread_button.click()
    when = datetime.now(UTC) + timedelta(hours=3)
    schedule(composer, when)
    qtbot.wait(150)
    assert "Mastodon: a thread is sent by paris_desk at the set time" in (
        composer.options.schedule_note.text())
    composer.publish_button.click()
    jobs = wait_jobs(composer, (JobState.PENDING,), count=2)
    assert all(j.request.scheduled_at is None for j in jobs)
    expected = int(when.timestamp()) * 1_000_000  # the picker has second precision
    assert [j.not_before_us for j in jobs] == [expected, expected]
    assert not [s for s in mastodon_sandbox.scheduled.values()
                if s.account_id == mastodon_sandbox.account_id("ville")]


def test_a_time_in_the_past_blocks_publishing(qtbot: QtBot, composer: ComposerWidget,
                                              bluesky_account: Account, type_text: Type) -> None:
    composer.targets_panel.set_checked([bluesky_account.id])
    type_text(composer, "Trop tard.")
    schedule(composer, datetime.now(UTC) - timedelta(minutes=5))
    qtbot.wait(150)
    assert not composer.publish_button.isEnabled()
    assert "The scheduled time has passed." in composer.blocking_reasons()
