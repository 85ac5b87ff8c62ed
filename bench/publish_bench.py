"""Publishing through the outbox, measured on the local sandboxes (prints figures, asserts nothing).

    .venv/bin/python bench/publish_bench.py [--rounds 5] [--posts 1000] [--fault-latency-ms 20]

Part 1 (issue #6: "cross-post with one image to 10 accounts <= 1.3 x posting to 1"): both
sandboxes answer every request after 200 ms; one image post goes to 1 account, then to 10
(5 Mastodon + 5 Bluesky, and 10 Bluesky), through ``OutboxService.publish`` + ``drain``, with the
real adapters over HTTP and the outbox database on disk (fsync on commit). Median of N rounds.

Part 2 ("0 duplicates and 0 losses under fault injection"): 1,000 posts, each to 1-3 random
accounts of the 10 (30 % with an image), with probabilistic faults on every write endpoint
(Mastodon POST /api/v1/statuses and /api/v2/media, Bluesky createRecord and uploadBlob):
500, 503, 429 (Retry-After 1 s), hang (client read timeout 1 s), drop_before and
drop_after_commit. Each post text carries a unique marker; copies are counted on the sandbox
servers themselves. Then faults are cleared and the jobs that gave up are retried once, as a
user would ("Réessayer"); the final count must still show every job exactly once.

``--ci`` (also ``ci_run``, which tests/bench/test_publish_bench_ci.py runs): 100 posts, 20 %
of them sent twice with the same text (another batch), on 2 Mastodon + 4 Bluesky accounts,
faults on every write endpoint *and* on the probe's reads (Mastodon GET own statuses, Bluesky
getRecord), drained by two outbox services on one database at once (two writers racing for
the same jobs). It reports counts only: duplicates, losses, and reports that are not true
(a job SENT whose post is not on its server or is another job's; a job FAILED whose post is
there).

Accounts: the Mastodon sandbox seeds 6 local accounts but hands out tokens for 2; the others
get one through the server's own OAuth flow (app registration, ``/oauth/authorize`` with the
sandbox's ``sandbox_auto_approve`` parameter, code exchange with PKCE: the product's code).
The Bluesky sandbox signs in its seeded authors with the app passwords it lists (``authors``).
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

from paris_desk.channels import bluesky
from paris_desk.channels.mastodon import MastodonChannel, oauth
from paris_desk.core.channel import Channel
from paris_desk.core.model import Account, Network, PostRequest, PreparedMedia
from paris_desk.sandbox.bluesky import BlueskySandbox
from paris_desk.sandbox.corpus import png_image
from paris_desk.sandbox.http import Fault
from paris_desk.sandbox.mastodon import MastodonSandbox
from paris_desk.services.executors import DaemonExecutor
from paris_desk.services.outbox import OutboxService, RetryPolicy
from paris_desk.store.db import Database
from paris_desk.store.outbox import Job, JobState, OutboxStore

POST = "app.bsky.feed.post"
IMAGE = PreparedMedia(
    png_image(640, 480, seed=11),
    "image/png",
    "Affiche de la fête de la musique, place de la République",
    640,
    480,
    "affiche.png",
)
WRITE_ENDPOINTS = {
    "mastodon POST /api/v1/statuses": ("mastodon", r"^/api/v1/statuses$"),
    "mastodon POST /api/v2/media": ("mastodon", r"^/api/v2/media$"),
    "bluesky createRecord": ("bluesky", r"com\.atproto\.repo\.createRecord$"),
    "bluesky uploadBlob": ("bluesky", r"com\.atproto\.repo\.uploadBlob$"),
}
FAULT_KINDS = ("500", "503", "429", "hang", "drop_before", "drop_after_commit")
MARKER = re.compile(r"bench-[0-9a-f]{12}")
HANG_S = 3.0  # the server holds a "hang" request that long, then drops it
OOB = "urn:ietf:wg:oauth:2.0:oob"  # no redirect: the sandbox shows the code


@dataclass
class Lab:
    """Both sandboxes, ten accounts with their channels, a scratch directory."""

    masto: MastodonSandbox
    bsky: BlueskySandbox
    tmp: Path
    read_timeout: float
    accounts: list[Account] = field(default_factory=list)  # 5 Mastodon, 10 Bluesky
    secrets: dict[str, str] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)

    def outbox(self, name: str, policy: RetryPolicy, workers: int = 16) -> OutboxService:
        db = Database(self.tmp / f"{name}.sqlite3")
        return OutboxService(OutboxStore(db), self.channels.__getitem__, policy,
                             network=DaemonExecutor(workers, f"outbox-{name}"))

    def connect(self) -> None:
        """(Re)build every channel with the current read timeout."""
        for account in self.accounts:
            secret = self.secrets[account.id]
            if account.network is Network.MASTODON:
                self.channels[account.id] = MastodonChannel(
                    account, secret, timeout=(5.0, self.read_timeout)
                )
            else:
                self.channels[account.id] = bluesky.restore(
                    account, secret, self._saver(account.id), timeout=self.read_timeout
                )

    def _saver(self, account_id: str) -> Callable[[str], None]:
        def save(secret: str) -> None:
            self.secrets[account_id] = secret

        return save


# -- accounts ---------------------------------------------------------------------------------


def mastodon_token(server: MastodonSandbox, acct: str) -> str:
    """A token for any local account, through the server's OAuth flow (auto-approved)."""
    app = oauth.register_app(server.base_url, OOB)
    auth = oauth.authorization_request(server.base_url, app, OOB)
    answer = httpx.get(auth.url + "&sandbox_auto_approve=" + acct, follow_redirects=False)
    code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
    return oauth.exchange_code(server.base_url, app, auth, code)


