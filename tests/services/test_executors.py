"""The process's executors: ``each`` runs items at once, hands errors back, and never
deadlocks a pool whose own threads fan work out (the window refreshes through it)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from paris_desk.services.executors import Executors

HANG_GUARD_S = 30.0  # a guard against a hang, never reached when all is well


def test_each_runs_the_items_at_the_same_time() -> None:
    executors = Executors(network_workers=4)
    together = threading.Barrier(4, timeout=HANG_GUARD_S)  # breaks if they run one by one

    futures = executors.each(lambda n: (together.wait(), n * n)[1], [1, 2, 3, 4])

    assert [f.result() for f in futures] == [1, 4, 9, 16]
    executors.shutdown(1.0)


def test_each_hands_each_error_back_with_its_item() -> None:
    executors = Executors(network_workers=2)

    def check(n: int) -> int:
        if n == 2:
            raise ValueError("two")
        return n

    futures = executors.each(check, [1, 2, 3])

    assert futures[0].result() == 1
    assert isinstance(futures[1].exception(), ValueError)
    assert futures[2].result() == 3
    executors.shutdown(1.0)


def test_fanning_out_from_a_pool_thread_never_deadlocks_the_pool() -> None:
    executors = Executors(network_workers=1)  # the caller holds the only worker

    def refresh() -> list[int]:
        return [f.result() for f in executors.each(lambda n: n + 1, [1, 2, 3])]

    assert executors.network.submit(refresh).result(timeout=HANG_GUARD_S) == [2, 3, 4]
    executors.shutdown(1.0)


def test_writes_run_one_after_the_other_in_order() -> None:
    executors = Executors()
    seen: list[int] = []
    futures = [executors.write(lambda n=n: seen.append(n)) for n in range(50)]
    for future in futures:
        future.result(timeout=HANG_GUARD_S)
    assert seen == list(range(50))
    executors.shutdown(1.0)


@pytest.mark.parametrize("items", [[], [7]])
def test_each_with_no_or_one_item(items: list[int]) -> None:
    executors = Executors(network_workers=1)
    assert [f.result() for f in executors.each(lambda n: n, items)] == items
    executors.shutdown(1.0)


def test_an_outbox_run_from_a_full_shared_pool_still_sends(tmp_path: Any) -> None:
    """The window runs the outbox on the shared network pool; with every worker taken (here
    the only one, by the run itself) the run sends its jobs from its own thread."""
    from paris_desk.core.model import Account, Author, Network, Post, PostRequest
    from paris_desk.services.outbox import OutboxService
    from paris_desk.store.db import Database
    from paris_desk.store.outbox import JobState, OutboxStore

    account = Account("mastodon:@ville@example.org", Network.MASTODON, "@ville", "https://x")

    class Channel:
        def post(self, request: PostRequest) -> Post:
            return Post(uri=f"https://x/{request.idempotency_key}", native_id="1",
                        network=Network.MASTODON, author=Author("@ville"),
                        created_at=request.created_at)

    executors = Executors(network_workers=1)
    outbox = OutboxService(OutboxStore(Database(tmp_path / "db.sqlite3")),
                           lambda _id: Channel(), network=executors.network)  # type: ignore
    outbox.publish("b", [(account, [PostRequest("un"), PostRequest("deux")])])

    jobs = executors.network.submit(outbox.run_due).result(timeout=HANG_GUARD_S)

    assert [job.state for job in jobs] == [JobState.SENT, JobState.SENT]
    executors.shutdown(1.0)
