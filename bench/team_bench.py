"""Team-mode figures (issue 16) on a private PostgreSQL cluster on loopback (made and removed
here, like the tests': tests/team/pgcluster.py) and the Mastodon sandbox in this process.

    .venv/bin/python bench/team_bench.py [--workstations N] [--posts N] [--audit-rows N]

1. shared outbox: N workstations (each its own connection, store and OutboxService, in
   threads of this process) drain the same outbox at once; every workstation queues
   ``--posts`` posts first, one in ``MEDIA_EVERY`` with an image; faults on both write
   endpoints a publication uses, POST /api/v1/statuses and POST /api/v2/media (500, 503,
   429, hang, drop_before, drop_after_commit; one in ``FAULT_EVERY`` of each). Counted on
   the server:
   duplicates, losses, and whether every job's final state is true (SENT <=> on the server);
2. ``audit --since`` over ``--audit-rows`` rows spread over 100 days: the service call
   (query + decoding) for the last hour, median of 20, and the same through the CLI process;
3. LISTEN/NOTIFY: from a job's commit on one connection to its announcement on a listening
   one (what wakes the worker, and later the windows), p50 and p95 of 200;
4. scheduled posts sent by the worker's loop alone: lateness from each post's time to the
   server's answer.

The last line printed is one JSON object with fixed keys, to compare runs.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "team"))
from pgcluster import destroy, make_cluster

from paris_desk.channels.mastodon import MastodonChannel, account_from_token
from paris_desk.core.model import Limits, PostRequest
from paris_desk.sandbox.http import Fault
from paris_desk.sandbox.mastodon import MastodonSandbox
from paris_desk.services.images import prepare
from paris_desk.services.outbox import OutboxService, RetryPolicy
from paris_desk.store.outbox import JobState
from paris_desk.store.team import schema
from paris_desk.store.team.database import TeamDatabase
from paris_desk.store.team.members import Role, TeamStore
from paris_desk.store.team.outbox import TeamOutboxStore

FAULTS = ("500", "503", "429", "hang", "drop_before", "drop_after_commit")
FAULT_EVERY = 5
MEDIA_EVERY = 10  # one post in MEDIA_EVERY carries an image: the media endpoint gets faults too
WRITE_ENDPOINTS = (r"^/api/v1/statuses$", r"^/api/v2/media$")
POLICY = RetryPolicy(max_attempts=8, base_delay=0.05, max_delay=0.5, max_rate_limit_wait=5.0)


def _png() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (64, 48), (30, 90, 160)).save(out, "PNG")
    return out.getvalue()


def _request(n: int, p: int, tag: str) -> PostRequest:
    """Workstation ``n``'s post ``p``; every ``MEDIA_EVERY``-th with an image."""
    text = f"Poste {n} message {p} #{tag}"
    if p % MEDIA_EVERY:
        return PostRequest(text)
    image = prepare(_png(), Limits(max_characters=500, counting="mastodon"), alt="Un carré bleu")
    return PostRequest(text, media=(image,))


