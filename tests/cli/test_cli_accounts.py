"""``paris-desk account …`` and the CLI's error handling, against the Bluesky sandbox."""

from __future__ import annotations

import json
from typing import Any

import keyring
import keyring.backends.fail
import pytest
from cli_run import cli


def add_bluesky(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, server: Any, n: int = 0
) -> tuple[int, str, str]:
    who = server.accounts[n]
    return cli(
        capsys,
        monkeypatch,
        "account", "add", "bluesky",
        "--handle", who["handle"],
        "--service", server.base_url,
        "--password-stdin",
        stdin=who["password"] + "\n",
    )  # fmt: skip


def test_no_accounts_yet(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli(capsys, monkeypatch, "account", "list", "--json")[:2] == (0, "[]\n")
    code, out, _ = cli(capsys, monkeypatch, "account", "list")
    assert code == 0
    assert "Aucun compte" in out


def test_add_list_remove_a_bluesky_account(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, bluesky_sandbox: Any
) -> None:
    who = bluesky_sandbox.accounts[0]

    code, out, err = add_bluesky(capsys, monkeypatch, bluesky_sandbox)
    assert (code, err) == (0, "")
    assert out == f"Compte ajouté : bluesky:{who['handle']}\n"

    code, out, _ = cli(capsys, monkeypatch, "account", "list", "--json")
    assert code == 0
    assert json.loads(out) == [
        {
            "id": f"bluesky:{who['handle']}",
            "network": "bluesky",
            "handle": who["handle"],
            "display_name": who["display_name"],
            "label": "",
            "base_url": bluesky_sandbox.base_url,
        }
    ]

    code, out, _ = cli(capsys, monkeypatch, "account", "remove", who["handle"].split(".")[0])
    assert (code, out) == (0, f"Compte retiré : bluesky:{who['handle']}\n")
    assert cli(capsys, monkeypatch, "account", "list", "--json")[1] == "[]\n"


def test_label_and_color_are_kept(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, bluesky_sandbox: Any
) -> None:
    who = bluesky_sandbox.accounts[1]
    code, _, _ = cli(
        capsys,
        monkeypatch,
        "account", "add", "bluesky", "--handle", who["handle"],
        "--service", bluesky_sandbox.base_url, "--password-stdin",
        "--label", "Culture", "--color", "#00aa00",
        stdin=who["password"],
    )  # fmt: skip
    assert code == 0

    code, out, _ = cli(capsys, monkeypatch, "account", "list")
    assert code == 0
    assert f"bluesky:{who['handle']}" in out and "« Culture »" in out


def test_email_code_is_asked_on_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, bluesky_sandbox: Any
) -> None:
    who = bluesky_sandbox.accounts[0]
    bluesky_sandbox.require_auth_factor(who["handle"], "ABCDE-12345")

    code, out, err = cli(
        capsys,
        monkeypatch,
        "account", "add", "bluesky", "--handle", who["handle"],
        "--service", bluesky_sandbox.base_url, "--password-stdin",
        stdin=f"{who['main_password']}\nABCDE-12345\n",
    )  # fmt: skip

    assert code == 0, err
    assert "code de connexion" in err
    assert out.startswith("Compte ajouté")


def test_password_is_asked_without_echo_when_not_on_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, bluesky_sandbox: Any
) -> None:
    import getpass

    who = bluesky_sandbox.accounts[0]
    prompts: list[str] = []

    def terminal(prompt: str = "Password: ", stream: object = None) -> str:
        prompts.append(prompt)
        return str(who["password"])

    monkeypatch.setattr(getpass, "getpass", terminal)  # the terminal, not our code
    code, out, err = cli(
        capsys,
        monkeypatch,
        "account", "add", "bluesky", "--handle", who["handle"],
        "--service", bluesky_sandbox.base_url,
    )  # fmt: skip

    assert code == 0, err
    assert prompts == ["Mot de passe d'application : "]
    assert who["password"] not in out + err


