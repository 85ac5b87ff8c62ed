"""The one place where an error becomes a sentence for the user (Anki's ``show_exception``).

Sentences are written in English and translated (French by default) under the context
``errors``; named fields are filled after translation. ``pyside6-lupdate`` only sees literal
``translate("errors", "…")`` calls (and ``QT_TRANSLATE_NOOP``), hence no helper around them.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QLocale, Qt

from paris_desk.core import errors
from paris_desk.core.urls import InsecureTransport
from paris_desk.services.api import KnownStoreError, StoreErrorCode

translate = QCoreApplication.translate

_STORE_SENTENCES = {
    StoreErrorCode.DISK_FULL: QT_TRANSLATE_NOOP(
        "errors", "The disk is full: paris_desk could not save. Free some space, then try again."
    ),
    StoreErrorCode.LOCKED: QT_TRANSLATE_NOOP(
        "errors",
        "The local database is in use by another paris_desk; close it, then try again.",
    ),
    StoreErrorCode.CORRUPT: QT_TRANSLATE_NOOP(
        "errors",
        "The local database is damaged. paris_desk can move it aside and rebuild it from the "
        "servers, keeping the accounts, drafts and outbox it can still read. Your credentials "
        "are safe in the keychain.",
    ),
    StoreErrorCode.EMPTY: QT_TRANSLATE_NOOP(
        "errors",
        "The local database is empty (0 bytes: an interrupted copy or a full disk?). Put back "
        "a backup if you have one; otherwise paris_desk can start a new database (the accounts "
        "will have to be added again).",
    ),
    StoreErrorCode.READ_ONLY: QT_TRANSLATE_NOOP(
        "errors",
        "paris_desk may not write to its data folder (read-only disk or permission refused).",
    ),
    StoreErrorCode.IO: QT_TRANSLATE_NOOP(
        "errors", "The disk failed to read or write the local database."
    ),
    StoreErrorCode.TOO_NEW: QT_TRANSLATE_NOOP(
        "errors", "This profile was written by a newer paris_desk: update paris_desk to open it."
    ),
}


def describe(exc: BaseException, account_label: str = "", *, signing_in: bool = False) -> str:
    """A complete sentence saying what happened and what to do.

    ``account_label`` names the account concerned (its label or handle); ``signing_in`` is True
    while adding or reconnecting an account, where "not found" means the server.
    """
    account = account_label or translate("errors", "this account")
    if isinstance(exc, errors.CertificateError):
        return describe_certificate(exc)
    if isinstance(exc, errors.ProxyRefused | errors.ProxyUnreachable):
        return describe_proxy(exc)
    if isinstance(exc, errors.ChannelError):
        return _describe_channel(exc, account, signing_in)
    if isinstance(exc, errors.KeychainUnavailable):
        return translate(
            "errors", "No system keychain available: paris_desk cannot store your credentials."
        )
    if isinstance(exc, errors.KeychainLocked):
        return translate(
            "errors",
            "The system keychain is locked or refused access: unlock it, then try again.",
        )
    if isinstance(exc, errors.KeychainError):
        return translate("errors", "The system keychain refused the operation; try again.")
    if isinstance(exc, errors.UnknownAccount):
        return translate("errors", "This account no longer exists in paris_desk.")
    if isinstance(exc, KnownStoreError):
        return translate("errors", str(_STORE_SENTENCES[exc.code]))
    return translate(
        "errors", "Internal error ({kind}). The details were written to the log."
    ).format(kind=type(exc).__name__)


def describe_certificate(exc: errors.CertificateError) -> str:
    """What is wrong with the server's certificate, then what to do. There is no way around:
    paris_desk never offers to skip the check."""
    host = exc.host or translate("errors", "this server")
    if exc.kind == errors.CertificateError.UNKNOWN_AUTHORITY:
        problem = (
            translate(
                "errors",
                "The server's certificate is not recognised (unknown authority: {issuer}); "
                "paris_desk refused the connection to {host}.",
            ).format(issuer=exc.issuer, host=host)
            if exc.issuer
            else translate(
                "errors",
                "The server's certificate is not recognised (unknown authority); "
                "paris_desk refused the connection to {host}.",
            ).format(host=host)
        )
        return problem + " " + certificate_help()
    if exc.kind == errors.CertificateError.EXPIRED:
        return translate(
            "errors",
            "The server's certificate has expired (valid until {date}); paris_desk refused the "
            "connection to {host}. The server must renew its certificate: tell its "
            "administrator, or check this computer's date.",
        ).format(date=_date(exc.not_after), host=host)
    if exc.kind == errors.CertificateError.WRONG_NAME:
        return translate(
            "errors",
            "The server's certificate does not match its address (it is for: {names}); "
            "paris_desk refused the connection to {host}. Check the server's address.",
        ).format(names=", ".join(exc.names) or "?", host=host)
    return (
        translate(
            "errors",
            "The server's certificate is not valid; paris_desk refused the connection to {host}.",
        ).format(host=host)
        + " "
        + certificate_help()
    )


def certificate_help() -> str:
    return translate(
        "errors",
        "If your IT department uses its own certificate, it must be installed in the "
        "system's certificate store.",
    )


def describe_proxy(exc: errors.ProxyRefused | errors.ProxyUnreachable) -> str:
    proxy = exc.proxy or translate("errors", "the proxy")
    if isinstance(exc, errors.ProxyUnreachable):
        return translate(
            "errors",
            "The proxy {proxy} does not answer: check the connection and the proxy setting "
            "(Preferences › Network), then try again.",
        ).format(proxy=proxy)
    if exc.status in (502, 503, 504):
        return translate(
            "errors",
            "The proxy {proxy} could not reach the server ({status}): try again later; if it "
            "lasts, ask your IT department whether this server is allowed.",
        ).format(proxy=proxy, status=exc.status)
    if exc.auth_required:
        return translate(
            "errors",
            "The proxy {proxy} requires identification (407): ask your IT department to let "
            "paris_desk through, or give the identifier in the proxy address "
            "(HTTPS_PROXY=http://identifier:password@proxy:port).",
        ).format(proxy=proxy)
    return translate(
        "errors",
        "The proxy {proxy} refused the connection ({status}): ask your IT department to allow "
        "this server.",
    ).format(proxy=proxy, status=exc.status)


def _date(iso: str) -> str:
    """An ISO date in the user's locale (short format)."""
    date = QDate.fromString(iso, Qt.DateFormat.ISODate)
    return QLocale().toString(date, QLocale.FormatType.ShortFormat) if date.isValid() else iso


