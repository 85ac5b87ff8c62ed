"""``paris-desk post`` goes through the durable outbox: jobs in the profile's database, what a
previous run left is taken up (and said), a target not sent in time is kept, never sent later
behind the user's back."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from cli_run import cli

from paris_desk.channels import bluesky
from paris_desk.core.errors import Unreachable
from paris_desk.core.model import PostRequest
from paris_desk.sandbox.http import Fault
from paris_desk.store.accounts import AccountStore
from paris_desk.store.db import Database
from paris_desk.store.outbox import JobState, OutboxStore, now_us
from paris_desk.store.profile import Profile

POST = "app.bsky.feed.post"


def plain(text: str) -> str:
    """The window's French typography (no-break spaces, curly apostrophes) made plain."""
    return text.replace("\u00a0", " ").replace("\u2019", "'")


@pytest.fixture
def accounts(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, bluesky_sandbox: Any
) -> list[str]:
    ids = []
    for who in bluesky_sandbox.accounts[:2]:
        code, _, err = cli(
            capsys, monkeypatch,
            "account", "add", "bluesky", "--handle", who["handle"],
            "--service", bluesky_sandbox.base_url, "--password-stdin",
            stdin=who["password"],
        )  # fmt: skip
        assert code == 0, err
        ids.append(f"bluesky:{who['handle']}")
    return ids


@pytest.fixture
def outbox() -> Iterator[OutboxStore]:
    """The profile's outbox, opened beside the CLI (as the app would be)."""
    db = Database(Profile.default().db_path)
    yield OutboxStore(db)
    db.close()


def texts(server: Any, did: str, needle: str) -> list[str]:
    return [r["text"] for r in server.records(did, POST).values() if needle in r["text"]]


def test_post_writes_its_jobs_to_the_outbox_before_sending(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    accounts: list[str],
    bluesky_sandbox: Any,
    outbox: OutboxStore,
) -> None:
    code, out, err = cli(capsys, monkeypatch, "post", "--to", "all", "--json", "Square fermé")

    assert (code, err) == (0, "")
    results = json.loads(out)
    jobs = {j.account_id: j for j in outbox.jobs()}
    assert set(jobs) == set(accounts)
    for result in results:
        job = jobs[result["account"]]
        assert job.state is JobState.SENT
        assert result["uri"] == job.result_uri
        assert result["uri"].endswith(f"/{POST}/{job.idempotency_key}")  # the stored key
    for who in bluesky_sandbox.accounts[:2]:
        assert texts(bluesky_sandbox, who["did"], "Square fermé") == ["Square fermé"]


def test_jobs_a_crashed_run_left_are_taken_up_once_not_reported_as_ours(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    accounts: list[str],
    bluesky_sandbox: Any,
    outbox: OutboxStore,
) -> None:
    ville = bluesky_sandbox.accounts[0]
    account, secret = bluesky.login(
        ville["handle"], ville["password"], service=bluesky_sandbox.base_url
    )
    # A run queued a thread of two posts, sent the first (the server stored it, the reply was
    # lost), then died an hour ago: part 1 is SENDING, part 2 waits for it.
    committed, unsent = outbox.add_batch(
        "old", [(account, PostRequest("Resté en file")), (account, PostRequest("Suite du fil"))]
    )
    outbox.claim(committed.id)
    bluesky_sandbox.add_fault(Fault("drop_after_commit", method="POST", path="createRecord"))
    with contextlib.suppress(Unreachable):
        bluesky.restore(account, secret, lambda s: None).post(outbox.get(committed.id).request)
    outbox.db.execute(
        "UPDATE outbox_jobs SET locked_at_us = ? WHERE id = ?",
        (now_us() - 3600_000_000, committed.id),
    )
    assert texts(bluesky_sandbox, ville["did"], "Resté en file") == ["Resté en file"]

    code, out, err = cli(capsys, monkeypatch, "post", "--to", accounts[0], "--json", "Nouveau")

    assert code == 0
    assert [r["status"] for r in json.loads(out)] == ["sent"]  # this post only
    assert "1 message en attente dans la file d'envoi" in err
    assert texts(bluesky_sandbox, ville["did"], "Resté en file") == ["Resté en file"]
    assert texts(bluesky_sandbox, ville["did"], "Suite du fil") == ["Suite du fil"]
    assert texts(bluesky_sandbox, ville["did"], "Nouveau") == ["Nouveau"]
    reply = next(
        r
        for r in bluesky_sandbox.records(ville["did"], POST).values()
        if r["text"] == "Suite du fil"
    )["reply"]
    assert reply["parent"]["uri"].endswith(committed.idempotency_key)
    assert {outbox.get(j.id).state for j in (committed, unsent)} == {JobState.SENT}


