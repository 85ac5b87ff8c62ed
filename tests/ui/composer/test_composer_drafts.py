"""Drafts in the composer: saved continuously, listed, reopened with everything; a composer
killed with SIGKILL while typing loses at most about one second; saved groups of accounts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Account, Network, Visibility
from paris_desk.store.drafts import TargetGroup
from paris_desk.ui.composer.widget import ComposerWidget

Type = Callable[[ComposerWidget, str], None]
ROOT = Path(__file__).resolve().parents[3]


def test_drafts_are_saved_listed_and_reopened_with_everything(
        qtbot: QtBot, open_composer: Callable[[], ComposerWidget], both: tuple[Account, Account],
        type_text: Type, tmp_path: Path) -> None:
    composer = open_composer()
    mastodon, bluesky = both
    composer.targets_panel.set_checked([bluesky.id])
    type_text(composer, "Brouillon un : la fête du quartier")
    composer.editor.add_variant(Network.BLUESKY).setPlainText("Version Bluesky")
    composer.options.warning.setText("Bruit")
    composer.options.visibility.setCurrentIndex(composer.options.visibility.findData("unlisted"))
    composer.options.reply_gate.setCurrentIndex(composer.options.reply_gate.findData("nobody"))
    image = tmp_path / "affiche.png"
    image.write_bytes(b"")
    composer.media.add_paths([str(image)])
    composer.media.image_rows()[0].alt.setPlainText("Affiche de la fête, fond jaune")
    first = composer.current_draft()
    qtbot.waitUntil(lambda: composer.drafts.get(first.id) is not None
                    and composer.drafts.get(first.id).text == first.text, timeout=3000)
    qtbot.waitUntil(lambda: composer.drafts_panel.ids() == [first.id])

    composer.drafts_panel.new_button.click()
    assert composer.editor.text() == ""
    assert composer.targets_panel.checked_ids() == [bluesky.id]  # the targets stay
    type_text(composer, "Brouillon deux")
    second = composer.current_draft().id
    qtbot.waitUntil(lambda: composer.drafts_panel.ids() == [second, first.id], timeout=3000)

    composer.drafts_panel.select(first.id)
    composer.drafts_panel.open_button.click()
    reopened = composer.current_draft()
    assert reopened.id == first.id
    assert reopened.text == "Brouillon un : la fête du quartier"
    assert reopened.variants == {"bluesky": "Version Bluesky"}
    assert reopened.content_warning == "Bruit"
    assert reopened.visibility is Visibility.UNLISTED
    assert reopened.reply_gate == "nobody"
    assert [(i.path, i.alt) for i in reopened.images] == [
        (str(image), "Affiche de la fête, fond jaune")]
    assert reopened.targets == (bluesky.id,)
    assert composer.drafts.get(second).text == "Brouillon deux"  # flushed when switching

    composer.drafts_panel.select(second)
    composer.drafts_panel.delete_button.click()
    qtbot.waitUntil(lambda: composer.drafts_panel.ids() == [first.id])
    assert mastodon.id not in reopened.targets


def test_save_and_apply_a_group_of_accounts(
        qtbot: QtBot, open_composer: Callable[[], ComposerWidget],
        both: tuple[Account, Account]) -> None:
    composer = open_composer()
    mastodon, bluesky = both
    panel = composer.targets_panel
    panel.set_checked([mastodon.id, bluesky.id])

    def fill_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("Tous les comptes Paris")
        dialog.accept()

    QTimer.singleShot(100, fill_dialog)
    panel.save_group_button.click()
    qtbot.waitUntil(lambda: panel.group_names() == ["Tous les comptes Paris"])
    assert composer.drafts.groups() == [TargetGroup("Tous les comptes Paris",
                                                    (mastodon.id, bluesky.id))]
    panel.set_checked([])
    panel.apply_group("Tous les comptes Paris")
    assert panel.checked_ids() == [mastodon.id, bluesky.id]

    again = open_composer()  # groups are in the profile's database
    assert again.targets_panel.group_names() == ["Tous les comptes Paris"]
    again.targets_panel.apply_group("Tous les comptes Paris")
    assert again.targets_panel.checked_ids() == [mastodon.id, bluesky.id]
    again.targets_panel.delete_group_button.click()
    qtbot.waitUntil(lambda: again.targets_panel.group_names() == [])
    assert again.drafts.groups() == []


KEY_MS = 40  # the child types one word every 40 ms, never pausing
SAVE_DELAY_MS = 1000  # the promise: a draft is saved at most a second after a change
SAVES_BEFORE_KILL = 3
HANG_GUARD_S = 30  # seconds: only stops a hung test, never reached when all is well

CHILD = textwrap.dedent(
    f"""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from paris_desk.services.accounts import AccountService
    from paris_desk.services.workers import TaskManager
    from paris_desk.store.profile import Profile
    from paris_desk.ui.composer.widget import ComposerWidget
    from paris_desk.ui.shell.session import Session

    app = QApplication([])
    tasks = TaskManager()
    service = AccountService(Profile.default())
    session = Session(tasks=tasks, accounts=service, add_accounts=service,
                      settings_path=Profile.default().settings_path)
    composer = ComposerWidget(session)
    composer.show()
    composer.reload()
    composer.autosaver.saved.connect(
        lambda draft: print("saved", draft.text.split()[-1], flush=True))
    words = []

    def key():
        words.append(str(len(words)))
        composer.editor.common.setPlainText(" ".join(words))
        print("typed", len(words) - 1, flush=True)

    timer = QTimer()
    timer.timeout.connect(key)
    timer.start({KEY_MS})
    app.exec()
    """
)


def type_then_kill(child: subprocess.Popen[str], saves: int) -> tuple[list[int], int]:
    """Read what the child types and saves until it reported ``saves`` saves and typed more;
    SIGKILL it. Returns the last word of each save reported, and the last word typed."""
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
        if typed > 4 * saves * SAVE_DELAY_MS // KEY_MS:
            break  # typing never pauses: a debounce would never have saved
    os.kill(child.pid, signal.SIGKILL)
    return saved, typed


def test_a_killed_composer_loses_at_most_about_a_second(
        qtbot: QtBot, open_composer: Callable[[], ComposerWidget], profile_dir: Path) -> None:
    """Counted in words, not seconds (a busy machine slows both clocks alike): saves come at
    least every second's worth of typing, and the reopened draft holds at least the last save
    the killed process reported."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               PARIS_DESK_HOME=str(profile_dir),
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    started = datetime.now(UTC)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
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

    composer = open_composer()  # the same profile, after the crash
    qtbot.waitUntil(lambda: len(composer.drafts_panel.ids()) == 1)
    composer.drafts_panel.select(composer.drafts_panel.ids()[0])
    composer.drafts_panel.open_button.click()
    text = composer.editor.text()
    last = int(text.split()[-1])
    assert text == " ".join(str(n) for n in range(last + 1))
    assert saved[-1] <= last <= typed  # what was reported saved survived the kill
    assert started <= composer.current_draft().updated_at <= datetime.now(UTC)
