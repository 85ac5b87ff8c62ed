"""The window with the keyboard only (issue 17), on both sandboxes: publish a post with an
image and its alt text, and answer a mention from the inbox, pressing keys and nothing else,
the focus checked at each step."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QKeyEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from whole_app import WAIT_MS

from paris_desk.services.api import JobState
from paris_desk.ui import accessible
from paris_desk.ui.composer.targets import ID_ROLE
from paris_desk.ui.composer.widget import ComposerWidget
from paris_desk.ui.inbox.model import InboxRole
from paris_desk.ui.inbox.view import InboxView
from paris_desk.ui.shell.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
HANG_GUARD_TRIES = 1500  # x 20 ms: the file dialog is looked for that long at most


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "the focus was lost"
    return widget


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
          ) -> QWidget:
    """A key to whatever has the focus, as a keyboard would; returns what has it after."""
    qtbot.keyClick(focused(), key, modifier)
    return focused()


def type_in(qtbot: QtBot, text: str) -> None:
    """Type ``text`` where the focus is, one key event per character (QTest's ``keyClicks``
    knows ASCII only: "é" is a key of a French keyboard)."""
    for char in text:
        widget = focused()
        key = Qt.Key(ord(char.upper())) if char.isascii() and char.isalnum() else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier,
                                                     char))
    qtbot.wait(1)


def view_key(window: MainWindow, view: str) -> Qt.Key:
    """Ctrl+<n> of a view, read from the View menu (the n-th view added)."""
    action = next(a for a in window._views_group.actions() if a.data() == view)
    return Qt.Key(action.shortcut()[0].key())


def tab_until(qtbot: QtBot, target: QWidget, limit: int = 40) -> list[QWidget]:
    """Tab until ``target`` has the focus; the widgets passed on the way, in order."""
    passed: list[QWidget] = []
    for _ in range(limit):
        if focused() is target:
            return passed
        passed.append(focused())
        press(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target.accessibleName()!r}: "
                         f"{[w.accessibleName() or type(w).__name__ for w in passed]}")


def choose_file_with_keys(qtbot: QtBot, path: Path) -> None:
    """When the file dialog opens (modal), type the path in it and press Enter."""
    tries = [0]

    def again(step: Callable[[], None], dialog: QFileDialog | None = None) -> None:
        """``step`` again in 20 ms; past the hang guard (never when all is well), give up
        and close the dialog rather than leave the test hanging."""
        tries[0] += 1
        if tries[0] < HANG_GUARD_TRIES:
            QTimer.singleShot(20, step)
        elif dialog is not None:
            dialog.reject()

    def fill() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, QFileDialog) and w.isVisible()), None)
        if dialog is None:
            again(fill)
            return
        name = dialog.findChild(QLineEdit, "fileNameEdit")  # where the dialog's focus starts
        if name is None:
            dialog.reject()
            return
        if not name.hasFocus():
            # A person types once the dialog shows its cursor. Typed into a dialog not yet
            # active, the dialog's completion selects "/", "/tmp"… in its list without
            # unselecting them, and Enter opens "/" instead of the folder typed.
            dialog.activateWindow()  # the window manager's part
            again(fill, dialog)
            return
        # Typed whole, a path makes the dialog jump from folder to folder as each "/" comes,
        # which races with its folder reads on a busy machine. A person types the folder,
        # Enter, then the file's name, Enter: so does this test. No completion pop-up either
        # (it would take an Enter).
        name.setCompleter(None)
        qtbot.keyClicks(name, str(path.parent))
        qtbot.keyClick(name, Qt.Key.Key_Return)
        in_folder(dialog, name)

    def in_folder(dialog: QFileDialog, name: QLineEdit) -> None:
        if Path(dialog.directory().absolutePath()) != path.parent:
            again(lambda: in_folder(dialog, name), dialog)
            return
        name.clear()
        qtbot.keyClicks(name, path.name)
        confirm(dialog, name)

    def confirm(dialog: QFileDialog, name: QLineEdit) -> None:
        qtbot.keyClick(name, Qt.Key.Key_Return)
        if dialog.isVisible():  # Enter again, as a person would
            again(lambda: confirm(dialog, name), dialog)

    QTimer.singleShot(20, fill)


def test_publish_a_post_with_an_image_and_its_alt_text_with_keys_only(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, mastodon_sandbox: Any
) -> None:
    picture = tmp_path / "parc-monceau.png"
    image = QImage(120, 80, QImage.Format.Format_RGB32)
    image.fill(QColor("#2e7d32"))
    assert image.save(str(picture))
    composer = window.findChild(ComposerWidget, "composer")
    assert composer is not None
    window.accounts_panel.setFocus()

    # Ctrl+3: the composer, the focus in its text (not in the accounts to publish from)
    assert press(qtbot, view_key(window, "composer"), CTRL) is composer.editor.common
    assert view_key(window, "composer") == Qt.Key.Key_3
    type_in(qtbot, "Le parc Monceau rouvre samedi après travaux.")

    # text → images: "Add images…", the file dialog, the alt text of the new image
    after_text = press(qtbot, Qt.Key.Key_Tab)
    assert after_text is composer.media.add_button, after_text.accessibleName()
    choose_file_with_keys(qtbot, picture)
    qtbot.keyClick(focused(), Qt.Key.Key_Space)  # returns once the dialog is closed
    qtbot.waitUntil(lambda: len(composer.media.image_rows()) == 1, timeout=WAIT_MS)
    row = composer.media.image_rows()[0]
    window.activateWindow()  # the window manager's part: the window is active again
    qtbot.waitUntil(lambda: QApplication.focusWidget() is row.alt, timeout=2000)
    type_in(qtbot, "Allée du parc Monceau bordée d'arbres, grilles ouvertes.")

    # images → options → accounts → Publish
    assert press(qtbot, Qt.Key.Key_Tab) is row.remove_button
    assert press(qtbot, Qt.Key.Key_Tab) is composer.options.warning
    targets = composer.targets_panel.list
    options = tab_until(qtbot, targets)
    assert options and all(composer.options.isAncestorOf(w) for w in options)
    if targets.currentRow() < 0:
        press(qtbot, Qt.Key.Key_Home)
    mastodon = window.accounts_panel.model.accounts()[0]
    for _ in range(targets.count()):
        if targets.currentItem().data(ID_ROLE) == mastodon.id:
            break
        press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Space)  # tick the Mastodon account
    assert composer.targets_panel.checked_ids() == [mastodon.id]
    qtbot.waitUntil(composer.publish_button.isEnabled, timeout=WAIT_MS)  # checks, recounted
    between = tab_until(qtbot, composer.publish_button)
    assert all(composer.targets_panel.isAncestorOf(w) for w in between)
    press(qtbot, Qt.Key.Key_Space)

    def sent() -> bool:
        batch = composer.publisher.watched
        jobs = composer.outbox.jobs(batch) if batch else []
        return bool(jobs) and all(j.state is JobState.SENT for j in jobs)

    qtbot.waitUntil(sent, timeout=WAIT_MS)
    status = mastodon_sandbox.statuses_by("ville")[0]
    assert "Le parc Monceau rouvre samedi" in status["content"]
    (media,) = status["media_attachments"]
    assert media["description"] == "Allée du parc Monceau bordée d'arbres, grilles ouvertes."


def test_answer_a_mention_from_the_inbox_with_keys_only(
    qtbot: QtBot, window: MainWindow, mastodon_sandbox: Any
) -> None:
    inbox = window.findChild(InboxView)
    assert inbox is not None
    qtbot.waitUntil(lambda: inbox.proxy.rowCount() > 5, timeout=WAIT_MS)
    window.accounts_panel.setFocus()

    # Ctrl+4: the inbox, its list focused; j down to the first mention
    assert press(qtbot, view_key(window, "inbox"), CTRL) is inbox.list
    press(qtbot, Qt.Key.Key_J)
    for _ in range(inbox.proxy.rowCount()):
        if inbox.list.currentIndex().data(InboxRole.KIND) == "mention":
            break
        press(qtbot, Qt.Key.Key_J)
    item = inbox.current_item()
    assert item is not None and item.post is not None and item.group.kind.value == "mention"

    # r: the reply box, addressed to the author, the cursor after the mention
    assert press(qtbot, Qt.Key.Key_R) is inbox.detail.reply_edit
    prefix = inbox.detail.reply_edit.toPlainText()
    assert prefix.startswith("@") and prefix.endswith(" ")
    assert inbox.detail.reply_edit.textCursor().position() == len(prefix)
    type_in(qtbot, "Merci, c'est transmis au service des parcs.")
    assert inbox.detail.reply_edit.toPlainText() == (
        prefix + "Merci, c'est transmis au service des parcs.")

    # Tab: Send; Space sends it, as the mentioned account, in the thread
    assert press(qtbot, Qt.Key.Key_Tab) is inbox.detail.send_button
    answered: list[str] = []
    inbox.replied_to.connect(answered.append)
    with qtbot.waitSignal(inbox.reply_sent, timeout=WAIT_MS) as sent:
        press(qtbot, Qt.Key.Key_Space)
    assert answered == [item.post.uri]  # the timeline's count of it follows at once
    reply = sent.args[0]
    assert inbox.detail.reply_status.text() in accessible.announced  # heard, not only shown
    acct = window.accounts_panel.model.accounts()[0].handle.lstrip("@").split("@")[0]
    status = next(s for s in mastodon_sandbox.statuses_by(acct) if s["uri"] == reply.uri)
    assert status["in_reply_to_id"] == item.post.native_id
    assert "Merci, c'est transmis" in status["content"]
    assert [m["id"] for m in status["mentions"]][:1] == [item.post.author.user_id]
