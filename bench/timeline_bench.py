"""Timeline figures (issue 4), printed one per line. Runs offscreen, on the local sandboxes.

    .venv/bin/python bench/timeline_bench.py [--quick]

1. refresh of 1 and of 10 accounts with 200 ms added to every sandbox response (median of 3);
   10 accounts = the 4 city accounts + 3 local Mastodon authors (signed in through the
   sandbox's OAuth page) + 3 Bluesky authors (their app passwords);
2. the process RSS with 10,000 posts in a shown TimelineModel/QListView;
3. GUI-thread time to bring in 1,000 new posts (``show_pending``), with and without the view's
   relayout that follows;
4. the longest frame while scrolling: ``scrollTo`` + ``viewport().repaint()`` per step;
5. RSS after 100,000 posts streamed through the view (and its cache);
6. time from process start to the first painted cached timeline (``python -m paris_desk``).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PARIS_DESK_HOME"] = tempfile.mkdtemp(prefix="paris-desk-bench-")

import requests  # noqa: E402

from paris_desk.core.model import Author, Media, Network, Post, TextSpan  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LATENCY_MS = 200
WORDS = ("travaux", "piscine", "mairie", "vélo", "concert", "marché", "école", "bus",
         "parc", "bibliothèque", "quartier", "conseil", "fête", "musée", "collecte")


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def synthetic(n: int, base: datetime) -> Post:
    """A post of realistic size: 1 to 4 lines, some links, cards, images and quotes."""
    words = " ".join(WORDS[(n * 7 + i) % len(WORDS)] for i in range(8 + n % 40))
    spans = (TextSpan(f"{words.capitalize()} "), TextSpan("paris.fr/agenda",
             "https://www.paris.fr/agenda", "link"), TextSpan(" #Paris", "Paris", "tag"))
    media = tuple(Media("", f"Photo {i} du quartier") for i in range(n % 5 if n % 3 == 0 else 0))
    return Post(
        uri=f"https://social.example/statuses/{n}",
        native_id=str(n),
        network=Network.MASTODON if n % 2 else Network.BLUESKY,
        author=Author(f"@auteur{n % 97}@social.example", f"Auteur {n % 97}"),
        created_at=base + timedelta(seconds=n),
        text="".join(s.text for s in spans),
        spans=spans,
        media=media,
        reply_count=n % 7, repost_count=n % 11, like_count=n % 23,
        seen_by=("mastodon:@ville@social.example",),
    )


# -- 1. refresh --------------------------------------------------------------------------------


def _add_extra_accounts(service: object, boxes: object) -> None:
    mastodon, bluesky = boxes.mastodon, boxes.bluesky  # type: ignore[attr-defined]
    for acct in ("bibliotheques", "piscines", "mairie11"):
        flow = service.begin_mastodon_oauth(mastodon.base_url)  # type: ignore[attr-defined]
        requests.get(flow.url, params={"sandbox_auto_approve": acct}, timeout=10)
        flow.finish(flow.wait_for_code(10))
    for author in bluesky.authors[:3]:
        service.add_bluesky(author["handle"], author["password"],  # type: ignore[attr-defined]
                            service=bluesky.base_url)


def bench_refresh(runs: int) -> None:
    from paris_desk.sandbox.serve import start_sandboxes
    from paris_desk.services import sandbox_keyring
    from paris_desk.services.accounts import AccountService
    from paris_desk.services.timeline import TimelineService
    from paris_desk.store.cache import PostCache
    from paris_desk.store.profile import Profile
    from paris_desk.ui import sandbox_session

    sandbox_keyring.install()
    service = AccountService(Profile.sandbox())
    boxes = start_sandboxes(latency_ms=0)
    try:
        sandbox_session.register_accounts(service, boxes)
        _add_extra_accounts(service, boxes)
        ids = [a.id for a in service.list()]
        timeline = TimelineService(service, PostCache(service.db))
        timeline.refresh(ids)  # warm up: channels restored, atproto imported, sessions made
        boxes.mastodon.latency_ms = boxes.bluesky.latency_ms = LATENCY_MS

        def timed(chosen: list[str]) -> float:
            samples = []
            for _ in range(runs):
                started = time.perf_counter()
                result = timeline.refresh(chosen)
                samples.append(time.perf_counter() - started)
                assert not result.errors_by_account, result.errors_by_account  # noqa: S101
            return statistics.median(samples)

        one, ten = timed(ids[:1]), timed(ids)
        print(f"refresh at {LATENCY_MS} ms latency: 1 account {one * 1000:.0f} ms, "
              f"{len(ids)} accounts {ten * 1000:.0f} ms, ratio {ten / one:.2f} (target <= 1.3)")
        timeline.close()
    finally:
        boxes.stop()
        service.close()


def bench_refresh_out_of_process(runs: int) -> None:
    """The same with the sandboxes in another process (as real servers are): their work no
    longer competes with the client for this process's GIL. 4 accounts (the city ones)."""
    import json

    from paris_desk.services import sandbox_keyring
    from paris_desk.services.accounts import AccountService
    from paris_desk.services.timeline import TimelineService
    from paris_desk.store.cache import PostCache
    from paris_desk.store.profile import Profile

    child = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "paris_desk", "sandbox", "serve"], stdout=subprocess.PIPE,
        text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        assert child.stdout is not None  # noqa: S101
        boxes = json.loads(child.stdout.readline())
        sandbox_keyring.install()
        service = AccountService(Profile(Path(tempfile.mkdtemp()) / "oop",
                                         keychain_service=Profile.sandbox().keychain_service))
        for item in boxes["mastodon"]["accounts"]:
            service.add_mastodon_token(boxes["mastodon"]["base_url"], item["access_token"])
        for item in boxes["bluesky"]["accounts"]:
            service.add_bluesky(item["handle"], item["password"],
                                service=boxes["bluesky"]["base_url"])
        ids = [a.id for a in service.list()]
        timeline = TimelineService(service, PostCache(service.db))
        timeline.refresh(ids)
        for network in ("mastodon", "bluesky"):
            requests.post(boxes[network]["base_url"] + "/_sandbox/latency",
                          json={"latency_ms": LATENCY_MS}, timeout=5)

        def timed(chosen: list[str]) -> float:
            samples = []
            for _ in range(runs):
                started = time.perf_counter()
                timeline.refresh(chosen)
                samples.append(time.perf_counter() - started)
            return statistics.median(samples)

        one, four = timed(ids[:1]), timed(ids)
        print(f"refresh at {LATENCY_MS} ms, sandboxes in another process: 1 account "
              f"{one * 1000:.0f} ms, {len(ids)} accounts {four * 1000:.0f} ms, "
              f"ratio {four / one:.2f}")
        timeline.close()
        service.close()
    finally:
        child.terminate()
        child.wait(10)


