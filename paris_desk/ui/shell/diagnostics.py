"""Help → Copy the diagnostics: what support needs, on the clipboard, without any secret.

The report gives the versions (paris_desk, Python, Qt and PySide6, Mastodon.py, atproto), the
OS, the keychain backend, the trust source for certificates (the system store, or certifi as a
fallback), the HTTPS proxy in use (without its credentials), the profile folder, the accounts
(ids only) and the last log records kept in memory. Those records were masked by the
``RedactingFilter`` on their way into the ring buffer; the whole report then goes through a
final pass (``redact_report``): the registered secrets and secret-shaped strings of
``store.redaction``, then any long opaque token.

The report is for the support team, so it is in English like the logs; only the message that
says it was copied is translated. atproto's version is read from its package metadata: importing
it costs ~0.45 s.
"""

from __future__ import annotations

import importlib.metadata
import logging
import platform
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, qVersion
from PySide6.QtGui import QGuiApplication

from paris_desk import __version__
from paris_desk.channels import transport
from paris_desk.services import logging_setup
from paris_desk.services.api import MASK, Keychain, redact
from paris_desk.ui.errors import describe

if TYPE_CHECKING:
    from paris_desk.ui.shell.session import Session

log = logging.getLogger(__name__)

LOG_RECORDS = 50
_PACKAGES = (("Mastodon.py", "Mastodon.py"), ("atproto", "atproto"), ("keyring", "keyring"))
# A long run of base64url characters mixing digits, lower and upper case: an access token, a
# client secret, an API key… (a post id is digits only, a folder name has no such mix; a JWT
# or an app password is caught earlier by ``redact``).
_CHARS = r"[A-Za-z0-9_\-]"
_OPAQUE = re.compile(
    rf"(?<!{_CHARS})(?={_CHARS}*\d)(?={_CHARS}*[a-z])(?={_CHARS}*[A-Z])"
    rf"{_CHARS}{{32,}}"
)


@dataclass(frozen=True, slots=True)
class Facts:
    """What the report says, gathered off the GUI thread (the accounts come from SQLite)."""

    versions: tuple[tuple[str, str], ...]
    system: str
    keychain: str
    profile: str
    mode: str
    accounts: tuple[str, ...]
    log_lines: tuple[str, ...]
    trust: str = ""  # who verifies certificates: the system store, or certifi (fallback)
    proxy: str = ""  # the HTTPS proxy in use and where it comes from, without credentials


def package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def gather(session: Session) -> Facts:
    """Collect the facts (blocking: reads the accounts; for the database thread)."""
    versions = (
        ("paris_desk", __version__),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("Qt", qVersion()),
        ("PySide6", pyside_version),
        *((label, package_version(dist)) for label, dist in _PACKAGES),
    )
    accounts = session.accounts
    ring = logging_setup.ring_buffer()
    lines = tuple(ring.lines()[-LOG_RECORDS:]) if ring is not None else ()
    return Facts(
        versions=versions,
        system=f"{platform.platform()} ({platform.machine()})",
        keychain=Keychain(accounts.profile.keychain_service).backend_name(),
        profile=str(accounts.profile.root),
        mode="sandbox" if session.sandbox else "accounts",
        accounts=tuple(account.id for account in accounts.list()),
        log_lines=lines,
        trust=trust_line(),
        proxy=proxy_line(),
    )


def trust_line() -> str:
    if transport.trust_source() is transport.TrustSource.SYSTEM:
        return f"system store ({transport.trust_detail()})"
    return f"certifi, fallback: the system store is not read ({transport.trust_detail()})"


def proxy_line() -> str:
    info = transport.proxy_info()
    if not info.url:
        return f"none, direct ({info.origin.value})"
    bypass = f"; bypass: {info.bypass}" if info.bypass else ""
    return f"{info.url} ({info.origin.value}){bypass}"


def report(facts: Facts) -> str:
    """The report, redacted (``redact_report``)."""
    parts = ["paris_desk diagnostics", ""]
    parts += [f"{name}: {version}" for name, version in facts.versions]
    parts += [
        f"OS: {facts.system}",
        f"Keychain: {facts.keychain}",
        f"TLS trust: {facts.trust}",
        f"HTTPS proxy: {facts.proxy}",
        f"Profile: {facts.profile} ({facts.mode})",
        f"Accounts ({len(facts.accounts)}):",
        *(f"  {account_id}" for account_id in facts.accounts),
        "",
        f"Last {len(facts.log_lines)} log records:",
        *facts.log_lines,
    ]
    return redact_report("\n".join(parts) + "\n")


def redact_report(text: str) -> str:
    """The final pass: known secrets and secret shapes, then long opaque tokens."""
    return _OPAQUE.sub(MASK, redact(text))


def copy_diagnostics(
    session: Session,
    on_copied: Callable[[str], None],
    on_error: Callable[[str], None],
) -> None:
    """Gather the facts on the database thread, then put the report on the clipboard and call
    ``on_copied`` with the sentence to show."""

    def done(facts: Facts) -> None:
        text = report(facts)
        QGuiApplication.clipboard().setText(text)
        log.info("diagnostics copied (%d lines)", text.count("\n"))
        on_copied(
            QCoreApplication.translate(
                "Diagnostics",
                "The diagnostics were copied to the clipboard: paste them into your message "
                "to the support team.",
            )
        )

    session.tasks.run_db(lambda: gather(session), done, lambda exc: on_error(describe(exc)))
