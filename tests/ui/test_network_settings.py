"""Préférences › Réseau: the proxy in use and a choice over the system's; the window's French
sentences for a refused certificate or proxy (issue 19). No setting turns certificate checks off.
French typography: a no-break space (\u00a0) before ":" and ";", as in the rest of the catalogue.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from paris_desk.channels import transport
from paris_desk.core.errors import CertificateError, ProxyRefused, ProxyUnreachable
from paris_desk.ui.errors import describe
from paris_desk.ui.settings.dialog import SettingsDialog
from paris_desk.ui.settings.prefs import ProxyMode, Settings
from paris_desk.ui.settings.wiring import follow_proxy

HELP = (
    "Si votre service informatique utilise son propre certificat, il doit être installé dans "
    "le magasin de certificats du système."
)


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("https_proxy", "http_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    yield
    transport.apply_proxy_setting(ProxyMode.SYSTEM)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.open(tmp_path)


def test_certificate_sentences_in_french(french: object) -> None:
    unknown = CertificateError(
        "x", kind=CertificateError.UNKNOWN_AUTHORITY, host="mastodon.ville.test",
        issuer="Ville Test Root CA",
    )  # fmt: skip
    expired = CertificateError(
        "x", kind=CertificateError.EXPIRED, host="h.test", not_after="2026-11-30"
    )
    misnamed = CertificateError(
        "x", kind=CertificateError.WRONG_NAME, host="h.test", names=("intranet.ville.test",)
    )

    assert describe(unknown, signing_in=True) == (
        "Le certificat du serveur n'est pas reconnu "
        "(autorité inconnue\u00a0: Ville Test Root CA)\u00a0; "
        "paris_desk a refusé la connexion à mastodon.ville.test. " + HELP
    )
    assert describe(expired).startswith(
        "Le certificat du serveur a expiré (valable jusqu'au 30/11/2026)\u00a0;"
    )
    assert describe(misnamed).startswith(
        "Le certificat du serveur ne correspond pas à son adresse "
        "(il est fait pour\u00a0: intranet.ville.test)\u00a0;"
    )
    assert describe(CertificateError("stored reason only")).endswith(HELP)  # from the outbox


def test_proxy_sentences_in_french(french: object) -> None:
    asked = ProxyRefused("x", status=407, proxy="http://proxy.ville.test:3128")
    assert describe(asked).startswith(
        "Le proxy http://proxy.ville.test:3128 exige une identification (407)\u00a0:"
    )
    assert describe(ProxyUnreachable("x", proxy="http://p.test:3128")) == (
        "Le proxy http://p.test:3128 ne répond pas\u00a0: vérifiez la connexion et le réglage du "
        "proxy (Préférences › Réseau), puis recommencez."
    )
    assert describe(ProxyRefused("x", status=502, proxy="http://p.test:3128")).startswith(
        "Le proxy http://p.test:3128 n'a pas pu joindre le serveur (502)"
    )
    assert describe(ProxyRefused("x", status=403, proxy="http://p.test:3128")) == (
        "Le proxy http://p.test:3128 a refusé la connexion (403)\u00a0: demandez à votre service "
        "informatique d'autoriser ce serveur."
    )


def test_the_dialog_shows_the_proxy_in_use_and_saves_a_manual_one(
    qtbot: QtBot, french: object, settings: Settings, no_proxy_env: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://agent:s3cret@proxy.ville.test:3128")
    follow_proxy(settings)
    dialog = SettingsDialog(settings, [])
    qtbot.addWidget(dialog)

    assert dialog.proxy_in_use.text() == (
        "http://proxy.ville.test:3128 (variables d'environnement)"
    )
    assert dialog.proxy_mode.currentText() == "Utiliser les réglages du système"
    assert not dialog.proxy_url.isEnabled()

    dialog.proxy_mode.setCurrentIndex(dialog.proxy_mode.findData(ProxyMode.MANUAL.value))
    dialog.proxy_url.setText("agent:pw@relais.ville.test:8080")  # credentials: refused
    dialog.accept()
    assert dialog.result() == 0  # still open
    assert dialog.proxy_notice.text().startswith("Indiquez le proxy sous la forme hôte:port")
    assert settings.proxy_mode is ProxyMode.SYSTEM

    dialog.proxy_url.setText("relais.ville.test:8080")
    dialog.accept()

    assert (settings.proxy_mode, settings.proxy_url) == (
        ProxyMode.MANUAL, "http://relais.ville.test:8080"
    )
    assert transport.proxy_for("https://mastodon.ville.test/") == "http://relais.ville.test:8080"
    assert transport.proxy_info().origin is transport.ProxyOrigin.PREFERENCES
    assert "relais.ville.test" in Path(settings.path).read_text(encoding="utf-8")

    settings.set_proxy(ProxyMode.SYSTEM, settings.proxy_url)  # back: the environment's again
    assert transport.proxy_for("https://mastodon.ville.test/") == (
        "http://agent:s3cret@proxy.ville.test:3128"
    )


def test_no_proxy_in_the_preferences_goes_direct(
    settings: Settings, no_proxy_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.ville.test:3128")
    follow_proxy(settings)
    settings.set_proxy(ProxyMode.NONE)

    assert transport.proxy_for("https://mastodon.ville.test/") == ""
    assert transport.proxy_info().url == ""


def test_a_proxy_password_is_never_saved(settings: Settings) -> None:
    with pytest.raises(ValueError, match="credentials"):
        settings.set_proxy(ProxyMode.MANUAL, "http://agent:pw@relais.ville.test:8080")
    assert not Settings.check_proxy_url("relais.ville.test")  # no port
    assert Settings.check_proxy_url("relais.ville.test:8080")
