"""Network adapters, one module per network, imported lazily (``import mastodon`` ~0.1 s).

An adapter keeps its SDK off the read path when the SDK is heavy: the Bluesky one reads with
plain XRPC and imports atproto (~0.45 s, ~50 MiB) only to sign in and write.

To add a network: write one package ``channels/<name>/`` (as ``mastodon/`` and ``bluesky/``:
the SDK calls, the converters to ``core`` dataclasses, one ``_translate`` of the SDK's errors)
whose ``__init__`` exports ``restore(account, secret, save_secret, *, timeout=...)`` returning
a ``Channel``, and its sign-in functions (each network signs in its own way: Mastodon's OAuth,
Bluesky's app password; ``services/accounts.py`` calls them); implement the capability
protocols of ``core.channel`` it supports (``SupportsModeration``…); add its ``Network`` member
and one line to ``_MODULES`` below. Nothing above the channels names a network's SDK.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from paris_desk.core.channel import Channel, SecretSaver
from paris_desk.core.model import Account, Network

_MODULES: dict[Network, str] = {
    Network.MASTODON: "paris_desk.channels.mastodon",
    Network.BLUESKY: "paris_desk.channels.bluesky",
}


def adapter_module(network: Network) -> ModuleType:
    return importlib.import_module(_MODULES[network])


def restore(
    account: Account,
    secret: str,
    save_secret: SecretSaver,
    *,
    timeout: float | None = None,
    app_secret: str | None = None,
) -> Channel:
    """Build the adapter of ``account`` from its keychain secret.

    ``timeout``: seconds per HTTP request (None: the adapter's default). ``app_secret``: the
    keychain secret of the app registered on the account's server, for networks that register
    one (Mastodon's OAuth app, needed to revoke the token at sign-out); leave it None elsewhere.
    """
    options: dict[str, object] = {}
    if timeout is not None:
        options["timeout"] = timeout
    if app_secret is not None:
        options["app_secret"] = app_secret
    module = adapter_module(account.network)
    channel: Channel = module.restore(account, secret, save_secret, **options)
    return channel
