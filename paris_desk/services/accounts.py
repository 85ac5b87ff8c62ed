"""Adding, listing, ordering and removing accounts; handing out one channel per account.

Ordering rules, so that nothing is ever half-saved:
- the keychain is checked (backend, then one read) before any network call, so a missing or
  locked keychain fails fast and the user never signs in for nothing;
- the secret is written first, then the account row; if the row fails, the previous secret
  (or none) is put back. Adding an account that exists replaces its secret (re-authentication)
  and keeps its label, colour and position;
- removing deletes the secret first, then the row (a row without secret shows up as "session
  expired" and can be removed again; a secret without row would be a hidden credential).

One keychain per profile: secrets are namespaced by the profile's id (``store.keychain``). At
start, entries written before namespacing are copied into this profile's namespace once
(``_migrate_keychain``); the old shared entry stays for the other profiles that may still need
it, until an account removal here finds it holds the very secret just revoked.

Blocking and thread-safe: the GUI calls it from worker threads, the CLI directly.
"""

from __future__ import annotations

import builtins
import logging
import secrets
import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol, runtime_checkable
from urllib.parse import parse_qs, urlsplit

from paris_desk import channels
from paris_desk.core.channel import Channel
from paris_desk.core.colors import next_color
from paris_desk.core.errors import (
    AuthExpired,
    BadCredentials,
    ChannelError,
    KeychainError,
    UnknownAccount,
)
from paris_desk.core.model import Account, Network
from paris_desk.services import safe_fetch
from paris_desk.store.accounts import AccountStore
from paris_desk.store.db import Database
from paris_desk.store.keychain import (
    Keychain,
    account_key,
    app_key,
    profile_namespace,
    read_namespace_state,
    write_namespace_state,
)
from paris_desk.store.profile import Profile
from paris_desk.store.redaction import register_secret

if TYPE_CHECKING:
    from paris_desk.channels.mastodon import AppCredentials, AuthRequest
    from paris_desk.services.loopback import LoopbackCatcher

log = logging.getLogger(__name__)


@runtime_checkable
class SupportsSignOut(Protocol):
    """An adapter that can invalidate its session or token on the server."""

    def sign_out(self) -> None: ...


class AmbiguousAccount(UnknownAccount):
    """A handle suffix that names several accounts."""

    def __init__(self, ref: str, matches: Sequence[str]) -> None:
        super().__init__(f"{ref!r} matches {', '.join(matches)}")
        self.ref = ref
        self.matches = tuple(matches)