def test_a_fresh_sending_job_of_another_process_is_left_alone(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    accounts: list[str],
    bluesky_sandbox: Any,
    outbox: OutboxStore,
) -> None:
    target = AccountStore(outbox.db).get(accounts[0])
    (busy,) = outbox.add_batch("gui", [(target, PostRequest("En cours ailleurs"))])
    outbox.claim(busy.id)  # the app is sending it right now

    code, _, err = cli(capsys, monkeypatch, "post", "--to", accounts[0], "Autre")

    assert code == 0
    assert "1 message en cours d'envoi par un autre paris-desk" in err
    assert outbox.get(busy.id).state is JobState.SENDING
    assert texts(bluesky_sandbox, bluesky_sandbox.accounts[0]["did"], "En cours ailleurs") == []


def test_a_target_rate_limited_beyond_the_timeout_is_kept_not_sent_later(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    accounts: list[str],
    bluesky_sandbox: Any,
    outbox: OutboxStore,
) -> None:
    bluesky_sandbox.add_fault(Fault("500", method="POST", path="createRecord", count=1))
    bluesky_sandbox.add_fault(Fault("429", method="POST", path="createRecord", retry_after=120))

    code, out, err = cli(
        capsys, monkeypatch, "post", "--to", accounts[0], "--timeout", "5", "--json", "Bloqué"
    )

    assert code == 1
    (result,) = json.loads(out)
    assert result["status"] == "failed"
    assert result["error"].startswith("Trop de requêtes pour ")
    assert "Message conservé dans la file d'envoi (2 tentatives)" in plain(result["error"])
    assert err == f"Erreur : {result['error']}\n"
    (job,) = [j for j in outbox.jobs() if j.request.text == "Bloqué"]
    assert (job.state, job.error_kind) == (JobState.FAILED, "RateLimited")

    code, _, err = cli(capsys, monkeypatch, "post", "--to", accounts[1], "Suivant")
    assert (code, err) == (0, "")  # the failed job waits for a manual retry: not sent now
    assert outbox.get(job.id).state is JobState.FAILED
    assert texts(bluesky_sandbox, bluesky_sandbox.accounts[0]["did"], "Bloqué") == []


def test_with_no_time_to_retry_the_target_fails_after_one_attempt_and_is_kept(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    accounts: list[str],
    bluesky_sandbox: Any,
    outbox: OutboxStore,
) -> None:
    bluesky_sandbox.add_fault(Fault("503", method="POST", path="createRecord", count=None))

    code, out, err = cli(
        capsys, monkeypatch, "post", "--to", "all", "--timeout", "0", "--json", "Sans délai"
    )

    assert code == 1
    results = json.loads(out)
    assert [r["status"] for r in results] == ["failed", "failed"]
    assert all(r["error"].startswith("Le serveur de ") for r in results)
    assert all(r["error"].endswith("(1 tentative).") for r in results)
    assert err.count("Erreur : ") == 2
    jobs = outbox.jobs()
    assert {(j.state, j.attempts, j.error_kind) for j in jobs} == {
        (JobState.FAILED, 1, "ServerError")
    }
    assert {j.last_error for j in jobs} == {"not sent within 0 s (last error: InternalServerError)"}
    assert sum(1 for r in bluesky_sandbox.requests if r.path.endswith("createRecord")) == 2
