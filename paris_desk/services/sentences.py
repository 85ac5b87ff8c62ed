"""The one catalogue of sentences for errors and refusals, shared by the window and the CLI.

Each sentence says what happened and what to do, and names the account concerned. They are
written in English and translated under the context ``errors`` (French by default:
``resources/i18n/paris_desk_fr.ts``); named fields are filled after translation.

Qt-free: the translator is injected. The window passes ``QCoreApplication.translate``
(``ui/errors.py``); the command line passes a ``QTranslator`` loaded on the same ``.qm``
(``cli/messages.py``), so both print the same sentence. ``pyside6-lupdate`` only sees literal
``….translate("errors", "…")`` calls (and ``QT_TRANSLATE_NOOP``), hence no helper around them;
``scripts/update_translations.sh`` reads this file with the UI's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from paris_desk.core import errors
from paris_desk.core.urls import InsecureTransport
from paris_desk.services.accounts import AmbiguousAccount
from paris_desk.store.db import KnownStoreError, StoreErrorCode
from paris_desk.store.outbox import Job
from paris_desk.store.team import errors as team_errors

if TYPE_CHECKING:  # the publisher pulls in composing (counting, images): not at first paint
    from paris_desk.services.publisher import Finding, Refused


class Translate(Protocol):
    """``QCoreApplication.translate``'s shape; ``%n`` is filled with ``n`` by the callee."""

    def __call__(self, context: str, source: str, disambiguation: str | None = None,
                 n: int = -1, /) -> str: ...


def untranslated(context: str, source: str, disambiguation: str | None = None,
                 n: int = -1, /) -> str:
    """The English source, ``%n`` filled (what Qt gives when no catalogue is installed)."""
    return source.replace("%n", str(n)) if n >= 0 else source


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # noqa: N802 - lupdate's marker
    """Marks ``source`` for the catalogue; translated where it is shown."""
    return source


_TEAM = (
    (team_errors.TeamRefused, QT_TRANSLATE_NOOP(
        "errors", "The team's database refused: your role does not allow it. Nothing was "
        "changed.")),
    (team_errors.TeamAuthFailed, QT_TRANSLATE_NOOP(
        "errors", "The team's server refused your name or password: join the team again "
        "(“paris-desk team join”).")),
    (team_errors.TeamUnreachable, QT_TRANSLATE_NOOP(
        "errors", "The team's server does not answer: check the network, then try again.")),
    (team_errors.NotInTeam, QT_TRANSLATE_NOOP(
        "errors", "This profile is in no team (“paris-desk team join”).")),
    (team_errors.TeamConflict, QT_TRANSLATE_NOOP(
        "errors", "This name already exists on the team's server.")),
    (team_errors.TeamNotInitialised, QT_TRANSLATE_NOOP(
        "errors", "The team's database has no paris_desk schema, or you are not a member of "
        "the team.")),
)


