"""Start-up with real accounts, as users start the app (a separate process): the cached
timeline comes first; the keychain check and the network wait until it is on screen."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from paris_desk.core.model import Account, Author, Network, Post
from paris_desk.store.accounts import AccountStore
from paris_desk.store.cache import PostCache
from paris_desk.store.db import Database
from paris_desk.store.profile import Profile

ACCOUNT = Account("mastodon:@ville@paris.example", Network.MASTODON, "@ville@paris.example",
                  "http://127.0.0.1:9", label="Mairie")


def cached_profile(home: Path) -> Profile:
    profile = Profile(home).ensure()
    database = Database(profile.db_path)
    try:
        AccountStore(database).upsert(ACCOUNT)
        now = datetime.now(UTC)
        PostCache(database).save_posts(ACCOUNT.id, [
            Post(uri=f"https://paris.example/statuses/{n}", native_id=str(n),
                 network=Network.MASTODON, author=Author("@ville@paris.example", "Ville"),
                 created_at=now - timedelta(minutes=n), text=f"Annonce {n}",
                 seen_by=(ACCOUNT.id,))
            for n in range(30)
        ])
    finally:
        database.close()
    return profile


def test_without_os_keychain_adding_is_refused_once_the_cached_timeline_is_shown(
    tmp_path: Path,
) -> None:
    profile = cached_profile(tmp_path)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PARIS_DESK_HOME": str(tmp_path),
           "PARIS_DESK_QUIT_AFTER_MS": "1500",
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}

    done = subprocess.run(
        [sys.executable, "-m", "paris_desk", "--lang", "en"], env=env, capture_output=True,
        text=True, timeout=60, check=False,
    )

    assert done.returncode == 0, done.stderr
    log = (profile.log_dir / "paris-desk.log").read_text(encoding="utf-8")
    painted = re.search(r"timeline: first paint with 30 posts", log)
    refused = log.find("no OS keychain: adding accounts is refused")
    assert painted is not None, log
    assert refused > painted.start(), log
