"""The profile on disk (issue 13): file modes, a 0-byte database, a damaged database.

The attacker here is another user of the workstation (modes) or the disk itself (a truncated or
damaged file): nothing is silently lost or silently replaced, and the user is told what to do.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_run import cli

from paris_desk.services import repair
from paris_desk.services.accounts import AccountService
from paris_desk.services.logging_setup import setup_logging, teardown_logging
from paris_desk.store.db import Database, KnownStoreError, StoreErrorCode
from paris_desk.store.profile import Profile

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask of a desktop session: files 0644, directories 0755."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_profile_is_private(open_umask: None) -> None:
    profile = Profile.default()
    service = AccountService(profile)
    setup_logging(profile)
    logging.getLogger("paris_desk.test").warning("one line in the log")
    service.close()
    teardown_logging()
    for directory in (profile.root, profile.log_dir, profile.cache_dir):
        assert mode(directory) == 0o700, directory
    files = [profile.db_path, *profile.log_dir.iterdir(), profile.root / "keychain.json"]
    files += [p for p in profile.root.glob("paris_desk.sqlite3-*")]
    for file in files:
        assert mode(file) == 0o600, file


def test_open_modes_are_fixed_at_start_with_a_warning(
    open_umask: None, caplog: pytest.LogCaptureFixture
) -> None:
    profile = Profile.default()
    AccountService(profile).close()
    profile.settings_path.write_text("{}")
    (profile.root / "settings.ini").write_text("[timeline]\n")  # QSettings keeps the mode after
    (profile.log_dir / "paris_desk.log.1").write_text("old log")
    exposed = [profile.db_path, profile.settings_path, profile.root / "settings.ini",
               profile.log_dir / "paris_desk.log.1"]
    for path in exposed:
        path.chmod(0o644)
    profile.root.chmod(0o755)
    profile.cache_dir.chmod(0o777)

    with caplog.at_level(logging.WARNING, logger="paris_desk.store.profile"):
        AccountService(profile).close()

    assert all(mode(p) == 0o600 for p in exposed)
    assert mode(profile.root) == mode(profile.cache_dir) == 0o700
    warned = " ".join(r.getMessage() for r in caplog.records)
    assert "settings.json was readable by others (mode 644)" in warned
    assert str(profile.cache_dir) in warned


def test_a_zero_byte_database_is_not_taken_as_a_new_profile(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = Profile.default().ensure()
    profile.db_path.write_bytes(b"")  # an interrupted copy, a full disk

    with pytest.raises(KnownStoreError) as refused:
        AccountService(profile)
    assert refused.value.code is StoreErrorCode.EMPTY
    assert profile.db_path.stat().st_size == 0  # untouched

    code, _, err = cli(capsys, monkeypatch, "account", "list")
    assert code == 1
    assert "La base locale est vide (0 octet" in err and "profile repair" in err
    assert profile.db_path.stat().st_size == 0


def damaged_profile(profile: Profile) -> None:
    """Accounts, drafts and outbox rows written first, then many cached posts; then the pages
    at the end of the file (the cache) overwritten, as a failing disk would."""
    db = Database(profile.db_path)
    db.execute("INSERT INTO accounts (id, network, handle, base_url) VALUES "
               "('mastodon:@ville@paris.social', 'mastodon', '@ville@paris.social', "
               "'https://paris.social')")
    db.execute("INSERT INTO drafts VALUES ('d1', 1, '{\"text\": \"Fête de quartier\"}')")
    db.execute("INSERT INTO outbox_jobs (batch_id, account_id, network, idempotency_key, "
               "request_json, state, created_us) VALUES ('d1', 'mastodon:@ville@paris.social',"
               " 'mastodon', 'k1', '{}', 0, 1)")
    rows = [("mastodon:@ville@paris.social", f"uri{n}", n, "x" * 2000) for n in range(3000)]
    db.executemany("INSERT INTO cached_posts VALUES (?, ?, ?, ?)", rows)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    size = profile.db_path.stat().st_size
    with profile.db_path.open("r+b") as file:
        file.seek(size * 3 // 4)
        file.write(b"\xde\xad\xbe\xef" * (size // 16))


def test_a_damaged_database_says_what_to_do_then_is_rebuilt_keeping_what_it_can(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = Profile.default().ensure()
    damaged_profile(profile)

    problem = repair.check(profile)
    assert isinstance(problem, KnownStoreError) and problem.code is StoreErrorCode.CORRUPT
    code, _, err = cli(capsys, monkeypatch, "profile", "repair")
    assert code == 0
    assert "Base endommagée mise de côté" in err
    assert "1 comptes" in err and "1 brouillons" in err and "1 envois" in err
    assert "rechargés depuis les serveurs" in err

    assert repair.check(profile) is None
    db = Database(profile.db_path)
    assert db.scalar("SELECT count(*) FROM accounts") == 1
    assert db.scalar("SELECT draft_json FROM drafts") == '{"text": "Fête de quartier"}'
    assert db.scalar("SELECT idempotency_key FROM outbox_jobs") == "k1"
    assert db.scalar("SELECT count(*) FROM cached_posts") == 0  # fetched again from servers
    db.close()
    aside = list(profile.root.glob("paris_desk.sqlite3.damaged-*Z"))
    assert len(aside) == 1 and aside[0].stat().st_size > 0  # never deleted
    assert mode(profile.db_path) == 0o600


def test_repair_leaves_a_sound_database_alone(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    AccountService(Profile.default()).close()
    code, _, err = cli(capsys, monkeypatch, "profile", "repair")
    assert code == 0 and "intacte" in err
    assert not list(Profile.default().root.glob("*.damaged-*"))


def test_an_empty_database_is_set_aside_on_request(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = Profile.default().ensure()
    profile.db_path.write_bytes(b"")
    code, _, err = cli(capsys, monkeypatch, "profile", "repair")
    assert code == 0 and "rien de lisible" in err
    AccountService(profile).close()  # opens again
    assert [p.stat().st_size for p in profile.root.glob("*.damaged-*")] == [0]


def test_a_file_that_is_not_a_database_is_reported_as_damaged() -> None:
    profile = Profile.default().ensure()
    profile.db_path.write_bytes(b"<html>not sqlite</html>" * 100)
    with pytest.raises(KnownStoreError) as refused:
        AccountService(profile)
    assert refused.value.code is StoreErrorCode.CORRUPT
    result = repair.repair(profile)
    assert result.damaged == ["*"]
    with sqlite3.connect(profile.db_path) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"


def test_damage_found_by_a_query_is_remembered_for_the_next_start(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database opens (its first pages are sound); a query reaches the damaged pages. The
    next start must not carry on as if nothing happened: it says what to do."""
    profile = Profile.default().ensure()
    damaged_profile(profile)
    db = Database(profile.db_path)
    with pytest.raises(KnownStoreError) as found:
        db.execute("SELECT count(*), max(length(post_json)) FROM cached_posts")
    db.close()
    assert found.value.code is StoreErrorCode.CORRUPT

    code, _, err = cli(capsys, monkeypatch, "account", "list")
    assert code == 1 and "endommagée" in err and "profile repair" in err
    code, _, err = cli(capsys, monkeypatch, "profile", "repair")
    assert code == 0 and "1 comptes" in err
    code, _, err = cli(capsys, monkeypatch, "account", "list")
    assert code == 0, err
