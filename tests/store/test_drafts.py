"""Drafts and target groups in the profile database, and the at-most-one-second crash promise."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from paris_desk.core.model import Author, Draft, DraftImage, Network, Post, Visibility
from paris_desk.store.db import Database
from paris_desk.store.drafts import DraftStore, TargetGroup
from paris_desk.store.migrations import MIGRATIONS

ROOT = Path(__file__).resolve().parents[2]
HANG_GUARD_S = 30  # seconds: only stops a hung test, never reached when all is well


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "drafts.sqlite3")
    yield database
    database.close()


def full_draft(draft_id: str = "d1", text: str = "Fête de la musique 🎸🇫🇷") -> Draft:
    parent = Post(
        uri="at://did:plc:abc/app.bsky.feed.post/3k", native_id="at://did:plc:abc/app.bsky.feed"
        ".post/3k", network=Network.BLUESKY, author=Author(handle="marie.sandbox.test"),
        created_at=datetime(2026, 6, 20, 9, 0, tzinfo=UTC), text="Une question ?", cid="bafy")
    return Draft(
        id=draft_id,
        text=text,
        targets=("bluesky:ville.sandbox.test", "mastodon:@ville@paris.example"),
        variants={"bluesky": "Version courte"},
        content_warning="Bruit",
        images=(DraftImage("/photos/scene.jpg", "La scène place de la République"),),
        visibility=Visibility.UNLISTED,
        language="fr",
        reply_gate="followers",
        scheduled_at=datetime(2026, 6, 21, 18, 0, tzinfo=UTC),
        as_thread=True,
        reply_to=parent,
        card_dismissed="https://www.paris.fr",
    )


def test_a_draft_round_trips_with_every_field(db: Database) -> None:
    store = DraftStore(db)
    saved = store.save(full_draft())
    assert saved.updated_at is not None
    assert store.get("d1") == saved
    assert store.get("missing") is None


def test_saving_again_replaces_and_lists_newest_first(db: Database) -> None:
    store = DraftStore(db)
    store.save(Draft(id="old", text="Premier"))
    store.save(Draft(id="new", text="Second"))
    store.save(Draft(id="old", text="Premier, corrigé"))
    assert [(d.id, d.text) for d in store.list()] == [("old", "Premier, corrigé"),
                                                      ("new", "Second")]


def test_delete(db: Database) -> None:
    store = DraftStore(db)
    store.save(Draft(id="d", text="x"))
    assert store.delete("d") is True
    assert store.delete("d") is False
    assert store.list() == []


def test_an_unreadable_row_is_skipped_not_fatal(db: Database) -> None:
    store = DraftStore(db)
    store.save(Draft(id="good", text="ok"))
    db.execute("INSERT INTO drafts (id, updated_us, draft_json) VALUES ('bad', 0, '{\"id\": 3}')")
    assert [d.id for d in store.list()] == ["good"]
    assert store.get("bad") is None


def test_drafts_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    first = Database(path)
    DraftStore(first).save(full_draft())
    first.close()
    again = Database(path)
    assert DraftStore(again).get("d1") == DraftStore(again).list()[0]
    again.close()


def test_migration_from_the_previous_version_keeps_existing_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = Database(path, MIGRATIONS[:-1])
    old.execute("INSERT INTO accounts (id, network, handle, base_url) VALUES ('a', 'bluesky',"
                " 'ville.sandbox.test', 'http://x')")
    old.close()
    new = Database(path)
    assert new.user_version == len(MIGRATIONS)
    assert new.scalar("SELECT handle FROM accounts") == "ville.sandbox.test"
    assert DraftStore(new).list() == []
    new.close()


def test_target_groups_keep_order_and_replace_by_name(db: Database) -> None:
    store = DraftStore(db)
    store.save_group(TargetGroup("Tous les comptes Paris", ("m:a", "b:b", "m:a")))
    store.save_group(TargetGroup("  Culture ", ("b:c",)))
    store.save_group(TargetGroup("Tous les comptes Paris", ("m:a", "b:b", "b:c")))
    assert store.groups() == [
        TargetGroup("Tous les comptes Paris", ("m:a", "b:b", "b:c")),
        TargetGroup("Culture", ("b:c",)),
    ]
    assert store.delete_group("Culture") is True
    assert [g.name for g in store.groups()] == ["Tous les comptes Paris"]
    with pytest.raises(ValueError):
        store.save_group(TargetGroup("   ", ("m:a",)))


# -- the crash promise --------------------------------------------------------------------------

KEY_MS = 40  # the typist's pace: one word every 40 ms, never pausing
SAVE_DELAY_MS = 1000  # the promise: DraftAutosaver saves at most a second after a change
SAVES_BEFORE_KILL = 3

TYPIST = textwrap.dedent(
    f"""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from paris_desk.core.model import Draft
    from paris_desk.services.workers import TaskManager
    from paris_desk.store.db import Database
    from paris_desk.store.drafts import DraftStore
    from paris_desk.ui.composer.drafts import DraftAutosaver

    app = QApplication([])
    store = DraftStore(Database(sys.argv[1]))
    tasks = TaskManager()
    typed = []
    saver = DraftAutosaver(tasks, store, lambda: Draft(id="crash", text=" ".join(typed)))
    saver.saved.connect(lambda draft: print("saved", draft.text.split()[-1], flush=True))

    def key():
        typed.append(str(len(typed)))
        saver.mark_dirty()
        print("typed", len(typed) - 1, flush=True)

    timer = QTimer()
    timer.timeout.connect(key)
    timer.start({KEY_MS})
    app.exec()
    """
)


def type_then_kill(child: subprocess.Popen[str], saves: int) -> tuple[list[int], int]:
    """Read what the child types and saves until it reported ``saves`` saves and typed more;
    SIGKILL it. Returns the last word of each save reported, and the last word typed."""
    keys_per_save = SAVE_DELAY_MS // KEY_MS
    saved: list[int] = []
    typed = -1
    assert child.stdout is not None
    for line in child.stdout:
        kind, number = line.split()
        if kind == "saved":
            saved.append(int(number))
            continue
        typed = int(number)
        if len(saved) >= saves and typed > saved[-1]:
            break
        if typed > 4 * saves * keys_per_save:
            break  # typing never pauses: a debounce would never have saved
    os.kill(child.pid, signal.SIGKILL)
    return saved, typed


def test_kill_9_while_typing_loses_at_most_about_one_second(tmp_path: Path) -> None:
    """A real process types a word every 40 ms through the throttled saver and is killed with
    SIGKILL. Counted in words, not seconds (a busy machine slows both clocks alike): saves come
    at least every second's worth of typing, and the draft read back afterwards holds at least
    the last save the process reported."""
    path = tmp_path / "crash.sqlite3"
    Database(path).close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    child = subprocess.Popen(
        [sys.executable, "-c", TYPIST, str(path)], stdout=subprocess.PIPE, text=True, env=env,
        cwd=ROOT,
    )
    try:
        saved, typed = type_then_kill(child, SAVES_BEFORE_KILL)
    finally:
        child.wait(HANG_GUARD_S)
        assert child.stdout is not None
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    assert len(saved) >= SAVES_BEFORE_KILL, f"nothing saved in {typed + 1} words of typing"
    gaps = [b - a for a, b in zip([-1, *saved], saved, strict=False)]
    assert max(gaps) <= 1.5 * SAVE_DELAY_MS / KEY_MS, f"words between two saves: {gaps}"

    reopened = Database(path)
    draft = DraftStore(reopened).get("crash")
    reopened.close()
    assert draft is not None
    last_saved = int(draft.text.split()[-1])
    assert draft.text == " ".join(str(n) for n in range(last_saved + 1))
    assert saved[-1] <= last_saved <= typed  # what was reported saved survived the kill