_STORE = {
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
_REFUSALS = {  # by Problem value; the others are worded in ``Sentences.refusal``
    "no_target": QT_TRANSLATE_NOOP("errors", "Check at least one account."),
    "empty": QT_TRANSLATE_NOOP("errors", "The post is empty."),
    "alt_missing": QT_TRANSLATE_NOOP("errors", "Every image needs an alt text."),
    "alt_too_long": QT_TRANSLATE_NOOP("errors", "An alt text is too long for the network."),
    "fancy_letters": QT_TRANSLATE_NOOP("errors", "Replace the stylised letters with plain ones."),
    "too_many_images": QT_TRANSLATE_NOOP("errors", "Too many images for the checked accounts."),
    "schedule_past": QT_TRANSLATE_NOOP("errors", "The scheduled time has passed."),
    "published": QT_TRANSLATE_NOOP("errors", "This draft is already being published."),
}
_NETWORK_NAMES = {"bluesky": "Bluesky", "mastodon": "Mastodon"}


class Sentences:
    """Errors and refusals as sentences, in the language of ``translate``."""

    def __init__(self, translate: Translate = untranslated) -> None:
        self.translate = translate

    # -- errors --------------------------------------------------------------------------------

    def describe(self, exc: BaseException, account: str = "", *, signing_in: bool = False
                 ) -> str:
        """A complete sentence saying what happened and what to do.

        ``account`` names the account concerned (its label or handle); ``signing_in`` is True
        while adding or reconnecting an account, where "not found" means the server.
        """
        account = account or self.translate("errors", "this account")
        if isinstance(exc, errors.ChannelError):
            return self._channel(exc, account, signing_in)
        if isinstance(exc, errors.KeychainError):
            return self._keychain(exc)
        if isinstance(exc, AmbiguousAccount):
            return self.translate(
                "errors", "“{ref}” names several accounts ({matches}): say which one."
            ).format(ref=exc.ref, matches=", ".join(exc.matches))
        if isinstance(exc, errors.UnknownAccount):
            return self.translate("errors", "No account “{ref}” in paris_desk.").format(
                ref=_without_network(str(exc)) or account)
        if isinstance(exc, KnownStoreError):
            return self.translate("errors", str(_STORE[exc.code]))
        if isinstance(exc, team_errors.TeamError):
            return self.team(exc)
        return self.internal(exc)

    def team(self, exc: team_errors.TeamError, refused: str = "") -> str:
        """The team's database (team mode) failed or refused; ``refused``, when given, says
        (translated) what the member's role may not do."""
        if isinstance(exc, team_errors.TeamRefused) and refused:
            return self.translate(
                "errors", "The team's database refused: {reason}. Nothing was changed."
            ).format(reason=refused)
        if isinstance(exc, team_errors.TeamInsecure):
            return self.translate(
                "errors", "The team's server ({host}) is on another machine and sslmode={mode} "
                "does not check its identity: nothing was sent to it. Use sslmode=verify-full "
                "(with sslrootcert=FILE for your organisation's certificate authority), or join "
                "again with --allow-unverified-tls.").format(host=exc.host, mode=exc.mode)
        if isinstance(exc, team_errors.TeamSchemaTooNew):
            return self.translate(
                "errors", "The team's database is at schema {found}, newer than this "
                "paris_desk (schema {known}): update paris_desk to use it. The database was "
                "not touched.").format(found=exc.found, known=exc.known)
        if isinstance(exc, team_errors.TeamSchemaTooOld):
            return self.translate(
                "errors", "The team's database is at schema {found}, older than this "
                "paris_desk (schema {known}): an admin must run “paris-desk team init”."
            ).format(found=exc.found, known=exc.known)
        for kind, sentence in _TEAM:
            if isinstance(exc, kind):
                return self.translate("errors", sentence)
        return self.translate(
            "errors", "The team's database failed ({kind}); try again.").format(
            kind=type(exc).__name__)

    def internal(self, exc: BaseException) -> str:
        return self.translate(
            "errors", "Internal error ({kind}). The details were written to the log."
        ).format(kind=type(exc).__name__)

    def _keychain(self, exc: errors.KeychainError) -> str:
        if isinstance(exc, errors.KeychainUnavailable):
            return self.translate(
                "errors", "No system keychain available: paris_desk cannot store your credentials."
            )
        if isinstance(exc, errors.KeychainLocked):
            return self.translate(
                "errors",
                "The system keychain is locked or refused access: unlock it, then try again.",
            )
        return self.translate("errors", "The system keychain refused the operation; try again.")

    def certificate(self, exc: errors.CertificateError) -> str:
        """What is wrong with the server's certificate, then what to do. There is no way
        around: paris_desk never offers to skip the check."""
        host = exc.host or self.translate("errors", "this server")
        if exc.kind == errors.CertificateError.UNKNOWN_AUTHORITY:
            problem = (
                self.translate(
                    "errors",
                    "The server's certificate is not recognised (unknown authority: {issuer}); "
                    "paris_desk refused the connection to {host}.",
                ).format(issuer=exc.issuer, host=host)
                if exc.issuer
                else self.translate(
                    "errors",
                    "The server's certificate is not recognised (unknown authority); "
                    "paris_desk refused the connection to {host}.",
                ).format(host=host)
            )
            return problem + " " + self.certificate_help()
        if exc.kind == errors.CertificateError.EXPIRED:
            return self.translate(
                "errors",
                "The server's certificate has expired (valid until {date}); paris_desk refused "
                "the connection to {host}. The server must renew its certificate: tell its "
                "administrator, or check this computer's date.",
            ).format(date=self._date(exc.not_after), host=host)
        if exc.kind == errors.CertificateError.WRONG_NAME:
            return self.translate(
                "errors",
                "The server's certificate does not match its address (it is for: {names}); "
                "paris_desk refused the connection to {host}. Check the server's address.",
            ).format(names=", ".join(exc.names) or "?", host=host)
        return self.translate(
            "errors",
            "The server's certificate is not valid; paris_desk refused the connection to {host}.",
        ).format(host=host) + " " + self.certificate_help()

    def certificate_help(self) -> str:
        return self.translate(
            "errors",
            "If your IT department uses its own certificate, it must be installed in the "
            "system's certificate store.",
        )

    def proxy(self, exc: errors.ProxyRefused | errors.ProxyUnreachable) -> str:
        proxy = exc.proxy or self.translate("errors", "the proxy")
        if isinstance(exc, errors.ProxyUnreachable):
            return self.translate(
                "errors",
                "The proxy {proxy} does not answer: check the connection and the proxy setting "
                "(Preferences › Network), then try again.",
            ).format(proxy=proxy)
        if exc.status in (502, 503, 504):
            return self.translate(
                "errors",
                "The proxy {proxy} could not reach the server ({status}): try again later; if "
                "it lasts, ask your IT department whether this server is allowed.",
            ).format(proxy=proxy, status=exc.status)
        if exc.auth_required:
            return self.translate(
                "errors",
                "The proxy {proxy} requires identification (407): ask your IT department to let "
                "paris_desk through, or give the identifier in the proxy address "
                "(HTTPS_PROXY=http://identifier:password@proxy:port).",
            ).format(proxy=proxy)
        return self.translate(
            "errors",
            "The proxy {proxy} refused the connection ({status}): ask your IT department to "
            "allow this server.",
        ).format(proxy=proxy, status=exc.status)

    def _date(self, iso: str) -> str:
        """``2026-01-31`` as the language writes a short date."""
        parts = iso[:10].split("-")
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            return iso
        return self.translate("errors", "{day}/{month}/{year}").format(
            day=parts[2], month=parts[1], year=parts[0])

    def _address(self, exc: errors.ChannelError) -> str | None:
        """The sentence for a server address that cannot be used, else None."""
        if isinstance(exc, errors.CertificateError):
            return self.certificate(exc)
        if isinstance(exc, errors.ProxyRefused | errors.ProxyUnreachable):
            return self.proxy(exc)
        if isinstance(exc, InsecureTransport):
            return self.translate(
                "errors",
                "Connection refused: {url} is not encrypted (http://), your credentials would "
                "travel in clear. Use its https:// address.",
            ).format(url=exc.url)
        if isinstance(exc, errors.NotAServer):
            if exc.network == "bluesky":
                return self.translate(
                    "errors",
                    "This address answers with a web page: it is not a Bluesky server (PDS). "
                    "Check the address of the server.",
                )
            return self.translate(
                "errors",
                "This address answers with a web page: it is not a Mastodon server. "
                "Check the address of the instance.",
            )
        return None

    def _sign_in(self, exc: errors.ChannelError, signing_in: bool) -> str | None:
        if isinstance(exc, errors.AuthFactorRequired):
            return self.translate(
                "errors",
                "A sign-in code was sent to the e-mail address of the account: enter it to "
                "continue.",
            )
        if isinstance(exc, errors.BadCredentials):
            return self.translate(
                "errors",
                "Identifier or password refused. On Bluesky, use an app password "
                "(Settings › Privacy and security › App passwords).",
            )
        if isinstance(exc, errors.NotFound) and signing_in:
            return self.translate(
                "errors", "Server not found: check the address of the instance or server."
            )
        return None

    def _channel(self, exc: errors.ChannelError, account: str, signing_in: bool) -> str:
        sentence = self._address(exc) or self._sign_in(exc, signing_in)
        if sentence is not None:
            return sentence
        if isinstance(exc, errors.AuthExpired):
            return self.translate(
                "errors", "The session of {account} has expired; sign in again."
            ).format(account=account)
        if isinstance(exc, errors.NotFound):
            return self.translate(
                "errors", "Not found: this post or account no longer exists for {account}."
            ).format(account=account)
        if isinstance(exc, errors.Unreachable):
            return self.translate(
                "errors",
                "Network unreachable: the server of {account} did not answer. "
                "Check the connection, then try again.",
            ).format(account=account)
        if isinstance(exc, errors.RateLimited):
            return self._rate_limited(exc, account)
        if isinstance(exc, errors.Rejected):
            return self.translate(
                "errors", "The server of {account} refused this content: {reason}"
            ).format(account=account,
                     reason=exc.message or self.translate("errors", "no reason given"))
        if isinstance(exc, errors.ServerError):
            return self.translate(
                "errors", "The server of {account} is failing; try again later."
            ).format(account=account)
        return self.translate("errors", "The operation failed for {account} ({kind}).").format(
            account=account, kind=type(exc).__name__
        )

    def _rate_limited(self, exc: errors.RateLimited, account: str) -> str:
        if exc.retry_after is None:
            return self.translate(
                "errors", "Too many requests for {account}: try again in a few minutes."
            ).format(account=account)
        seconds = max(1, math.ceil(exc.retry_after))
        return self.translate(
            "errors", "Too many requests for {account}: try again in %n second(s).", None,
            seconds,
        ).format(account=account)

    # -- refusals before queueing (``services.publisher.Refused``) ------------------------------

    def refusals(self, exc: Refused) -> list[str]:
        """One sentence per reason a draft was refused (nothing was queued)."""
        return [self.refusal(finding) for finding in exc.findings]

    def refusal(self, finding: Finding) -> str:
        from paris_desk.services.publisher import Problem

        file = finding.subject
        if finding.problem is Problem.OVER_LIMIT:
            return self._over_limit(finding)
        if finding.problem is Problem.IMAGE_MISSING:
            return self.translate("errors", "{file}: file not found.").format(file=file)
        if finding.problem is Problem.IMAGE_NOT_FILE:
            return self.translate("errors", "{file} is not a regular file.").format(file=file)
        if finding.problem is Problem.IMAGE_FILE_TOO_BIG:
            return self.translate(
                "errors", "{file}: file too big ({count} bytes, at most {limit})."
            ).format(file=file, count=finding.count, limit=finding.limit)
        if finding.problem is Problem.IMAGE_UNREADABLE:
            return self._unreadable(finding)
        if finding.problem is Problem.UNKNOWN_MENTION:
            return self.translate("errors", "@{handle}: no such Bluesky account.").format(
                handle=file)
        return self.translate("errors", _REFUSALS[finding.problem.value])

    def _over_limit(self, finding: Finding) -> str:
        network = finding.network.value if finding.network else ""
        name = _NETWORK_NAMES.get(network, network)
        if finding.subject:
            return self.translate(
                "errors", "Too long for {network} ({host}): {count} characters for at most "
                "{limit}; split it into a thread or shorten the text."
            ).format(network=name, host=finding.subject, count=finding.count,
                     limit=finding.limit)
        return self.translate(
            "errors", "Too long for {network}: {count} characters for at most {limit}; split it "
            "into a thread or shorten the text."
        ).format(network=name, count=finding.count, limit=finding.limit)

    def _unreadable(self, finding: Finding) -> str:
        if "too large" in finding.detail:  # images.ImageError: "image too large (8000x6000)"
            size = finding.detail.partition("(")[2].rstrip(")").replace("x", "×")
            return self.translate("errors", "{file}: image too large ({size}).").format(
                file=finding.subject, size=size or "?")
        return self.translate("errors", "{file} cannot be read as an image ({detail}).").format(
            file=finding.subject,
            detail=finding.detail or self.translate("errors", "unknown format"))

    # -- the outbox ------------------------------------------------------------------------------

    def job_failure(self, job: Job, account: str, next_try: str = "") -> str:
        """A failed (or retried) outbox job: why, then the post's fate; the window's publish
        panel and the command line both show this sentence. ``next_try`` (the time, as the
        caller writes it) is given for a job that will be tried again by itself."""
        kind = job.error_kind.partition(":")[0]
        if kind == "NotSent":
            sentence = self.translate(
                "errors", "{account}: not sent in the time allowed.").format(account=account)
        elif kind == "Interrupted":
            sentence = self.translate(
                "errors", "{account}: sending interrupted (the program stopped).",
            ).format(account=account)
        elif kind == "Bug" or isinstance(getattr(errors, kind, None), type):
            sentence = self.describe(job_error(job), account)
        else:
            sentence = self.translate("errors", "Publishing on {account} failed ({reason}).",
                                      ).format(account=account, reason=job.last_error)
        if not sentence.endswith((".", "!", "?", "…")):  # a server's reason, as it came
            sentence += "."
        return sentence + " " + self._job_fate(job, next_try)

    def _job_fate(self, job: Job, next_try: str) -> str:
        if refused_for_good(job):
            return self.translate(
                "errors", "The draft is kept; change it before publishing again.")
        if next_try:
            return self.translate("errors", "Next try at {when}.").format(when=next_try)
        attempts = job.attempts  # lupdate skips a call whose count is an attribute
        return self.translate(
            "errors", "The post is kept in the outbox (%n attempt(s)).", None, attempts)

    # -- the command line ------------------------------------------------------------------------

    def error_line(self, sentence: str) -> str:
        """A failure as the command line prints it on stderr."""
        return self.translate("errors", "Error: {sentence}").format(sentence=sentence)

    def nothing_queued(self) -> str:
        return self.translate("errors", "Nothing was published or queued.")

    def database_file(self, path: str) -> str:
        return self.translate("errors", "Database file: {path}.").format(path=path)

    def command_hint(self, exc: BaseException) -> str:
        """What the command line adds where its remedy is a command ("" when none)."""
        if isinstance(exc, KnownStoreError) and exc.code in (StoreErrorCode.CORRUPT,
                                                             StoreErrorCode.EMPTY):
            return self.translate("errors", "Command: paris-desk profile repair.")
        if isinstance(exc, errors.UnknownAccount) and not isinstance(exc, AmbiguousAccount):
            return self.translate("errors", "See: paris-desk account list.")
        if isinstance(exc, errors.AuthExpired):
            return self.translate("errors", "Command: paris-desk account add.")
        return ""

    def refusal_hint(self, findings: Sequence[Finding]) -> str:
        """The command line's way out of a refusal ("" when none)."""
        if any(f.problem.value == "over_limit" for f in findings):
            return self.translate("errors", "To post it as a numbered thread: --split.")
        return ""


REFUSED_FOR_GOOD = ("Rejected", "NotFound")  # error kinds a retry cannot change


def refused_for_good(job: Job) -> bool:
    """The server refused this post for good (too long, blank, not allowed, gone): the same
    post would be refused again, so nobody offers to retry it."""
    return job.error_kind.partition(":")[0] in REFUSED_FOR_GOOD


def _without_network(ref: str) -> str:
    """``mastodon:@ville@paris.social`` (an account id) → ``@ville@paris.social``."""
    network, colon, handle = ref.partition(":")
    return handle if colon and network in _NETWORK_NAMES else ref


def job_error(job: Job) -> BaseException:
    """The typed error a failed job ended with (the outbox stores its kind and reason)."""
    kind, _, detail = job.error_kind.partition(":")
    cls = getattr(errors, kind, None)
    if isinstance(cls, type) and issubclass(cls, errors.ChannelError):
        if cls is errors.Unreachable:
            exc: errors.ChannelError = errors.Unreachable(
                job.last_error, maybe_applied=detail == "maybe_applied")
        elif cls is errors.RateLimited:
            exc = errors.RateLimited(job.last_error)
        else:
            exc = cls(job.last_error)
        exc.account_id = job.account_id
        return exc
    if isinstance(cls, type) and issubclass(cls, errors.ParisDeskError):
        return cls(job.last_error)
    if kind == "Bug":
        return RuntimeError(job.last_error)
    return errors.ChannelError(job.last_error, account_id=job.account_id)
