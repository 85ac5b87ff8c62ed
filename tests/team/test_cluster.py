"""The test cluster itself: real, private, password-protected, and never silently absent."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from team.pgcluster import Cluster, PostgresMissing, find_bin


def test_the_cluster_listens_on_loopback_with_scram_passwords(pg_cluster: Cluster) -> None:
    with psycopg.connect(pg_cluster.dsn()) as conn:
        version = conn.execute("SHOW server_version_num").fetchone()
        listen = conn.execute("SHOW listen_addresses").fetchone()
        encryption = conn.execute("SHOW password_encryption").fetchone()
    assert version is not None and int(version[0]) >= 150000
    assert listen == ("127.0.0.1",)
    assert encryption == ("scram-sha-256",)
    assert pg_cluster.port != 5432


def test_a_wrong_password_is_refused(pg_cluster: Cluster) -> None:
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(pg_cluster.dsn(password="not-the-password", user="paris_desk_test_dba"))


def test_no_postgresql_is_an_error_that_says_what_to_run(tmp_path: Path) -> None:
    (tmp_path / "14" / "bin").mkdir(parents=True)  # too old, and empty
    with pytest.raises(PostgresMissing, match=r"scripts/setup\.sh test"):
        find_bin(tmp_path)
    with pytest.raises(PostgresMissing):
        find_bin(tmp_path / "absent")
