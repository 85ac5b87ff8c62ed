"""``paris-desk post`` with a camera photo, against the official Bluesky PDS (@atproto/pds):
the review found the CLI uploading the original file (EXIF, GPS, 6 Mpx), which the PDS refused.
The blob the PDS stores is read back and checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.cli.test_cli_post_pipeline import cli
from tests.photos import PHOTO_NAME, assert_clean, camera_photo

pytestmark = pytest.mark.reference


def test_a_camera_photo_posted_from_the_cli_is_stored_prepared(
    capsys: Any, monkeypatch: Any, reference_pds: Any, tmp_path: Path
) -> None:
    handle, password, did = reference_pds.create_account("cli")
    app_password = reference_pds.create_app_password(handle, password, name="paris_desk")
    code, _, err = cli(
        capsys, monkeypatch,
        "account", "add", "bluesky", "--handle", handle, "--service", reference_pds.url,
        "--password-stdin", stdin=app_password,
    )  # fmt: skip
    assert code == 0, err
    photo = camera_photo(tmp_path / PHOTO_NAME)

    code, out, err = cli(
        capsys, monkeypatch, "post", "--to", "all", "--image", str(photo), "--alt",
        "Le parvis de l'Hôtel de Ville sous la neige", "--no-card", "--json", "Neige à Paris.",
    )  # fmt: skip

    assert code == 0, err
    (result,) = json.loads(out)
    rkey = result["uri"].rsplit("/", 1)[-1]
    record = reference_pds.xrpc("com.atproto.repo.getRecord", params={
        "repo": did, "collection": "app.bsky.feed.post", "rkey": rkey}).json()["value"]
    (image,) = record["embed"]["images"]
    assert image["alt"] == "Le parvis de l'Hôtel de Ville sous la neige"
    blob = httpx.get(f"{reference_pds.url}/xrpc/com.atproto.sync.getBlob",
                     params={"did": did, "cid": image["image"]["ref"]["$link"]}, timeout=20)
    assert blob.status_code == 200
    assert len(blob.content) <= 1_000_000
    assert_clean(blob.content)
