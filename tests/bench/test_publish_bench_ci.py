"""The CI-sized run of bench/publish_bench.py (100 posts, faults on every write endpoint and
on the probe's reads, twin texts, two writers): counts only, never a time. 0 duplicates, 0
losses, every report true, after the faulted drain and after retrying what failed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from publish_bench import ci_run


def test_100_posts_under_faults_no_duplicate_no_loss_every_report_true(
    tmp_path: Path, mastodon_sandbox: Any, bluesky_sandbox: Any
) -> None:
    faulted, final = ci_run(mastodon_sandbox, bluesky_sandbox, tmp_path, posts=100, seed=7)

    assert faulted.faults > 0  # the run did meet faults
    for report in (faulted, final):
        assert (report.duplicates, report.losses, report.unexpected) == (0, 0, 0), report
        assert (report.false_sent, report.false_failed) == (0, 0), report
    assert final.sent == final.jobs, final  # after the retry, every job is published
