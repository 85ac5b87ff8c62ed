"""``paris-desk --version --verbose``: what the help desk asks first (French by default).

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
from paris_desk.cli.language import QT_TRANSLATE_NOOP, translate
from paris_desk.cli.network import apply_saved_proxy

_TRUST = {  # translated where shown
    transport.TrustSource.SYSTEM: QT_TRANSLATE_NOOP("cli", "the system's certificate store"),
    transport.TrustSource.CERTIFI: QT_TRANSLATE_NOOP(
        "cli", "certifi (fallback: the system's store is not read)"),
}
_ORIGIN = {
    transport.ProxyOrigin.NONE: QT_TRANSLATE_NOOP("cli", "none, direct connection"),
    transport.ProxyOrigin.ENVIRONMENT: QT_TRANSLATE_NOOP("cli", "environment variables"),
    transport.ProxyOrigin.SYSTEM: QT_TRANSLATE_NOOP("cli", "system settings"),
    transport.ProxyOrigin.PREFERENCES: QT_TRANSLATE_NOOP("cli", "paris_desk's preferences"),
}
_LIBRARIES = ("Mastodon.py", "atproto", "requests", "httpx", "truststore", "certifi")


def environment_lines() -> list[str]:
    info = transport.proxy_info()
    origin = translate("cli", _ORIGIN[info.origin])
    proxy = f"{info.url} ({origin})" if info.url else origin
    trust = translate("cli", _TRUST[transport.trust_source()])
    lines = [
        f"Python {platform.python_version()} ({platform.platform(terse=True)})",
        translate("cli", "Certificates: {source} ({detail})").format(
            source=trust, detail=transport.trust_detail()),
        translate("cli", "HTTPS proxy: {proxy}").format(proxy=proxy),
    ]
    if info.url and info.bypass:
        lines.append(translate("cli", "No proxy for: {hosts}").format(hosts=info.bypass))
    lines.append(translate("cli", "Libraries: {versions}").format(versions=", ".join(_versions())))
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
            found.append(translate("cli", "{name} missing").format(name=name))
    return found