def make_accounts(lab: Lab, per_network: int) -> None:
    local = sorted(
        (u.acct for u in lab.masto.users.values() if u.local),
        key=lambda a: (a not in ("ville", "culture"), a),
    )
    if len(local) < per_network:
        sys.exit(f"the Mastodon sandbox has only {len(local)} local accounts")
    for acct in local[:per_network]:
        token = mastodon_token(lab.masto, acct)
        account = oauth.account_from_token(lab.masto.base_url, token)
        lab.accounts.append(account)
        lab.secrets[account.id] = token
    for entry in (lab.bsky.accounts + lab.bsky.authors)[: 2 * per_network]:
        account, secret = bluesky.login(
            entry["handle"], entry["password"], service=lab.bsky.base_url
        )
        lab.accounts.append(account)
        lab.secrets[account.id] = secret
    lab.connect()


def mixed(lab: Lab) -> list[Account]:
    """The ten accounts of a city: 5 on Mastodon, 5 on Bluesky."""
    masto = [a for a in lab.accounts if a.network is Network.MASTODON]
    blue = [a for a in lab.accounts if a.network is Network.BLUESKY]
    return masto[:5] + blue[:5]


# -- part 1: latency ---------------------------------------------------------------------------


def timed_publish(service: OutboxService, targets: list[Account]) -> float:
    text = f"Fête de la musique : programme place de la République #{uuid.uuid4().hex[:8]}"
    batch = uuid.uuid4().hex
    started = time.perf_counter()
    service.publish(batch, [(a, [PostRequest(text, media=(IMAGE,))]) for a in targets])
    service.drain(timeout=120)
    elapsed = time.perf_counter() - started
    states = Counter(j.state.name for j in service.jobs(batch))
    if states != Counter({"SENT": len(targets)}):
        print(f"    (unexpected states: {dict(states)})")
    return elapsed


