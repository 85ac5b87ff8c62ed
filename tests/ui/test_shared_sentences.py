"""The window and the command line say the same sentence for the same failure or refusal, in
French and in English: both word it with one catalogue (``services.sentences``), the window
through its installed translators, the CLI through a ``QTranslator`` on the same ``.qm``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from cli_run import cli
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from paris_desk.cli import messages
from paris_desk.cli.errors import error_line
from paris_desk.core import errors
from paris_desk.core.model import Draft, Network, PostRequest
from paris_desk.services.api import Job, JobState
from paris_desk.services.desk import Desk
from paris_desk.services.publisher import Refused
from paris_desk.services.sentences import Sentences
from paris_desk.store.db import KnownStoreError, StoreErrorCode
from paris_desk.store.profile import Profile
from paris_desk.ui import i18n
from paris_desk.ui.composer import publish_panel
from paris_desk.ui.composer.checks import refusal_text
from paris_desk.ui.errors import describe

ACCOUNT = "@ville@paris.social"
FAILURES = [
    errors.AuthExpired("401", account_id=f"mastodon:{ACCOUNT}"),
    errors.Unreachable("timeout", account_id=f"mastodon:{ACCOUNT}"),
    errors.RateLimited("429", retry_after=3, account_id=f"mastodon:{ACCOUNT}"),
    errors.RateLimited("429", retry_after=1, account_id=f"mastodon:{ACCOUNT}"),
    errors.Rejected("Text character limit of 500 exceeded", account_id=f"mastodon:{ACCOUNT}"),
    errors.ServerError("503", account_id=f"mastodon:{ACCOUNT}"),
    errors.CertificateError("expired", kind=errors.CertificateError.EXPIRED,
                            host="paris.social", not_after="2026-01-31"),
    errors.ProxyRefused("403", status=403, proxy="proxy.mairie.fr:3128"),
    errors.KeychainUnavailable(),
    KnownStoreError(StoreErrorCode.DISK_FULL),
]
ERROR_PREFIX = {"fr": "Erreur : ", "en": "Error: "}


@pytest.fixture(params=["fr", "en"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The window's translators for one language (as the app installs them at start)."""
    previous_locale = QLocale()
    installed: list[QTranslator] = i18n.install_translators(qapp, request.param)
    assert len(installed) >= 2, "qtbase or paris_desk catalogue not found"
    yield request.param
    for translator in installed:
        QCoreApplication.removeTranslator(translator)
    QLocale.setDefault(previous_locale)
    messages.use_language("fr")


@pytest.mark.parametrize("exc", FAILURES, ids=lambda e: type(e).__name__)
def test_a_failure_reads_the_same_in_the_window_and_the_terminal(
    language: str, exc: Exception
) -> None:
    window = describe(exc, ACCOUNT)
    messages.use_language(language)

    terminal = error_line(exc, account=ACCOUNT)

    hint = messages.sentences().command_hint(exc)  # the CLI's remedy, when it is a command
    assert terminal == ERROR_PREFIX[language] + window + (f" {hint}" if hint else "")
    if language == "fr":  # translated, not the English source
        assert window != Sentences().describe(exc, ACCOUNT)


def test_the_terminal_speaks_french_by_default(qapp: QApplication) -> None:
    messages.use_language("")
    line = error_line(errors.ServerError("503"), account=ACCOUNT)
    assert line == f"Erreur : Le serveur de {ACCOUNT} est en panne\u00a0; réessayez plus tard."


def test_a_refusal_reads_the_same_in_the_window_and_the_terminal(
    language: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    bluesky_sandbox: Any,
) -> None:
    who = bluesky_sandbox.accounts[0]
    code, _, err = cli(capsys, monkeypatch, "account", "add", "bluesky", "--handle",
                       who["handle"], "--service", bluesky_sandbox.base_url,
                       "--password-stdin", stdin=who["password"])
    assert code == 0, err
    text = "Trop long. " * 40

    code, _, err = cli(capsys, monkeypatch, "--lang", language, "post", "--to", "all", text)

    assert code == 2
    desk = Desk.open(Profile.default())
    try:  # the window's composer hands the same draft to the same core
        with pytest.raises(Refused) as refused:
            desk.publisher.submit(Draft(id="d1", text=text, targets=(f"bluesky:{who['handle']}",),
                                        updated_at=datetime.now(UTC)))
    finally:
        desk.close()
    window = refusal_text(refused.value)
    assert window.startswith({"fr": "Trop long pour Bluesky\u00a0: 440 caractères",
                              "en": "Too long for Bluesky: 440 characters"}[language])
    assert err.splitlines()[0] == ERROR_PREFIX[language] + window


def test_a_failed_command_speaks_the_window_s_language(
    language: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = describe(errors.Unreachable("refused"), "§")  # the sentence up to the account
    code, _, err = cli(capsys, monkeypatch, "--lang", language, "account", "add", "bluesky",
                       "--handle", "ville.sandbox.test", "--service", "http://127.0.0.1:9",
                       "--password-stdin", stdin="x\n")

    assert code == 1
    assert err.startswith(ERROR_PREFIX[language] + window.split("§")[0])


def job(error_kind: str, last_error: str, *, state: JobState = JobState.FAILED,
        attempts: int = 2, later_s: int = 0) -> Job:
    not_before = int((datetime.now(UTC).timestamp() + later_s) * 1_000_000) if later_s else 0
    return Job(id=7, batch_id="b1", account_id=f"mastodon:{ACCOUNT}", part=0,
               network=Network.MASTODON, idempotency_key="k1", request=PostRequest("Bonjour"),
               state=state, attempts=attempts, not_before_us=not_before,
               last_error=last_error, error_kind=error_kind)


OUTBOX_FAILURES = {
    "rate limited": job("RateLimited", "429"),
    "refused for good": job("Rejected", "Text character limit of 500 exceeded"),
    "unreachable": job("Unreachable:maybe_applied", "timeout"),
    "not sent in time": job("NotSent", "timeout"),
    "interrupted": job("Interrupted", "killed"),
    "retried later": job("ServerError", "503", state=JobState.PENDING, attempts=1, later_s=600),
}


@pytest.mark.parametrize("name", OUTBOX_FAILURES)
def test_an_outbox_failure_reads_the_same_in_the_publish_panel_and_the_terminal(
    language: str, qtbot: Any, name: str
) -> None:
    failed = OUTBOX_FAILURES[name]
    panel = publish_panel.PublishPanel()
    qtbot.addWidget(panel)
    panel.show_jobs([failed], {})  # no account: the panel names it by its id, as here
    window = panel.state_texts()[failed.id]
    messages.use_language(language)
    moment = datetime.fromtimestamp(failed.not_before_us / 1_000_000, UTC)
    next_try = publish_panel._when(moment) if failed.state is JobState.PENDING else ""

    terminal = messages.job_failure(failed, failed.account_id, next_try)

    assert window.endswith(terminal)  # after the panel's state word ("failed: "…)
    assert len(window) - len(terminal) < 25, window
    assert terminal.startswith(failed.account_id) or failed.account_id in terminal.split(". ")[0]
    if language == "fr":
        assert terminal != Sentences().job_failure(failed, failed.account_id, next_try)
