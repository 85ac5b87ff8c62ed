"""The log file and ring buffer: rotation, and no secret in either."""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Iterator

import pytest

from paris_desk.services.logging_setup import (
    BACKUP_COUNT,
    MAX_BYTES,
    RING_SIZE,
    RingBufferHandler,
    register_secret,
    ring_buffer,
    setup_logging,
    teardown_logging,
)
from paris_desk.store.profile import Profile

log = logging.getLogger("paris_desk.tests.logging")


@pytest.fixture
def profile() -> Iterator[Profile]:
    yield Profile.default()
    teardown_logging()


def log_file_text(profile: Profile) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return (profile.log_dir / "paris-desk.log").read_text(encoding="utf-8")


def test_messages_go_to_the_profile_log_and_the_ring(profile: Profile) -> None:
    ring = setup_logging(profile, logging.DEBUG)

    log.debug("refreshed %s in %d ms", "ville.bsky.social", 12)

    assert "refreshed ville.bsky.social in 12 ms" in log_file_text(profile)
    assert ring.lines()[-1].endswith("refreshed ville.bsky.social in 12 ms")
    assert ring_buffer() is ring


def test_secrets_are_masked_in_arguments_and_tracebacks(profile: Profile) -> None:
    ring = setup_logging(profile, logging.DEBUG)
    register_secret("opaque-token-QWERTY-42")

    log.info("using %s", "opaque-token-QWERTY-42")
    log.info("header Authorization: Bearer abcdefgh12345678")
    try:
        raise ValueError("rejected password=hunter2hunter2")
    except ValueError:
        log.exception("sign-in failed")

    text = log_file_text(profile) + ring.dump()
    for secret in ("opaque-token-QWERTY-42", "abcdefgh12345678", "hunter2hunter2"):
        assert secret not in text
    assert "ValueError" in text


def test_setting_up_twice_does_not_duplicate_lines(profile: Profile) -> None:
    setup_logging(profile, logging.INFO)
    setup_logging(profile, logging.INFO)

    log.info("once")

    assert log_file_text(profile).count("once") == 1


def test_the_file_rotates_at_one_megabyte_keeping_five(profile: Profile) -> None:
    setup_logging(profile, logging.INFO)
    line = "x" * 1000

    for _ in range(2 * MAX_BYTES // 1000):
        log.info(line)

    files = sorted(p.name for p in profile.log_dir.iterdir())
    assert files == ["paris-desk.log", "paris-desk.log.1", "paris-desk.log.2"]
    assert all(p.stat().st_size <= MAX_BYTES for p in profile.log_dir.iterdir())
    handler = next(
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.handlers.RotatingFileHandler)
    )
    assert handler.backupCount == BACKUP_COUNT == 5


def test_the_ring_keeps_the_last_records() -> None:
    ring = RingBufferHandler()
    ring.setFormatter(logging.Formatter("%(message)s"))

    for n in range(RING_SIZE + 10):
        ring.emit(logging.LogRecord("x", logging.INFO, __file__, 1, "line %d", (n,), None))

    lines = ring.lines()
    assert len(lines) == RING_SIZE == 500
    assert (lines[0], lines[-1]) == ("line 10", f"line {RING_SIZE + 9}")