def part1(lab: Lab, rounds: int) -> None:
    lab.masto.latency_ms = lab.bsky.latency_ms = 200
    service = lab.outbox("latency", RetryPolicy())
    masto = [a for a in lab.accounts if a.network is Network.MASTODON]
    blue = [a for a in lab.accounts if a.network is Network.BLUESKY]
    cases = {
        "1 Mastodon account": masto[:1],
        "1 Bluesky account": blue[:1],
        "10 accounts (5 Mastodon + 5 Bluesky)": mixed(lab),
        "10 Bluesky accounts": blue[:10],
    }
    timed_publish(service, masto[:5] + blue[:10])  # warm-up: connections, sessions
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, targets in cases.items():
            times[name].append(timed_publish(service, targets))
    print(f"\n== Part 1: one image post, 200 ms per request, median of {rounds} rounds ==")
    for name, values in times.items():
        print(
            f"  {name:40s} {statistics.median(values):6.3f} s "
            f"(min {min(values):.3f}, max {max(values):.3f})"
        )
    one = max(
        statistics.median(times["1 Mastodon account"]),
        statistics.median(times["1 Bluesky account"]),
    )
    ten = statistics.median(times["10 accounts (5 Mastodon + 5 Bluesky)"])
    print(f"  ratio 10 mixed / slower single network: {ten / one:.2f}  (target <= 1.3)")
    only_bsky = statistics.median(times["10 Bluesky accounts"])
    single_bsky = statistics.median(times["1 Bluesky account"])
    print(f"  ratio 10 Bluesky / 1 Bluesky:           {only_bsky / single_bsky:.2f}")
    lab.masto.latency_ms = lab.bsky.latency_ms = 0


# -- part 2: faults ----------------------------------------------------------------------------


def add_faults(lab: Lab, rate: float, hang_s: float) -> None:
    for network, path in WRITE_ENDPOINTS.values():
        server = lab.masto if network == "mastodon" else lab.bsky
        for kind in FAULT_KINDS:
            server.add_fault(
                Fault(
                    kind,
                    method="POST",
                    path=path,
                    count=None,
                    rate=rate,
                    retry_after=1,
                    hang_seconds=hang_s,
                )
            )


def server_copies(lab: Lab) -> Counter[tuple[str, str]]:
    """(account id, marker) -> how many posts carry it, read on the servers."""
    copies: Counter[tuple[str, str]] = Counter()
    by_user = {a.user_id: a for a in lab.accounts}
    with lab.masto.lock:
        for status in lab.masto.statuses.values():
            account = by_user.get(status.account_id)
            found = MARKER.search(status.text) if account and not status.deleted else None
            if account and found:
                copies[(account.id, found.group())] += 1
    for account in lab.accounts:
        if account.network is Network.BLUESKY:
            for record in lab.bsky.records(account.user_id, POST).values():
                found = MARKER.search(record.get("text", ""))
                if found:
                    copies[(account.id, found.group())] += 1
    return copies


def fault_hits(lab: Lab) -> dict[str, Counter[str]]:
    hits: dict[str, Counter[str]] = {name: Counter() for name in WRITE_ENDPOINTS}
    for name, (network, path) in WRITE_ENDPOINTS.items():
        server = lab.masto if network == "mastodon" else lab.bsky
        pattern = re.compile(path)
        with server.lock:
            for entry in server.requests:
                if entry.method == "POST" and pattern.search(entry.path):
                    hits[name][entry.fault or f"HTTP {entry.status}"] += 1
    return hits


def publish_many(
    service: OutboxService, lab: Lab, posts: int, seed: int
) -> dict[tuple[str, str], Job]:
    rng = random.Random(seed)
    expected: dict[tuple[str, str], Job] = {}
    for _ in range(posts):
        marker = f"bench-{uuid.uuid4().hex[:12]}"
        targets = rng.sample(mixed(lab), rng.randint(1, 3))
        media = (IMAGE,) if rng.random() < 0.3 else ()
        text = f"Info quartier n°{len(expected)} : marché ouvert dimanche {marker}"
        for job in service.publish(
            marker, [(a, [PostRequest(text, media=media)]) for a in targets]
        ):
            expected[(job.account_id, marker)] = job
    return expected


