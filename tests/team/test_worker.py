"""``paris-desk worker`` on the team's outbox: it sends what another workstation queued, a
scheduled post with every workstation off, and a worker killed with ``kill -9`` mid-send (or a
workstation mid-claim) leaves a job the next round publishes exactly once. Real processes, real
PostgreSQL, the Mastodon sandbox in this process (posts counted there)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
import pytest
from cli.file_keyring import ENV, FileKeyring

from paris_desk.channels.mastodon import account_from_token
from paris_desk.cli.main import main
from paris_desk.core.model import Account, PostRequest
from paris_desk.services.desk import Desk
from paris_desk.services.sending_loop import SendingLoop
from paris_desk.store.outbox import Job, JobState
from paris_desk.store.profile import Profile
from paris_desk.store.team.database import TeamDatabase
from paris_desk.store.team.outbox import TeamOutboxStore
from team.pgcluster import Cluster

HANG_GUARD_S = 120.0  # only stops a hung process, never reached when all is well


@dataclass
class Team:
    env: dict[str, str]
    dsn: str  # the DBA's: "another workstation" queueing jobs
    dba: str
    server: Any
    account: Account

    def queue(self, text: str, at: datetime | None = None) -> Job:
        db = TeamDatabase(self.dsn)
        try:
            (job,) = TeamOutboxStore(db).add_batch(uuid.uuid4().hex,
                                                   [(self.account, PostRequest(text))], at)
        finally:
            db.close()
        return job

    def job(self, job_id: int) -> Job:
        db = TeamDatabase(self.dsn)
        try:
            return TeamOutboxStore(db).get(job_id)
        finally:
            db.close()

    def wait_for(self, job_id: int, state: JobState) -> Job:
        deadline = time.monotonic() + HANG_GUARD_S
        while time.monotonic() < deadline:
            job = self.job(job_id)
            if job.state is state:
                return job
            time.sleep(0.05)
        raise AssertionError(f"job {job_id} never became {state.name}")

    def copies(self, needle: str) -> list[str]:
        handle = self.server.accounts[0]["acct"]
        return [s["uri"] for s in self.server.statuses_by(handle) if needle in s["content"]]


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pg_cluster: Cluster,
         pg_database: str, mastodon_sandbox: Any) -> Iterator[Team]:
    """This profile: in the team (as its admin) and holding the Mastodon account's token, in
    a keychain file child processes share."""
    monkeypatch.setenv(ENV, str(tmp_path / "keychain.json"))
    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring())
    token = mastodon_sandbox.accounts[0]["access_token"]
    dsn = pg_cluster.dsn(dbname=pg_database)
    steps = [
        (["team", "init", dsn, "--admin", f"worker_{uuid.uuid4().hex[:6]}", "--password-stdin"],
         "mot-de-passe"),
        (["account", "add", "mastodon", "--instance", mastodon_sandbox.base_url,
          "--token-stdin"], token),
    ]  # fmt: skip
    for argv, secret in steps:
        monkeypatch.setattr("sys.stdin", io.StringIO(secret + "\n"))
        assert main(argv) == 0
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).parents[1] / "cli"),
                                          os.environ.get("PYTHONPATH", "")]),
           "PYTHON_KEYRING_BACKEND": "file_keyring.FileKeyring"}
    yield Team(env, dsn, pg_cluster.superuser, mastodon_sandbox,
               account_from_token(mastodon_sandbox.base_url, token))
    keyring.set_keyring(previous)


def test_worker_once_sends_what_another_workstation_queued(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    tag = f"w{uuid.uuid4().hex[:10]}"
    job = team.queue(f"Collecte des sapins dès lundi {tag}")
    assert main(["worker", "--once"]) == 0
    assert team.job(job.id).state is JobState.SENT
    assert len(team.copies(tag)) == 1
    assert f"#{job.id}  publié" in capsys.readouterr().err
    assert main(["audit", "--json"]) == 0
    last = json.loads(capsys.readouterr().out)[-1]
    assert (last["action"], last["account"], last["url"]) == (
        "publish", team.account.id, team.job(job.id).result_url)
    assert last["detail"] == f"job {job.id}, queued by {team.dba}"


def test_a_scheduled_post_goes_out_with_every_workstation_off(team: Team) -> None:
    tag = f"s{uuid.uuid4().hex[:10]}"
    at = datetime.now(UTC) + timedelta(seconds=2)
    job = team.queue(f"Marché de Noël : ouverture {tag}", at)
    stop = threading.Event()
    loop = SendingLoop(lambda: Desk.open(Profile.default()))
    runner = threading.Thread(target=loop.run, args=(stop,))
    runner.start()
    try:
        sent = team.wait_for(job.id, JobState.SENT)
    finally:
        stop.set()
        runner.join(HANG_GUARD_S)
        loop.close()
    assert sent.result is not None and sent.result.created_at >= at - timedelta(seconds=1)
    assert len(team.copies(tag)) == 1


def test_kill_9_of_the_worker_mid_send_then_the_next_round_posts_once(team: Team) -> None:
    tag = f"k{uuid.uuid4().hex[:10]}"
    team.server.latency_ms = 800  # the child is inside the send when it dies
    child = subprocess.Popen([sys.executable, "-m", "paris_desk", "worker"], env=team.env,
                             text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        job = team.queue(f"Travaux quai de la Seine {tag}")
        team.wait_for(job.id, JobState.SENDING)
        child.kill()
        child.communicate(timeout=HANG_GUARD_S)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate(timeout=HANG_GUARD_S)
    assert team.job(job.id).state is JobState.SENDING  # left locked by a dead process
    team.server.latency_ms = 0
    assert main(["worker", "--once"]) == 0
    done = team.job(job.id)
    assert done.state is JobState.SENT
    assert team.copies(tag) == [done.result_uri]


def test_kill_9_of_a_workstation_mid_claim_then_the_job_is_sent_once(team: Team) -> None:
    """A workstation's ``outbox run`` killed inside its claim's transaction (the claim waits
    on a table lock the test holds): PostgreSQL rolls the claim back, and the job goes out
    once, from the next sender."""
    import psycopg

    tag = f"c{uuid.uuid4().hex[:10]}"
    job = team.queue(f"Fermeture du square {tag}")
    with psycopg.connect(team.dsn, autocommit=True) as watcher, psycopg.connect(team.dsn) as dba:
        # EXCLUSIVE lets plain reads through (the child's recover, its list of due jobs) and
        # stops the claim's SELECT … FOR UPDATE SKIP LOCKED, inside its transaction.
        dba.execute("LOCK TABLE paris_desk.outbox_jobs IN EXCLUSIVE MODE")
        child = subprocess.Popen([sys.executable, "-m", "paris_desk", "outbox", "run"],
                                 env=team.env, text=True, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + HANG_GUARD_S
            while True:
                waiting = watcher.execute(
                    "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    " AND query LIKE %s", ("%FOR UPDATE SKIP LOCKED%",)).fetchall()
                if waiting:
                    break
                assert child.poll() is None, child.communicate()
                assert time.monotonic() < deadline, "the child never reached its claim"
                time.sleep(0.02)
            ((backend,),) = waiting
            child.kill()
            child.communicate(timeout=HANG_GUARD_S)
        finally:
            if child.poll() is None:
                child.kill()
                child.communicate(timeout=HANG_GUARD_S)
        dba.rollback()  # the lock goes; the dead client's session ends, its claim undone
        deadline = time.monotonic() + HANG_GUARD_S
        while watcher.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s",
                              (backend,)).fetchall():
            assert time.monotonic() < deadline, "the server never ended the dead session"
            time.sleep(0.02)
    left = team.job(job.id)
    assert (left.state, left.attempts) == (JobState.PENDING, 0)
    assert team.copies(tag) == []
    assert main(["worker", "--once"]) == 0
    done = team.job(job.id)
    assert done.state is JobState.SENT
    assert team.copies(tag) == [done.result_uri]


def test_a_reply_the_worker_sends_marks_its_inbox_item_answered(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    """A reply queued from a workstation's inbox (its window closed before the send): the
    worker sends it and the item becomes "traité" in the team's inbox, as the worker."""
    desk = Desk.open(Profile.default())
    try:
        item = next(i for i in desk.inbox.refresh([team.account.id]).items
                    if i.to_handle and i.post is not None)
    finally:
        desk.close()
    assert item.post is not None
    tag = f"r{uuid.uuid4().hex[:10]}"
    db = TeamDatabase(team.dsn)  # another workstation queues the reply
    try:
        (job,) = TeamOutboxStore(db).add_batch(uuid.uuid4().hex, [
            (team.account, PostRequest(f"Merci, c'est noté {tag}", reply_to=item.post))])
    finally:
        db.close()
    assert main(["worker", "--once"]) == 0
    sent = team.job(job.id)
    assert sent.state is JobState.SENT and team.copies(tag) == [sent.result_uri]
    desk = Desk.open(Profile.default())
    try:
        (now,) = [i for i in desk.inbox.snapshot([team.account.id]).items if i.key == item.key]
    finally:
        desk.close()
    assert now.handled is not None
    assert (now.handled.how.value, now.handled.reply_uri) == ("answered", sent.result_uri)
    capsys.readouterr()
    assert main(["audit", "--json"]) == 0
    log = json.loads(capsys.readouterr().out)
    (reply,) = [e for e in log if e["action"] == "reply"]  # a reply is audited as one
    assert (reply["account"], reply["url"]) == (team.account.id, sent.result_url)
    handle = [e for e in log if e["action"] == "handle"]
    assert [(e["account"], e["detail"]) for e in handle] == [
        (team.account.id, f"answered: {team.account.id}/{item.latest.id}")]


def test_the_worker_wakes_up_when_a_job_is_queued_anywhere(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    from paris_desk.services import sending_loop
    from paris_desk.services.team import TeamService

    # Without LISTEN/NOTIFY this loop would look again only in an hour: the job below is
    # sent because its commit woke the loop up.
    monkeypatch.setattr(sending_loop, "LISTEN_POLL_S", 3600.0)
    profile = Profile.default()
    loop = SendingLoop(lambda: Desk.open(profile), listen=TeamService(profile).listen)
    stop = threading.Event()
    rounds: list[list[Job]] = []
    runner = threading.Thread(target=loop.run, args=(stop,), kwargs={"on_round": rounds.append})
    runner.start()
    try:
        tag = f"n{uuid.uuid4().hex[:10]}"
        deadline = time.monotonic() + HANG_GUARD_S
        while loop._listener is None and time.monotonic() < deadline:  # first round over
            time.sleep(0.02)
        job = team.queue(f"Alerte météo : vent fort {tag}")
        team.wait_for(job.id, JobState.SENT)
    finally:
        stop.set()
        runner.join(HANG_GUARD_S)
        loop.close()
    assert [j.id for r in rounds for j in r] == [job.id]
    assert len(team.copies(tag)) == 1
