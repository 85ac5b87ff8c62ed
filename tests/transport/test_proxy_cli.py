"""``paris-desk`` through the workstation's HTTP CONNECT proxy (``HTTPS_PROXY``), on loopback.

What happens for 127.0.0.1 (checked here, requests 2.34 / httpx 0.28 / urllib, Linux): nothing
exempts loopback by default. With ``HTTPS_PROXY`` set and ``NO_PROXY`` unset, or listing other
hosts, ``https://127.0.0.1:PORT`` goes through the proxy; listed in ``NO_PROXY``, it goes direct.
(On Windows and macOS, requests and urllib also apply the system's bypass list, which usually
holds "<local>"; httpx reads only ``NO_PROXY``.)
"""

from __future__ import annotations

import json
from typing import Any

import pytest


def plain(text: str) -> str:
    """The window's French typography (no-break spaces, curly apostrophes) made plain: the
    CLI prints the window's sentences."""
    return text.replace("\u00a0", " ").replace("\u2019", "'")


def add_mastodon(paris_desk: Any, front: Any, sandbox: Any, env: dict[str, str]) -> Any:
    return paris_desk(
        "account", "add", "mastodon", "--instance", front.base_url, "--token-stdin",
        env=env, stdin=sandbox.accounts[0]["access_token"] + "\n",
    )  # fmt: skip


@pytest.mark.parametrize("no_proxy", [None, "intranet.ville.test,localhost"])
def test_the_proxy_carries_the_traffic_unless_the_host_is_listed_in_no_proxy(
    paris_desk: Any, pki: Any, tls_front: Any, mastodon_sandbox: Any, proxy: Any,
    no_proxy: str | None,
) -> None:
    env = {"SSL_CERT_FILE": str(pki.ca), "HTTPS_PROXY": proxy.url}
    if no_proxy is not None:
        env["NO_PROXY"] = no_proxy

    added = add_mastodon(paris_desk, tls_front, mastodon_sandbox, env)
    read = paris_desk("timeline", "--limit", "3", "--json", env=env)

    assert added.code == 0, added.err
    assert read.code == 0, read.err
    assert json.loads(read.out)
    target = f"127.0.0.1:{tls_front.port}"
    assert proxy.tunnels and set(proxy.tunnels) == {target}
    assert len(proxy.tunnels) >= 2  # add, then timeline


def test_no_proxy_listing_the_host_goes_direct(
    paris_desk: Any, pki: Any, tls_front: Any, mastodon_sandbox: Any, proxy: Any
) -> None:
    env = {"SSL_CERT_FILE": str(pki.ca), "HTTPS_PROXY": proxy.url, "NO_PROXY": "127.0.0.1"}

    added = add_mastodon(paris_desk, tls_front, mastodon_sandbox, env)

    assert added.code == 0, added.err
    assert proxy.requests == []
    assert tls_front.handshakes >= 1


def test_a_proxy_asking_for_credentials_gets_a_clear_message(
    paris_desk: Any, pki: Any, tls_front: Any, mastodon_sandbox: Any, proxy_407: Any
) -> None:
    env = {"SSL_CERT_FILE": str(pki.ca), "HTTPS_PROXY": proxy_407.url}

    added = add_mastodon(paris_desk, tls_front, mastodon_sandbox, env)

    assert (added.code, added.out) == (1, "")
    assert plain(added.err).startswith(
        f"Erreur : Le proxy {proxy_407.url} exige une identification (407)"
    )
    assert [r.rsplit(" ", 1)[0] for r in proxy_407.requests] == [
        f"CONNECT 127.0.0.1:{tls_front.port}"
    ]
    assert tls_front.handshakes == 0  # nothing reached the server


def test_the_proxy_password_never_shows_in_the_message(
    paris_desk: Any, pki: Any, tls_front: Any, mastodon_sandbox: Any, proxy_407: Any
) -> None:
    with_password = proxy_407.url.replace("http://", "http://agent:s3cret@")
    env = {"SSL_CERT_FILE": str(pki.ca), "HTTPS_PROXY": with_password}

    added = add_mastodon(paris_desk, tls_front, mastodon_sandbox, env)

    assert added.code == 1
    assert f"Le proxy {proxy_407.url} exige une identification (407)" in plain(added.err)
    assert "s3cret" not in added.err and "agent" not in added.err


def test_a_proxy_that_does_not_answer_is_named(
    paris_desk: Any, pki: Any, tls_front: Any, mastodon_sandbox: Any
) -> None:
    from tls_rig import ConnectProxy

    with ConnectProxy() as gone:
        url = gone.url
    env = {"SSL_CERT_FILE": str(pki.ca), "HTTPS_PROXY": url}

    added = add_mastodon(paris_desk, tls_front, mastodon_sandbox, env)

    assert added.code == 1
    assert plain(added.err).startswith(f"Erreur : Le proxy {url} ne répond pas")
    assert "injoignable" not in added.err


def test_bluesky_sign_in_through_the_proxy_and_tls(
    paris_desk: Any, pki: Any, bluesky_sandbox: Any, proxy: Any
) -> None:
    from tls_rig import TlsFront

    port = int(bluesky_sandbox.base_url.rsplit(":", 1)[1])
    who = bluesky_sandbox.accounts[0]
    with TlsFront(port, pki.good) as front:
        env = {"SSL_CERT_FILE": str(pki.ca), "HTTPS_PROXY": proxy.url}
        added = paris_desk(
            "account", "add", "bluesky", "--handle", who["handle"],
            "--service", front.base_url, "--password-stdin",
            env=env, stdin=who["password"] + "\n",
        )  # fmt: skip

    assert added.code == 0, added.err
    assert f"127.0.0.1:{front.port}" in proxy.tunnels


def _save_proxy_preference(profile_dir: Any, mode: str, url: str = "") -> None:
    """As Préférences › Réseau does: the window's own Settings writes settings.ini."""
    from paris_desk.ui.settings.prefs import ProxyMode, Settings

    settings = Settings.open(profile_dir)
    settings.set_proxy(ProxyMode(mode), url)
    settings._qs.sync()  # written at once on disk (QSettings syncs on its own later)


def test_the_command_line_follows_no_proxy_chosen_in_the_window(
    qapp: Any, paris_desk: Any, pki: Any, tls_front: Any, mastodon_sandbox: Any, proxy: Any,
    profile_dir: Any,
) -> None:
    _save_proxy_preference(profile_dir, "none")
    env = {"SSL_CERT_FILE": str(pki.ca), "HTTPS_PROXY": proxy.url}

    added = add_mastodon(paris_desk, tls_front, mastodon_sandbox, env)

    assert added.code == 0, added.err
    assert proxy.requests == []  # HTTPS_PROXY overridden by the preference: direct


def test_version_verbose_shows_the_window_s_manual_proxy(
    qapp: Any, paris_desk: Any, profile_dir: Any
) -> None:
    _save_proxy_preference(profile_dir, "manual", "relais.ville.test:8080")

    shown = paris_desk("--version", "--verbose", env={"HTTPS_PROXY": "http://env.test:3128"})

    assert shown.code == 0, shown.err
    assert "Proxy HTTPS : http://relais.ville.test:8080 (préférences de paris_desk)" in shown.out
    assert "Sans proxy pour : localhost,127.0.0.1,::1" in shown.out
