"""``paris-desk post`` goes through the one publish use case (``Publisher.submit``), like the
composer: the bytes the servers receive are the prepared ones, and a draft that cannot be
published is refused with exit code 2 before anything is queued."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from cli_run import cli
from PIL import Image

from tests.photos import PHOTO_NAME, assert_clean, camera_photo


def plain(text: str) -> str:
    """The window's French typography (no-break spaces, curly apostrophes) made plain."""
    return text.replace("\u00a0", " ").replace("\u2019", "'")


def add_bluesky(capsys: Any, monkeypatch: Any, sandbox: Any, who: dict[str, str]) -> str:
    code, _, err = cli(
        capsys, monkeypatch,
        "account", "add", "bluesky", "--handle", who["handle"], "--service", sandbox.base_url,
        "--password-stdin", stdin=who["password"],
    )  # fmt: skip
    assert code == 0, err
    return f"bluesky:{who['handle']}"


def add_mastodon(capsys: Any, monkeypatch: Any, sandbox: Any, who: dict[str, str]) -> str:
    code, out, err = cli(
        capsys, monkeypatch,
        "account", "add", "mastodon", "--instance", sandbox.base_url, "--token-stdin",
        stdin=who["access_token"] + "\n",
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = cli(capsys, monkeypatch, "account", "list", "--json")
    return next(a["id"] for a in json.loads(out) if a["network"] == "mastodon")


@pytest.fixture
def both(capsys: Any, monkeypatch: Any, bluesky_sandbox: Any, mastodon_sandbox: Any
         ) -> tuple[str, str]:
    blue = add_bluesky(capsys, monkeypatch, bluesky_sandbox, bluesky_sandbox.accounts[0])
    masto = add_mastodon(capsys, monkeypatch, mastodon_sandbox, mastodon_sandbox.accounts[0])
    return blue, masto


def outbox_jobs(capsys: Any, monkeypatch: Any) -> list[dict[str, Any]]:
    code, out, err = cli(capsys, monkeypatch, "outbox", "--json", "--all")
    assert code == 0, err
    return list(json.loads(out))


def test_a_camera_photo_reaches_both_networks_prepared(
    capsys: Any, monkeypatch: Any, both: tuple[str, str], bluesky_sandbox: Any,
    mastodon_sandbox: Any, tmp_path: Path,
) -> None:
    photo = camera_photo(tmp_path / PHOTO_NAME)

    code, out, err = cli(
        capsys, monkeypatch, "post", "--to", "all", "--image", str(photo),
        "--alt", "La rue de Rivoli sous la neige", "--json", "Neige sur Paris ce matin.",
    )  # fmt: skip

    assert code == 0, err
    blue, masto = json.loads(out)
    record = bluesky_sandbox.stored_record(blue["uri"])
    (image,) = record.value["embed"]["images"]
    data = bluesky_sandbox.blob(str(image["image"]["ref"]["$link"]))
    assert len(data) <= 1_000_000
    assert_clean(data)
    assert image["alt"] == "La rue de Rivoli sous la neige"
    ratio = image["aspectRatio"]
    assert ratio["width"] / ratio["height"] == pytest.approx(1.5, abs=0.01)

    (status,) = [s for s in mastodon_sandbox.statuses_by(mastodon_sandbox.accounts[0]["acct"])
                 if s["url"] == masto["url"]]
    (attachment,) = status["media_attachments"]
    assert_clean(mastodon_sandbox.uploaded_media(attachment["id"]))
    assert mastodon_sandbox.uploaded_file_name(attachment["id"]) in ("image.jpg", "image.png")
    assert attachment["description"] == "La rue de Rivoli sous la neige"


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        ((" ",), "Erreur : Le message est vide."),
        (("Trop long. " * 40,), "Erreur : Trop long pour Bluesky : 440 caractères pour 300 au "
                                "plus ; découpez-le en fil ou raccourcissez le texte."),
    ],
    ids=["blank", "over-limit"],
)
def test_a_refused_post_exits_2_and_queues_nothing(
    capsys: Any, monkeypatch: Any, both: tuple[str, str], bluesky_sandbox: Any,
    mastodon_sandbox: Any, argv: tuple[str, ...], said: str,
) -> None:
    before = (len(bluesky_sandbox.requests), len(mastodon_sandbox.requests))

    code, out, err = cli(capsys, monkeypatch, "post", "--to", "all", *argv)

    assert (code, out) == (2, "")
    assert said in plain(err)
    assert "Rien n'a été publié" in plain(err)
    assert outbox_jobs(capsys, monkeypatch) == []
    posts = [r for r in bluesky_sandbox.requests[before[0]:] if "createRecord" in r.path]
    posts += [r for r in mastodon_sandbox.requests[before[1]:] if r.method == "POST"]
    assert posts == []


