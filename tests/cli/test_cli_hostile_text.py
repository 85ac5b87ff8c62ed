"""Attack: a post whose text drives the terminal of whoever reads it (issue 13).

The attacker publishes, through the sandbox's real API, a post that sets the terminal's title,
clears the screen, rings the bell, uses a C1 CSI, and reverses a handle with a bidi override.
``paris-desk timeline`` and ``inbox`` must print none of those characters raw; ``--json`` keeps
the exact text, as escapes.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import requests
from cli_run import cli

HOSTILE = ("Avis \x1b]0;Mot de passe expiré\x07 aux \x1b[2J\x1b[Hriverains \x9b31m "
           "écrivez à ville\u202efr.sirap@ \u2066ok\u2069")
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def hostile_post(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                 mastodon_sandbox: Any) -> str:
    city = mastodon_sandbox.accounts[0]
    code, _, err = cli(capsys, monkeypatch, "account", "add", "mastodon", "--instance",
                       mastodon_sandbox.base_url, "--token-stdin", stdin=city["access_token"])
    assert code == 0, err
    answer = requests.post(f"{mastodon_sandbox.base_url}/api/v1/statuses",
                           headers={"Authorization": f"Bearer {city['access_token']}"},
                           data={"status": HOSTILE}, timeout=10)
    answer.raise_for_status()
    return str(answer.json()["uri"])


def test_timeline_text_output_shows_control_characters_as_escapes(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, hostile_post: str
) -> None:
    code, out, err = cli(capsys, monkeypatch, "timeline", "--limit", "5")
    assert code == 0, err
    assert "riverains" in out
    assert RAW.findall(out) == []
    assert "\\x1b]0;Mot de passe expiré\\x07" in out
    assert "\\x1b[2J" in out and "\\x9b31m" in out and "ville\\u202efr.sirap@" in out


def test_json_output_keeps_the_text_exactly_with_escapes_only(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, hostile_post: str
) -> None:
    code, out, err = cli(capsys, monkeypatch, "timeline", "--limit", "5", "--json")
    assert code == 0, err
    assert RAW.findall(out) == []
    posts = json.loads(out)
    assert any(p["text"] == HOSTILE for p in posts)


def test_an_error_message_from_a_server_is_escaped(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from traps import Trap  # a "Mastodon" whose error text carries controls

    body = json.dumps({"error": "refusé \x1b]0;piraté\x07"}).encode()
    with Trap(422, {"Content-Type": "application/json"}, body) as server:
        code, _, err = cli(capsys, monkeypatch, "account", "add", "mastodon", "--instance",
                           server.url, "--token-stdin", stdin="jeton")
    assert code == 1
    assert RAW.findall(err) == []


WEB_PAGE = b"<!doctype html><html><body>Bienvenue sur le site de la mairie</body></html>"


@pytest.mark.parametrize("status", [200, 404])
def test_an_instance_that_answers_with_a_web_page_is_not_a_mastodon_server(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    from traps import Trap

    with Trap(status, {"Content-Type": "text/html"}, WEB_PAGE) as site:
        code, _, err = cli(capsys, monkeypatch, "account", "add", "mastodon", "--instance",
                           site.url, "--token-stdin", stdin="jeton")
        assert code == 1
        assert "ce n’est pas un serveur Mastodon" in err and "en panne" not in err
        code, _, err = cli(capsys, monkeypatch, "account", "add", "bluesky", "--handle",
                           "ville.example.com", "--service", site.url, "--password-stdin",
                           stdin="mot-de-passe")
        assert code == 1
        assert "ce n’est pas un serveur Bluesky" in err and "en panne" not in err