class MastodonOAuth:
    """One browser sign-in in progress (from ``AccountService.begin_mastodon_oauth``).

    Open ``url`` in the browser; ``wait_for_code`` returns the code the browser brought back
    to the loopback catcher (``None`` on timeout), or the user pastes it; ``finish(code)``
    exchanges it and saves the account. ``cancel()`` (or leaving a ``with`` block) stops
    listening. An app registered for this attempt is kept only if the account gets saved.
    """

    def __init__(
        self,
        service: AccountService,
        base_url: str,
        app: AppCredentials,
        new_app: bool,
        auth: AuthRequest,
        catcher: LoopbackCatcher,
    ) -> None:
        self.base_url = base_url
        self.url = auth.url
        self._service = service
        self._app = app
        self._new_app = new_app
        self._auth = auth
        self._catcher = catcher
        self._closed = False

    def wait_for_code(self, timeout: float) -> str | None:
        """The code from the browser redirect, once its ``state`` matched; None on timeout."""
        caught = self._catcher.wait(timeout)
        if caught is None:
            if self._catcher.error:  # the user clicked "deny", or the server refused
                raise BadCredentials(
                    f"authorisation refused ({self._catcher.error})",
                    network=Network.MASTODON.value,
                )
            return None
        code, state = caught
        self._check_state(state)
        return code

    def code_from_pasted(self, text: str) -> str:
        """The code from what the user pasted: the bare code, or the whole redirect address
        (whose ``state`` is then checked)."""
        text = text.strip()
        if "code=" not in text:
            return text
        query = parse_qs(urlsplit(text).query or text.split("?", 1)[-1])
        if "state" in query:
            self._check_state(query["state"][0])
        return query.get("code", [""])[0]

    def _check_state(self, state: str) -> None:
        if not secrets.compare_digest(state.encode(), self._auth.state.encode()):
            raise BadCredentials("OAuth state mismatch", network=Network.MASTODON.value)

    def finish(self, code: str, label: str = "", color: str = "") -> Account:
        from paris_desk.channels import mastodon

        try:
            try:
                token = mastodon.exchange_code(self.base_url, self._app, self._auth, code.strip())
            except BadCredentials:
                if not self._new_app:  # the stored app may be gone: register anew next time
                    self._service.forget_mastodon_app(self.base_url)
                raise
            return self._service.finish_mastodon(
                self.base_url, self._app, self._new_app, token, label=label, color=color
            )
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Stop listening for the browser (idempotent)."""
        if not self._closed:
            self._closed = True
            self._catcher.close()

    def __enter__(self) -> MastodonOAuth:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()


class AccountService:
    """``channel_timeout``: seconds per HTTP request of the channels it builds (None: each
    adapter's default)."""

    def __init__(
        self,
        profile: Profile,
        keychain: Keychain | None = None,
        *,
        database: Database | None = None,
        channel_timeout: float | None = None,
    ) -> None:
        self.profile = profile.ensure()
        self.channel_timeout = channel_timeout
        self._keychain = keychain or Keychain(
            profile.keychain_service, profile_namespace(self.profile.root)
        )
        self._owns_db = database is None
        self.db = database or Database(profile.db_path)
        self._store = AccountStore(self.db)
        self._lock = threading.Lock()
        self._channel_locks: dict[str, threading.Lock] = {}
        self._channels: dict[str, Channel] = {}
        self._keychain_lock = threading.Lock()
        self._keychain_ready = False  # migrated on first use (see ``keychain``)
        self._trust_own_servers()

    @property
    def keychain(self) -> Keychain:
        """The profile's keychain, its pre-namespace entries moved in on first use
        (``_migrate_keychain``) rather than at start: the window's first paint of the cached
        timeline needs no secret, and finding the keychain's backend costs 50 to 150 ms."""
        if not self._keychain_ready:
            with self._keychain_lock:
                if not self._keychain_ready:
                    self._keychain_ready = True  # before: the migration uses this property
                    self._migrate_keychain()
        return self._keychain

    def close(self) -> None:
        with self._lock:
            self._channels.clear()
        safe_fetch.trust_origins(self._trust_owner, [])
        if self._owns_db:
            self.db.close()

    # -- reading ---------------------------------------------------------------------------

    def list(self) -> list[Account]:
        return self._store.list()

    def get(self, account_id: str) -> Account:
        return self._store.get(account_id)

    def resolve(self, ref: str) -> Account:
        """An account by id (``mastodon:@ville@paris.social``), by a unique suffix of its
        handle (``ville@paris.social``, ``paris.social``, ``ville.bsky.social``) or by its user
        part (``ville``). Several matches: ``AmbiguousAccount``; none: ``UnknownAccount``."""
        accounts = self.list()
        wanted = ref.strip().lower()
        for account in accounts:
            if account.id.lower() == wanted:
                return account
        suffix = wanted.lstrip("@")
        matches = [a for a in accounts if suffix and _names(a, suffix)]
        exact = [a for a in matches if a.handle.lower().lstrip("@") == suffix]
        if len(exact) == 1:
            return exact[0]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise AmbiguousAccount(ref, [a.id for a in matches])
        raise UnknownAccount(ref)

    # -- adding ----------------------------------------------------------------------------

    def add_mastodon_token(
        self, instance: str, token: str, label: str = "", color: str = ""
    ) -> Account:
        """Add (or re-authenticate) a Mastodon account from an access token."""
        from paris_desk.channels import mastodon

        register_secret(token)
        self._check_keychain()
        base_url = mastodon.normalize_instance(instance)
        account = mastodon.account_from_token(base_url, token)
        return self._save(account, token, label=label, color=color)

    def begin_mastodon_oauth(self, instance: str) -> MastodonOAuth:
        """Start the browser sign-in: open ``.url``, then ``wait_for_code`` and ``finish``."""
        from paris_desk.channels import mastodon
        from paris_desk.services.loopback import LoopbackCatcher

        self._check_keychain()
        base_url = mastodon.normalize_instance(instance)
        stored = self.keychain.get(app_key(base_url))
        catcher = LoopbackCatcher()
        try:
            if stored is not None:
                app, new_app = mastodon.AppCredentials.from_secret(stored), False
            else:
                app, new_app = mastodon.register_app(base_url, catcher.redirect_uri), True
                register_secret(app.to_secret())
            auth = mastodon.authorization_request(
                base_url, app, catcher.redirect_uri, force_login=True
            )
        except BaseException:
            catcher.close()
            raise
        return MastodonOAuth(self, base_url, app, new_app, auth, catcher)

    def add_bluesky(
        self,
        identifier: str,
        password: str,
        service: str | None = None,
        auth_factor_token: str | None = None,
        label: str = "",
        color: str = "",
    ) -> Account:
        """Sign in with an app password (2FA: ``AuthFactorRequired``, then retry with the
        e-mailed code as ``auth_factor_token``)."""
        from paris_desk.channels import bluesky

        register_secret(password)
        self._check_keychain()
        account, secret = bluesky.login(
            identifier, password, service=service, auth_factor_token=auth_factor_token
        )
        register_secret(secret)
        return self._save(account, secret, label=label, color=color)

    def finish_mastodon(
        self,
        base_url: str,
        app: AppCredentials,
        new_app: bool,
        token: str,
        label: str = "",
        color: str = "",
    ) -> Account:
        """The end of ``MastodonOAuth.finish``: who the token is, then save app and account."""
        from paris_desk.channels import mastodon

        register_secret(token)
        account = mastodon.account_from_token(base_url, token)
        if not new_app:
            return self._save(account, token, label=label, color=color)
        key = app_key(base_url)
        self.keychain.set(key, app.to_secret())
        try:
            return self._save(account, token, label=label, color=color)
        except BaseException:
            self._roll_back(key, None)
            raise

    def forget_mastodon_app(self, base_url: str) -> None:
        self._roll_back(app_key(base_url), None)

    # -- changing --------------------------------------------------------------------------

    def update(
        self, account_id: str, *, label: str | None = None, color: str | None = None
    ) -> Account:
        account = self._store.get(account_id)
        changed = replace(
            account,
            label=account.label if label is None else label,
            color=account.color if color is None else color,
        )
        return self._store.upsert(changed)

    def reorder(self, ids: Sequence[str]) -> builtins.list[Account]:
        return self._store.reorder(ids)

    def remove(self, account_id: str) -> None:
        """Sign out (best effort), delete the secret, then the row and its cached posts.
        A locked keychain fails before the sign-out, so no account is left with a dead token."""
        account = self._store.get(account_id)
        self.keychain.verify_access()
        self._sign_out(account)
        key = account_key(account.id)
        secret = self.keychain.get(key)
        self.keychain.delete(key)
        if secret is not None and self.keychain.get_legacy(key) == secret:
            self.keychain.delete_legacy(key)  # the pre-namespace copy of the secret just revoked
        self._store.remove(account.id)
        with self._lock:
            self._channels.pop(account.id, None)
        self._trust_own_servers()
        log.info("removed account %s", account.handle)

    # -- channels --------------------------------------------------------------------------

    def channel(self, account_id: str) -> Channel:
        """The adapter of ``account_id``, restored from its keychain secret once, then cached.

        No secret in the keychain → ``AuthExpired`` (the user must sign in again).
        """
        with self._lock:
            cached = self._channels.get(account_id)
            if cached is not None:
                return cached
            lock = self._channel_locks.setdefault(account_id, threading.Lock())
        with lock:  # one restore per account; other accounts restore in parallel
            with self._lock:
                cached = self._channels.get(account_id)
            if cached is not None:
                return cached
            account = self._store.get(account_id)
            channel = self._restore(account)
            with self._lock:
                self._channels[account_id] = channel
            return channel

    # -- internals -------------------------------------------------------------------------

    def _restore(self, account: Account) -> Channel:
        key = account_key(account.id)
        secret = self.keychain.get(key)
        if secret is None:
            raise AuthExpired(
                "no credentials in the keychain",
                account_id=account.id,
                network=account.network.value,
            )

        def save_secret(new_secret: str) -> None:
            register_secret(new_secret)
            self.keychain.set(key, new_secret)

        app_secret = None
        if account.network is Network.MASTODON:  # the OAuth app, to revoke the token at sign-out
            app_secret = self.keychain.get(app_key(account.base_url))
        return channels.restore(
            account, secret, save_secret, timeout=self.channel_timeout, app_secret=app_secret
        )

    @property
    def _trust_owner(self) -> str:
        return f"accounts:{id(self)}"

    def _trust_own_servers(self) -> None:
        """The servers of this profile's accounts stay reachable for ``safe_fetch`` (link cards,
        images) whatever their address: the sandbox and the tests run on 127.0.0.1."""
        safe_fetch.trust_origins(self._trust_owner, [a.base_url for a in self._store.list()])

    def _migrate_keychain(self) -> None:
        """Copy this profile's pre-namespace keychain entries into its namespace, once.

        Nothing to do (no account) costs no keychain access. A keychain that refuses (locked,
        absent) leaves the migration for the next start; the accounts then say "sign in again".
        """
        if not self.keychain.namespace:
            return
        root = self.profile.root
        state = read_namespace_state(root)
        if state.get("migrated"):
            return
        accounts = self._store.list()
        keys = [account_key(a.id) for a in accounts]
        keys += sorted({app_key(a.base_url) for a in accounts if a.network is Network.MASTODON})
        try:
            for key in keys:
                if self.keychain.get(key) is not None:
                    continue
                legacy = self.keychain.get_legacy(key)
                if legacy is not None:
                    self.keychain.set(key, legacy)
                    log.info("keychain: %s moved into this profile's namespace", key)
        except KeychainError as exc:
            log.warning("keychain: migration postponed (%s)", type(exc).__name__)
            return
        write_namespace_state(root, {**read_namespace_state(root), "migrated": True})

    def _check_keychain(self) -> None:
        self.keychain.check()
        self.keychain.verify_access()

    def _save(self, account: Account, secret: str, *, label: str, color: str) -> Account:
        existing = self._store.find(account.id)
        if existing is not None:
            label = label or existing.label
            color = color or existing.color
        else:  # a new account (from the CLI too) wears a colour no other one does
            color = color or next_color(a.color for a in self._store.list())
        account = replace(account, label=label, color=color or account.color)
        key = account_key(account.id)
        previous = self.keychain.get(key)
        self.keychain.set(key, secret)
        try:
            saved = self._store.upsert(account)
        except BaseException:
            self._roll_back(key, previous)
            raise
        with self._lock:
            self._channels.pop(account.id, None)  # re-authenticated: restore with the new secret
        self._trust_own_servers()
        log.info("%s account %s", "re-authenticated" if existing else "added", account.handle)
        return saved

    def _roll_back(self, key: str, previous: str | None) -> None:
        """Put back the keychain entry as it was (absent when ``previous`` is None)."""
        try:
            if previous is None:
                self.keychain.delete(key)
            else:
                self.keychain.set(key, previous)
        except KeychainError:
            log.exception("could not roll back keychain entry %s", key)

    def _sign_out(self, account: Account) -> None:
        """Invalidate the session on the server, if the adapter can; never blocks removal."""
        try:
            channel = self.channel(account.id)
        except (ChannelError, KeychainError) as exc:
            log.info("not signing out %s: %s", account.handle, type(exc).__name__)
            return
        if not isinstance(channel, SupportsSignOut):
            return
        try:
            channel.sign_out()
        except ChannelError as exc:
            log.info(
                "sign-out of %s failed (%s); removing anyway", account.handle, type(exc).__name__
            )


def _names(account: Account, text: str) -> bool:
    """``text`` ends the handle (``paris.social``, ``ville@paris.social``) or is its user part
    (``ville`` for ``@ville@paris.social`` and for ``ville.bsky.social``)."""
    handle = account.handle.lower().lstrip("@")
    user = handle.split("@")[0] if "@" in handle else handle.split(".")[0]
    return handle.endswith(text) or user == text
