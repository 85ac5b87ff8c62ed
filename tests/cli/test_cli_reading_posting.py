"""``paris-desk timeline | inbox | post`` against the sandboxes."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from cli_run import cli

from paris_desk.sandbox.corpus import png_image
from paris_desk.sandbox.http import Fault

POST_KEYS = {
    "uri", "url", "network", "author", "text", "created_at", "seen_by", "media",
    "reply_to", "repost_of", "reposted_by", "quote_of",
}  # fmt: skip


@pytest.fixture
def two_bluesky_accounts(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, bluesky_sandbox: Any
) -> list[str]:
    ids = []
    for who in bluesky_sandbox.accounts[:2]:
        code, _, err = cli(
            capsys,
            monkeypatch,
            "account", "add", "bluesky", "--handle", who["handle"],
            "--service", bluesky_sandbox.base_url, "--password-stdin",
            stdin=who["password"],
        )  # fmt: skip
        assert code == 0, err
        ids.append(f"bluesky:{who['handle']}")
    return ids


def sort_time(item: dict[str, Any]) -> str:
    return str(item["created_at"])


def test_timeline_merges_accounts_newest_first_without_duplicates(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    two_bluesky_accounts: list[str],
) -> None:
    code, out, err = cli(capsys, monkeypatch, "timeline", "--limit", "30", "--json")

    assert (code, err) == (0, "")
    items = json.loads(out)
    assert 0 < len(items) <= 30
    assert all(set(item) == POST_KEYS | {"filtered"} for item in items)
    assert all(item["filtered"] is None for item in items)  # no filter in this profile
    keys = [(i["uri"], json.dumps(i["reposted_by"])) for i in items]
    assert len(keys) == len(set(keys))
    assert {a for i in items for a in i["seen_by"]} <= set(two_bluesky_accounts)
    originals = [i for i in items if i["repost_of"] is None]
    times = [datetime.fromisoformat(i["created_at"]) for i in originals]
    assert times == sorted(times, reverse=True)
    assert all(i["network"] == "bluesky" for i in items)


def test_timeline_of_one_account_with_a_limit(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    two_bluesky_accounts: list[str],
) -> None:
    first = two_bluesky_accounts[0]

    code, out, _ = cli(
        capsys, monkeypatch, "timeline", "--account", first, "--limit", "3", "--json"
    )

    items = json.loads(out)
    assert code == 0
    assert 0 < len(items) <= 3
    assert all(i["seen_by"] == [first] for i in items)


def test_timeline_as_text(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    two_bluesky_accounts: list[str],
) -> None:
    code, out, _ = cli(capsys, monkeypatch, "timeline", "--limit", "2")

    assert code == 0
    assert "vu par : bluesky:" in out


def test_a_failing_account_is_reported_and_the_others_shown(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    two_bluesky_accounts: list[str],
    bluesky_sandbox: Any,
) -> None:
    bluesky_sandbox.add_fault(Fault(kind="503", method="GET", path="getTimeline", count=1))

    code, out, err = cli(capsys, monkeypatch, "timeline", "--json")

    assert code == 1
    assert json.loads(out)
    assert err.count("Erreur : ") == 1


def test_inbox_lists_notifications(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    two_bluesky_accounts: list[str],
) -> None:
    code, out, err = cli(capsys, monkeypatch, "inbox", "--json", "--limit", "50")

    assert (code, err) == (0, "")
    items = json.loads(out)
    assert items
    assert all(
        set(i) == {"id", "account", "kind", "author", "created_at", "unread", "post",
                   "filtered", "assigned_to", "handled"}
        for i in items
    )
    # The item's id (what ``assign`` takes) is its account and notification; nobody has it
    # outside a team.
    assert all(i["id"].startswith(i["account"] + "/") and i["assigned_to"] is None
               for i in items)
    assert {i["account"] for i in items} <= set(two_bluesky_accounts)
    times = [datetime.fromisoformat(i["created_at"]) for i in items]
    assert times == sorted(times, reverse=True)
    assert all(set(i["post"]) == POST_KEYS for i in items if i["post"] is not None)

    code, out, _ = cli(capsys, monkeypatch, "inbox", "--json", "--unread", "--limit", "50")
    assert code == 0
    assert all(i["unread"] for i in json.loads(out))


def test_post_to_all_accounts(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    two_bluesky_accounts: list[str],
    bluesky_sandbox: Any,
) -> None:
    code, out, err = cli(
        capsys, monkeypatch, "post", "--to", "all", "--json", "Fermeture du square ce soir."
    )

    assert (code, err) == (0, "")
    results = json.loads(out)
    assert [r["account"] for r in results] == two_bluesky_accounts
    for result, who in zip(results, bluesky_sandbox.accounts[:2], strict=True):
        assert result["status"] == "sent"
        assert result["error"] is None
        assert result["uri"].startswith(f"at://{who['did']}/app.bsky.feed.post/")
        record = bluesky_sandbox.stored_record(result["uri"])
        assert record is not None


def test_post_with_an_image_and_its_description(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    two_bluesky_accounts: list[str],
    tmp_path: Path,
) -> None:
    image = tmp_path / "affiche.png"
    image.write_bytes(png_image(64, 48, seed=3))

    code, out, err = cli(
        capsys,
        monkeypatch,
        "post", "--to", two_bluesky_accounts[0], "--image", str(image),
        "--alt", "Affiche du festival", "Le festival commence samedi.",
    )  # fmt: skip

    assert code == 0, err
    assert out.startswith(f"Publié sur {two_bluesky_accounts[0]} : ")


def test_an_image_without_description_is_refused(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    two_bluesky_accounts: list[str],
    tmp_path: Path,
    bluesky_sandbox: Any,
) -> None:
    image = tmp_path / "affiche.png"
    image.write_bytes(png_image(64, 48, seed=3))
    before = len(bluesky_sandbox.requests)

    code, _, err = cli(capsys, monkeypatch, "post", "--to", "all", "--image", str(image), "Texte")

    assert code == 2
    assert err.startswith("Erreur : Chaque --image doit avoir sa description --alt.")
    assert len(bluesky_sandbox.requests) == before


def test_a_failed_target_gives_exit_code_1(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    two_bluesky_accounts: list[str],
    bluesky_sandbox: Any,
) -> None:
    bluesky_sandbox.add_fault(
        Fault(kind="500", method="POST", path=r"com\.atproto\.repo\.", count=None)
    )

    code, out, err = cli(capsys, monkeypatch, "post", "--to", "all", "--json", "Texte")

    assert code == 1
    results = json.loads(out)
    assert {r["status"] for r in results} == {"failed"}
    assert all(r["error"] for r in results)
    assert err.count("Erreur : ") == 2


def test_post_text_from_stdin(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    two_bluesky_accounts: list[str],
    bluesky_sandbox: Any,
) -> None:
    code, out, _ = cli(
        capsys,
        monkeypatch,
        "post", "--to", two_bluesky_accounts[1], "--json", "-",
        stdin="Marché de Noël\nsur le parvis.",
    )  # fmt: skip

    assert code == 0
    record = bluesky_sandbox.stored_record(json.loads(out)[0]["uri"])
    assert record is not None
    assert record.value["text"] == "Marché de Noël\nsur le parvis."


def test_reply_to_a_post_by_its_address(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    two_bluesky_accounts: list[str],
) -> None:
    code, out, _ = cli(capsys, monkeypatch, "timeline", "--limit", "5", "--json")
    target = next(i for i in json.loads(out) if i["repost_of"] is None)

    code, out, err = cli(
        capsys,
        monkeypatch,
        "post", "--to", two_bluesky_accounts[0], "--reply-to", target["uri"],
        "--json", "Merci pour l'information !",
    )  # fmt: skip

    assert code == 0, err
    assert json.loads(out)[0]["status"] == "sent"
