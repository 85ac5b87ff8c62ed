"""The accessibility tree as a screen reader reads it (``QAccessible.queryAccessibleInterface``
from a window, then ``child(i)`` down), and the counts the issue 17 report gives: focusable
objects with and without a name, rows with and without actions, objects that say "focused".

Used by ``test_accessibility_tree.py`` and by hand:
``.venv/bin/python tests/ui/a11y_tree.py`` prints the counts of the whole window on both
sandboxes, view by view."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from PySide6.QtGui import QAccessible, QAccessibleInterface

ROW_ROLES = (QAccessible.Role.ListItem, QAccessible.Role.Row, QAccessible.Role.Cell,
             QAccessible.Role.TreeItem)
MAX_NODES = 20_000
MAX_ROWS_PER_LIST = 60  # a list of 10,000 posts: its first rows tell the same story


def walk(root: QAccessibleInterface, *, max_rows: int = MAX_ROWS_PER_LIST
         ) -> Iterator[QAccessibleInterface]:
    """Every shown object under ``root`` (``root`` included), depth first. Invisible
    subtrees (another view of a stack) are skipped, as screen readers skip them."""
    stack = [root]
    seen = 0
    while stack and seen < MAX_NODES:
        node = stack.pop()
        if node is None or not node.isValid():
            continue
        if node.state().invisible:
            continue
        seen += 1
        yield node
        count = node.childCount()
        if node.role() in (QAccessible.Role.List, QAccessible.Role.Table, QAccessible.Role.Tree):
            count = min(count, max_rows)
        children = [node.child(i) for i in range(count)]
        stack.extend(reversed(children))


def name_of(node: QAccessibleInterface) -> str:
    return node.text(QAccessible.Text.Name).strip()


def describe(node: QAccessibleInterface) -> str:
    obj = node.object()
    kind = type(obj).__name__ if obj is not None else node.role().name
    return f"{kind}[{node.role().name}]({name_of(node)[:40]!r})"


GENERIC_ACTIONS = {"Toggle", "SetFocus", "Press"}  # what any row or control offers


def actions_of(node: QAccessibleInterface) -> list[str]:
    interface = node.actionInterface()
    return list(interface.actionNames()) if interface is not None else []


def own_actions(node: QAccessibleInterface) -> list[str]:
    """A row's actions beyond selecting or focusing it (reply, like, open…)."""
    return [name for name in actions_of(node) if name not in GENERIC_ACTIONS]


def is_row(node: QAccessibleInterface) -> bool:
    return node.role() in ROW_ROLES


@dataclass
class Counts:
    named_focusable: int = 0
    unnamed_focusable: int = 0
    rows: int = 0
    rows_with_actions: int = 0
    focused: int = 0
    unnamed: list[str] = field(default_factory=list)
    focused_objects: list[str] = field(default_factory=list)
    rows_without_actions: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"focusable named {self.named_focusable}, unnamed {self.unnamed_focusable}; "
                f"rows {self.rows}, with actions {self.rows_with_actions}; "
                f"focused {self.focused}")


def count(root: QAccessibleInterface, *, max_rows: int = MAX_ROWS_PER_LIST) -> Counts:
    counts = Counts()
    for node in walk(root, max_rows=max_rows):
        state = node.state()
        if state.focused:
            counts.focused += 1
            counts.focused_objects.append(describe(node))
        if is_row(node):
            counts.rows += 1
            if own_actions(node):
                counts.rows_with_actions += 1
            else:
                counts.rows_without_actions.append(describe(node))
        if state.focusable and not is_row(node):
            if name_of(node):
                counts.named_focusable += 1
            else:
                counts.unnamed_focusable += 1
                counts.unnamed.append(describe(node))
    return counts


def main() -> None:  # pragma: no cover - run by hand
    """The counts of the whole window on both sandboxes, view by view."""
    import os
    import sys
    import tempfile
    from pathlib import Path

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_ACCESSIBILITY", "1")
    home = tempfile.mkdtemp(prefix="a11y-count-")
    os.environ["PARIS_DESK_HOME"] = home
    sys.path.insert(0, str(Path(__file__).parent))
    import keyring
    import keyring.backend
    from PySide6.QtWidgets import QApplication

    class Memory(keyring.backend.KeyringBackend):
        priority = 10  # type: ignore[assignment]
        items: dict[tuple[str, str], str] = {}  # noqa: RUF012

        def get_password(self, service: str, username: str) -> str | None:
            return self.items.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.items[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.items.pop((service, username), None)

    keyring.set_keyring(Memory())
    app = QApplication.instance() or QApplication([])
    from paris_desk.sandbox.bluesky import BlueskySandbox
    from paris_desk.sandbox.mastodon import MastodonSandbox
    from paris_desk.services.accounts import AccountService
    from paris_desk.services.workers import TaskManager
    from paris_desk.store.profile import Profile
    from paris_desk.ui.shell.main_window import MainWindow
    from paris_desk.ui.shell.session import Session

    mastodon = MastodonSandbox(port=0, seed=1).start()
    bluesky = BlueskySandbox(port=0, seed=1).start()
    tasks = TaskManager()
    service = AccountService(Profile.default())
    try:
        from whole_app import VIEWS, add_sandbox_accounts, install_views, tear_down

        add_sandbox_accounts(service, mastodon, bluesky)
        session = Session(tasks=tasks, accounts=service, add_accounts=service,
                          settings_path=Profile.default().settings_path, sandbox=True)
        window = MainWindow(session)

        class Bot:  # what install_views needs of pytest-qt's qtbot
            @staticmethod
            def waitUntil(predicate, timeout: int = 5000) -> None:  # noqa: N802
                import time

                end = time.monotonic() + timeout / 1000
                while not predicate():
                    app.processEvents()
                    if time.monotonic() > end:
                        raise TimeoutError
                    time.sleep(0.01)

        install_views(Bot, window)  # type: ignore[arg-type]
        window.show()
        window.activateWindow()
        from paris_desk.ui.inbox.view import InboxView
        from paris_desk.ui.timeline.view import TimelineView

        timeline = window.findChild(TimelineView)
        inbox = window.findChild(InboxView)
        Bot.waitUntil(lambda: timeline.columns() and timeline.columns()[0].model.rowCount() > 0,
                      15_000)
        Bot.waitUntil(lambda: inbox.model.rowCount() > 0, 15_000)
        # As someone who went through each view: a current row in each list, then in each
        # view the focus on its main control.
        from paris_desk.ui.composer.widget import ComposerWidget

        composer = window.findChild(ComposerWidget, "composer")
        column = timeline.columns()[0]
        column.view.setCurrentIndex(column.model.index(0))
        inbox.list.setCurrentIndex(inbox.proxy.index(0, 0))
        main_control = {"timeline": column.view, "composer": composer.editor.common,
                        "inbox": inbox.list}
        for view in VIEWS:
            window.show_view(view)
            main_control[view].setFocus()
            for _ in range(20):
                app.processEvents()
            counts = count(QAccessible.queryAccessibleInterface(window))
            out = sys.stdout
            out.write(f"{view}: {counts.line()}\n")
            if "-v" in sys.argv:
                out.write(f"  unnamed: {counts.unnamed}\n  focused: {counts.focused_objects}\n"
                          f"  rows without actions: {counts.rows_without_actions}\n")
        tear_down(window)
    finally:
        tasks.shutdown()
        service.close()
        mastodon.stop()
        bluesky.stop()


if __name__ == "__main__":  # pragma: no cover
    main()
