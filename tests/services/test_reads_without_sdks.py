"""The app's reading services read without the networks' SDKs (issue 14): in a fresh
interpreter on a profile with a Bluesky and a Mastodon account, a timeline refresh, an inbox
refresh (its requests and read markers included), a thread on each network, a filter sync, and
a like and an unlike on each network leave atproto, pydantic, httpx and Mastodon.py unimported.
The accounts are signed in here (sign-in uses the SDK); the child gets the profile directory
and a copy of the keychain, as the app would at its next start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from paris_desk.services.accounts import AccountService
from paris_desk.store.profile import Profile

CHILD = """
import json, sys
import keyring, keyring.backend

class Copied(keyring.backend.KeyringBackend):
    priority = 10
    def __init__(self, items):
        super().__init__()
        self.items = items
    def get_password(self, service, username):
        return self.items.get(service + "\\0" + username)
    def set_password(self, service, username, password):
        self.items[service + "\\0" + username] = password
    def delete_password(self, service, username):
        self.items.pop(service + "\\0" + username, None)

keyring.set_keyring(Copied(json.loads(sys.stdin.read())))
from paris_desk.services.accounts import AccountService
from paris_desk.services.filters import FilterService
from paris_desk.services.inbox import InboxService
from paris_desk.services.timeline import TimelineService
from paris_desk.store.cache import PostCache
from paris_desk.store.filters import FilterStore
from paris_desk.store.inbox import InboxStore
from paris_desk.store.profile import Profile

accounts = AccountService(Profile.default())
ids = [a.id for a in accounts.list()]
timeline = TimelineService(accounts, PostCache(accounts.db))
result = timeline.refresh(ids)
inbox = InboxService(accounts, InboxStore(accounts.db))
snapshot = inbox.refresh(ids)
for account_id in ids:
    post = next(p for p in result.posts_by_account[account_id] if p.reply_to_uri)
    inbox.thread(account_id, post)
mastodon = next(i for i in ids if i.startswith("mastodon"))
requests = accounts.channel(mastodon).mention_requests()
marked = inbox.mark_read(ids)
for account_id in ids:
    channel = accounts.channel(account_id)
    target = next(p for p in result.posts_by_account[account_id] if not p.liked)
    assert not channel.unlike(channel.like(target)).liked
filters = FilterService(accounts, FilterStore(accounts.db)).sync(ids)
print(json.dumps({
    "errors": sorted({**result.errors_by_account, **filters, **marked}),
    "posts": {i: len(result.posts_by_account.get(i, ())) for i in ids},
    "sdks": [m for m in ("atproto", "atproto_client", "pydantic", "httpx", "mastodon")
             if m in sys.modules],
}))
timeline.close()
accounts.close()
"""


def test_reading_services_leave_the_sdks_unimported(
    mastodon_sandbox: Any, bluesky_sandbox: Any, memory_keyring: Any
) -> None:
    service = AccountService(Profile.default())
    bluesky = bluesky_sandbox.accounts[0]
    service.add_bluesky(bluesky["handle"], bluesky["password"], service=bluesky_sandbox.base_url)
    service.add_mastodon_token(mastodon_sandbox.base_url,
                               mastodon_sandbox.accounts[0]["access_token"])
    service.close()
    keychain = {f"{s}\0{u}": p for (s, u), p in memory_keyring.items.items()}
    done = subprocess.run([sys.executable, "-c", CHILD], input=json.dumps(keychain),
                          capture_output=True, text=True, timeout=120, check=False,
                          env=dict(os.environ))
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["errors"] == []
    assert all(found["posts"].values())
    assert found["sdks"] == []
