"""``paris-desk account add mastodon`` (token and browser) and a mixed two-network timeline."""

from __future__ import annotations

import io
import json
import webbrowser
from typing import Any

import pytest
import requests
from cli_run import cli


def test_add_with_a_token_on_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, mastodon_sandbox: Any
) -> None:
    who = mastodon_sandbox.accounts[0]

    code, out, err = cli(
        capsys,
        monkeypatch,
        "account", "add", "mastodon", "--instance", mastodon_sandbox.base_url, "--token-stdin",
        stdin=who["access_token"] + "\n",
    )  # fmt: skip

    assert code == 0, err
    assert out.startswith("Compte ajouté : mastodon:@")
    assert who["access_token"] not in out + err


def test_a_wrong_token_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, mastodon_sandbox: Any
) -> None:
    code, out, err = cli(
        capsys,
        monkeypatch,
        "account", "add", "mastodon", "--instance", mastodon_sandbox.base_url, "--token-stdin",
        stdin="jeton-invalide-0000\n",
    )  # fmt: skip

    assert (code, out) == (1, "")
    assert err.startswith("Erreur : Identifiant ou mot de passe refusé.")
    assert "jeton-invalide-0000" not in err


def test_add_in_the_browser(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, mastodon_sandbox: Any
) -> None:
    who = mastodon_sandbox.accounts[1]
    opened: list[str] = []

    def browser(url: str, *args: Any, **kwargs: Any) -> bool:
        """The user's browser: approves, and the server redirects it to our loopback."""
        opened.append(url)
        requests.get(url, params={"sandbox_auto_approve": who["acct"]}, timeout=10)
        return True

    monkeypatch.setattr(webbrowser, "open", browser)  # the OS seam, not our code
    code, out, err = cli(
        capsys,
        monkeypatch,
        "account", "add", "mastodon", "--instance", mastodon_sandbox.base_url,
        "--label", "Culture",
    )  # fmt: skip

    assert code == 0, err
    assert opened and opened[0] in err  # the address is also printed, for another browser
    assert out.startswith("Compte ajouté : mastodon:@")
    listed = json.loads(cli(capsys, monkeypatch, "account", "list", "--json")[1])
    assert [a["label"] for a in listed] == ["Culture"]


class PastingUser(io.StringIO):
    """No browser opened; the user signs in elsewhere and pastes the address they land on."""

    def __init__(self, acct: str) -> None:
        super().__init__()
        self.acct = acct
        self.url = ""

    def readline(self, size: int | None = -1) -> str:
        answer = requests.get(
            self.url,
            params={"sandbox_auto_approve": self.acct},
            allow_redirects=False,
            timeout=10,
        )
        return answer.headers["Location"] + "\n"


def test_without_a_browser_the_code_is_pasted(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, mastodon_sandbox: Any
) -> None:
    user = PastingUser(mastodon_sandbox.accounts[0]["acct"])

    def no_browser(url: str, *args: Any, **kwargs: Any) -> bool:
        user.url = url
        return False

    monkeypatch.setattr(webbrowser, "open", no_browser)
    code, out, err = cli(
        capsys,
        monkeypatch,
        "account", "add", "mastodon", "--instance", mastodon_sandbox.base_url,
        stdin=user,
    )  # fmt: skip

    assert code == 0, err
    assert "Collez le code" in err
    assert out.startswith("Compte ajouté : mastodon:@")


def test_timeline_and_post_across_both_networks(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    mastodon_sandbox: Any,
    bluesky_sandbox: Any,
) -> None:
    masto, blue = mastodon_sandbox.accounts[0], bluesky_sandbox.accounts[0]
    cli(
        capsys,
        monkeypatch,
        "account", "add", "mastodon", "--instance", mastodon_sandbox.base_url, "--token-stdin",
        stdin=masto["access_token"],
    )  # fmt: skip
    cli(
        capsys,
        monkeypatch,
        "account", "add", "bluesky", "--handle", blue["handle"],
        "--service", bluesky_sandbox.base_url, "--password-stdin",
        stdin=blue["password"],
    )  # fmt: skip

    code, out, err = cli(capsys, monkeypatch, "timeline", "--limit", "40", "--json")
    assert (code, err) == (0, "")
    assert {i["network"] for i in json.loads(out)} == {"mastodon", "bluesky"}

    code, out, err = cli(capsys, monkeypatch, "post", "--to", "all", "--json", "Bonjour !")
    assert (code, err) == (0, "")
    results = json.loads(out)
    assert [r["status"] for r in results] == ["sent", "sent"]
    assert results[0]["uri"].startswith(mastodon_sandbox.base_url)
    assert results[1]["uri"].startswith("at://")