def _add_faults(server: MastodonSandbox, total: int) -> None:
    """One fault in ``FAULT_EVERY`` requests on each write endpoint, kinds in turn."""
    kinds = itertools.cycle(FAULTS)
    for path, requests in zip(WRITE_ENDPOINTS, (total, total // MEDIA_EVERY), strict=True):
        for _ in range(requests // FAULT_EVERY):
            server.add_fault(Fault(next(kinds), method="POST", path=path, retry_after=0,
                                   hang_seconds=1.5))


def _fault_paths(server: MastodonSandbox) -> dict[str, int]:
    return {path: sum(1 for r in server.requests if r.fault and re.search(path, r.path))
            for path in WRITE_ENDPOINTS}


def shared_outbox(dsn: str, workstations: int, posts: int) -> dict[str, object]:
    server = MastodonSandbox(port=0, seed=3).start()
    try:
        token = server.accounts[0]["access_token"]
        account = account_from_token(server.base_url, token)
        tag = f"b{uuid.uuid4().hex[:8]}"
        services = []
        for _ in range(workstations):
            channel = MastodonChannel(account, token, timeout=(2.0, 1.0))
            services.append(OutboxService(TeamOutboxStore(TeamDatabase(dsn)),
                                          {account.id: channel}.__getitem__, POLICY))
        for n, service in enumerate(services):
            for p in range(posts):
                service.publish(uuid.uuid4().hex, [(account, [_request(n, p, tag)])])
        total = workstations * posts
        _add_faults(server, total)
        start = time.monotonic()
        threads = [threading.Thread(target=s.drain, args=(300,)) for s in services]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - start
        jobs = [j for j in services[0].jobs() if tag in j.request.text]  # this figure's
        statuses = [s for s in server.statuses_by(account.handle.split("@")[1])
                    if tag in s["content"]]
        texts = [s["content"] for s in statuses]
        on_server = {s["uri"] for s in statuses}
        sent = [j for j in jobs if j.state is JobState.SENT]
        true_reports = all((j.state is JobState.SENT) == (j.result_uri in on_server)
                           for j in jobs)
        for service in services:
            service.store.db.close()
        return {
            "outbox_posts": total,
            "outbox_faults": sum(1 for r in server.requests if r.fault),
            "outbox_faults_by_endpoint": _fault_paths(server),
            "outbox_sent": len(sent),
            "outbox_duplicates": len(texts) - len(set(texts)),
            "outbox_lost": total - len(set(texts)),
            "outbox_reports_true": true_reports,
            "outbox_drain_s": round(elapsed, 2),
        }
    finally:
        server.stop()


def audit_since(dsn: str, rows: int, cluster: object) -> dict[str, object]:
    db = TeamDatabase(dsn)
    now = datetime.now(UTC)
    db.execute("ALTER TABLE paris_desk.audit_log DISABLE TRIGGER audit_stamp")  # seed only
    db.execute(
        "INSERT INTO paris_desk.audit_log (at, actor, workstation, account, action, url)"
        " SELECT %s - (i * interval '1 second') * (8640000.0 / %s), 'marie', 'pc-' || (i %% 9),"
        " 'mastodon:@ville@paris.example', 'publish', 'https://paris.example/' || i"
        " FROM generate_series(1, %s) i", (now, rows, rows))
    db.execute("ALTER TABLE paris_desk.audit_log ENABLE TRIGGER audit_stamp")
    db.execute("ANALYZE paris_desk.audit_log")
    store = TeamStore(db)
    since = now - timedelta(hours=1)
    times, found = [], 0
    for _ in range(20):
        t0 = time.perf_counter()
        found = len(store.audit_log(since))
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    everything = len(store.audit_log(None))
    all_s = time.perf_counter() - t0
    db.close()
    return {"audit_rows": rows, "audit_since_last_hour_rows": found,
            "audit_since_ms": round(statistics.median(times) * 1000, 2),
            "audit_all_rows_ms": round(all_s * 1000, 1), "audit_all_rows": everything}


def audit_cli(dsn: str, cluster: object) -> dict[str, object]:
    """``paris-desk audit --since`` as a user runs it: a profile joined as an admin."""
    home = Path(tempfile.mkdtemp(prefix="paris-desk-bench-"))
    env = {**os.environ, "PARIS_DESK_HOME": str(home),
           "PYTHONPATH": str(Path(__file__).parents[1] / "tests" / "cli"),
           "PYTHON_KEYRING_BACKEND": "file_keyring.FileKeyring",
           "PARIS_DESK_TEST_KEYRING": str(home / "keychain.json")}
    admin = f"bench_{uuid.uuid4().hex[:6]}"
    cli = [sys.executable, "-m", "paris_desk"]
    subprocess.run([*cli, "team", "init", dsn, "--admin", admin, "--password-stdin"],  # noqa: S603
                   input="pw\n", env=env, check=True, capture_output=True, text=True)
    since = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run([*cli, "audit", "--since", since, "--json"], env=env, check=True,  # noqa: S603
                       capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
    return {"audit_cli_process_s": round(statistics.median(times), 3)}


def notify_latency(dsn: str, samples: int = 200) -> dict[str, object]:
    """From sending an INSERT of a job (autocommit: insert and commit in one round trip) on
    one connection to its announcement on a listening one."""
    from paris_desk.store.team.changes import ChangeListener

    listener = ChangeListener(dsn)
    db = TeamDatabase(dsn)
    delays = []
    for n in range(samples):
        t0 = time.perf_counter()
        db.execute(
            "INSERT INTO outbox_jobs (batch_id, account_id, network, idempotency_key,"
            " request_json, created_us) VALUES (%s, 'mastodon:@x@y', 'mastodon', %s, %s, 0)",
            (f"notify{n}", uuid.uuid4().hex, '{"text": "x"}'))
        while not any(c.kind == "job" for c in listener.wait(5.0)):
            pass
        delays.append(time.perf_counter() - t0)
    db.execute("UPDATE outbox_jobs SET state = 4 WHERE batch_id LIKE 'notify%%'")
    listener.close()
    db.close()
    delays.sort()
    return {"notify_samples": samples,
            "notify_p50_ms": round(delays[len(delays) // 2] * 1000, 2),
            "notify_p95_ms": round(delays[int(len(delays) * 0.95)] * 1000, 2)}


def scheduled_lateness(dsn: str, posts: int = 10) -> dict[str, object]:
    """Posts scheduled 2 to 2 + ``posts`` seconds ahead, sent by the worker's loop alone
    (listening for changes, as ``paris-desk worker`` in team mode): how late each went out,
    from its time to the server's answer (``result.created_at`` on the sandbox)."""
    from types import SimpleNamespace

    from paris_desk.services.sending_loop import SendingLoop
    from paris_desk.store.team.changes import ChangeListener

    server = MastodonSandbox(port=0, seed=4).start()
    try:
        token = server.accounts[0]["access_token"]
        account = account_from_token(server.base_url, token)
        channel = MastodonChannel(account, token, timeout=(2.0, 5.0))
        service = OutboxService(TeamOutboxStore(TeamDatabase(dsn)),
                                {account.id: channel}.__getitem__, POLICY)
        start = datetime.now(UTC)
        times = {}
        for n in range(posts):
            at = start + timedelta(seconds=2 + n)
            (job,) = service.publish(uuid.uuid4().hex,
                                     [(account, [PostRequest(f"Programmé n°{n}")])], at)
            times[job.id] = at
        stop = threading.Event()
        desk = SimpleNamespace(outbox=service, close=lambda: None)
        loop = SendingLoop(lambda: desk, listen=lambda: ChangeListener(dsn))  # type: ignore[arg-type, return-value]
        runner = threading.Thread(target=loop.run, args=(stop,))
        runner.start()
        deadline = time.monotonic() + posts + 60
        while time.monotonic() < deadline:
            jobs = [service.get(i) for i in times]
            if all(j.state is JobState.SENT for j in jobs):
                break
            time.sleep(0.2)
        stop.set()
        runner.join()
        loop.close()
        late = sorted((j.result.created_at - times[j.id]).total_seconds()
                      for j in jobs if j.result is not None)
        service.store.db.close()
        return {"scheduled_posts": posts, "scheduled_sent": len(late),
                "scheduled_late_max_s": round(late[-1], 3) if late else None,
                "scheduled_late_median_s": round(late[len(late) // 2], 3) if late else None}
    finally:
        server.stop()


def processes_outbox(dsn: str, processes: int, posts: int) -> dict[str, object]:
    """``processes`` real workstations: each a profile (own keychain file) joined as its own
    member and holding the same Mastodon account; each member queues ``posts`` posts, then
    every workstation runs ``paris-desk outbox run`` at once, with faults on both write
    endpoints (``_add_faults``)."""
    server = MastodonSandbox(port=0, seed=5).start()
    root = Path(tempfile.mkdtemp(prefix="paris-desk-bench-ws-"))
    try:
        token = server.accounts[0]["access_token"]
        account = account_from_token(server.base_url, token)
        owner = TeamDatabase(dsn)
        team = TeamStore(owner)
        host_port_db = dsn.split("@", 1)[1]
        tag = f"p{uuid.uuid4().hex[:8]}"
        envs = []
        for n in range(processes):
            name = f"poste{n}_{tag}"
            team.add_member(name, Role.REDACTEUR, f"pw-{n}")
            home = root / name
            home.mkdir()
            env = {**os.environ, "PARIS_DESK_HOME": str(home),
                   "PYTHONPATH": str(Path(__file__).parents[1] / "tests" / "cli"),
                   "PYTHON_KEYRING_BACKEND": "file_keyring.FileKeyring",
                   "PARIS_DESK_TEST_KEYRING": str(home / "keychain.json")}
            cli = [sys.executable, "-m", "paris_desk"]
            for argv, secret in (
                (["team", "join", f"postgresql://{host_port_db}", "--user", name,
                  "--password-stdin"], f"pw-{n}"),
                (["account", "add", "mastodon", "--instance", server.base_url,
                  "--token-stdin"], token),
            ):
                subprocess.run([*cli, *argv], input=secret + "\n", env=env, check=True,  # noqa: S603
                               capture_output=True, text=True)
            member = TeamDatabase(f"postgresql://{name}:pw-{n}@{host_port_db}")
            store = TeamOutboxStore(member)
            for p in range(posts):
                store.add_batch(uuid.uuid4().hex, [(account, _request(n, p, tag))])
            member.close()
            envs.append(env)
        total = processes * posts
        _add_faults(server, total)
        start = time.monotonic()
        children = [subprocess.Popen([sys.executable, "-m", "paris_desk", "outbox", "run",
                                      "--timeout", "240"], env=env, text=True,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    for env in envs]
        codes = [child.wait() for child in children]
        elapsed = time.monotonic() - start
        jobs = [j for j in TeamOutboxStore(owner).jobs() if tag in j.request.text]
        statuses = [s for s in server.statuses_by(account.handle.split("@")[1])
                    if tag in s["content"]]
        texts = [s["content"] for s in statuses]
        on_server = {s["uri"] for s in statuses}
        owner.close()
        return {
            "processes": processes, "processes_posts": total,
            "processes_faults": sum(1 for r in server.requests if r.fault),
            "processes_faults_by_endpoint": _fault_paths(server),
            "processes_sent": sum(1 for j in jobs if j.state is JobState.SENT),
            "processes_failed": sum(1 for j in jobs if j.state is JobState.FAILED),
            "processes_duplicates": len(texts) - len(set(texts)),
            "processes_lost": total - len(set(texts)),
            "processes_reports_true": all(
                (j.state is JobState.SENT) == (j.result_uri in on_server) for j in jobs),
            "processes_exit_codes": sorted(set(codes)),
            "processes_drain_s": round(elapsed, 2),
        }
    finally:
        server.stop()
        import shutil

        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workstations", type=int, default=10)
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--audit-rows", type=int, default=100_000)
    parser.add_argument("--processes", type=int, default=10,
                        help="workstation processes for the multi-process figure (0: skip)")
    args = parser.parse_args()
    cluster = make_cluster()
    try:
        dsn = cluster.dsn()
        schema.migrate(TeamDatabase(dsn))
        figures: dict[str, object] = {}
        figures.update(audit_since(dsn, args.audit_rows, cluster))
        figures.update(audit_cli(dsn, cluster))
        figures.update(notify_latency(dsn))
        figures.update(scheduled_lateness(dsn))
        figures.update(shared_outbox(dsn, args.workstations, args.posts))
        if args.processes:
            figures.update(processes_outbox(dsn, args.processes, args.posts))
    finally:
        destroy(cluster)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
