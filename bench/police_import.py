"""Benchmark: one police.uk force-month through the product's importer, against `psql \\copy`
of the same file (the floor), in the same run, on PostgreSQL.

    .venv/bin/python bench/police_import.py [--runs 5] [--file vru/demo_data/police_uk/2018-11-essex-street.csv.gz]

Sets up a fresh database (VRU_BENCH_DB, default `vru_bench_police`) with the Essex VVP partnership and its 1,111 real
LSOAs (from vru/demo_data), then imports the file R times (each re-import replaces the month,
so every run does the full work: parse, map 2011 codes, apportion splits, aggregate, delete
the month, bulk insert). The floor is `\\copy` of the same CSV into an unlogged 12-text-column
table. Prints medians, rows per second and the ratio. Then times an analyst's lists of what
was imported (the crime imports page, area profiles page and API, neighbourhoods) beside both
floors (bench/floors.py).
"""

import argparse
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import database  # noqa: E402  (after the path)

DB = os.environ.setdefault("VRU_BENCH_DB", "vru_bench_police")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"  # tasks run in-process
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q"]


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def psql(sql: str, db: str = DB) -> None:
    subprocess.run([*PSQL, "-d", db, "-c", sql], check=True)


def fresh_database() -> None:
    database.create(DB)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def essex():
    from vru import demo
    from vru.models import Partnership

    partnership, _ = Partnership.objects.get_or_create(
        slug="essex-vvp", defaults={"name": "Essex VVP", "short_name": "Essex VVP"}
    )
    demo._places(partnership)
    demo._lsoas(partnership)
    return partnership


def copy_floor(csv_path: Path) -> float:
    psql(
        "DROP TABLE IF EXISTS bench_police; CREATE UNLOGGED TABLE bench_police ("
        + ", ".join(f"c{i} text" for i in range(12))
        + ")"
    )
    start = time.perf_counter()
    subprocess.run(
        [*PSQL, "-d", DB, "-c", f"\\copy bench_police FROM '{csv_path}' WITH (FORMAT csv, HEADER)"],
        check=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=100, help="of each list, beside the floors")
    parser.add_argument(
        "--file", type=Path, default=ROOT / "vru/demo_data/police_uk/2018-11-essex-street.csv.gz"
    )
    args = parser.parse_args()
    content = (
        gzip.decompress(args.file.read_bytes())
        if args.file.suffix == ".gz"
        else args.file.read_bytes()
    )
    rows = content.count(b"\n") - 1
    fresh_database()
    partnership = essex()
    from vru import services

    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as tmp:
        tmp.write(content)
    csv_path = Path(tmp.name)
    product, floor = [], []
    for _ in range(args.runs):  # paired: A B A B ...
        floor.append(copy_floor(csv_path))
        start = time.perf_counter()
        # every run after the first replaces the month (and keeps a snapshot of it, as
        # every confirmed replacement does)
        record = services.crime_file_import(
            actor=None,
            partnership=partnership,
            file_name=args.file.name,
            content=content,
            replace=True,
        )
        product.append(time.perf_counter() - start)
    csv_path.unlink()
    p, f = statistics.median(product), statistics.median(floor)
    ratios = sorted(a / b for a, b in zip(product, floor, strict=True))
    out(f"police.uk force-month: {args.file.name}, {rows:,} rows, {args.runs} paired runs")
    out(f"  report: {record.rows_counted:,} counted, skipped {record.skipped}")
    out(f"  floor  psql \\copy (whole psql process): median {f:.3f} s = {rows / f:,.0f} rows/s")
    out(f"  product crime_file_import (in-process):  median {p:.3f} s = {rows / p:,.0f} rows/s")
    out(
        f"  ratio product/floor, paired median: {statistics.median(ratios):.2f}x "
        f"(product runs at {100 * f / p:.0f}% of COPY's rate)"
    )
    lists(partnership, args.requests)


def lists(partnership, requests: int) -> None:
    from bench import floors
    from vru import services
    from vru.models import Role

    analyst = services.user_create(
        actor=None, username="bench.analyst", partnership=partnership, roles=[Role.ANALYST]
    )
    timings = floors.measure(
        analyst,
        [
            ("crime imports page", "/crime-imports/"),
            ("area profiles page", "/area-profiles/"),
            ("area profiles API list", "/api/area-profiles/"),
            ("neighbourhoods page", "/neighbourhoods/"),
            ("LSOA API list", "/api/lsoas/"),
        ],
        requests,
    )
    floors.report(f"an analyst's lists ({requests} requests each):", timings)


if __name__ == "__main__":
    main()
