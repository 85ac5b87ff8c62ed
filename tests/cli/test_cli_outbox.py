"""``paris-desk outbox``: the list (text, ``--json``, ``--all``), ``run``, ``retry`` and
``cancel``, against the Bluesky sandbox; the sentences are those ``paris-desk post`` prints."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cli_run import cli

from paris_desk.core.model import PostRequest
from paris_desk.sandbox.http import Fault
from paris_desk.store.accounts import AccountStore
from paris_desk.store.db import Database
from paris_desk.store.outbox import JobState, OutboxStore
from paris_desk.store.profile import Profile

POST = "app.bsky.feed.post"
KEYS = {"id", "batch", "account", "part", "state", "attempts", "not_before", "error", "url", "uri"}


@pytest.fixture
def account(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, bluesky_sandbox: Any
) -> str:
    who = bluesky_sandbox.accounts[0]
    code, _, _ = cli(capsys, monkeypatch, "account", "add", "bluesky", "--handle", who["handle"],
                     "--service", bluesky_sandbox.base_url, "--password-stdin",
                     stdin=who["password"])
    assert code == 0
    return f"bluesky:{who['handle']}"


@pytest.fixture
def outbox() -> Iterator[OutboxStore]:
    db = Database(Profile.default().db_path)
    yield OutboxStore(db)
    db.close()


def texts(server: Any, needle: str) -> list[str]:
    did = server.accounts[0]["did"]
    return [r["text"] for r in server.records(did, POST).values() if needle in r["text"]]


def listing(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
            *flags: str) -> list[dict[str, Any]]:  # fmt: skip
    code, out, err = cli(capsys, monkeypatch, "outbox", "--json", *flags)
    assert (code, err) == (0, "")
    jobs: list[dict[str, Any]] = json.loads(out)
    assert all(set(job) == KEYS for job in jobs)
    return jobs


def test_an_empty_outbox(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, account: str
) -> None:
    assert cli(capsys, monkeypatch, "outbox") == (0, "File d'envoi vide.\n", "")
    assert listing(capsys, monkeypatch) == []
    assert cli(capsys, monkeypatch, "outbox", "run") == (0, "Rien à envoyer.\n", "")


def test_a_failed_post_is_listed_with_posts_sentence_then_retried_and_run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, account: str,
    bluesky_sandbox: Any,
) -> None:  # fmt: skip
    cli(capsys, monkeypatch, "post", "--to", account, "Publié d'abord")
    bluesky_sandbox.add_fault(Fault("503", method="POST", path="createRecord", count=None))
    code, out, _ = cli(capsys, monkeypatch, "post", "--to", account, "--timeout", "0",
                       "--json", "Réunion publique")  # fmt: skip
    assert code == 1
    (posted,) = json.loads(out)

    (failed,) = listing(capsys, monkeypatch)
    assert failed["state"] == "failed"
    assert failed["error"] == posted["error"]  # the sentence post printed
    assert (failed["account"], failed["part"], failed["attempts"]) == (account, 0, 1)
    assert (failed["url"], failed["uri"], failed["not_before"]) == (None, None, None)
    code, out, _ = cli(capsys, monkeypatch, "outbox")
    assert out == f"#{failed['id']}  échec  {account}  « Réunion publique » : {posted['error']}\n"
    everything = listing(capsys, monkeypatch, "--all")
    assert [j["state"] for j in everything] == ["sent", "failed"]
    assert everything[0]["url"].startswith("https://bsky.app/profile/")

    bluesky_sandbox.clear_faults()
    code, _, err = cli(capsys, monkeypatch, "outbox", "retry", str(failed["id"]))
    assert code == 0
    assert f"Message #{failed['id']} remis en file d'envoi." in err
    assert [j["state"] for j in listing(capsys, monkeypatch)] == ["queued"]

    code, out, err = cli(capsys, monkeypatch, "outbox", "run", "--json")
    assert (code, err) == (0, "")
    (sent,) = json.loads(out)
    assert (sent["id"], sent["state"]) == (failed["id"], "sent")
    assert sent["uri"].startswith("at://")
    assert texts(bluesky_sandbox, "Réunion publique") == ["Réunion publique"]
    assert listing(capsys, monkeypatch) == []


def test_retry_failed_and_a_run_that_fails_again_exits_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, account: str,
    bluesky_sandbox: Any,
) -> None:  # fmt: skip
    bluesky_sandbox.add_fault(Fault("503", method="POST", path="createRecord", count=None))
    for text in ("Un", "Deux"):
        cli(capsys, monkeypatch, "post", "--to", account, "--timeout", "0", text)

    code, _, err = cli(capsys, monkeypatch, "outbox", "retry", "--failed")
    assert code == 0
    assert err.count("remis en file d'envoi") == 2
    code, _, err = cli(capsys, monkeypatch, "outbox", "run", "--timeout", "0")
    assert code == 1
    assert err.count("Erreur : Le serveur de ") == 2
    assert texts(bluesky_sandbox, "Un") == texts(bluesky_sandbox, "Deux") == []

    queued = listing(capsys, monkeypatch)  # not given up: they keep their turn
    assert [(j["state"], j["error"] is not None) for j in queued] == [("queued", True)] * 2
    assert cli(capsys, monkeypatch, "outbox", "retry", "--failed")[2] == "Aucun message en échec.\n"
    code, _, err = cli(capsys, monkeypatch, "outbox", "retry", "999")
    assert (code, err) == (1, "Erreur : Aucun message #999 dans la file d'envoi.\n")


def test_cancel_and_a_job_waiting_for_its_time(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, account: str,
    bluesky_sandbox: Any, outbox: OutboxStore,
) -> None:  # fmt: skip
    target = AccountStore(outbox.db).get(account)
    later = datetime.now(UTC) + timedelta(hours=2)
    (scheduled,) = outbox.add_batch("s", [(target, PostRequest("Vœux du maire"))], later)
    (dropped,) = outbox.add_batch("d", [(target, PostRequest("Annulé"))])

    jobs = {j["id"]: j for j in listing(capsys, monkeypatch)}
    assert datetime.fromisoformat(jobs[scheduled.id]["not_before"]) == later.replace(
        microsecond=later.microsecond
    )
    assert jobs[scheduled.id]["not_before"].endswith("+00:00")
    assert jobs[dropped.id]["not_before"] is None
    code, out, _ = cli(capsys, monkeypatch, "outbox")
    assert f"#{scheduled.id}  en attente  {account}  « Vœux du maire », pas avant " in out

    code, _, err = cli(capsys, monkeypatch, "outbox", "cancel", f"#{dropped.id}")
    assert code == 0
    assert f"Message #{dropped.id} annulé : il ne sera jamais envoyé." in err
    assert [j["id"] for j in listing(capsys, monkeypatch)] == [scheduled.id]
    assert {j["state"] for j in listing(capsys, monkeypatch, "--all")} == {"queued", "cancelled"}
    code, _, err = cli(capsys, monkeypatch, "outbox", "cancel", str(dropped.id))
    assert (code, err) == (1, f"Erreur : Le message #{dropped.id} ne peut pas être annulé "
                              "(annulé).\n")  # fmt: skip

    assert cli(capsys, monkeypatch, "outbox", "run")[0] == 0  # nothing due yet
    assert outbox.get(scheduled.id).state is JobState.PENDING
    assert texts(bluesky_sandbox, "Annulé") == texts(bluesky_sandbox, "Vœux") == []