def _describe_address(exc: errors.ChannelError) -> str | None:
    """The sentence for a server address that cannot be used (issue 13), else None."""
    if isinstance(exc, InsecureTransport):
        return translate(
            "errors",
            "Connection refused: {url} is not encrypted (http://), your credentials would "
            "travel in clear. Use its https:// address.",
        ).format(url=exc.url)
    if isinstance(exc, errors.NotAServer):
        if exc.network == "bluesky":
            return translate(
                "errors",
                "This address answers with a web page: it is not a Bluesky server (PDS). "
                "Check the address of the server.",
            )
        return translate(
            "errors",
            "This address answers with a web page: it is not a Mastodon server. "
            "Check the address of the instance.",
        )
    return None


def _describe_channel(exc: errors.ChannelError, account: str, signing_in: bool) -> str:
    sentence = _describe_address(exc)
    if sentence is not None:
        return sentence
    if isinstance(exc, errors.AuthExpired):
        return translate("errors", "The session of {account} has expired; sign in again.").format(
            account=account
        )
    if isinstance(exc, errors.AuthFactorRequired):
        return translate(
            "errors",
            "A sign-in code was sent to the e-mail address of the account: enter it to continue.",
        )
    if isinstance(exc, errors.BadCredentials):
        return translate(
            "errors",
            "Identifier or password refused. On Bluesky, use an app password "
            "(Settings › Privacy and security › App passwords).",
        )
    if isinstance(exc, errors.NotFound):
        if signing_in:
            return translate(
                "errors", "Server not found: check the address of the instance or server."
            )
        return translate(
            "errors", "Not found: this post or account no longer exists for {account}."
        ).format(account=account)
    if isinstance(exc, errors.Unreachable):
        return translate(
            "errors",
            "Network unreachable: the server of {account} did not answer. "
            "Check the connection, then try again.",
        ).format(account=account)
    if isinstance(exc, errors.RateLimited):
        if exc.retry_after is None:
            return translate(
                "errors", "Too many requests for {account}: try again in a few minutes."
            ).format(account=account)
        seconds = max(1, math.ceil(exc.retry_after))
        return translate(
            "errors", "Too many requests for {account}: try again in %n second(s).", None, seconds
        ).format(account=account)
    if isinstance(exc, errors.Rejected):
        return translate("errors", "The server of {account} refused this content: {reason}").format(
            account=account, reason=exc.message or translate("errors", "no reason given")
        )
    if isinstance(exc, errors.ServerError):
        return translate("errors", "The server of {account} is failing; try again later.").format(
            account=account
        )
    return translate("errors", "The operation failed for {account} ({kind}).").format(
        account=account, kind=type(exc).__name__
    )
