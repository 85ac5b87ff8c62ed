"""Dialogs that add (or reconnect) a Mastodon or Bluesky account.

Every service call runs on the TaskManager; the dialog only reads its fields on the GUI thread
and passes plain strings to the worker. Errors are shown inside the dialog, in the interface's
language, with the catalogue's sentences (``services/sentences.py``, through
``paris_desk.ui.errors.describe``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from paris_desk.core.errors import AuthFactorRequired
from paris_desk.core.model import Account
from paris_desk.services.accounts import AccountService, MastodonOAuth
from paris_desk.services.workers import TaskManager
from paris_desk.ui.color_button import ColorButton, suggested_color
from paris_desk.ui.errors import describe
from paris_desk.ui.theme import tone_style

T = TypeVar("T")
OAUTH_WAIT_SECONDS = 300
APP_PASSWORDS_URL = "https://bsky.app/settings/app-passwords"  # where Bluesky makes them
translate = QCoreApplication.translate  # the base class's strings: context "AccountDialog"


def line_edit(name: str, placeholder: str = "", *, secret: bool = False) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    if secret:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class AccountDialog(QDialog):
    """What both dialogs share: label, colour, status line, busy state, Cancel."""

    account_added = Signal(object)  # Account

    def __init__(
        self,
        service: AccountService,
        tasks: TaskManager,
        account: Account | None = None,
        taken: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._tasks = tasks
        self._reconnecting = account
        self._pending = 0
        self._closed = False
        self.account: Account | None = None
        self.finished.connect(self._on_finished)
        self.label_edit = line_edit(
            translate("AccountDialog", "Label"),
            translate("AccountDialog", "e.g. City hall, Libraries"),
        )
        self.color_button = ColorButton(account.color if account else suggested_color(taken))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(translate("AccountDialog", "Status"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(translate("AccountDialog", "Cancel"))
        if account is not None:
            self.label_edit.setText(account.label)
        self.setMinimumWidth(580)  # the longest placeholder and label, in French, unclipped

    def _common_rows(self, form: QFormLayout) -> None:
        form.addRow(translate("AccountDialog", "&Label:"), self.label_edit)
        form.addRow(translate("AccountDialog", "Co&lour:"), self.color_button)

    def _finish_layout(self, *parts: QWidget | QFormLayout) -> None:
        layout = QVBoxLayout(self)
        for part in parts:
            if isinstance(part, QFormLayout):
                layout.addLayout(part)
            else:
                layout.addWidget(part)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def _inputs(self) -> list[QWidget]:
        return [self.label_edit, self.color_button]

    def _set_busy(self, busy: bool, message: str = "") -> None:
        for widget in self._inputs():
            widget.setEnabled(not busy)
        self._show_status(message)

    def _show_status(self, message: str, *, error: bool = False) -> None:
        self.status.setText(message)
        self.status.setStyleSheet(tone_style("error") if error else "color: palette(highlight);")
        self.status.setAccessibleDescription(message)

    def _run(
        self, op: Callable[[], T], on_done: Callable[[T], None], message: str | None = None
    ) -> None:
        """Run ``op`` on a worker (showing ``message`` and disabling the inputs, if given).

        The result reaches ``on_done`` (an error ``_on_failed``) only while the dialog is open;
        once closed, the dialog waits for its pending operations, then deletes itself.
        """
        if message is not None:
            self._set_busy(True, message)
        self._pending += 1
        self._tasks.run(
            op,
            lambda value: self._settle(on_done, value),
            lambda exc: self._settle(self._on_failed, exc),
        )

    def _settle(self, callback: Callable[[T], None], value: T) -> None:
        self._pending -= 1
        if self._closed:
            self._discard(value)
        else:
            callback(value)
        self._delete_if_idle()

    def _discard(self, value: object) -> None:
        """A result that came after the dialog closed: an account added anyway is announced."""
        if isinstance(value, Account):
            self.account_added.emit(value)

    @Slot(int)
    def _on_finished(self, _result: int) -> None:
        self._closed = True
        self._delete_if_idle()

    def _delete_if_idle(self) -> None:
        if self._closed and self._pending == 0:
            self.deleteLater()

    def _on_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        label = self._reconnecting.handle if self._reconnecting else ""
        self._show_status(describe(exc, label, signing_in=True), error=True)

    def _on_added(self, account: Account) -> None:
        self._set_busy(False)
        self.account = account
        self.account_added.emit(account)
        self.accept()

    def _label_and_color(self) -> dict[str, str]:
        return {"label": self.label_edit.text().strip(), "color": self.color_button.color()}


class MastodonAccountDialog(AccountDialog):
    """Instance, then either the browser (OAuth) or a pasted access token."""

    def __init__(
        self,
        service: AccountService,
        tasks: TaskManager,
        account: Account | None = None,
        taken: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(service, tasks, account, taken, parent)
        self._oauth: MastodonOAuth | None = None
        self.setWindowTitle(
            self.tr("Reconnect {handle}").format(handle=account.handle)
            if account
            else self.tr("Add a Mastodon account")
        )
        self.instance_edit = line_edit(self.tr("Instance"), self.tr("e.g. mastodon.social"))
        if account is not None:
            self.instance_edit.setText(account.base_url)
        form = QFormLayout()
        form.addRow(self.tr("&Instance:"), self.instance_edit)
        self._common_rows(form)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Sign-in method"))
        self.tabs.tabBar().setAccessibleName(self.tr("Sign-in method"))
        self.tabs.addTab(self._browser_tab(), self.tr("&Browser"))
        self.tabs.addTab(self._token_tab(), self.tr("Access &token"))
        self._finish_layout(form, self.tabs)
        self.rejected.connect(self._on_rejected)

    def _browser_tab(self) -> QWidget:
        page = QWidget()
        explain = QLabel(
            self.tr("paris_desk opens your instance's authorisation page in the browser.")
        )
        explain.setWordWrap(True)
        self.browser_button = QPushButton(self.tr("Sign in with the &browser"))
        self.browser_button.setAccessibleName(self.tr("Sign in with the browser"))
        self.browser_button.clicked.connect(self._on_browser_clicked)
        self.code_edit = line_edit(self.tr("Authorisation code"), self.tr("Paste the code"))
        self.code_button = QPushButton(self.tr("Use this &code"))
        self.code_button.setAccessibleName(self.tr("Use this code"))
        self.code_button.setEnabled(False)
        self.code_button.clicked.connect(self._on_code_clicked)
        form = QFormLayout(page)
        form.addRow(explain)
        form.addRow(self.browser_button)
        form.addRow(self.tr("Code (if the browser does not come back):"), self.code_edit)
        form.addRow(self.code_button)
        return page

    def _token_tab(self) -> QWidget:
        page = QWidget()
        explain = QLabel(
            self.tr(
                "Create a token in your instance's settings (Development › New application, "
                "scopes read and write), then paste it here."
            )
        )
        explain.setWordWrap(True)
        self.token_edit = line_edit(self.tr("Access token"), secret=True)
        self.token_button = QPushButton(self.tr("&Add with this token"))
        self.token_button.setAccessibleName(self.tr("Add with this token"))
        self.token_button.clicked.connect(self._on_token_clicked)
        form = QFormLayout(page)
        form.addRow(explain)
        form.addRow(self.tr("Access t&oken:"), self.token_edit)
        form.addRow(self.token_button)
        return page

    def _inputs(self) -> list[QWidget]:
        widgets = [self.instance_edit, self.browser_button, self.token_edit, self.token_button]
        return [*super()._inputs(), *widgets]

    def _instance(self) -> str | None:
        instance = self.instance_edit.text().strip()
        if not instance:
            self._show_status(self.tr("Enter the address of the instance."), error=True)
            self.instance_edit.setFocus()
            return None
        return instance

    @Slot()
    def _on_token_clicked(self) -> None:
        instance, token = self._instance(), self.token_edit.text().strip()
        if instance is None:
            return
        if not token:
            self._show_status(self.tr("Paste an access token."), error=True)
            return
        extra, service = self._label_and_color(), self._service
        self._run(
            lambda: service.add_mastodon_token(instance, token, **extra),
            self._on_added,
            self.tr("Checking the token…"),
        )

    @Slot()
    def _on_browser_clicked(self) -> None:
        instance = self._instance()
        if instance is None:
            return
        service = self._service
        self._run(
            lambda: service.begin_mastodon_oauth(instance),
            self._on_oauth_started,
            self.tr("Contacting {instance}…").format(instance=instance),
        )

    def _on_oauth_started(self, oauth: MastodonOAuth) -> None:
        self._oauth = oauth
        QDesktopServices.openUrl(QUrl(oauth.url))
        self._set_busy(True, self.tr("Authorise paris_desk in the browser, then come back here."))
        self.code_button.setEnabled(True)
        self._run(lambda: oauth.wait_for_code(OAUTH_WAIT_SECONDS), self._on_code_received)

    def _on_code_received(self, code: str | None) -> None:
        if self._oauth is None or self.account is not None:
            return
        if not code:
            self._set_busy(False)
            self._show_status(
                self.tr("No answer from the browser. Paste the code, or try again."), error=True
            )
            return
        self._finish_oauth(self._oauth, code)

    @Slot()
    def _on_code_clicked(self) -> None:
        code = self.code_edit.text().strip()
        if self._oauth is None or not code:
            self._show_status(self.tr("Paste the code shown by the instance."), error=True)
            return
        self._finish_oauth(self._oauth, code)

    def _finish_oauth(self, oauth: MastodonOAuth, code: str) -> None:
        extra = self._label_and_color()
        self._oauth = None
        self.code_button.setEnabled(False)
        self._run(lambda: oauth.finish(code, **extra), self._on_added, self.tr("Signing in…"))

    @Slot()
    def _on_rejected(self) -> None:
        oauth, self._oauth = self._oauth, None
        if oauth is not None:
            self._discard(oauth)

    def _discard(self, value: object) -> None:
        if isinstance(value, MastodonOAuth):  # the browser sign-in began after Cancel
            self._tasks.run(value.cancel)
        else:
            super()._discard(value)


class BlueskyAccountDialog(AccountDialog):
    """Identifier and app password; an e-mail code when the server asks for one."""

    def __init__(
        self,
        service: AccountService,
        tasks: TaskManager,
        account: Account | None = None,
        taken: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(service, tasks, account, taken, parent)
        self.setWindowTitle(
            self.tr("Reconnect {handle}").format(handle=account.handle)
            if account
            else self.tr("Add a Bluesky account")
        )
        self.identifier_edit = line_edit(
            self.tr("Identifier"), self.tr("e.g. ville.bsky.social or an e-mail address")
        )
        self.password_edit = line_edit(self.tr("App password"), "xxxx-xxxx-xxxx-xxxx", secret=True)
        self.server_edit = line_edit(self.tr("Server (PDS), optional"), "https://bsky.social")
        self.code_edit = line_edit(self.tr("Code received by e-mail"))
        self.code_label = QLabel(self.tr("E-mail &code:"))
        self.code_label.setBuddy(self.code_edit)
        if account is not None:
            self.identifier_edit.setText(account.handle)
            self.server_edit.setText(account.base_url)
        form = QFormLayout()
        form.addRow(self.tr("&Identifier:"), self.identifier_edit)
        form.addRow(self.tr("App &password:"), self.password_edit)
        self.app_password_link = QLabel(self.tr(
            '<a href="{url}">Create an app password</a> in Bluesky\'s settings (Privacy and '
            "security), then paste it here; never the account's main password.").format(
            url=APP_PASSWORDS_URL))
        self.app_password_link.setWordWrap(True)
        self.app_password_link.setTextFormat(Qt.TextFormat.RichText)
        self.app_password_link.setOpenExternalLinks(True)
        self.app_password_link.setAccessibleName(self.tr("Create an app password"))
        form.addRow("", self.app_password_link)
        form.addRow(self.tr("&Server (PDS):"), self.server_edit)
        form.addRow(self.code_label, self.code_edit)
        self._common_rows(form)
        self.code_label.hide()
        self.code_edit.hide()
        self.sign_in_button = self.buttons.addButton(
            self.tr("&Sign in"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_in_button.setAccessibleName(self.tr("Sign in"))
        self.sign_in_button.setDefault(True)
        self.buttons.accepted.connect(self._on_sign_in)
        self._finish_layout(form)

    def _inputs(self) -> list[QWidget]:
        widgets = [self.identifier_edit, self.password_edit, self.server_edit, self.code_edit]
        return [*super()._inputs(), *widgets, self.sign_in_button]

    @Slot()
    def _on_sign_in(self) -> None:
        identifier = self.identifier_edit.text().strip()
        password = self.password_edit.text()
        if not identifier or not password:
            self._show_status(self.tr("Enter the identifier and the app password."), error=True)
            return
        service, extra = self._service, self._label_and_color()
        server = self.server_edit.text().strip() or None
        code = self.code_edit.text().strip() or None
        self._run(
            lambda: service.add_bluesky(
                identifier, password, service=server, auth_factor_token=code, **extra
            ),
            self._on_added,
            self.tr("Signing in…"),
        )

    def _on_failed(self, exc: Exception) -> None:
        super()._on_failed(exc)
        if isinstance(exc, AuthFactorRequired):
            self.code_label.show()
            self.code_edit.show()
            self.code_edit.setFocus()
