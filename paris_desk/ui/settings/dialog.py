"""File → Preferences… (Ctrl+,): the user's settings, in one dialog.

OK writes every value to ``Settings`` (the views that follow a setting apply it at once, see
``settings_wiring``); Cancel or Esc leaves them as they were. The interface language changes at
the next start: Qt's translators are installed before the first widget.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from paris_desk.channels import transport
from paris_desk.core.model import Account, NotificationKind, Visibility
from paris_desk.ui.accounts.naming import account_icon, account_title
from paris_desk.ui.composer.options import LANGUAGES as POST_LANGUAGES
from paris_desk.ui.settings.prefs import (
    NOTIFIABLE,
    REFRESH_CHOICES,
    ProxyMode,
    Settings,
    Theme,
    ThreadSplit,
)
from paris_desk.ui.shell import language

ID_ROLE = Qt.ItemDataRole.UserRole + 1
UI_LANGUAGE_NAMES = (("fr", "Français"), ("en", "English"))  # each in its own language


class SettingsDialog(QDialog):
    def __init__(
        self, settings: Settings, accounts: Sequence[Account], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setObjectName("settings_dialog")
        self.setWindowTitle(self.tr("Preferences"))
        self.setAccessibleName(self.windowTitle())
        self.language_notice = QLabel()
        self.language_notice.setWordWrap(True)
        self.language_notice.setAccessibleName(self.tr("About the interface language"))
        self.language_notice.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        for button in self.buttons.buttons():
            button.setAccessibleName(button.text().replace("&", ""))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.setMinimumWidth(640)  # an account's name, handle and network fit in one line
        layout = QVBoxLayout(self)
        layout.addWidget(self._timeline_group())
        layout.addWidget(self._notifications_group())
        layout.addWidget(self._composer_group(accounts))
        layout.addWidget(self._interface_group())
        layout.addWidget(self._network_group())
        layout.addWidget(self.language_notice)
        layout.addWidget(self.buttons)
        self.load()

    # -- building ----------------------------------------------------------------------------

    def _combo(self, name: str, description: str = "") -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        if description:
            combo.setAccessibleDescription(description)
        return combo

    def _timeline_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Timeline"))
        self.refresh = self._combo(self.tr("Automatic refresh of the timeline"))
        for seconds in REFRESH_CHOICES:
            text = (self.tr("Never") if seconds == 0
                    else self.tr("Every minute") if seconds == 60
                    else self.tr("Every %n minute(s)", "", seconds // 60))
            self.refresh.addItem(text, seconds)
        self.confirm_shares = QCheckBox(self.tr("Ask before &sharing a post (boost, repost)"))
        self.confirm_shares.setAccessibleName(self.tr("Ask before sharing a post"))
        form = QFormLayout(group)
        form.addRow(self.tr("Automatic &refresh:"), self.refresh)
        form.addRow(self.confirm_shares)
        return group

    def _notifications_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Desktop notifications"))
        names = {
            NotificationKind.MENTION: self.tr("Mentions"),
            NotificationKind.REPLY: self.tr("Replies"),
            NotificationKind.QUOTE: self.tr("Quotes"),
            NotificationKind.FOLLOW: self.tr("New followers"),
            NotificationKind.LIKE: self.tr("Likes"),
            NotificationKind.REPOST: self.tr("Reposts and boosts"),
        }
        self.notify: dict[NotificationKind, QCheckBox] = {}
        layout = QVBoxLayout(group)
        intro = QLabel(self.tr("Show a desktop notification for new:"))
        layout.addWidget(intro)
        for kind in NOTIFIABLE:
            box = QCheckBox(names[kind])
            box.setAccessibleName(
                self.tr("Desktop notification for {kind}").format(kind=names[kind].lower())
            )
            self.notify[kind] = box
            layout.addWidget(box)
        return group

    def _composer_group(self, accounts: Sequence[Account]) -> QGroupBox:
        group = QGroupBox(self.tr("New posts"))
        self.post_language = self._combo(self.tr("Default language of a new post"))
        for code, name in POST_LANGUAGES:
            self.post_language.addItem(name, code)
        self.visibility = self._combo(
            self.tr("Default visibility on Mastodon"),
            self.tr("Who can see a new Mastodon post; Bluesky posts are always public."),
        )
        for value, text in (
            (Visibility.PUBLIC, self.tr("Public")),
            (Visibility.UNLISTED, self.tr("Unlisted")),
            (Visibility.PRIVATE, self.tr("Followers only")),
            (Visibility.DIRECT, self.tr("Mentioned people only")),
        ):
            self.visibility.addItem(text, value.value)
        self.thread_split = self._combo(
            self.tr("When a text is too long"),
            self.tr("What the composer does with a text over an account's limit."),
        )
        for behaviour, text in (
            (ThreadSplit.ASK, self.tr("Offer to split it into a thread")),
            (ThreadSplit.SPLIT, self.tr("Split it into a thread")),
            (ThreadSplit.NEVER, self.tr("Never split: shorten the text")),
        ):
            self.thread_split.addItem(text, behaviour.value)
        self.targets = QListWidget()
        self.targets.setAccessibleName(self.tr("Accounts checked in a new post"))
        self.targets.setMinimumHeight(96)
        self.targets.setMaximumHeight(140)
        for account in accounts:
            item = QListWidgetItem(account_icon(account), account_title(account))
            item.setData(ID_ROLE, account.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.targets.addItem(item)
        form = QFormLayout(group)
        form.addRow(self.tr("&Language:"), self.post_language)
        form.addRow(self.tr("&Visibility (Mastodon):"), self.visibility)
        form.addRow(self.tr("&Too long:"), self.thread_split)
        form.addRow(self.tr("&Accounts checked:"), self.targets)
        return group

    def _interface_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Interface"))
        self.theme = self._combo(self.tr("Colour theme"))
        for theme, text in (
            (Theme.SYSTEM, self.tr("Follow the system")),
            (Theme.LIGHT, self.tr("Light")),
            (Theme.DARK, self.tr("Dark")),
        ):
            self.theme.addItem(text, theme.value)
        self.ui_language = self._combo(
            self.tr("Language of the interface"),
            self.tr("Takes effect the next time paris_desk starts."),
        )
        self.ui_language.addItem(self.tr("Follow the system"), "")
        for code, name in UI_LANGUAGE_NAMES:
            self.ui_language.addItem(name, code)
        self.ui_language.currentIndexChanged.connect(self._on_ui_language)
        form = QFormLayout(group)
        form.addRow(self.tr("T&heme:"), self.theme)
        form.addRow(self.tr("Interface lan&guage:"), self.ui_language)
        return group

    def _network_group(self) -> QGroupBox:
        """The proxy: the one in use, and a choice over the system's. Certificates are always
        checked against the system's store: there is deliberately no setting for them."""
        group = QGroupBox(self.tr("Network"))
        self.proxy_in_use = QLabel(self._proxy_in_use_text())
        self.proxy_in_use.setWordWrap(True)
        self.proxy_in_use.setAccessibleName(self.tr("Proxy in use"))
        self.proxy_mode = self._combo(
            self.tr("Proxy"), self.tr("How paris_desk reaches the servers of the accounts.")
        )
        for mode, text in (
            (ProxyMode.SYSTEM, self.tr("Use the system's settings")),
            (ProxyMode.NONE, self.tr("No proxy")),
            (ProxyMode.MANUAL, self.tr("Use this proxy")),
        ):
            self.proxy_mode.addItem(text, mode.value)
        self.proxy_url = QLineEdit()
        self.proxy_url.setPlaceholderText("http://proxy.example:3128")
        self.proxy_url.setAccessibleName(self.tr("Proxy address"))
        self.proxy_url.setAccessibleDescription(
            self.tr("host:port; no identifier or password (they would be saved in clear).")
        )
        self.proxy_notice = QLabel()
        self.proxy_notice.setWordWrap(True)
        self.proxy_notice.setAccessibleName(self.tr("About the proxy address"))
        self.proxy_notice.hide()
        self.proxy_mode.currentIndexChanged.connect(self._on_proxy_mode)
        form = QFormLayout(group)
        form.addRow(self.tr("In use:"), self.proxy_in_use)
        form.addRow(self.tr("&Proxy:"), self.proxy_mode)
        form.addRow(self.tr("Proxy a&ddress:"), self.proxy_url)
        form.addRow(self.proxy_notice)
        return group

    def _proxy_in_use_text(self) -> str:
        info = transport.proxy_info()
        origins = {
            transport.ProxyOrigin.NONE: self.tr("none, direct connection"),
            transport.ProxyOrigin.ENVIRONMENT: self.tr("environment variables"),
            transport.ProxyOrigin.SYSTEM: self.tr("system settings"),
            transport.ProxyOrigin.PREFERENCES: self.tr("these preferences"),
        }
        if not info.url:
            return self.tr("No proxy: direct connection ({origin}).").format(
                origin=origins[info.origin]
            )
        return self.tr("{proxy} ({origin})").format(proxy=info.url, origin=origins[info.origin])

    def _on_proxy_mode(self, _index: int) -> None:
        self.proxy_url.setEnabled(self.proxy_mode.currentData() == ProxyMode.MANUAL.value)
        self.proxy_notice.hide()

    # -- values ------------------------------------------------------------------------------

    def load(self) -> None:
        """Show the saved values."""
        s = self.settings
        _select(self.refresh, s.refresh_interval)
        self.confirm_shares.setChecked(s.confirm_shares)
        for kind, box in self.notify.items():
            box.setChecked(s.notifies(kind))
        _select(self.post_language, s.default_language)
        _select(self.visibility, s.default_visibility.value)
        _select(self.thread_split, s.thread_split.value)
        checked = set(s.default_targets)
        for row in range(self.targets.count()):
            item = self.targets.item(row)
            on = item.data(ID_ROLE) in checked
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        _select(self.theme, s.theme.value)
        _select(self.ui_language, s.ui_language or "")
        self._on_ui_language(self.ui_language.currentIndex())  # a choice not applied yet
        _select(self.proxy_mode, s.proxy_mode.value)
        self.proxy_url.setText(s.proxy_url)
        self._on_proxy_mode(self.proxy_mode.currentIndex())

    def checked_targets(self) -> list[str]:
        return [
            str(item.data(ID_ROLE))
            for item in (self.targets.item(row) for row in range(self.targets.count()))
            if item.checkState() == Qt.CheckState.Checked
        ]

    def save(self) -> None:
        """Write every value (each setter emits ``changed`` only for a real change)."""
        s = self.settings
        s.set_refresh_interval(int(self.refresh.currentData()))
        s.set_confirm_shares(self.confirm_shares.isChecked())
        s.set_notified_kinds(kind for kind, box in self.notify.items() if box.isChecked())
        s.set_default_language(str(self.post_language.currentData()))
        s.set_default_visibility(Visibility(self.visibility.currentData()))
        s.set_thread_split(ThreadSplit(self.thread_split.currentData()))
        known = {str(self.targets.item(r).data(ID_ROLE)) for r in range(self.targets.count())}
        kept = [i for i in s.default_targets if i not in known]  # accounts not shown here
        s.set_default_targets([*kept, *self.checked_targets()])
        s.set_theme(Theme(self.theme.currentData()))
        s.set_ui_language(self.ui_language.currentData() or None)
        mode = ProxyMode(self.proxy_mode.currentData())
        s.set_proxy(mode, self.proxy_url.text() if mode is ProxyMode.MANUAL else s.proxy_url)

    def accept(self) -> None:
        if not self._proxy_valid():
            return  # the notice says why; the dialog stays open
        before = self.settings.ui_language
        self.save()
        super().accept()
        parent = self.parentWidget()
        if self.settings.ui_language != before and parent is not None:
            language.offer_restart(parent, self.settings.ui_language)

    def _proxy_valid(self) -> bool:
        if self.proxy_mode.currentData() != ProxyMode.MANUAL.value:
            return True
        valid = Settings.check_proxy_url(self.proxy_url.text())
        if not valid:
            self.proxy_notice.setText(
                self.tr(
                    "Give the proxy as host:port (for example proxy.example:3128), without "
                    "identifier or password."
                )
            )
            self.proxy_notice.show()
            self.proxy_url.setFocus()
        return valid

    def _on_ui_language(self, _index: int) -> None:
        """Say, as the View menu does, which language comes once paris_desk restarts."""
        text = language.pending_text(self.ui_language.currentData() or None)
        self.language_notice.setText(text)
        self.language_notice.setVisible(bool(text))


def _select(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