# -- 2-5. the view ---------------------------------------------------------------------------


def _settle(app: object, seconds: float = 0.3) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()  # type: ignore[attr-defined]


def bench_view(streamed: int) -> None:
    from PySide6.QtWidgets import QApplication

    from paris_desk.services.workers import TaskManager
    from paris_desk.store.accounts import AccountStore
    from paris_desk.store.cache import PostCache
    from paris_desk.store.db import Database
    from paris_desk.ui.avatars import ImageLoader
    from paris_desk.ui.post_delegate import PostDelegate
    from paris_desk.ui.post_text import prepare_all
    from paris_desk.ui.timeline_model import TimelineModel

    app = QApplication.instance() or QApplication([])
    from PySide6.QtWidgets import QListView

    tasks = TaskManager()
    home = Path(os.environ["PARIS_DESK_HOME"])
    db = Database(home / "bench.sqlite3")
    from paris_desk.core.model import Account

    AccountStore(db).upsert(Account("mastodon:@ville@social.example", Network.MASTODON,
                                    "@ville@social.example", "https://social.example"))
    cache = PostCache(db)
    model = TimelineModel()
    view = QListView()
    view.setModel(model)
    view.setItemDelegate(PostDelegate(ImageLoader(tasks, home / "cache")))
    view.setLayoutMode(QListView.LayoutMode.Batched)
    view.setBatchSize(500)
    view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
    view.resize(640, 900)
    view.show()
    base = datetime(2026, 11, 20, tzinfo=UTC)
    before = rss_mib()
    for start in range(0, 10_000, 1000):
        batch = [synthetic(n, base) for n in range(start, start + 1000)]
        model.add(batch, prepare_all(batch))
        _settle(app, 0.05)
    _settle(app, 1.0)
    print(f"RSS with {model.rowCount()} posts in the view: {rss_mib():.0f} MiB "
          f"(before the posts: {before:.0f} MiB; target <= 200)")

    newer = [synthetic(n, base) for n in range(20_000, 21_000)]
    model.add(newer, prepare_all(newer), hold_newer_than=0)
    started = time.perf_counter()
    model.show_pending()
    merged = time.perf_counter() - started
    app.processEvents()
    app.processEvents()
    total = time.perf_counter() - started
    print(f"bringing in 1,000 new posts: {merged * 1000:.1f} ms in the model, "
          f"{total * 1000:.1f} ms with the view's relayout (target <= 20 ms)")
    _settle(app, 1.0)

    frames = []
    for row in range(0, min(model.rowCount(), 3000), 15):
        started = time.perf_counter()
        view.scrollTo(model.index(row), QListView.ScrollHint.PositionAtTop)
        view.viewport().repaint()
        frames.append(time.perf_counter() - started)
    frames.sort()
    print(f"scrolling {len(frames)} steps: max frame {frames[-1] * 1000:.1f} ms, "
          f"p95 {frames[int(len(frames) * 0.95)] * 1000:.1f} ms (target < 16 ms)")

    n = 30_000
    while n < 30_000 + streamed:
        batch = [synthetic(k, base) for k in range(n, n + 1000)]
        cache.save_posts("mastodon:@ville@social.example", batch)
        model.add(batch, prepare_all(batch), hold_newer_than=0)
        model.show_pending()
        _settle(app, 0.01)
        n += 1000
    _settle(app, 1.0)
    print(f"RSS after {streamed:,} more posts streamed through the view: {rss_mib():.0f} MiB, "
          f"{model.rowCount()} rows in memory (target <= 250 MiB)")
    tasks.shutdown()
    db.close()