def count_outcome(
    lab: Lab, service: OutboxService, expected: dict[tuple[str, str], Job]
) -> tuple[int, int, int, Counter[str]]:
    copies = server_copies(lab)
    duplicates = sum(n - 1 for key, n in copies.items() if n > 1)
    lost = sum(1 for key in expected if copies[key] == 0)
    unexpected = sum(n for key, n in copies.items() if key not in expected)
    states = Counter(service.store.get(job.id).state.name for job in expected.values())
    return duplicates, lost, unexpected, states


def part2(lab: Lab, posts: int, rate: float, latency_ms: int, seed: int, workers: int) -> None:
    lab.masto.latency_ms = lab.bsky.latency_ms = latency_ms
    lab.read_timeout = 1.0
    lab.connect()
    policy = RetryPolicy(max_attempts=6, base_delay=0.2, max_delay=2.0, max_rate_limit_wait=30)
    service = lab.outbox("faults", policy, workers)
    expected = publish_many(service, lab, posts, seed)
    add_faults(lab, rate, hang_s=HANG_S)
    FOUND.counts.clear()
    FOUND.job_ids.clear()
    started = time.perf_counter()
    service.drain(timeout=600)
    elapsed = time.perf_counter() - started
    lab.masto.clear_faults()
    lab.bsky.clear_faults()
    time.sleep(HANG_S)  # hung requests are logged when the server drops them
    dup1, lost1, unexpected1, states1 = count_outcome(lab, service, expected)
    attempts = Counter(service.store.get(j.id).attempts for j in expected.values())
    gave_up = service.store.jobs(state=JobState.FAILED)
    reasons = Counter(j.last_error for j in gave_up)

    failed = [j.id for j in gave_up]
    for job_id in failed:
        service.retry(job_id)
    service.drain(timeout=120)
    dup2, lost2, unexpected2, states2 = count_outcome(lab, service, expected)

    print(
        f"\n== Part 2: {posts} posts, {len(expected)} jobs on {len(mixed(lab))} accounts, "
        f"latency {latency_ms} ms, each fault kind at rate {rate} on every write endpoint =="
    )
    print(
        f"  drain under faults: {elapsed:.1f} s ({len(expected) / elapsed:.1f} jobs/s, "
        f"{workers} workers, client read timeout {lab.read_timeout:g} s, hang {HANG_S:g} s)"
    )
    for name, hits in fault_hits(lab).items():
        print(f"  {name:32s} " + ", ".join(f"{k}: {v}" for k, v in sorted(hits.items())))
    print(f"  attempts per job: {dict(sorted(attempts.items()))}")
    masto_found = sum(1 for i in FOUND.job_ids if service.store.get(i).network is Network.MASTODON)
    masto_drops = fault_hits(lab)["mastodon POST /api/v1/statuses"]["drop_after_commit"]
    print(
        f"  Mastodon statuses committed then dropped: {masto_drops}; found by the outbox probe: "
        f"{masto_found}; the others were answered by the Idempotency-Key on the re-send"
    )
    print(
        f"  attempts that found their post already written (not re-sent): {dict(FOUND.counts) or 0}"
    )
    print(f"  after the faulted run: states {dict(states1)}; gave up: {dict(reasons) or 0}")
    print(
        f"    on the servers: duplicates {dup1}, losses {lost1} (jobs not FAILED and not on "
        f"the server: {lost1 - states1.get('FAILED', 0)}), unexpected posts {unexpected1}"
    )
    print(
        f"  after retrying the {len(failed)} failed job(s) without faults: states {dict(states2)}"
    )
    print(f"    on the servers: duplicates {dup2}, losses {lost2}, unexpected posts {unexpected2}")


# -- the CI-sized run ---------------------------------------------------------------------------

PROBE_ENDPOINTS = {
    "mastodon GET own statuses": ("mastodon", r"^/api/v1/accounts/\d+/statuses$"),
    "bluesky getRecord": ("bluesky", r"com\.atproto\.repo\.getRecord$"),
}