def test_over_the_limit_with_split_goes_out_as_a_numbered_thread(
    capsys: Any, monkeypatch: Any, both: tuple[str, str], bluesky_sandbox: Any,
) -> None:
    text = " ".join(f"Phrase numéro {n} du programme de la fête de quartier." for n in range(12))

    code, _, err = cli(capsys, monkeypatch, "post", "--to", both[0], "--split", "--json", text)

    assert code == 0, err
    did = bluesky_sandbox.accounts[0]["did"]
    parts = [r for r in bluesky_sandbox.records(did, "app.bsky.feed.post").values()
             if "Phrase numéro" in r["text"]]
    assert len(parts) >= 2
    assert all(len(p["text"]) <= 300 for p in parts)
    assert sum(1 for p in parts if "reply" in p) == len(parts) - 1


@pytest.mark.parametrize("kind", ["missing", "fifo", "not-an-image", "bomb"])
def test_a_bad_image_file_is_refused_before_queueing(
    capsys: Any, monkeypatch: Any, both: tuple[str, str], tmp_path: Path, kind: str,
) -> None:
    path = tmp_path / "photo.png"
    if kind == "fifo":
        os.mkfifo(path)  # reading it would block forever
    elif kind == "not-an-image":
        path.write_bytes(b"%PDF-1.7 pas une image")
    elif kind == "bomb":
        Image.new("1", (20000, 20000)).save(path, "PNG")  # tiny file, 400 Mpx once decoded

    code, out, err = cli(
        capsys, monkeypatch, "post", "--to", "all", "--image", str(path), "--alt", "Plan",
        "Le plan du quartier",
    )  # fmt: skip

    assert (code, out) == (2, "")
    expected = {
        "missing": "fichier introuvable",
        "fifo": "n'est pas un fichier ordinaire",
        "not-an-image": "n'est pas une image lisible",
        "bomb": "image trop grande (20000×20000)",
    }[kind]
    assert expected in plain(err)
    assert "DecompressionBomb" not in err
    assert outbox_jobs(capsys, monkeypatch) == []


def test_missing_alt_text_is_refused_with_the_composer_sentence(
    capsys: Any, monkeypatch: Any, both: tuple[str, str], tmp_path: Path,
) -> None:
    path = tmp_path / "photo.jpg"
    Image.new("RGB", (64, 48), "white").save(path)

    code, _, err = cli(capsys, monkeypatch, "post", "--to", "all", "--image", str(path),
                       "--alt", " ", "Texte")

    assert code == 2
    assert "Chaque image doit avoir un texte alternatif." in err
    assert outbox_jobs(capsys, monkeypatch) == []


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "abc"])
def test_timeout_must_be_a_finite_positive_number(
    capsys: Any, monkeypatch: Any, both: tuple[str, str], value: str,
) -> None:
    code, out, err = cli(capsys, monkeypatch, "post", "--to", "all", "--timeout", value, "Texte")
    assert (code, out) == (2, "")
    assert "durée invalide" in err


def test_a_scheduled_post_waits_in_the_outbox(
    capsys: Any, monkeypatch: Any, both: tuple[str, str], bluesky_sandbox: Any,
) -> None:
    code, out, err = cli(
        capsys, monkeypatch, "post", "--to", both[0], "--schedule", "2099-12-24T18:00+01:00",
        "--json", "Joyeux Noël !",
    )  # fmt: skip

    assert code == 0, err
    assert [r["status"] for r in json.loads(out)] == ["scheduled"]
    (job,) = outbox_jobs(capsys, monkeypatch)
    assert (job["state"], job["not_before"][:16]) == ("queued", "2099-12-24T17:00")
    did = bluesky_sandbox.accounts[0]["did"]
    assert not [r for r in bluesky_sandbox.records(did, "app.bsky.feed.post").values()
                if r["text"] == "Joyeux Noël !"]
