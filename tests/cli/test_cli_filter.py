"""``paris-desk filter`` and the ``filtered`` verdicts of ``timeline`` and ``inbox``, on the
sandboxes."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from cli_run import cli_json

from paris_desk.services.accounts import AccountService
from paris_desk.store.profile import Profile

MASTODON = "mastodon:ville@127.0.0.1"


@pytest.fixture
def service(bluesky_sandbox: Any, mastodon_sandbox: Any) -> Any:
    accounts = AccountService(Profile.default())
    accounts.add_mastodon_token(mastodon_sandbox.base_url, mastodon_sandbox.token_for("ville"))
    who = bluesky_sandbox.accounts[0]
    accounts.add_bluesky(who["handle"], who["password"], service=bluesky_sandbox.base_url)
    yield accounts
    accounts.close()


def a_word(posts: list[dict[str, Any]]) -> str:
    """A long word of the first post with text, to filter on."""
    text = next(p["text"] for p in posts if p["text"])
    return max(re.findall(r"\w+", text), key=len)


def test_add_list_remove(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                         service: AccountService) -> None:
    ids = [a.id for a in service.list()]
    code, made, err = cli_json(capsys, monkeypatch, "filter", "add", "Insulte", "--hide", "--json")
    assert code == 0, err
    assert made["text"] == "Insulte" and made["action"] == "hide" and made["accounts"] == []
    assert made["regex"] is False and made["synced"] == {a: True for a in ids}

    code, regex, _ = cli_json(capsys, monkeypatch, "filter", "add", r"idio(t|te)s?", "--regex",
                              "--account", ids[0], "--json")
    assert code == 0
    assert (regex["action"], regex["accounts"]) == ("warn", [ids[0]])
    assert regex["synced"] == {ids[0]: "unsupported"}

    code, listed, _ = cli_json(capsys, monkeypatch, "filter", "list", "--json")
    assert code == 0
    mine = {f["id"]: f for f in listed}
    assert {made["id"], regex["id"]} <= set(mine)
    assert set(mine[made["id"]]) == {"id", "text", "regex", "accounts", "action", "synced"}

    code, text, _ = cli_json(capsys, monkeypatch, "filter", "list")
    assert "« Insulte »  masquer" in text and "comptes : tous" in text

    code, _, err = cli_json(capsys, monkeypatch, "filter", "remove", regex["id"])
    assert (code, err.strip()) == (0, f"Filtre {regex['id']} retiré.")
    code, listed, _ = cli_json(capsys, monkeypatch, "filter", "list", "--json")
    assert regex["id"] not in {f["id"] for f in listed}
    code, _, err = cli_json(capsys, monkeypatch, "filter", "remove", "nope")
    assert code == 1 and "Aucun filtre « nope »" in err


def test_bad_filters_are_usage_errors(capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch,
                                      service: AccountService) -> None:
    code, _, err = cli_json(capsys, monkeypatch, "filter", "add", "(", "--regex")
    assert code == 2 and "Expression régulière invalide" in err
    code, _, err = cli_json(capsys, monkeypatch, "filter", "add", "x", "--warn", "--hide")
    assert code == 2


def test_timeline_hides_and_warns(capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch,
                                  service: AccountService) -> None:
    code, before, _ = cli_json(capsys, monkeypatch, "timeline", "--json", "--limit", "30")
    assert code == 0 and all(p["filtered"] is None for p in before)
    word = a_word(before)
    hit = [p["uri"] for p in before if word.casefold() in p["text"].casefold()]
    code, f, _ = cli_json(capsys, monkeypatch, "filter", "add", word, "--hide", "--json")

    code, after, err = cli_json(capsys, monkeypatch, "timeline", "--json", "--limit", "30")
    assert code == 0
    assert not set(hit) & {p["uri"] for p in after}
    assert re.search(r"\d+ masqués? par un filtre", err)
    code, every, _ = cli_json(capsys, monkeypatch, "timeline", "--json", "--limit", "30", "--all")
    hidden = [p for p in every if p["filtered"] is not None]
    assert hidden and all(p["filtered"] == {"filter": f["id"], "action": "hide"}
                          for p in hidden)
    assert {p["uri"] for p in hidden} >= set(hit) - {p["uri"] for p in after}

    cli_json(capsys, monkeypatch, "filter", "remove", f["id"])
    cli_json(capsys, monkeypatch, "filter", "add", word, "--warn")
    code, warned, err = cli_json(capsys, monkeypatch, "timeline", "--json", "--limit", "30")
    assert "masqué" not in err
    assert {p["filtered"]["action"] for p in warned if p["filtered"]} == {"warn"}
    code, text, _ = cli_json(capsys, monkeypatch, "timeline", "--limit", "30")
    assert f"[Filtré : {word}]" in text


def test_inbox_items_carry_the_verdict(capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch,
                                       service: AccountService) -> None:
    code, before, _ = cli_json(capsys, monkeypatch, "inbox", "--json", "--limit", "40")
    assert code == 0 and all(i["filtered"] is None for i in before)
    word = a_word([i["post"] for i in before if i["post"]])
    code, f, _ = cli_json(capsys, monkeypatch, "filter", "add", word, "--hide", "--json")
    code, after, err = cli_json(capsys, monkeypatch, "inbox", "--json", "--limit", "40")
    assert len(after) < len(before) and "masqué" in err
    code, every, _ = cli_json(capsys, monkeypatch, "inbox", "--json", "--limit", "40", "--all")
    assert len(every) == len(before)
    assert {json.dumps(i["filtered"]) for i in every} == {
        "null", json.dumps({"filter": f["id"], "action": "hide"})}
