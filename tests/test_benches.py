"""The benchmarks of bench/ still run: each at a tiny size, on its own throwaway PostgreSQL
database. (Their figures are read from full-size runs; here only that they work, since a
benchmark that broke with a migration would otherwise go unnoticed until someone needed it.)"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the benchmarks load PostgreSQL databases"
)


def run_bench(script: str, *args: str) -> str:
    database = f"vru_bench_test_{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "VRU_BENCH_DB": database}
    try:
        result = subprocess.run(
            [sys.executable, str(ROOT / "bench" / script), *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    finally:
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-q",
                "-d",
                "postgres",
                "-c",
                f"DROP DATABASE IF EXISTS {database} WITH (FORCE)",
            ],
            capture_output=True,
            check=False,
        )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def test_the_referrals_benchmark_runs_lists_and_import_beside_their_floors():
    output = run_bench(
        "referrals_bench.py", "--referrals", "12000", "--import-rows", "300", "--requests", "3"
    )

    assert "loaded 12,000 referrals" in output
    assert "minimal view median" in output
    assert "caseload page" in output
    assert "referral API list" in output
    assert "import of 300 rows: psql \\copy" in output
    assert "% of COPY's rate" in output
    assert "the database's own floor for these rows" in output


def test_the_impact_report_benchmark_runs_beside_its_raw_sql_floor():
    output = run_bench("impact_report_bench.py", "--referrals", "3000", "--repeat", "1")

    assert "raw SQL" in output
