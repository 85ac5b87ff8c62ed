"""The proxy chosen in the window (Préférences › Réseau) applies to the command line as well.

The window keeps it in the real profile's ``settings.ini`` (QSettings, INI format; the sandbox
mode shares it): ``[network]`` ``proxy_mode`` (system, none, manual) and ``proxy_url``, the keys
of ``ui/settings/prefs.py`` (tests/cli/test_cli_network.py writes them with the window's own
``Settings``). The command line reads those two keys without Qt. A missing or unreadable file,
or a value it does not know, leaves the system's proxy, as the window does.
"""

from __future__ import annotations

import configparser
import logging

from paris_desk.channels import transport
from paris_desk.services.api import Profile

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.ini"  # ui/settings/prefs.py FILE_NAME
SECTION, MODE, URL = "network", "proxy_mode", "proxy_url"  # prefs.py PROXY_MODE_KEY, PROXY_URL_KEY


def apply_saved_proxy(profile: Profile | None = None) -> transport.ProxyMode:
    """Apply the window's proxy choice to this process; returns the mode applied."""
    path = (profile or Profile.default()).root / SETTINGS_FILE
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
        mode = transport.ProxyMode(parser.get(SECTION, MODE, fallback="system"))
        url = parser.get(SECTION, URL, fallback="")
    except (OSError, UnicodeError, ValueError, configparser.Error) as exc:
        log.warning("proxy preference unreadable (%s): the system's proxy applies", exc)
        return transport.ProxyMode.SYSTEM
    if mode is transport.ProxyMode.MANUAL and not url:
        return transport.ProxyMode.SYSTEM
    if mode is not transport.ProxyMode.SYSTEM:
        transport.apply_proxy_setting(mode, url)
    return mode
