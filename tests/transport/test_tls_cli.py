"""``paris-desk`` against a Mastodon server behind TLS signed by a city's own root CA.

The root is trusted the way a workstation trusts it, through the OS trust store (here
OpenSSL's ``SSL_CERT_FILE``), with no ``REQUESTS_CA_BUNDLE``: requests alone would use certifi
and refuse the server (issue 19). Untrusted, expired or misnamed, the message says which.
"""

from __future__ import annotations

import json
from typing import Any

from tls_rig import CA_NAME

HELP = (
    "Si votre service informatique utilise son propre certificat, il doit être installé "
    "dans le magasin de certificats du système."
)


def plain(text: str) -> str:
    """The window's French typography (no-break spaces, curly apostrophes) made plain: the
    CLI prints the window's sentences."""
    return text.replace("\u00a0", " ").replace("\u2019", "'")


def add_account(paris_desk: Any, base_url: str, token: str, env: dict[str, str]) -> Any:
    return paris_desk(
        "account", "add", "mastodon", "--instance", base_url, "--token-stdin",
        env=env, stdin=token + "\n",
    )  # fmt: skip


def test_trusted_through_the_system_store_the_account_is_added_and_read(
    paris_desk: Any, pki: Any, tls_front: Any, mastodon_sandbox: Any
) -> None:
    env = {"SSL_CERT_FILE": str(pki.ca)}
    token = mastodon_sandbox.accounts[0]["access_token"]

    added = add_account(paris_desk, tls_front.base_url, token, env)
    read = paris_desk("timeline", "--limit", "5", "--json", env=env)

    assert added.code == 0, added.err
    assert added.out.startswith("Compte ajouté : mastodon:@")
    assert read.code == 0, read.err
    posts = json.loads(read.out)
    assert posts and all(p["network"] == "mastodon" for p in posts)
    assert tls_front.handshakes >= 2  # both commands went through the TLS front
    assert token not in added.out + added.err + read.out + read.err


def test_untrusted_root_names_the_problem_and_the_issuer(
    paris_desk: Any, tls_front: Any, mastodon_sandbox: Any
) -> None:
    token = mastodon_sandbox.accounts[0]["access_token"]

    added = add_account(paris_desk, tls_front.base_url, token, env={})

    assert (added.code, added.out) == (1, "")
    assert plain(added.err).startswith(
        f"Erreur : Le certificat du serveur n'est pas reconnu (autorité inconnue : {CA_NAME})"
    )
    assert "127.0.0.1" in added.err and HELP in plain(added.err)
    assert "injoignable" not in added.err
    listed = paris_desk("account", "list", "--json", env={})
    assert json.loads(listed.out) == []  # nothing was added


def test_an_expired_certificate_says_so_with_its_date(
    paris_desk: Any, pki: Any, front_for: Any, mastodon_sandbox: Any
) -> None:
    front = front_for("expired")
    token = mastodon_sandbox.accounts[0]["access_token"]

    added = add_account(paris_desk, front.base_url, token, {"SSL_CERT_FILE": str(pki.ca)})

    assert added.code == 1
    assert plain(added.err).startswith(
        "Erreur : Le certificat du serveur a expiré (valable jusqu'au ")
    assert "renouveler" in added.err


def test_a_certificate_for_another_name_says_which_name(
    paris_desk: Any, pki: Any, front_for: Any, mastodon_sandbox: Any
) -> None:
    front = front_for("wrong_name")
    token = mastodon_sandbox.accounts[0]["access_token"]

    added = add_account(paris_desk, front.base_url, token, {"SSL_CERT_FILE": str(pki.ca)})

    assert added.code == 1
    assert plain(added.err).startswith(
        "Erreur : Le certificat du serveur ne correspond pas à son adresse "
        "(il est fait pour : intranet.ville.test)"
    )


def test_version_verbose_reports_the_trust_source_and_the_proxy_without_credentials(
    paris_desk: Any,
) -> None:
    env = {"HTTPS_PROXY": "http://agent:s3cret@proxy.ville.test:3128", "NO_PROXY": "localhost"}

    shown = paris_desk("--version", "--verbose", env=env)

    assert shown.code == 0, shown.err
    assert "Certificats : magasin de certificats du système (truststore " in shown.out
    assert (
        "Proxy HTTPS : http://proxy.ville.test:3128 (variables d'environnement)" in shown.out
    )
    assert "Sans proxy pour : localhost" in shown.out
    assert "s3cret" not in shown.out and "agent" not in shown.out