# -- 6. first cached paint -------------------------------------------------------------------


def bench_first_paint() -> None:
    from paris_desk.core.model import Account
    from paris_desk.store.accounts import AccountStore
    from paris_desk.store.cache import PostCache
    from paris_desk.store.db import Database
    from paris_desk.store.profile import Profile

    home = Path(tempfile.mkdtemp(prefix="paris-desk-first-paint-"))
    profile = Profile(home).ensure()
    db = Database(profile.db_path)
    accounts = [
        Account("mastodon:@ville@paris.example", Network.MASTODON, "@ville@paris.example",
                "http://127.0.0.1:9", label="Mairie", color="#d1242f"),
        Account("bluesky:culture.paris.example", Network.BLUESKY, "culture.paris.example",
                "http://127.0.0.1:9", label="Culture", color="#1a7f37", position=1),
    ]
    store, cache = AccountStore(db), PostCache(db)
    base = datetime.now(UTC) - timedelta(hours=5)
    for account in accounts:
        store.upsert(account)
        cache.save_posts(account.id, [replace(synthetic(n, base), seen_by=(account.id,))
                                      for n in range(300)])
    db.close()
    env = dict(os.environ, PARIS_DESK_HOME=str(home), QT_QPA_PLATFORM="offscreen",
               PARIS_DESK_QUIT_AFTER_MS="1500", PYTHONPATH=str(ROOT))
    samples = []
    for _ in range(3):
        started = time.time()
        subprocess.run([sys.executable, "-m", "paris_desk"], env=env, check=False,  # noqa: S603
                       capture_output=True, timeout=60)
        log = (profile.log_dir / "paris-desk.log").read_text(encoding="utf-8")
        painted = [float(t) for t in re.findall(r"timeline: first paint with \d+ posts at ([\d.]+)",
                                                log)]
        atproto = "atproto" in log
        samples.append(painted[-1] - started)
    print(f"first cached timeline painted {statistics.median(samples) * 1000:.0f} ms after "
          f"launch (median of 3, interpreter start included; target <= 500 ms)"
          f"{'' if not atproto else ' [atproto mentioned in the log]'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs, 20,000 posts streamed")
    parser.add_argument("--only", choices=("refresh", "view", "paint"))
    args = parser.parse_args()
    if args.only in (None, "paint"):
        bench_first_paint()
    if args.only in (None, "refresh"):
        bench_refresh(1 if args.quick else 3)
        bench_refresh_out_of_process(1 if args.quick else 3)
    if args.only in (None, "view"):
        bench_view(20_000 if args.quick else 90_000)


if __name__ == "__main__":
    main()
