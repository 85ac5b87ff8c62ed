"""Publishing from the composer to both sandboxes through the real outbox: every target's state
is shown, a failure can be retried, the draft is kept until every target is SENT."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Account
from paris_desk.sandbox.http import Fault
from paris_desk.services.outbox import RetryPolicy
from paris_desk.store.outbox import Job, JobState
from paris_desk.ui.composer.widget import ComposerWidget

Type = Callable[[ComposerWidget, str], None]
WaitJobs = Callable[..., list[Job]]
POST = "app.bsky.feed.post"


def test_publish_to_two_networks_shows_published_with_links(
        qtbot: QtBot, composer: ComposerWidget, both: tuple[Account, Account], type_text: Type,
        wait_jobs: WaitJobs, mastodon_sandbox: Any, bluesky_sandbox: Any) -> None:
    mastodon, bluesky = both
    composer.targets_panel.set_checked([mastodon.id, bluesky.id])
    type_text(composer, "Le marché de Noël ouvre samedi sur le parvis de l'Hôtel de Ville 🎄.")
    draft_id = composer.current_draft().id
    qtbot.waitUntil(lambda: draft_id in composer.drafts_panel.ids())  # saved after ~1 s

    qtbot.keyClick(composer.editor.common, Qt.Key.Key_Return,
                   Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter publishes
    jobs = wait_jobs(composer, count=2)
    assert {j.account_id for j in jobs} == {mastodon.id, bluesky.id}
    qtbot.waitUntil(lambda: sorted(composer.publish_panel.state_texts()) == sorted(
        j.id for j in jobs) and all(t.startswith("published") for t in
                                    composer.publish_panel.state_texts().values()))
    texts = composer.publish_panel.state_texts()
    by_account = {j.account_id: texts[j.id] for j in jobs}
    assert "/@ville/" in by_account[mastodon.id]  # the status URL
    assert "bsky.app/profile/ville.sandbox.test/post/" in by_account[bluesky.id]
    assert composer.publish_panel.summary.text() == "2 of 2 sent"

    statuses = mastodon_sandbox.statuses_by("ville")
    assert "marché de Noël" in statuses[0]["content"]
    records = bluesky_sandbox.records(bluesky.user_id, POST)
    assert [r["text"] for r in records.values()].count(
        "Le marché de Noël ouvre samedi sur le parvis de l'Hôtel de Ville 🎄.") == 1
    assert records[next(j for j in jobs if j.account_id == bluesky.id).idempotency_key][
        "langs"] == ["fr"]

    # The composer moved on to a new, empty draft; the published one goes once all SENT.
    assert composer.editor.text() == ""
    assert composer.current_draft().id != draft_id
    qtbot.waitUntil(lambda: draft_id not in composer.drafts_panel.ids(), timeout=10_000)
    assert composer.drafts.get(draft_id) is None


def test_nothing_goes_to_an_unchecked_account(
        qtbot: QtBot, composer: ComposerWidget, both: tuple[Account, Account], type_text: Type,
        wait_jobs: WaitJobs, mastodon_sandbox: Any) -> None:
    _mastodon, bluesky = both
    composer.targets_panel.set_checked([bluesky.id])
    before = len(mastodon_sandbox.statuses_by("ville"))
    type_text(composer, "Seulement sur Bluesky.")
    composer.publish_button.click()
    jobs = wait_jobs(composer, count=1)
    assert [j.account_id for j in jobs] == [bluesky.id]
    assert len(mastodon_sandbox.statuses_by("ville")) == before


def test_a_failed_target_shows_why_and_retry_publishes_it_once(
        qtbot: QtBot, composer: ComposerWidget, both: tuple[Account, Account], type_text: Type,
        wait_jobs: WaitJobs, mastodon_sandbox: Any) -> None:
    mastodon, bluesky = both
    # Rate limited for longer than the outbox waits: the job fails, kept for a manual retry.
    mastodon_sandbox.add_fault(Fault("429", "POST", r"/api/v1/statuses$", count=None,
                                     retry_after=3600))
    composer.targets_panel.set_checked([mastodon.id, bluesky.id])
    type_text(composer, "Ramassage des encombrants le 14 février, quai de Valmy.")
    composer.publish_button.click()
    jobs = wait_jobs(composer, (JobState.SENT, JobState.FAILED), count=2)
    failed = next(j for j in jobs if j.account_id == mastodon.id)
    assert failed.state is JobState.FAILED
    qtbot.waitUntil(lambda: failed.id in composer.publish_panel.retry_buttons)
    state = composer.publish_panel.state_texts()[failed.id]
    assert state.startswith("failed: Too many requests for Mairie (Mastodon)")
    draft_id = next(d.id for d in composer.drafts.list() if d.batch_id == failed.batch_id)
    assert composer.drafts.get(draft_id) is not None  # kept: not every target is SENT

    mastodon_sandbox.clear_faults()
    composer.publish_panel.retry_buttons[failed.id].click()
    jobs = wait_jobs(composer, count=2)
    qtbot.waitUntil(lambda: composer.publish_panel.state_texts().get(failed.id, "").startswith(
        "published"))
    texts = [s["content"] for s in mastodon_sandbox.statuses_by("ville")]
    assert sum("Ramassage des encombrants" in t for t in texts) == 1
    qtbot.waitUntil(lambda: composer.drafts.get(draft_id) is None, timeout=10_000)


def test_publish_is_refused_without_a_target_or_text(composer: ComposerWidget,
                                                     type_text: Type) -> None:
    composer.targets_panel.set_checked([])
    type_text(composer, "")
    assert not composer.publish_button.isEnabled()
    assert composer.blocking_reasons().startswith("Cannot publish yet: Check at least one account.")
    assert "The post is empty." in composer.blocking_reasons()


def test_a_failed_attempt_shows_its_reason_and_next_try_at_once_and_retry_now_sends(
        qtbot: QtBot, composer: ComposerWidget, both: tuple[Account, Account], type_text: Type,
        wait_jobs: WaitJobs, mastodon_sandbox: Any) -> None:
    mastodon, _bluesky = both
    # One 503: the outbox will try again after a back-off; the panel says so at once.
    mastodon_sandbox.add_fault(Fault("503", "POST", r"/api/v1/statuses$", count=1))
    composer.outbox.policy = RetryPolicy(base_delay=3600.0, max_delay=3600.0)  # a long back-off
    composer.targets_panel.set_checked([mastodon.id])
    type_text(composer, "Fermeture exceptionnelle de la médiathèque samedi.")
    composer.publish_button.click()

    (job,) = wait_jobs(composer, (JobState.PENDING,), count=1)
    qtbot.waitUntil(lambda: job.id in composer.publish_panel.retry_buttons)
    state = composer.publish_panel.state_texts()[job.id]
    assert state.startswith("attempt 1 failed: The server of Mairie (Mastodon) is failing")
    assert "Next try at" in state
    assert composer.publish_panel.retry_buttons[job.id].text() == "Retry now"
    assert job.id in composer.publish_panel.cancel_buttons

    composer.publish_panel.retry_buttons[job.id].click()
    qtbot.waitUntil(lambda: composer.publish_panel.state_texts().get(job.id, "").startswith(
        "published"), timeout=10_000)
    texts = [s["content"] for s in mastodon_sandbox.statuses_by("ville")]
    assert sum("médiathèque samedi" in t for t in texts) == 1


def test_cancel_stops_a_post_waiting_for_its_next_try(
        qtbot: QtBot, composer: ComposerWidget, both: tuple[Account, Account], type_text: Type,
        wait_jobs: WaitJobs, mastodon_sandbox: Any) -> None:
    mastodon, _bluesky = both
    mastodon_sandbox.add_fault(Fault("503", "POST", r"/api/v1/statuses$", count=None))
    composer.outbox.policy = RetryPolicy(base_delay=3600.0, max_delay=3600.0)
    composer.targets_panel.set_checked([mastodon.id])
    type_text(composer, "Annulé avant la prochaine tentative.")
    composer.publish_button.click()
    (job,) = wait_jobs(composer, (JobState.PENDING,), count=1)
    qtbot.waitUntil(lambda: job.id in composer.publish_panel.cancel_buttons)

    composer.publish_panel.cancel_buttons[job.id].click()

    qtbot.waitUntil(lambda: composer.publish_panel.state_texts().get(job.id) == "cancelled")
    assert composer.outbox.jobs(job.batch_id)[0].state is JobState.CANCELLED


def test_a_post_refused_for_good_offers_no_retry(
        qtbot: QtBot, composer: ComposerWidget, both: tuple[Account, Account], type_text: Type,
        wait_jobs: WaitJobs, mastodon_sandbox: Any) -> None:
    mastodon, _bluesky = both
    mastodon_sandbox.add_fault(Fault("422", "POST", r"/api/v1/statuses$", count=None))
    composer.targets_panel.set_checked([mastodon.id])
    type_text(composer, "Le serveur n'en veut pas.")
    composer.publish_button.click()

    (job,) = wait_jobs(composer, (JobState.FAILED,), count=1)
    qtbot.waitUntil(lambda: composer.publish_panel.state_texts().get(job.id, "").startswith(
        "refused: "))
    assert job.id not in composer.publish_panel.retry_buttons


def test_accounts_are_told_apart_by_handle_and_network(
        composer: ComposerWidget, both: tuple[Account, Account]) -> None:
    texts = [composer.targets_panel.list.item(i).text()
             for i in range(composer.targets_panel.list.count())]
    for account in both:
        (text,) = [t for t in texts if account.handle in t]
        assert account.network.value.capitalize() in text


def test_the_image_dialog_opens_in_the_pictures_folder(
        composer: ComposerWidget, monkeypatch: Any) -> None:
    from PySide6.QtWidgets import QFileDialog

    from paris_desk.ui.folders import pictures_folder

    asked: list[str] = []
    def dialog(_parent: object, _title: str, folder: str, _filter: str) -> tuple[list[str], str]:
        asked.append(folder)
        return [], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", dialog)
    composer.media.add_button.click()
    assert asked == [pictures_folder()]


def test_a_failure_reads_in_full_under_its_account_when_the_window_is_narrow(
        qtbot: QtBot, composer: ComposerWidget, both: tuple[Account, Account], type_text: Type,
        mastodon_sandbox: Any) -> None:
    mastodon, _ = both
    composer.resize(560, 900)  # the composer's share of a 1100 px window
    composer.show()
    qtbot.waitExposed(composer)
    mastodon_sandbox.add_fault(Fault("503", "POST", r"/api/v1/statuses$", count=None))
    composer.targets_panel.set_checked([mastodon.id])
    type_text(composer, "Fermeture exceptionnelle de la piscine Pontoise ce mardi.")
    composer.publish_button.click()
    panel = composer.publish_panel
    qtbot.waitUntil(lambda: bool(panel.retry_buttons) and bool(panel.cancel_buttons))
    (job_id,) = panel.retry_buttons
    qtbot.waitUntil(lambda: panel.state_texts()[job_id] in {
        label.accessibleDescription() for label in panel.findChildren(QLabel)})
    state = next(label for label in panel.findChildren(QLabel)
                 if label.accessibleDescription() == panel.state_texts()[job_id])
    buttons = [panel.retry_buttons[job_id], panel.cancel_buttons[job_id]]

    # the reason has the panel's whole width, on its own lines under the account and buttons
    assert state.width() >= panel.contentsRect().width() * 0.9
    assert all(state.geometry().top() >= b.geometry().bottom() for b in buttons)
    # and the buttons are whole, inside the panel
    assert all(panel.rect().contains(b.geometry()) for b in buttons)
