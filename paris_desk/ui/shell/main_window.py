"""The main window: menus, the accounts dock, a stack of views, banners and a status bar.

Views (timeline, inbox, composer) are added by their owners with ``add_view``; each gets an
entry in the View menu with a Ctrl+<n> shortcut.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from paris_desk import __version__
from paris_desk.core.errors import KeychainUnavailable
from paris_desk.core.model import Account
from paris_desk.ui import accessible
from paris_desk.ui.accounts.panel import AccountsPanel
from paris_desk.ui.errors import describe
from paris_desk.ui.settings.dialog import SettingsDialog
from paris_desk.ui.settings.prefs import UI_LANGUAGE_KEY
from paris_desk.ui.shell import diagnostics, fonts, language
from paris_desk.ui.shell.empty_state import EmptyState, follow_accounts
from paris_desk.ui.shell.session import Session
from paris_desk.ui.shell.shortcuts import ShortcutsSheet

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}  # each in its own language
# The menus' object names (``MainWindow.menu_named``)
FILE_MENU = "file_menu"
ACCOUNTS_MENU = "accounts_menu"
VIEW_MENU = "view_menu"
HELP_MENU = "help_menu"
NOTICE_MS = 8000  # a notice ("Liked as…", "Shared as…") goes; an error stays until closed


class MessageBar(QWidget):
    """A dismissable line above the views for errors and notices (qutebrowser's messages)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("message_bar")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAccessibleName(self.tr("Message"))
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAccessibleName(self.tr("Close the message"))
        self.close_button.setToolTip(self.tr("Close the message"))
        self.close_button.clicked.connect(self.hide)
        self.notice_timer = QTimer(self)
        self.notice_timer.setSingleShot(True)
        self.notice_timer.setInterval(NOTICE_MS)
        self.notice_timer.timeout.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button)
        self.hide()

    def show_message(self, text: str, *, error: bool = True) -> None:
        background = "#fde7e9" if error else "#e6f4ea"
        self.setStyleSheet(
            f"#message_bar {{ background: {background}; }} QLabel {{ color: #1f1f1f; }}"
        )
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.label.setText(text)
        self.label.setAccessibleDescription(text)
        self.show()
        accessible.announce(self.label, text, assertive=error)  # a live region
        if error:
            self.notice_timer.stop()
        else:
            self.notice_timer.start()


