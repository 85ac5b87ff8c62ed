"""Typed errors, from the network to the user.

Each adapter translates its SDK's exceptions into one of these at its edge; each subclass says
what to do next. ``paris_desk.services.sentences`` is the one place where they become
sentences (French by default), for the window (``ui.errors``) and the CLI (``cli.messages``)
alike.
"""

from __future__ import annotations


class ParisDeskError(Exception):
    """Base of every error this package raises on purpose."""


class ChannelError(ParisDeskError):
    """A network operation failed."""

    retryable = False

    def __init__(self, message: str = "", *, account_id: str = "", network: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.account_id = account_id
        self.network = network


class Unreachable(ChannelError):
    """The server could not be reached, or the connection broke. Retry later.

    ``maybe_applied`` is True when the request may have reached the server (a read timeout or a
    dropped connection after sending): a retry must use the same idempotency key.
    """

    retryable = True

    def __init__(self, message: str = "", *, maybe_applied: bool = False, **kw: str) -> None:
        super().__init__(message, **kw)
        self.maybe_applied = maybe_applied


class ProxyUnreachable(Unreachable):
    """The proxy itself did not answer (refused, unknown name, timeout): nothing was sent.
    Retry later; ``proxy`` is its address, without credentials."""

    def __init__(self, message: str = "", *, proxy: str = "", **kw: str) -> None:
        super().__init__(message, maybe_applied=False, **kw)
        self.proxy = proxy


class AuthExpired(ChannelError):
    """The session or token is no longer accepted: the user must sign in again."""


class AuthFactorRequired(ChannelError):
    """The server sent a sign-in code by e-mail and wants it (Bluesky 2FA)."""


class BadCredentials(ChannelError):
    """Wrong handle, password or token at sign-in."""


class RateLimited(ChannelError):
    """Too many requests. ``retry_after`` is in seconds (None when the server did not say)."""

    retryable = True

    def __init__(self, message: str = "", *, retry_after: float | None = None, **kw: str) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class Rejected(ChannelError):
    """The server refused the content (400/422): keep the draft, do not retry as is."""


class NotFound(ChannelError):
    """The post, account or instance does not exist."""


class NotAServer(NotFound):
    """The address answers, but with a web page, not the API of ``network``: a typo or the
    site of the organisation rather than its instance or server."""


class ServerError(ChannelError):
    """The server failed (5xx). Back off and retry."""

    retryable = True


class CertificateError(ChannelError):
    """The server's TLS certificate was refused, so nothing was sent. Not retried as is, and
    never bypassed: the server's certificate or the workstation's trust store must change.

    ``kind`` says what is wrong (one of the constants below); ``issuer`` names who signed the
    certificate (its CN), ``names`` the addresses it is valid for, ``not_after`` its end of
    validity (ISO 8601 date), each "" or empty when the certificate could not be read.
    """

    EXPIRED = "expired"  # or not yet valid
    WRONG_NAME = "wrong_name"  # valid for other addresses
    UNKNOWN_AUTHORITY = "unknown_authority"  # signed by an authority the system does not trust
    OTHER = "other"  # revoked, too weak, unreadable…

    def __init__(
        self,
        message: str = "",
        *,
        kind: str = OTHER,
        host: str = "",
        issuer: str = "",
        names: tuple[str, ...] = (),
        not_after: str = "",
        **kw: str,
    ) -> None:
        super().__init__(message, **kw)
        self.kind = kind
        self.host = host
        self.issuer = issuer
        self.names = names
        self.not_after = not_after


class ProxyRefused(ChannelError):
    """The proxy refused to open the connection (nothing reached the server). ``status`` is its
    answer: 407 asks for credentials; ``proxy`` is its address, without credentials."""

    def __init__(self, message: str = "", *, status: int = 0, proxy: str = "", **kw: str) -> None:
        super().__init__(message, **kw)
        self.status = status
        self.proxy = proxy

    @property
    def auth_required(self) -> bool:
        return self.status == 407


class KeychainError(ParisDeskError):
    """The OS keychain refused an operation."""


class KeychainUnavailable(KeychainError):
    """No usable OS keychain: credentials cannot be stored (never in plain text)."""


class KeychainLocked(KeychainError):
    """The keychain exists but is locked or denied access."""


class StoreError(ParisDeskError):
    """The local database failed."""


class UnknownAccount(ParisDeskError):
    """No account with that id."""
