"""The command line speaks one language at a time: French by default, English with ``--lang en``
(or ``PARIS_DESK_LANG=en``), its own sentences (context "cli") and the catalogue's alike; exit
codes and ``--json`` output do not change with the language."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from cli_run import cli

from paris_desk.cli import language

# What gives a French sentence away: accents, French quotes and typography (a space before
# ":" or ";"), and short words English does not use.
FRENCH = re.compile(r"[éèêàùçœ«»]| [:;](?=\s|$)|\b[dlnj]'\w|\b(?:le|la|les|des|du|une|aucun|"
                    r"aucune|est|pas|Erreur|Attention|compte|ajoutez)\b", re.IGNORECASE)


@pytest.fixture(autouse=True)
def french_afterwards(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv("PARIS_DESK_LANG", raising=False)
    yield
    language.use_language("fr")


@pytest.fixture
def an_account(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
               bluesky_sandbox: Any) -> str:
    who = bluesky_sandbox.accounts[0]
    code, _, err = cli(capsys, monkeypatch, "account", "add", "bluesky", "--handle",
                       who["handle"], "--service", bluesky_sandbox.base_url,
                       "--password-stdin", stdin=who["password"])
    assert code == 0, err
    return str(who["handle"])


COMMANDS = {  # what each shows, and its exit code
    "missing account": (("account", "remove", "personne"), 1),
    "no account to post with": (("post", "--to", "all", "Bonjour"), 1),
    "usage error": (("post", "--to", "all", "--image", "photo.jpg", "Bonjour"), 2),
    "bad job number": (("outbox", "retry", "abc"), 2),
    "unknown job": (("outbox", "cancel", "999"), 1),
    "empty outbox": (("outbox",), 0),
    "no filter": (("filter", "list"), 0),
}


@pytest.mark.parametrize("name", COMMANDS)
def test_in_english_no_french_sentence(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    argv, expected = COMMANDS[name]
    code, out, err = cli(capsys, monkeypatch, "--lang", "en", *argv)

    assert code == expected
    assert (out + err).strip()
    assert FRENCH.findall(out + err) == [], out + err
    if code:
        assert err.startswith("Error: ")


@pytest.mark.parametrize("name", COMMANDS)
def test_by_default_french(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    argv, expected = COMMANDS[name]
    code, out, err = cli(capsys, monkeypatch, *argv)

    assert code == expected
    assert FRENCH.search(out + err), out + err
    if code:
        assert err.startswith("Erreur : ")


def test_the_environment_chooses_english_too(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARIS_DESK_LANG", "en")
    code, _, err = cli(capsys, monkeypatch, "account", "remove", "personne")
    assert (code, err.startswith("Error: No account “personne”")) == (1, True), err


def test_a_refusal_in_english_then_in_french(
    an_account: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = cli(capsys, monkeypatch, "--lang", "en", "post", "--to", "all", " ")
    assert (code, out) == (2, "")
    assert err == "Error: The post is empty.\nNothing was published or queued.\n"

    code, out, err = cli(capsys, monkeypatch, "post", "--to", "all", " ")
    assert (code, out) == (2, "")
    assert FRENCH.search(err), err
    assert err.startswith("Erreur : ")


def test_json_does_not_change_with_the_language(
    an_account: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = {lang: cli(capsys, monkeypatch, "--lang", lang, "account", "list", "--json")
             for lang in ("fr", "en")}
    assert shown["fr"] == shown["en"]
    assert [a["handle"] for a in json.loads(shown["en"][1])] == [an_account]


@pytest.mark.parametrize("argv", [("--help",), ("post", "--help"), ("outbox", "run", "--help")])
def test_help_speaks_the_language_too(
    argv: tuple[str, ...], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, english, _ = cli(capsys, monkeypatch, "--lang", "en", *argv)
    assert (code, english.startswith("usage: paris-desk")) == (0, True)
    assert FRENCH.findall(english) == [], english

    code, french, _ = cli(capsys, monkeypatch, *argv)
    assert (code, french.startswith("usage : paris-desk")) == (0, True)
    assert "afficher cette aide et quitter" in french
    assert FRENCH.search(french.replace("usage :", "").replace("afficher cette aide", ""))