class MainWindow(QMainWindow):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        accessible.install()  # before the first list is made: rows with actions, one focus
        fonts.register_once()  # an installer's emoji font, before anything paints
        super().__init__(parent)
        self.session = session
        self._views: dict[str, QWidget] = {}
        self.setObjectName("main_window")
        self.setWindowTitle(self.tr("paris_desk — sandbox") if session.sandbox else "paris_desk")
        self.setAccessibleName(self.windowTitle())
        self.resize(1100, 720)

        self.accounts_panel = AccountsPanel(
            session.tasks, session.accounts, add_service=session.add_accounts
        )
        self.accounts_panel.error_occurred.connect(self.show_error)
        self.accounts_panel.account_added.connect(self._on_account_added)
        self.accounts_dock = QDockWidget(self.tr("Accounts"), self)
        self.accounts_dock.setObjectName("accounts_dock")
        self.accounts_dock.setAccessibleName(self.tr("Accounts"))
        self.accounts_dock.setWidget(self.accounts_panel)
        self.accounts_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.accounts_dock)

        self.sandbox_banner = self._sandbox_banner()
        self.message_bar = MessageBar()
        self.views = QStackedWidget()
        self.views.setAccessibleName(self.tr("Views"))
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sandbox_banner)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.views, 1)
        self.setCentralWidget(central)

        self._make_menus()
        empty = EmptyState(self.accounts_panel, session.sandbox, self._back_to_sandbox)
        self.add_view("welcome", empty, self.tr("&Welcome"))
        follow_accounts(self)
        self.statusBar().setAccessibleName(self.tr("Status bar"))
        self.accounts_panel.model.modelReset.connect(self._update_status)
        self.accounts_panel.model.rowsInserted.connect(self._update_status)
        self.accounts_panel.model.rowsRemoved.connect(self._update_status)
        if not session.keychain_available:
            reason = describe(KeychainUnavailable())
            self.accounts_panel.set_adding_allowed(False, reason)
            self.show_error(reason)

    # Building ------------------------------------------------------------------------------

    def _sandbox_banner(self) -> QLabel:
        text = self.tr("Sandbox mode: sample data")
        if self.session.auto_sandbox:
            text = self.tr(
                "Sandbox mode: sample data. No account is configured yet: "
                "add one from the Accounts menu."
            )
        banner = QLabel(text)
        banner.setObjectName("sandbox_banner")
        banner.setWordWrap(True)
        banner.setAccessibleName(self.tr("Sandbox mode"))
        banner.setAccessibleDescription(text)
        banner.setStyleSheet(
            "#sandbox_banner { background: #fff4ce; color: #4d3800; padding: 6px 10px;"
            " border-bottom: 1px solid #e0c97a; font-weight: bold; }"
        )
        banner.setVisible(self.session.sandbox)
        return banner

    def _back_to_sandbox(self) -> None:
        from paris_desk.ui.shell.welcome import restart_in_sandbox

        if not restart_in_sandbox():
            self.show_error(self.tr("The sandbox could not be started: run paris_desk --sandbox."))

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.setObjectName(FILE_MENU)
        # -- preferences (issue 7) --
        self.preferences_action = QAction(self.tr("&Preferences…"), self)
        self.preferences_action.setShortcut(QKeySequence("Ctrl+,"))
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.preferences_action.triggered.connect(self.show_preferences)
        file_menu.addAction(self.preferences_action)
        file_menu.addSeparator()
        # -- end of preferences --
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        panel = self.accounts_panel
        accounts_menu = bar.addMenu(self.tr("&Accounts"))
        accounts_menu.setObjectName(ACCOUNTS_MENU)
        accounts_menu.addActions([panel.add_mastodon_action, panel.add_bluesky_action])
        accounts_menu.addSeparator()
        accounts_menu.addActions(panel.selection_actions)

        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.setObjectName(VIEW_MENU)
        self._views_group = QActionGroup(self)
        self._views_separator = view_menu.addSeparator()
        dock_action = self.accounts_dock.toggleViewAction()
        dock_action.setText(self.tr("Accounts &panel"))
        dock_action.setShortcut(QKeySequence("Ctrl+Shift+A"))
        view_menu.addAction(dock_action)
        view_menu.addMenu(self._language_menu())

        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.setObjectName(HELP_MENU)
        shortcuts = QAction(self.tr("&Keyboard shortcuts"), self)
        shortcuts.setShortcut(QKeySequence("F1"))
        shortcuts.triggered.connect(self.show_shortcuts)
        # -- diagnostics (issue 7) --
        self.diagnostics_action = QAction(self.tr("&Copy the diagnostics"), self)
        self.diagnostics_action.triggered.connect(self.copy_diagnostics)
        # -- end of diagnostics --
        about = QAction(self.tr("&About paris_desk"), self)
        about.triggered.connect(self.show_about)
        help_menu.addActions([shortcuts, self.diagnostics_action, about])
        for menu in (file_menu, accounts_menu, view_menu, help_menu):
            menu.setAccessibleName(menu.title().replace("&", ""))

    # The menus as the menu bar holds them now: looked up each time, never kept in an
    # attribute, so a menu bar whose menus were made again never leaves a deleted QMenu behind.

    def menu_named(self, name: str) -> QMenu:
        """The live menu named ``name`` (``FILE_MENU``…) in the menu bar."""
        for action in self.menuBar().actions():
            found = action.menu()
            if isinstance(found, QMenu) and found.objectName() == name:
                return found
        raise LookupError(f"no menu {name!r} in the menu bar")

    @property
    def file_menu(self) -> QMenu:
        return self.menu_named(FILE_MENU)

    @property
    def accounts_menu(self) -> QMenu:
        return self.menu_named(ACCOUNTS_MENU)

    @property
    def view_menu(self) -> QMenu:
        return self.menu_named(VIEW_MENU)

    @property
    def help_menu(self) -> QMenu:
        return self.menu_named(HELP_MENU)

    def _language_menu(self) -> QMenu:
        menu = QMenu(self.tr("&Language"), self)
        menu.setAccessibleName(self.tr("Language"))
        group = self._language_group = QActionGroup(self)
        for code, name in LANGUAGE_NAMES.items():
            action = group.addAction(name)
            action.setCheckable(True)
            action.setData(code)
            action.setChecked(code == self.session.language)
            action.triggered.connect(lambda _checked=False, code=code: self._on_language(code))
        menu.addActions(group.actions())
        self.session.settings.changed.connect(self._on_setting_changed)
        return menu

    def _on_setting_changed(self, key: str) -> None:
        """The menu shows the chosen language, whichever of it or Préférences chose it."""
        if key == UI_LANGUAGE_KEY:
            chosen = language.effective(self.session.settings.ui_language)
            for action in self._language_group.actions():
                action.setChecked(action.data() == chosen)

    # Views ---------------------------------------------------------------------------------

    def add_view(self, name: str, widget: QWidget, title: str) -> QAction:
        """Add a central view and its View-menu entry (Ctrl+<n> for the first nine)."""
        if name in self._views:
            raise ValueError(f"a view named {name!r} exists")
        self._views[name] = widget
        self.views.addWidget(widget)
        action = QAction(title, self)
        action.setCheckable(True)
        action.setData(name)
        number = len(self._views)
        if number <= 9:
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
        action.triggered.connect(lambda _checked=False, name=name: self.show_view(name))
        self._views_group.addAction(action)
        self.view_menu.insertAction(self._views_separator, action)
        if not widget.accessibleName():
            widget.setAccessibleName(title.replace("&", ""))
        if number == 1:
            self.show_view(name)
        return action

    def show_view(self, name: str) -> None:
        widget = self._views[name]
        self.views.setCurrentWidget(widget)
        target = getattr(widget, "focus_target", None)  # the view's main control, if it says
        if callable(target) and isinstance(focused := target(), QWidget):
            focused.setFocus(Qt.FocusReason.ShortcutFocusReason)
        for action in self._views_group.actions():
            action.setChecked(action.data() == name)

    def current_view(self) -> str:
        widget = self.views.currentWidget()
        return next(name for name, w in self._views.items() if w is widget)

    # Messages ------------------------------------------------------------------------------

    @Slot(str)
    def show_error(self, text: str) -> None:
        self.message_bar.show_message(text, error=True)

    def show_notice(self, text: str) -> None:
        self.message_bar.show_message(text, error=False)

    @Slot()
    def _update_status(self) -> None:
        count = self.accounts_panel.model.rowCount()
        self.statusBar().showMessage(self.tr("%n account(s)", "", count))

    def _on_account_added(self, account: Account) -> None:
        if self.session.auto_sandbox:
            text = self.tr(
                "Sandbox mode: sample data. Your account {account} is saved: restart "
                "paris_desk to leave the sandbox and use it."
            ).format(account=account.handle)
            self.sandbox_banner.setText(text)
            self.sandbox_banner.setAccessibleDescription(text)
            self.show_notice(
                self.tr(
                    "{account} was added. Restart paris_desk to leave the sandbox "
                    "and use your accounts."
                ).format(account=account.handle)
            )

    def _on_language(self, code: str) -> None:
        self.session.settings.set_ui_language(code)
        language.offer_restart(self, code)  # the same words as Préférences

    # Help ----------------------------------------------------------------------------------

    @Slot()
    def show_shortcuts(self) -> ShortcutsSheet:
        sheet = ShortcutsSheet(self)
        sheet.open()
        return sheet

    # -- preferences and diagnostics (issue 7) --
    @Slot()
    def show_preferences(self) -> SettingsDialog:
        dialog = SettingsDialog(self.session.settings, self.accounts_panel.model.accounts(), self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    @Slot()
    def copy_diagnostics(self) -> None:
        diagnostics.copy_diagnostics(self.session, self.show_notice, self.show_error)

    # -- end of preferences and diagnostics --

    @Slot()
    def show_about(self) -> QMessageBox:
        box = self._message_box(
            self.tr("About paris_desk"),
            self.tr(
                "<h3>paris_desk {version}</h3><p>One workstation for the city's "
                "communications team on Mastodon and Bluesky.</p>"
            ).format(version=__version__),
        )
        box.open()
        return box

    def _message_box(self, title: str, html: str) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.NoIcon, title, html, QMessageBox.StandardButton.Close, self
        )
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setAccessibleName(title)
        close = box.button(QMessageBox.StandardButton.Close)
        close.setAccessibleName(close.text().replace("&", ""))
        box.finished.connect(box.deleteLater)
        return box
