"""TIDs: the Bluesky record keys the outbox picks before the first send."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from atproto_client.models.string_formats import TID_RE

from paris_desk.core.tid import TidClock, decode, encode, is_tid, next_tid

MOMENT = datetime(2026, 6, 21, 18, 30, 0, 123456, tzinfo=UTC)


def test_encoding_known_values() -> None:
    assert encode(0) == "2222222222222"
    assert encode(31) == "222222222222z"
    assert encode(32) == "2222222222232"
    assert encode((1 << 63) - 1) == "bzzzzzzzzzzzz"  # 64 bits, the top one zero
    with pytest.raises(ValueError, match="out of range"):
        encode(1 << 63)
    with pytest.raises(ValueError, match="out of range"):
        encode(-1)


def test_a_tid_holds_its_time_and_clock_id() -> None:
    tid = TidClock(clock_id=517).next(now=MOMENT)
    assert len(tid) == 13
    assert decode(tid) == (MOMENT, 517)


def test_tids_are_accepted_by_the_sdk_validator() -> None:
    clock = TidClock()
    for tid in [clock.next() for _ in range(200)] + [next_tid()]:
        assert is_tid(tid)
        assert TID_RE.match(tid)


def test_tids_sort_as_text_in_issue_order() -> None:
    clock = TidClock(clock_id=1)
    tids = [clock.next() for _ in range(5000)]
    assert tids == sorted(tids)
    assert len(set(tids)) == len(tids)


def test_never_repeats_nor_goes_back_when_the_clock_does() -> None:
    clock = TidClock(clock_id=3)
    first = clock.next(now=MOMENT)
    same_instant = clock.next(now=MOMENT)
    earlier = clock.next(now=MOMENT - timedelta(hours=1))  # NTP stepped the clock back
    assert first < same_instant < earlier
    assert decode(earlier)[0] == MOMENT + timedelta(microseconds=2)


def test_thread_safe_uniqueness_and_per_thread_order() -> None:
    clock = TidClock(clock_id=9)
    results: list[list[str]] = [[] for _ in range(8)]

    def work(out: list[str]) -> None:
        for _ in range(1500):
            out.append(clock.next())

    threads = [threading.Thread(target=work, args=(out,)) for out in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [tid for out in results for tid in out]
    assert len(set(every)) == len(every)
    for out in results:
        assert out == sorted(out)


def test_random_clock_id_is_in_range() -> None:
    assert all(0 <= TidClock().clock_id <= 1023 for _ in range(50))


@pytest.mark.parametrize("clock_id", [-1, 1024])
def test_clock_id_out_of_range(clock_id: int) -> None:
    with pytest.raises(ValueError, match="clock id"):
        TidClock(clock_id)


@pytest.mark.parametrize(
    "candidate",
    [
        "3jzfcijpj2z2",  # 12 characters
        "3jzfcijpj2z2aa",  # 14
        "3JZFCIJPJ2Z2A",  # upper case
        "kjzfcijpj2z2a",  # first character sets the top bit
        "3jzfcijpj2z21",  # "1" is not in the alphabet
        "not-a-tid",
        "",
        None,
        12345,
    ],
)
def test_is_tid_rejects(candidate: object) -> None:
    assert not is_tid(candidate)
    if isinstance(candidate, str):
        with pytest.raises(ValueError, match="not a TID"):
            decode(candidate)


def test_is_tid_accepts_a_real_rkey() -> None:
    assert is_tid("3jzfcijpj2z2a")  # the example in the atproto lexicon docs
