"""Choosing the account that acts on a post, before it acts: a menu of the accounts of the
post's network (the one that saw the post first is highlighted, Enter takes it) and, for a
share (boost, repost), a confirmation that names the account, which the Préférences can turn
off. Both are opened, never executed, so the event loop and the tests keep running."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from paris_desk.core.model import Account, Post
from paris_desk.ui.accounts.naming import account_icon, account_title
from paris_desk.ui.timeline.post_text import clean


def choose_account(parent: QWidget, title: str, choices: list[Account], at: QPoint,
                   chosen: Callable[[str], None]) -> QMenu:
    """Pop up ``title`` and the accounts; ``chosen(account_id)`` when one is picked."""
    menu = QMenu(parent)
    menu.setObjectName("act_as_menu")
    menu.setTitle(title)
    menu.setAccessibleName(title)
    header = menu.addAction(title)
    header.setEnabled(False)
    menu.addSeparator()
    for account in choices:
        action = menu.addAction(account_icon(account), account_title(account))
        action.triggered.connect(lambda _c=False, a=account.id: chosen(a))
    first = menu.actions()[2] if len(menu.actions()) > 2 else None
    menu.aboutToShow.connect(lambda: menu.setActiveAction(first) if first else None)
    menu.aboutToHide.connect(menu.deleteLater)
    menu.popup(at, first)
    return menu


class ShareDialog(QDialog):
    """"Share this post as …?" with the account to share as and "Don't ask again"."""

    def __init__(self, post: Post, choices: list[Account], chosen: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("share_dialog")
        self.setWindowTitle(self.tr("Share this post?"))
        self.setAccessibleName(self.windowTitle())
        author = clean(post.author.display_name) or post.author.handle
        intro = QLabel(self.tr("The post by {author} will be shown to the followers of the "
                               "account you choose. You can undo it.").format(author=author))
        intro.setWordWrap(True)
        self.account = QComboBox()
        self.account.setAccessibleName(self.tr("Share as"))
        self.account.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for account in choices:
            self.account.addItem(account_icon(account), account_title(account), account.id)
        self.account.setCurrentIndex(max(0, self.account.findData(chosen)))
        as_label = QLabel(self.tr("Share &as:"))
        as_label.setBuddy(self.account)
        self.dont_ask = QCheckBox(self.tr("&Don't ask again (Preferences can ask again)"))
        self.dont_ask.setAccessibleName(self.tr("Don't ask again before sharing"))
        buttons = QDialogButtonBox()
        self.share_button = buttons.addButton(self.tr("&Share"),
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        self.share_button.setAccessibleName(self.tr("Share"))
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAccessibleName(self.cancel_button.text().replace("&", ""))
        self.share_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, as_label, self.account, self.dont_ask, buttons):
            layout.addWidget(widget)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.finished.connect(self.deleteLater)

    def account_id(self) -> str:
        return str(self.account.currentData() or "")