def test_wrong_password_is_one_french_line_and_saves_nothing(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    bluesky_sandbox: Any,
    memory_keyring: Any,
) -> None:
    code, out, err = cli(
        capsys,
        monkeypatch,
        "account", "add", "bluesky", "--handle", bluesky_sandbox.accounts[0]["handle"],
        "--service", bluesky_sandbox.base_url, "--password-stdin",
        stdin="mauvais-mot-de-passe\n",
    )  # fmt: skip

    assert (code, out) == (1, "")
    assert err.startswith("Erreur : Identifiant ou mot de passe refusé.")
    assert err.count("\n") == 1
    assert "mauvais-mot-de-passe" not in err
    assert memory_keyring.items == {}
    assert cli(capsys, monkeypatch, "account", "list", "--json")[1] == "[]\n"


def test_unreachable_server(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = cli(
        capsys,
        monkeypatch,
        "account", "add", "bluesky", "--handle", "ville.sandbox.test",
        "--service", "http://127.0.0.1:9", "--password-stdin",
        stdin="x\n",
    )  # fmt: skip

    assert code == 1
    assert err.startswith("Erreur : Réseau injoignable")


def test_no_keychain_is_explained(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, bluesky_sandbox: Any
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        code, _, err = add_bluesky(capsys, monkeypatch, bluesky_sandbox)
    finally:
        keyring.set_keyring(previous)

    assert code == 1
    assert err.startswith("Erreur : Aucun trousseau système disponible")
    assert bluesky_sandbox.requests == []


def test_removing_an_unknown_or_ambiguous_account(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, bluesky_sandbox: Any
) -> None:
    add_bluesky(capsys, monkeypatch, bluesky_sandbox, 0)
    add_bluesky(capsys, monkeypatch, bluesky_sandbox, 1)

    code, _, err = cli(capsys, monkeypatch, "account", "remove", "personne.example")
    assert code == 1
    assert err.replace("\u00a0", " ").startswith(
        "Erreur : Aucun compte « personne.example » dans paris_desk. "
        "Voir : paris-desk account list."
    )

    code, _, err = cli(capsys, monkeypatch, "account", "remove", "sandbox.test")
    assert code == 1
    assert "plusieurs comptes" in err
    assert len(json.loads(cli(capsys, monkeypatch, "account", "list", "--json")[1])) == 2


def test_sandbox_profile_is_separate(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, bluesky_sandbox: Any
) -> None:
    who = bluesky_sandbox.accounts[0]
    code, _, _ = cli(
        capsys,
        monkeypatch,
        "--sandbox", "account", "add", "bluesky", "--handle", who["handle"],
        "--service", bluesky_sandbox.base_url, "--password-stdin",
        stdin=who["password"],
    )  # fmt: skip
    assert code == 0

    assert (
        len(json.loads(cli(capsys, monkeypatch, "--sandbox", "account", "list", "--json")[1])) == 1
    )
    assert cli(capsys, monkeypatch, "account", "list", "--json")[1] == "[]\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["accounts", "list"],
        ["account"],
        ["account", "add", "bluesky"],
        ["account", "list", "--bogus"],
        ["timeline", "--limit", "0"],
        ["post", "--to", "all"],
    ],
)
def test_usage_errors_exit_with_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    code, out, err = cli(capsys, monkeypatch, *argv)

    assert code == 2
    assert out == ""
    assert "usage :" in err  # argparse in French (cli/argparse_fr.py)


def test_help_and_version_exit_with_0(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = cli(capsys, monkeypatch, "--help")
    assert code == 0
    assert "account" in out and "timeline" in out
    code, out, _ = cli(capsys, monkeypatch, "--version")
    assert (code, out.split()[0]) == (0, "paris-desk")


def test_reading_or_posting_without_accounts(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli(capsys, monkeypatch, "timeline", "--json")[:2] == (0, "[]\n")
    assert cli(capsys, monkeypatch, "inbox", "--json")[:2] == (0, "[]\n")

    code, out, err = cli(capsys, monkeypatch, "post", "--to", "all", "Bonjour")

    assert (code, out) == (1, "")
    assert err.startswith("Erreur : Aucun compte")


def test_an_empty_secret_on_stdin_is_refused_before_any_request(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, bluesky_sandbox: Any
) -> None:
    code, _, err = cli(
        capsys,
        monkeypatch,
        "account", "add", "bluesky", "--handle", "ville.sandbox.test",
        "--service", bluesky_sandbox.base_url, "--password-stdin",
        stdin="",
    )  # fmt: skip

    assert code == 1
    assert err == "Erreur : Mot de passe vide.\n"
    assert bluesky_sandbox.requests == []
