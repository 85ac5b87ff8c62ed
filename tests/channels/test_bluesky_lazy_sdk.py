"""The Bluesky adapter reads without the atproto SDK (issue 14: ~50 MiB and ~0.45 s to import),
over HTTP against the sandbox: a channel restored from its session string reads the timeline,
the inbox, a thread and its own session, renews an expired session, likes and unlikes, with
neither atproto, pydantic nor httpx imported; the first post imports the SDK, which takes the
session as it was renewed without it. The channel runs in a fresh interpreter (this one has
the SDK)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from paris_desk.channels import bluesky
from paris_desk.core.model import PostRequest
from paris_desk.core.tid import next_tid

SDK_MODULES = ("atproto", "atproto_client", "atproto_core", "atproto_identity", "pydantic",
               "httpx")

# Restores the channel from the secret on stdin, reads, likes, then posts; prints JSON lines.
CHILD = """
import json, sys
from paris_desk.channels import restore
from paris_desk.core.model import Account, Network, PostRequest
from paris_desk.core.tid import next_tid

SDK = {sdk!r}
account = Account(**json.loads(sys.stdin.readline()), network=Network.BLUESKY)
secret = sys.stdin.readline().strip()
saved = []
channel = restore(account, secret, saved.append)
timeline = channel.home_timeline(limit=30)
inbox = channel.notifications(limit=50)
channel.thread(next(p for p in timeline.items if p.reply_to_uri))
channel.verify()
target = next(p for p in timeline.items if not p.liked)
liked = channel.like(target)
channel.unlike(liked)
print(json.dumps({{"posts": len(timeline.items), "notifications": len(inbox.items),
                  "liked": liked.liked, "saved": len(saved),
                  "loaded": [m for m in SDK if m in sys.modules]}}))
posted = channel.post(PostRequest(text="Fermeture du parc à 18 h.", idempotency_key=next_tid()))
print(json.dumps({{"posted": posted.uri, "saved": len(saved),
                  "loaded": [m for m in SDK if m in sys.modules]}}))
"""


@pytest.fixture
def ville(bluesky_sandbox: Any) -> dict[str, str]:
    account: dict[str, str] = bluesky_sandbox.accounts[0]
    return account


def run_child(account: Any, secret: str) -> list[dict[str, Any]]:
    fields = {"id": account.id, "handle": account.handle, "base_url": account.base_url,
              "user_id": account.user_id, "display_name": account.display_name}
    done = subprocess.run(
        [sys.executable, "-c", CHILD.format(sdk=SDK_MODULES)],
        input=f"{json.dumps(fields)}\n{secret}\n", capture_output=True, text=True,
        timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def test_reads_a_renewal_and_likes_import_no_sdk_then_a_post_does(
        bluesky_sandbox: Any, ville: dict[str, str]) -> None:
    account, secret = bluesky.login(ville["handle"], ville["password"],
                                    service=bluesky_sandbox.base_url)
    bluesky_sandbox.expire_access_tokens()  # the first read renews the session, plainly
    reads, write = run_child(account, secret)
    assert reads["posts"] and reads["notifications"] and reads["liked"]
    assert reads["saved"] == 1
    assert reads["loaded"] == []
    assert write["saved"] == 1  # the SDK got the renewed session
    assert {"atproto_client", "pydantic", "httpx"} <= set(write["loaded"])
    rkey = write["posted"].rsplit("/", 1)[-1]
    assert rkey in bluesky_sandbox.records(ville["did"], "app.bsky.feed.post")
    paths = [r.path.rsplit("/", 1)[-1] for r in bluesky_sandbox.requests]
    assert paths.count("com.atproto.server.refreshSession") == 1


def test_a_post_first_after_expiry_renews_once_and_reads_follow(
        bluesky_sandbox: Any, ville: dict[str, str]) -> None:
    account, secret = bluesky.login(ville["handle"], ville["password"],
                                    service=bluesky_sandbox.base_url)
    saved: list[str] = []
    channel = bluesky.restore(account, secret, saved.append)
    channel.home_timeline(limit=5)
    bluesky_sandbox.expire_access_tokens()
    # The SDK's call: ExpiredToken, renewed here (plain), handed to the SDK, retried.
    assert channel.post(PostRequest(text="Marché couvert ouvert.", idempotency_key=next_tid()))
    assert channel.home_timeline(limit=5).items  # the read path has the new token
    assert len(saved) == 1
    paths = [r.path.rsplit("/", 1)[-1] for r in bluesky_sandbox.requests]
    assert paths.count("com.atproto.server.refreshSession") == 1
    assert bluesky.restore(account, saved[0], saved.append).verify().handle == ville["handle"]


def test_importing_the_adapter_imports_no_sdk() -> None:
    code = ("import sys, paris_desk.channels.bluesky as b; "
            f"print([m for m in {SDK_MODULES!r} if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip() == "[]"
