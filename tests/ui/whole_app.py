"""The main window as ``app.run`` builds it (every view installed, the preferences followed),
on the per-test profile with accounts on both sandboxes; and helpers to walk its widgets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Account
from paris_desk.services.accounts import AccountService
from paris_desk.ui.composer.install import install_composer
from paris_desk.ui.inbox.install import install_inbox
from paris_desk.ui.settings.wiring import install_settings
from paris_desk.ui.shell.main_window import MainWindow
from paris_desk.ui.timeline.view import install_timeline

WAIT_MS = 15_000
VIEWS = ("timeline", "composer", "inbox")


def add_sandbox_accounts(
    service: AccountService, mastodon_sandbox: Any, bluesky_sandbox: Any
) -> list[Account]:
    """One city account on each sandbox, added as the account dialogs add them."""
    ville = mastodon_sandbox.accounts[0]
    blue = bluesky_sandbox.accounts[0]
    return [
        service.add_mastodon_token(mastodon_sandbox.base_url, ville["access_token"],
                                   label="Mairie (Mastodon)"),
        service.add_bluesky(blue["handle"], blue["password"], service=bluesky_sandbox.base_url,
                            label="Mairie (Bluesky)"),
    ]  # fmt: skip


def install_views(qtbot: QtBot, window: MainWindow) -> None:
    """What ``app.run`` does after building the window; waits for the accounts to load."""
    session = window.session
    install_timeline(window, session)
    composer = install_composer(window, session)
    install_inbox(window, session)
    install_settings(window, session)
    window.accounts_panel.reload()
    qtbot.waitUntil(lambda: window.accounts_panel.model.rowCount() > 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: composer.loaded and composer.rules_loaded, timeout=WAIT_MS)


def show_window(qtbot: QtBot, window: MainWindow, *, activate: bool = True) -> MainWindow:
    """Show ``window`` and wait until it is exposed and, unless ``activate`` is false, until it
    is the active window (the one keys go to)."""
    window.show()
    qtbot.waitExposed(window)
    if activate:
        window.activateWindow()
        qtbot.waitActive(window)
    return window


def open_whole_app(qtbot: QtBot, make_window: Callable[..., MainWindow], *,
                   size: tuple[int, int] | None = None, activate: bool = True) -> MainWindow:
    """The main window on the sandboxes as ``app.run`` opens it: every view installed, the
    accounts loaded, resized to ``size`` if given, then shown (``show_window``). Close it with
    ``tear_down``; tests/ui/conftest.py's ``window`` fixture does both."""
    window = make_window(sandbox=True)
    install_views(qtbot, window)
    if size is not None:
        window.resize(*size)
    return show_window(qtbot, window, activate=activate)


def shut_down(window: MainWindow) -> None:
    """Before the task manager stops, as the app quits: the window closes (the inbox may ask
    for a page as its list hides), the composer saves and stops its pump."""
    from paris_desk.ui.composer.widget import ComposerWidget

    if not shiboken6.isValid(window):
        return
    window.close()
    QApplication.processEvents()
    composer = window.findChild(ComposerWidget, "composer")
    if composer is not None:
        composer.shutdown()


def tear_down(window: MainWindow) -> None:
    """``shut_down``, then delete the window while the task manager runs: its views may
    still ask for work as they are torn down. For a fixture's teardown."""
    shut_down(window)
    if shiboken6.isValid(window):
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def qt_internal(widget: QWidget) -> bool:
    """A part of a Qt control that never takes the focus itself (a spin box's line edit hands
    it to the spin box) or that the control's own accessible interface speaks for (a combo
    box's popup list)."""
    if widget.focusProxy() is not None:
        return True
    container = widget.parentWidget()
    owner = container.parentWidget() if container is not None else None
    return isinstance(owner, QComboBox) and widget is owner.view()


def unnamed_focusable(root: QWidget) -> list[str]:
    """Focusable widgets under ``root`` without an explicit accessible name, or that a screen
    reader would announce without a name (Qt's own parts, named "qt_…", excepted)."""
    missing = []
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or qt_internal(widget):
            continue
        interface = QAccessible.queryAccessibleInterface(widget)
        spoken = interface.text(QAccessible.Text.Name) if interface else ""
        explicit = widget.accessibleName() or widget.objectName().startswith("qt_")
        if not (explicit and spoken.strip()):
            parent = widget.parentWidget()
            where = type(parent).__name__ if parent is not None else "-"
            missing.append(f"{type(widget).__name__}({widget.objectName()!r}) in {where}")
    return missing
