"""Opening a link from a post: in the system's browser, and when none can open it, a message
that says so (the link goes to the clipboard, to paste elsewhere). Only web and mail links:
a post's ``javascript:`` or ``file:`` link is never followed."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication

log = logging.getLogger(__name__)
SCHEMES = ("http://", "https://", "mailto:")
translate = QCoreApplication.translate

opener: Callable[[QUrl], bool] = QDesktopServices.openUrl  # tests put a fake browser here


def open_link(url: str, report: Callable[[str], object]) -> bool:
    """Open ``url`` in the browser; ``report`` a sentence when it cannot be."""
    if not url.lower().startswith(SCHEMES):
        report(translate("Links", "This link cannot be opened: {url}").format(url=url[:200]))
        return False
    if opener(QUrl(url)):
        return True
    log.info("no browser opened %s", url[:80])
    QGuiApplication.clipboard().setText(url)
    report(translate("Links", "No browser could open the link. It is copied: paste it in a "
                     "browser. ({url})").format(url=url[:200]))
    return False