@dataclass
class CiReport:
    jobs: int = 0
    sent: int = 0
    failed: int = 0
    duplicates: int = 0  # server posts beyond the jobs made for them
    losses: int = 0  # jobs with no post on the server that are not reported FAILED
    false_sent: int = 0  # SENT, but its post is not on the server, or is another job's
    false_failed: int = 0  # FAILED, but a post is there that no SENT job holds
    unexpected: int = 0  # posts carrying a marker no job has, on that account
    faults: int = 0  # requests the servers failed on purpose

    def line(self) -> str:
        return ", ".join(f"{k} {v}" for k, v in dataclasses.asdict(self).items())


def server_uris(lab: Lab) -> dict[tuple[str, str], list[str]]:
    """(account id, marker) -> the uris of the posts carrying it, read on the servers."""
    found: dict[tuple[str, str], list[str]] = {}
    by_user = {a.user_id: a for a in lab.accounts}
    with lab.masto.lock:
        for status in lab.masto.statuses.values():
            account = by_user.get(status.account_id)
            mark = MARKER.search(status.text) if account and not status.deleted else None
            if account and mark:
                found.setdefault((account.id, mark.group()), []).append(status.uri)
    for account in lab.accounts:
        if account.network is Network.BLUESKY:
            for rkey, record in lab.bsky.records(account.user_id, POST).items():
                mark = MARKER.search(record.get("text", ""))
                if mark:
                    uri = f"at://{account.user_id}/{POST}/{rkey}"
                    found.setdefault((account.id, mark.group()), []).append(uri)
    return found


def _key(job: Job) -> tuple[str, str]:
    found = MARKER.search(job.request.text)
    return job.account_id, found.group() if found else ""


def ci_report(lab: Lab, store: OutboxStore, job_ids: list[int]) -> CiReport:
    jobs = [store.get(i) for i in job_ids]
    on_server = server_uris(lab)
    report = CiReport(jobs=len(jobs))
    held = Counter(j.result_uri for j in jobs if j.state is JobState.SENT)
    wanted: Counter[tuple[str, str]] = Counter()  # jobs per (account, marker)
    not_failed: Counter[tuple[str, str]] = Counter()
    for job in jobs:
        uris = on_server.get(_key(job), [])
        wanted[_key(job)] += 1
        if job.state is JobState.FAILED:
            report.failed += 1
            report.false_failed += any(uri not in held for uri in uris)
            continue
        not_failed[_key(job)] += 1
        if job.state is JobState.SENT:
            report.sent += 1
            report.false_sent += job.result_uri not in uris or held[job.result_uri] > 1
    for key, count in wanted.items():
        copies = len(on_server.get(key, []))
        report.duplicates += max(copies - count, 0)
        report.losses += max(not_failed[key] - copies, 0)
    report.unexpected = sum(len(u) for k, u in on_server.items() if k not in wanted)
    for server in (lab.masto, lab.bsky):
        with server.lock:
            report.faults += sum(1 for r in server.requests if r.fault)
    return report


def ci_run(
    masto: MastodonSandbox, bsky: BlueskySandbox, tmp: Path, posts: int = 100, seed: int = 7,
    rate: float = 0.03,
) -> tuple[CiReport, CiReport]:
    """The CI-sized fault run on two running sandboxes: (after the faulted drain, after the
    failed jobs were retried without faults)."""
    lab = Lab(masto, bsky, tmp, read_timeout=1.0)
    make_accounts(lab, per_network=2)
    policy = RetryPolicy(max_attempts=6, base_delay=0.05, max_delay=0.5, max_rate_limit_wait=5)
    services = [lab.outbox("ci", policy, workers=8) for _ in range(2)]  # two writers, one file
    rng = random.Random(seed)
    job_ids: list[int] = []
    for n in range(posts):
        marker = f"bench-{uuid.uuid4().hex[:12]}"
        targets = rng.sample(lab.accounts, rng.randint(1, 3))
        media = (IMAGE,) if rng.random() < 0.2 else ()
        text = f"Info quartier n°{n} : marché ouvert dimanche {marker}"
        twice = 2 if rng.random() < 0.2 else 1  # the same text again, in its own batch
        for copy in range(twice):
            batch = [(a, [PostRequest(text, media=media)]) for a in targets]
            job_ids += [j.id for j in services[0].publish(f"{marker}-{copy}", batch)]
    add_faults(lab, rate, hang_s=2.0)
    for network, path in PROBE_ENDPOINTS.values():
        server = lab.masto if network == "mastodon" else lab.bsky
        for kind in ("500", "503", "hang", "drop_before"):
            server.add_fault(Fault(kind, method="GET", path=path, count=None, rate=rate,
                                   hang_seconds=2.0))  # fmt: skip
    drains = [threading.Thread(target=s.drain, args=(120,)) for s in services]
    for thread in drains:
        thread.start()
    for thread in drains:
        thread.join()
    lab.masto.clear_faults()
    lab.bsky.clear_faults()
    time.sleep(2.5)  # hung requests end (and are logged) when the server drops them
    faulted = ci_report(lab, services[0].store, job_ids)
    for job_id in job_ids:
        services[0].retry(job_id)  # only FAILED ones move
    services[0].drain(60)
    return faulted, ci_report(lab, services[0].store, job_ids)


