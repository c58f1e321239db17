"""The benchmarks of bench/ still run: each at a tiny size, on its own throwaway PostgreSQL
database, with every list beside both floors (the bare view and the minimal signed-in view).
(Their figures are read from full-size runs, docs/performance.md; here only that they work,
since a benchmark that broke with a migration would otherwise go unnoticed until someone
needed it.)"""

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the benchmarks load PostgreSQL databases"
    ),
    pytest.mark.slow,
]


@pytest.fixture(autouse=True)
def copied_from_the_runs_template(database_template, monkeypatch):
    """Each benchmark copies the run's migrated template rather than migrating its own."""
    if database_template:
        monkeypatch.setenv("VRU_BENCH_TEMPLATE", database_template)


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


def lists_beside_both_floors(output: str, *labels: str) -> None:
    assert "bare view (Django, no middleware)" in output
    assert "minimal signed-in view" in output
    assert "x bare" in output
    assert "x minimal" in output
    for label in labels:
        assert label in output, label


def test_the_referrals_benchmark_runs_lists_and_import_beside_their_floors():
    output = run_bench(
        "referrals_bench.py", "--referrals", "20000", "--import-rows", "300", "--requests", "3"
    )

    assert "loaded 20,000 referrals" in output
    lists_beside_both_floors(output, "caseload page", "referral API list", "caseload, next page")
    assert "each list's own queries alone" in output
    assert re.search(
        r"referral API list: +median .* the minimal view's p10 .*; queries: 1\n", output
    )
    assert "import of 300 rows: psql \\copy" in output
    assert "% of COPY's rate" in output
    assert "the database's own floor for these rows" in output


def test_the_impact_report_benchmark_runs_beside_its_raw_sql_floor():
    output = run_bench(
        "impact_report_bench.py", "--referrals", "3000", "--repeat", "1", "--requests", "3"
    )

    assert "raw SQL" in output
    lists_beside_both_floors(output, "reports list page", "a report's page")


def test_the_core_lists_benchmark_runs_beside_both_floors():
    output = run_bench("core_lists.py", "--requests", "3")

    lists_beside_both_floors(output, "API /api/lsoas/ (50 rows)", "page /neighbourhoods/ (50 rows)")


def test_the_grants_benchmark_runs_signed_in_with_a_second_factor():
    output = run_bench(
        "grants_bench.py", "--applications", "40", "--reviewers", "9", "--requests", "3"
    )

    assert "Moderation of the round" in output
    lists_beside_both_floors(output, "awards API list", "applications page")
    assert "Decision letter PDF" in output


def test_the_police_import_benchmark_runs_beside_copy_and_both_floors():
    output = run_bench("police_import.py", "--runs", "1", "--requests", "3")

    assert "ratio product/floor" in output
    lists_beside_both_floors(output, "crime imports page", "area profiles API list")


def test_the_risk_index_benchmark_runs_beside_its_sql_floor_and_both_floors():
    output = run_bench(
        "risk_index.py", "--lsoas", "300", "--years", "2", "--runs", "1", "--requests", "3"
    )

    assert "identical ranks: True" in output
    lists_beside_both_floors(output, "risk runs page", "hotspots API list", "neighbourhoods page")


def test_the_load_benchmark_serves_signed_in_lists_with_the_cache_up_and_unreachable():
    output = run_bench("load.py", "--referrals", "2000", "--seconds", "2", "--threads", "2")
    assert "p99 ms" in output
    for mode in ("cache up", "cache unreachable"):
        for path in ("minimal signed-in view", "caseload page", "referral API list"):
            line = next((row for row in output.splitlines() if mode in row and path in row), None)
            assert line is not None, (mode, path)
            assert line.split()[-1] == "0", line  # every answer was a 200
