"""No token, password or session ever reaches the disk or a log record.

Adds accounts on both sandboxes (token, browser sign-in, app password), posts, reads
timelines and notifications, caches posts and lets a Bluesky session refresh, all with logging
at DEBUG into the profile; then scans every file of the profile and every log record.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from paris_desk.core import tid
from paris_desk.core.model import Network, PostRequest
from paris_desk.services.accounts import AccountService
from paris_desk.services.logging_setup import setup_logging, teardown_logging
from paris_desk.store.cache import PostCache
from paris_desk.store.profile import Profile


class RawRecords(logging.Handler):
    """Keeps each message as it was *before* the redacting filter (installed after this
    handler) could mask it: this checks that our code never logs a secret at all."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.messages.append(text)


@pytest.fixture
def raw_records() -> Iterator[RawRecords]:
    handler = RawRecords()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)


def secret_strings(values: list[str]) -> set[str]:
    """The secrets, and the tokens inside a session string (its handle and DID are public)."""
    found = set()
    for value in values:
        found.add(value)
        found.update(part for part in value.split(":::") if part.startswith("eyJ"))
    return {s for s in found if len(s) >= 8}


def test_no_secret_on_disk_or_in_logs(
    raw_records: RawRecords,
    memory_keyring: Any,
    mastodon_sandbox: Any,
    bluesky_sandbox: Any,
    profile_dir: Path,
) -> None:
    profile = Profile.default()
    ring = setup_logging(profile, logging.DEBUG)
    seen: list[str] = []
    try:
        service = AccountService(profile)
        exercise(service, mastodon_sandbox, bluesky_sandbox, memory_keyring, seen)
        service.close()
    finally:
        teardown_logging()

    typed = [
        bluesky_sandbox.accounts[0]["password"],
        bluesky_sandbox.accounts[1]["main_password"],
        mastodon_sandbox.accounts[0]["access_token"],
    ]
    secrets = secret_strings(typed + seen + list(memory_keyring.items.values()))
    assert len(secrets) >= 6

    files = [p for p in profile_dir.rglob("*") if p.is_file()]
    assert any(p.suffix == ".log" for p in files)
    assert any(p.name.endswith("-wal") or p.suffix == ".sqlite3" for p in files)
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, f"a secret is in {path.name}"
    messages = raw_records.messages + ring.lines()
    assert len(messages) > 20
    for message in messages:
        for secret in secrets:
            assert secret not in message, f"a secret was logged: {message[:60]}…"


def exercise(
    service: AccountService, mastodon: Any, bluesky: Any, keychain: Any, seen: list[str]
) -> None:
    service.add_mastodon_token(mastodon.base_url, mastodon.accounts[0]["access_token"])
    with service.begin_mastodon_oauth(mastodon.base_url) as flow:
        requests.get(
            flow.url, params={"sandbox_auto_approve": mastodon.accounts[1]["acct"]}, timeout=10
        )
        flow.finish(flow.wait_for_code(timeout=10) or "")
    who = bluesky.accounts[0]
    blue = service.add_bluesky(who["handle"], who["password"], service=bluesky.base_url)
    other = bluesky.accounts[1]
    bluesky.require_auth_factor(other["handle"], "CODE-777")
    service.add_bluesky(
        other["handle"], other["main_password"], service=bluesky.base_url,
        auth_factor_token="CODE-777",
    )  # fmt: skip
    seen.extend(keychain.items.values())

    cache = PostCache(service.db)
    for account in service.list():
        channel = service.channel(account.id)
        cache.save_posts(account.id, channel.home_timeline(limit=20).items)
        channel.notifications(limit=20)
        key = tid.next_tid() if account.network is Network.BLUESKY else uuid.uuid4().hex
        channel.post(
            PostRequest(text="Information pratique : mairie fermée lundi.", idempotency_key=key)
        )

    bluesky.expire_access_tokens()
    service.channel(blue.id).home_timeline(limit=5)  # refreshes: a new session is saved
    seen.extend(keychain.items.values())
