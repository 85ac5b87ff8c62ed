"""``paris-desk --version --verbose``: what the help desk asks first, in French.

Which certificates are trusted (the system store, or certifi as a fallback), which proxy the
HTTPS connections go through (never its credentials), and the versions of the network
libraries. The window's Aide → Copier le diagnostic says the same.
"""

from __future__ import annotations

import platform
import sys
from importlib import metadata
from typing import TextIO

from paris_desk.channels import transport
from paris_desk.cli.network import apply_saved_proxy

_TRUST = {
    transport.TrustSource.SYSTEM: "magasin de certificats du système",
    transport.TrustSource.CERTIFI: "certifi (repli : le magasin du système n'est pas lu)",
}
_ORIGIN = {
    transport.ProxyOrigin.NONE: "aucun, connexion directe",
    transport.ProxyOrigin.ENVIRONMENT: "variables d'environnement",
    transport.ProxyOrigin.SYSTEM: "réglages du système",
    transport.ProxyOrigin.PREFERENCES: "préférences de paris_desk",
}
_LIBRARIES = ("Mastodon.py", "atproto", "requests", "httpx", "truststore", "certifi")


def environment_lines() -> list[str]:
    info = transport.proxy_info()
    proxy = f"{info.url} ({_ORIGIN[info.origin]})" if info.url else _ORIGIN[info.origin]
    lines = [
        f"Python {platform.python_version()} ({platform.platform(terse=True)})",
        f"Certificats : {_TRUST[transport.trust_source()]} ({transport.trust_detail()})",
        f"Proxy HTTPS : {proxy}",
    ]
    if info.url and info.bypass:
        lines.append(f"Sans proxy pour : {info.bypass}")
    lines.append("Bibliothèques : " + ", ".join(_versions()))
    return lines


def print_environment(out: TextIO = sys.stdout) -> None:
    apply_saved_proxy()  # as a command would: the window's choice, if any
    for line in environment_lines():
        print(line, file=out)


def _versions() -> list[str]:
    found = []
    for name in _LIBRARIES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} absent")
    return found
