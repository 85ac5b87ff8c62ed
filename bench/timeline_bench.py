"""Timeline figures (issue 4), printed one per line. Runs offscreen, on the local sandboxes.

    .venv/bin/python bench/timeline_bench.py [--quick] [--only paint|refresh|view|core]

1. time from process start to the first painted cached timeline (``python -m paris_desk`` on
   a profile with two accounts and 600 cached posts), with bytecode (as an installed app) and
   without (as ``PYTHONDONTWRITEBYTECODE=1`` runs here); and which SDKs were imported by then;
2. refresh of 1 and of 10 accounts with 200 ms added to every sandbox response, the sandboxes
   in another process (``paris-desk sandbox serve --accounts 5``: 5 Mastodon + 5 Bluesky
   accounts), median of 7: later refreshes (incremental on Mastodon: nothing new, then 3 new
   statuses from the first account) and the first one of a session (a full page); the client's CPU
   time, and per page and network;
3. the process RSS with 10,000 posts in a shown column list (both adapters imported, as in the
   app once it has refreshed; they read without their SDKs, which come with a sign-in or the
   first write: the SDKs in memory are printed);
4. bringing in 1,000 new posts (the "new posts" bar): the click, then every event-loop pass of
   the view's relayout (longest pass and total, wall and GUI-thread CPU time);
5. the longest frame while scrolling: ``scrollTo`` + ``repaint()`` + one event-loop pass;
6. RSS after 100,000 posts streamed through the view (and its cache); then how many full
   garbage collections ran in parts 3-6 and how many landed inside a measured pass (the app
   leaves them to an idle moment: ``ui/shell/idle_collector.py``; ``--no-idle-collector``
   leaves them to CPython, for comparison); then three columns side by side, 1,000 posts
   coming into each at once, 30 times (10 with ``--quick``): the longest pass (the columns lay
   out in the same passes);
7. (``--only core``) the figures the tests used to time and no longer do: merging 1,000 posts
   into a merged list of 10,000, counting a hostile 8,500-character text on both networks, and
   seeding each sandbox (best of N, CPU time beside).

Wall times count what other processes on the machine take from us: compare them with the CPU
times printed beside them. The last line is one JSON object with fixed keys (issue 14):
``first_refresh_ratio``, ``later_refresh_ratio`` (3 new statuses), ``mastodon_page_cpu_ms`` (40
statuses), ``first_paint_ms`` (with bytecode), ``rss_10k_mib``, ``rss_100k_mib`` (after the
posts streamed: 100,000, or 20,000 with ``--quick``), ``longest_pass_ms`` (adding and streaming,
wall), then details; a part not run gives null.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PARIS_DESK_HOME"] = tempfile.mkdtemp(prefix="paris-desk-bench-")

import requests

from paris_desk.channels.authors import shared
from paris_desk.core.model import Author, Media, Network, Post, TextSpan

ROOT = Path(__file__).resolve().parents[1]
LATENCY_MS = 200
FIGURES: dict[str, object] = {}  # the JSON line's values, filled by each part
KEYS = ("first_refresh_ratio", "later_refresh_ratio", "mastodon_page_cpu_ms", "first_paint_ms",
        "rss_10k_mib", "rss_100k_mib", "longest_pass_ms")
NEW_PER_RUN = 3  # statuses the first account posts before a timed incremental refresh
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
        # One object per author, as the converters give them (channels.authors).
        author=shared(Author(f"@auteur{n % 97}@social.example", f"Auteur {n % 97}")),
        created_at=base + timedelta(seconds=n),
        text="".join(s.text for s in spans),
        spans=spans,
        media=media,
        reply_count=n % 7, repost_count=n % 11, like_count=n % 23,
        seen_by=("mastodon:@ville@social.example",),
    )


# -- 1. refresh --------------------------------------------------------------------------------


class _OutOfProcess:
    """``paris-desk sandbox serve --accounts N`` in a child process (as real servers are: their
    work never competes with the client for this process's GIL), its accounts signed in."""

    def __init__(self, per_network: int) -> None:
        import json

        from paris_desk.services import sandbox_keyring
        from paris_desk.services.accounts import AccountService
        from paris_desk.store.profile import Profile

        self.child = subprocess.Popen(  # noqa: S603 - our own interpreter and package
            [sys.executable, "-m", "paris_desk", "sandbox", "serve",
             "--accounts", str(per_network)],
            stdout=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
        assert self.child.stdout is not None  # noqa: S101
        self.boxes = json.loads(self.child.stdout.readline())
        sandbox_keyring.install()
        self.service = AccountService(Profile(Path(tempfile.mkdtemp()) / "oop",
                                              keychain_service=Profile.sandbox().keychain_service))
        mastodon, bluesky = self.boxes["mastodon"], self.boxes["bluesky"]
        # Interleaved, so that the first N accounts mix both networks.
        for m_item, b_item in zip(mastodon["accounts"], bluesky["accounts"], strict=True):
            self.service.add_mastodon_token(mastodon["base_url"], m_item["access_token"])
            self.service.add_bluesky(b_item["handle"], b_item["password"],
                                     service=bluesky["base_url"])
        self.ids = [a.id for a in self.service.list()]

    def set_latency(self, ms: int) -> None:
        for network in ("mastodon", "bluesky"):
            requests.post(self.boxes[network]["base_url"] + "/_sandbox/latency",
                          json={"latency_ms": ms}, timeout=5)

    def close(self) -> None:
        self.service.close()
        self.child.terminate()
        self.child.wait(10)


def bench_refresh(runs: int, accounts: int = 10) -> None:
    """Wall time of ``TimelineService.refresh`` (what the GUI's worker waits for before it can
    show anything) for 1 account and for ``accounts``, median of ``runs``: later refreshes
    (``REFRESH_PAGE_SIZE``) and first ones (``PAGE_SIZE``); then where the client's CPU goes,
    the part no parallelism hides under the GIL."""
    from paris_desk.services.executors import Executors
    from paris_desk.services.timeline import PAGE_SIZE, REFRESH_PAGE_SIZE, TimelineService
    from paris_desk.store.cache import PostCache

    sandboxes = _OutOfProcess(per_network=(accounts + 1) // 2)
    executors = Executors()  # the process's pools, as the Desk hands them to the timeline
    try:
        ids = sandboxes.ids[:accounts]
        cache = PostCache(sandboxes.service.db)
        print(f"refresh at {LATENCY_MS} ms latency, sandboxes in another process, {len(ids)} "
              f"accounts ({sum(i.startswith('mastodon') for i in ids)} Mastodon); 1 account = "
              f"the first ({ids[0].split(':')[0]}):")
        cases = (("later refreshes, nothing new", REFRESH_PAGE_SIZE, False, 0),
                 (f"later refreshes, the first account posted {NEW_PER_RUN} statuses",
                  REFRESH_PAGE_SIZE, False, NEW_PER_RUN),
                 ("first refresh of a session", PAGE_SIZE, True, 0))
        for label, size, full, new in cases:
            timeline = TimelineService(sandboxes.service, cache, refresh_page_size=size,
                                       executors=executors)
            timeline.refresh(ids)  # warm up: channels restored, SDKs imported, sessions made
            one, one_cpu = _timed(timeline, sandboxes, ids[:1], runs, full=full, new=new)
            ten, ten_cpu = _timed(timeline, sandboxes, ids, runs, full=full, new=new)
            print(f"  {label} (Mastodon: {'a full page' if full else 'incremental'}, "
                  f"Bluesky {size if not full else PAGE_SIZE} posts): 1 account "
                  f"{one * 1000:.0f} ms, {len(ids)} accounts {ten * 1000:.0f} ms, ratio "
                  f"{ten / one:.2f} (target <= 1.3); client CPU {one_cpu * 1000:.0f} / "
                  f"{ten_cpu * 1000:.0f} ms")
            key = ("first_refresh_ratio" if full else
                   "later_refresh_ratio" if new else "nothing_new_refresh_ratio")
            FIGURES[key] = round(ten / one, 2)
            timeline.close()
        _page_costs(sandboxes, ids)
    finally:
        executors.shutdown(5.0)
        sandboxes.close()


def _timed(timeline: object, sandboxes: _OutOfProcess, chosen: list[str],
           runs: int, *, full: bool, new: int) -> tuple[float, float]:
    """Median wall time and client CPU time (all threads) of ``refresh(chosen)``: a full
    page of every account (``full``), or incremental after the first account posted ``new``
    statuses (untimed, without latency)."""
    walls, cpus, counts = [], [], []
    timeline.refresh(chosen)  # type: ignore[attr-defined]  # catch up: the runs start level
    for run in range(runs):
        _post_new(sandboxes, chosen, new, run)
        sandboxes.set_latency(LATENCY_MS)
        timeline.flush()  # type: ignore[attr-defined]  # the previous round's cache write
        started, cpu = time.perf_counter(), time.process_time()
        result = timeline.refresh(chosen, full=chosen if full else ())  # type: ignore[attr-defined]
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
        sandboxes.set_latency(0)
        assert not result.errors_by_account, result.errors_by_account  # noqa: S101
        for account_id, posts in result.posts_by_account.items():
            incremental = not full and account_id.startswith("mastodon")
            if account_id == chosen[0]:
                assert len(posts) >= new, (account_id, len(posts))  # noqa: S101
            assert incremental or posts  # noqa: S101
            if incremental:
                counts.append(len(posts))
    timeline.flush()  # type: ignore[attr-defined]
    if counts:
        print(f"    ({len(chosen)} accounts: {statistics.mean(counts):.1f} new items per "
              "Mastodon home)")
    return statistics.median(walls), statistics.median(cpus)


def _post_new(sandboxes: _OutOfProcess, chosen: list[str], count: int, run: int) -> None:
    """The first account (Mastodon) posts ``count`` statuses: they reach its own home and
    the homes of the bench accounts that follow it."""
    from paris_desk.core.model import PostRequest

    channel = sandboxes.service.channel(chosen[0])
    for n in range(count):
        channel.post(PostRequest(f"Bench : annonce {run}.{n} du quartier",
                                 idempotency_key=f"bench-{run}-{n}-{time.time()}"))


def _page_costs(sandboxes: _OutOfProcess, ids: list[str]) -> None:
    """CPU time of one page on this thread, per network and size (no latency)."""
    from paris_desk.core.model import Network as Net

    firsts = {Net.MASTODON: None, Net.BLUESKY: None}
    for account in sandboxes.service.list():
        if account.id in ids and firsts.get(account.network, 0) is None:
            firsts[account.network] = account.id
    parts = []
    for network, account_id in firsts.items():
        channel = sandboxes.service.channel(account_id)  # type: ignore[arg-type]
        for size in (20, 40):
            channel.home_timeline(limit=size)
            cpu = time.thread_time()
            for _ in range(5):
                channel.home_timeline(limit=size)
            per_page = (time.thread_time() - cpu) / 5
            FIGURES[f"{network.value}_page_cpu_ms" + ("" if size == 40 else f"_{size}")] = \
                round(per_page * 1000, 1)
            parts.append(f"{network.value} {size} posts {per_page * 1000:.0f} ms")
    print(f"  client CPU per page (fetch, JSON decoding, conversion): {', '.join(parts)}")


# -- 2-5. the view ---------------------------------------------------------------------------


def _settle(app: object, seconds: float = 0.3) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()  # type: ignore[attr-defined]


class FullCollections:
    """Every full (generation-2) garbage collection of the view part: its CPU time, and how
    many ran inside a measured pass (``timed``) rather than between them (while the bench
    makes posts, as the app's workers do, or while the loop is idle: ``_settle``)."""

    def __init__(self) -> None:
        self.cpu_ms: list[float] = []
        self.inside = 0
        self._cpu = 0.0

    def start(self) -> None:
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._cpu = time.thread_time()
        else:
            self.cpu_ms.append((time.thread_time() - self._cpu) * 1000)

    def timed(self, work: Callable[[], object]) -> tuple[float, float]:
        """(wall, GUI-thread CPU) of ``work()`` in ms, a full collection in it counted."""
        runs = len(self.cpu_ms)
        wall, cpu = time.perf_counter(), time.thread_time()
        work()
        wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
        self.inside += len(self.cpu_ms) > runs
        return wall * 1000, cpu * 1000

    def summary(self) -> str:
        if not self.cpu_ms:
            return "no full garbage collection"
        return (f"{len(self.cpu_ms)} full garbage collections (CPU {min(self.cpu_ms):.1f} to "
                f"{max(self.cpu_ms):.1f} ms), {self.inside} of them inside a measured pass")


FULL = FullCollections()


def _iterations(app: object, seconds: float) -> list[tuple[float, float]]:
    """Run the event loop for ``seconds``; (wall, GUI-thread CPU) of each busy pass, in ms.

    A pass is one ``processEvents()``: every event pending at that moment (a layout batch, a
    paint…), what the user waits for before the next key press or frame is handled."""
    busy: list[tuple[float, float]] = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        wall, cpu = FULL.timed(app.processEvents)  # type: ignore[attr-defined]
        if wall > 0.5:
            busy.append((wall, cpu))
    return busy


def _worst(passes: list[tuple[float, float]]) -> str:
    if not passes:
        return "no busy pass"
    wall = max(w for w, _ in passes)
    cpu = max(c for _, c in passes)
    return (f"longest pass {wall:.1f} ms (CPU {cpu:.1f} ms), {len(passes)} passes, "
            f"total {sum(w for w, _ in passes):.0f} ms (CPU {sum(c for _, c in passes):.0f} ms)")


def bench_view(streamed: int, *, collector: bool = True) -> None:
    """The model and list of one column, as ``TimelineColumn`` sets them up; posts prepared and
    measured as its workers do (``timeline_feed.prepared``, here on this thread, untimed)."""
    from PySide6.QtWidgets import QApplication, QListView

    from paris_desk import channels
    from paris_desk.core.model import Account
    from paris_desk.services.workers import TaskManager
    from paris_desk.store.accounts import AccountStore
    from paris_desk.store.cache import PostCache
    from paris_desk.store.db import Database
    from paris_desk.ui.avatars import ImageLoader
    from paris_desk.ui.shell.idle_collector import IdleCollector
    from paris_desk.ui.timeline.column import TimelineColumn
    from paris_desk.ui.timeline.feed import prepared
    from paris_desk.ui.timeline.model import TimelineModel
    from paris_desk.ui.timeline.post_delegate import PostDelegate

    app = QApplication.instance() or QApplication([])
    # As the app does once start-up is over (ui/shell/app.py, _install_views): what start-up
    # made is frozen, full collections wait for an idle moment (``IdleCollector``).
    gc.freeze()
    if collector:
        IdleCollector(app).start()
    FULL.start()  # counted from here (the imports above had theirs)
    # As in the app once it refreshed: both adapters in memory, imported by the first refresh,
    # after that freeze (what they bring in is walked by every full collection).
    for network in Network:
        channels.adapter_module(network)
    sdks = [m for m in ("mastodon", "atproto_client", "httpx", "pydantic") if m in sys.modules]
    print(f"SDKs in memory once the adapters are imported: {', '.join(sdks) or 'none'}")
    FIGURES["sdks_in_memory"] = sdks
    tasks = TaskManager()
    home = Path(os.environ["PARIS_DESK_HOME"])
    db = Database(home / "bench.sqlite3")
    AccountStore(db).upsert(Account("mastodon:@ville@social.example", Network.MASTODON,
                                    "@ville@social.example", "https://social.example"))
    cache = PostCache(db)
    model = TimelineModel()
    delegate = PostDelegate(ImageLoader(tasks, home / "cache"))
    view = TimelineColumn.make_list_view(model, delegate)
    view.resize(640, 900)
    view.show()
    base = datetime(2026, 11, 20, tzinfo=UTC)
    before = rss_mib()
    filling: list[tuple[float, float]] = []
    for start in range(0, 10_000, 1000):
        batch = [synthetic(n, base) for n in range(start, start + 1000)]
        texts = prepared(batch, delegate.geometry(view))
        filling.append(FULL.timed(lambda batch=batch, texts=texts: model.add(batch, texts)))
        filling += _iterations(app, 0.3)
    _settle(app, 1.0)
    print(f"RSS with {model.rowCount()} posts in the view: {rss_mib():.0f} MiB "
          f"(before the posts: {before:.0f} MiB; target <= 200)")
    print(f"  adding them 1,000 at a time: {_worst(filling)}")
    FIGURES["rss_10k_mib"] = round(rss_mib())
    FIGURES["longest_pass_fill_ms"] = round(max(w for w, _ in filling), 1)
    FIGURES["longest_pass_fill_cpu_ms"] = round(max(c for _, c in filling), 1)

    newer = [synthetic(n, base) for n in range(20_000, 21_000)]
    model.add(newer, prepared(newer, delegate.geometry(view)), hold_newer_than=0)
    _settle(app, 0.5)
    # What a click on the "new posts" bar runs (show_new_posts).
    first = FULL.timed(lambda: (model.show_pending(), view.scrollToTop()))
    passes = [first, *_iterations(app, 2.0)]
    print(f"bringing in 1,000 new posts: the click {first[0]:.1f} ms (model), then the view's "
          f"relayout: {_worst(passes)} (target <= 20 ms per pass)")

    frames = []

    def frame(row: int) -> None:
        view.scrollTo(model.index(row), QListView.ScrollHint.PositionAtTop)
        view.viewport().repaint()
        app.processEvents()  # what the frame left for later (height corrections) counts too

    for row in range(0, min(model.rowCount(), 3000), 15):
        frames.append(FULL.timed(lambda row=row: frame(row)))
    walls = sorted(w for w, _ in frames)
    print(f"scrolling {len(frames)} frames: max {walls[-1]:.1f} ms (CPU "
          f"{max(c for _, c in frames):.1f} ms), p95 {walls[int(len(walls) * 0.95)]:.1f} ms "
          f"(target < 16 ms)")

    streaming: list[tuple[float, float]] = []
    n = 30_000
    while n < 30_000 + streamed:
        batch = [synthetic(k, base) for k in range(n, n + 1000)]
        cache.save_posts("mastodon:@ville@social.example", batch)
        model.add(batch, prepared(batch, delegate.geometry(view)), hold_newer_than=0)
        streaming.append(FULL.timed(model.show_pending))
        streaming += _iterations(app, 0.05)
        n += 1000
    _settle(app, 1.0)
    print(f"RSS after {streamed:,} more posts streamed through the view: {rss_mib():.0f} MiB, "
          f"{model.rowCount()} rows in memory (target <= 250 MiB)")
    print(f"  while streaming: {_worst(streaming)}")
    FIGURES["rss_100k_mib"] = round(rss_mib())
    FIGURES["streamed"] = streamed
    FIGURES["longest_pass_stream_ms"] = round(max(w for w, _ in streaming), 1)
    FIGURES["longest_pass_stream_cpu_ms"] = round(max(c for _, c in streaming), 1)
    FIGURES["longest_pass_ms"] = max(FIGURES["longest_pass_fill_ms"],  # type: ignore[call-overload]
                                     FIGURES["longest_pass_stream_ms"])
    FIGURES["longest_scroll_frame_ms"] = round(walls[-1], 1)
    print(f"{FULL.summary()} ({'idle collector' if collector else 'CPython thresholds'})")
    FIGURES["full_collections"] = len(FULL.cpu_ms)
    FIGURES["full_collections_in_passes"] = FULL.inside
    view.hide()
    _columns_at_once(app, ImageLoader(tasks, home / "cache"), 10 if streamed < 90_000 else 30)
    tasks.shutdown()
    db.close()


def _columns_at_once(app: object, images: object, rounds: int, count: int = 3) -> None:
    """``count`` columns side by side (the unified one and two accounts'), each 10,000 posts,
    then ``rounds`` times 1,000 new posts into each at once (a refresh that fed them all)."""
    from PySide6.QtWidgets import QHBoxLayout, QWidget

    from paris_desk.ui.timeline.column import TimelineColumn
    from paris_desk.ui.timeline.feed import prepared
    from paris_desk.ui.timeline.model import TimelineModel
    from paris_desk.ui.timeline.post_delegate import PostDelegate

    window = QWidget()
    row = QHBoxLayout(window)
    columns = []
    for _ in range(count):
        model, delegate = TimelineModel(), PostDelegate(images)  # type: ignore[arg-type]
        view = TimelineColumn.make_list_view(model, delegate)
        row.addWidget(view)
        columns.append((model, delegate, view))
    window.resize(420 * count, 900)
    window.show()
    base = datetime(2026, 11, 20, tzinfo=UTC)
    for start in range(0, 10_000, 1000):
        batch = [synthetic(n, base) for n in range(start, start + 1000)]
        for model, delegate, view in columns:
            model.add(batch, prepared(batch, delegate.geometry(view)))
        _settle(app, 0.3)
    _settle(app, 1.0)
    passes: list[tuple[float, float]] = []
    for step in range(rounds):
        first = 40_000 + step * 1000
        batch = [synthetic(n, base) for n in range(first, first + 1000)]
        for model, delegate, view in columns:
            model.add(batch, prepared(batch, delegate.geometry(view)), hold_newer_than=0)
        for model, _delegate, _view in columns:
            passes.append(FULL.timed(model.show_pending))
        passes += _iterations(app, 0.15)
    print(f"{count} columns fed at once, {rounds} times 1,000 posts each: {_worst(passes)}")
    FIGURES["longest_pass_columns_ms"] = round(max(w for w, _ in passes), 1)
    FIGURES["longest_pass_columns_cpu_ms"] = round(max(c for _, c in passes), 1)
    window.close()


# -- 6. first cached paint -------------------------------------------------------------------


def bench_first_paint(runs: int) -> None:
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
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    compiled = dict(env, PYTHONPYCACHEPREFIX=tempfile.mkdtemp(prefix="paris-desk-pyc-"))
    uncompiled = dict(env, PYTHONDONTWRITEBYTECODE="1")
    _launch(compiled, profile)  # writes the bytecode, as installing the package does
    for label, environment in (("with bytecode (as installed)", compiled),
                               ("without bytecode (sources compiled at each start)",
                                uncompiled)):
        launches = [_launch(environment, profile, cpu=True) for _ in range(runs)]
        samples = sorted(wall for wall, _ in launches)
        cpu = statistics.median(cpu for _, cpu in launches)
        if "with bytecode" in label:
            FIGURES["first_paint_cpu_ms"] = round(cpu)
        FIGURES["first_paint_ms" if "with bytecode" in label else "first_paint_no_pyc_ms"] = \
            round(statistics.median(samples) * 1000)
        print(f"first cached timeline painted {statistics.median(samples) * 1000:.0f} ms after "
              f"launch, {label}: median of {runs}, best {samples[0] * 1000:.0f} ms "
              f"(interpreter start included; target <= 500 ms); process CPU by then "
              f"{cpu:.0f} ms (median)")
    check = subprocess.run([sys.executable, "-c", _SDK_CHECK], env=compiled, check=False,  # noqa: S603
                           capture_output=True, text=True, timeout=60)
    found = re.findall(r"SDKs at first paint: (.*)", check.stderr)
    print(f"  SDKs imported at the first paint: {found[-1] if found else 'unknown'}")


_SDK_CHECK = """
import sys
from paris_desk.ui.timeline import column as timeline_column
after = timeline_column.TimelineColumn._after_first_paint
def check(self, at, *more):
    sdks = [m for m in ("atproto_client", "mastodon") if m in sys.modules]
    sys.stderr.write(f"SDKs at first paint: {', '.join(sdks) or 'none'}\\n")
    after(self, at, *more)
timeline_column.TimelineColumn._after_first_paint = check
from paris_desk.cli.main import main
sys.exit(main([]))
"""


def _launch(env: dict[str, str], profile: object, *, cpu: bool = False
            ) -> Any:
    """Seconds from the process start to the first painted cached timeline (its log line);
    with ``cpu``, (those seconds, the process's CPU milliseconds by then)."""
    started = time.time()
    subprocess.run([sys.executable, "-m", "paris_desk"], env=env, check=False,
                   capture_output=True, timeout=60)
    log = (profile.log_dir / "paris-desk.log").read_text(encoding="utf-8")  # type: ignore[attr-defined]
    painted = re.findall(r"timeline: first paint with \d+ posts at ([\d.]+)"
                         r"(?: \(process CPU (\d+) ms\))?", log)
    wall = float(painted[-1][0]) - started
    return (wall, float(painted[-1][1] or "nan")) if cpu else wall


def _best(runs: int, work: Callable[[], object]) -> str:
    """Best wall and CPU time of ``runs`` calls of ``work``, in milliseconds."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return f"{min(walls) * 1000:.1f} ms (CPU {min(cpus) * 1000:.1f} ms), best of {runs}"


def bench_core(runs: int) -> None:
    import random

    from paris_desk.core.counting import count_bluesky, count_mastodon, url_spans
    from paris_desk.core.merge import merge
    from paris_desk.sandbox.bluesky import BlueskySandbox
    from paris_desk.sandbox.mastodon import MastodonSandbox

    rng = random.Random(5)
    base = datetime(2026, 6, 21, 12, 0, tzinfo=UTC)

    def post(n: int, minutes: int, account: str) -> Post:
        return replace(synthetic(n, base + timedelta(minutes=minutes) - timedelta(seconds=n)),
                       seen_by=(account,))

    existing = merge([], [post(i, rng.randint(0, 100_000), rng.choice("abcd"))
                          for i in range(10_000)]).posts
    incoming = [post(rng.randint(0, 20_000), rng.randint(0, 110_000), rng.choice("abcd"))
                for _ in range(1000)]
    print(f"merging 1,000 posts into 10,000: {_best(runs, lambda: merge(existing, incoming))}")

    url_spans("https://x.fr")  # compile outside the measure
    nasty = "https://paris.fr/" + "a!" * 2000 + " " + "@a" * 2000 + "(" * 500
    print(f"counting a hostile {len(nasty):,}-character text on both networks: "
          f"{_best(runs, lambda: (count_mastodon(nasty), count_bluesky(nasty)))}")

    servers: list[MastodonSandbox | BlueskySandbox] = []
    for name, sandbox in (("Mastodon", MastodonSandbox), ("Bluesky", BlueskySandbox)):
        figure = _best(runs, lambda sandbox=sandbox: servers.append(sandbox(seed=3)))
        print(f"seeding the {name} sandbox (seed 3): {figure}")
    for server in servers:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs, 20,000 posts streamed")
    parser.add_argument("--only", choices=("refresh", "view", "paint", "core"))
    parser.add_argument("--no-idle-collector", action="store_true",
                        help="view: full collections left to CPython (for comparison)")
    args = parser.parse_args()
    if args.only in (None, "paint"):
        bench_first_paint(5 if args.quick else 9)
    if args.only in (None, "refresh"):
        bench_refresh(3 if args.quick else 7)
    if args.only == "view":
        bench_view(20_000 if args.quick else 90_000, collector=not args.no_idle_collector)
    elif args.only is None:  # in a fresh process: the refresh above signed in with the SDKs
        _view_in_child(args.quick, args.no_idle_collector)
    if args.only in (None, "core"):
        bench_core(5 if args.quick else 10)


def _view_in_child(quick: bool, no_collector: bool) -> None:
    """Part 3-6 in a process of its own, whose memory holds what the app's does after a
    refresh (the adapters; no SDK a sign-in brought in); its lines printed, its figures kept."""
    command = [sys.executable, __file__, "--only", "view", *(["--quick"] if quick else []),
               *(["--no-idle-collector"] if no_collector else [])]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    lines = done.stdout.splitlines()
    print("\n".join(lines[:-1]))
    FIGURES.update({k: v for k, v in json.loads(lines[-1]).items() if v is not None})


def print_figures() -> None:
    """The last line: the figures as one JSON object, the fixed keys first."""
    print(json.dumps({**{key: FIGURES.get(key) for key in KEYS},
                      **{k: v for k, v in FIGURES.items() if k not in KEYS}}))


if __name__ == "__main__":
    main()
    print_figures()
