"""Network adapters, one module per network, imported lazily (``import atproto`` costs ~0.45 s).

To add a network: write ``channels/<name>.py`` with a ``restore(account, secret, save_secret)``
function returning a ``Channel``, add its ``Network`` member, and one line below.
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


def restore(account: Account, secret: str, save_secret: SecretSaver) -> Channel:
    """Build the adapter of ``account`` from its keychain secret."""
    channel: Channel = adapter_module(account.network).restore(account, secret, save_secret)
    return channel