def ci_main(posts: int, seed: int) -> None:
    masto = MastodonSandbox(port=0, seed=1).start()
    bsky = BlueskySandbox(port=0, seed=1).start()
    try:
        with tempfile.TemporaryDirectory(prefix="paris-desk-bench-ci-") as tmp:
            faulted, final = ci_run(masto, bsky, Path(tmp), posts=posts, seed=seed)
    finally:
        masto.stop()
        bsky.stop()
    print(f"== CI run: {posts} posts, faults on writes and probe reads, two writers ==")
    print(f"  after the faulted drain: {faulted.line()}")
    print(f"  after retrying the failed jobs: {final.line()}")


FOUND_MESSAGES = {
    "outbox job %d: found on the server, not sent again": "outbox probe",
    "record %s was already written: not sent again": "Bluesky adapter probe",
}


class FoundCounter(logging.Handler):
    """Counts the attempts that found their post already on the server (no re-send)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.counts: Counter[str] = Counter()
        self.job_ids: list[int] = []  # jobs found by the outbox's probe

    def emit(self, record: logging.LogRecord) -> None:
        name = FOUND_MESSAGES.get(str(record.msg))
        if name:
            self.counts[name] += 1
        if name == "outbox probe" and isinstance(record.args, tuple):
            self.job_ids.append(int(record.args[0]))  # type: ignore[call-overload]


FOUND = FoundCounter()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument(
        "--rate",
        type=float,
        default=0.02,
        help="probability of each fault kind on each write request",
    )
    parser.add_argument("--fault-latency-ms", type=int, default=200)
    parser.add_argument("--workers", type=int, default=32)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--ci", action="store_true", help="the CI-sized run (100 posts), counts")
    args = parser.parse_args()
    if args.ci:
        logging.basicConfig(level=logging.ERROR)
        ci_main(100 if args.posts == 1000 else args.posts, args.seed)
        return
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setLevel(logging.WARNING)  # the INFO records below are only counted
    for name in ("paris_desk.services.outbox", "paris_desk.channels.bluesky.publish"):
        logging.getLogger(name).setLevel(logging.INFO)
        logging.getLogger(name).addHandler(FOUND)

    masto = MastodonSandbox(port=0, seed=1).start()
    bsky = BlueskySandbox(port=0, seed=1).start()
    try:
        with tempfile.TemporaryDirectory(prefix="paris-desk-bench-") as tmp:
            lab = Lab(masto, bsky, Path(tmp), read_timeout=30.0)
            started = time.perf_counter()
            make_accounts(lab, per_network=5)
            print(
                f"{len(lab.accounts)} accounts ready in {time.perf_counter() - started:.1f} s: "
                + ", ".join(a.handle for a in lab.accounts)
            )
            part1(lab, args.rounds)
            part2(lab, args.posts, args.rate, args.fault_latency_ms, args.seed, args.workers)
    finally:
        masto.stop()
        bsky.stop()


if __name__ == "__main__":
    main()
