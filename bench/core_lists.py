"""Benchmark: the core's list pages and API lists, each beside both floors (bench/floors.py).

    .venv/bin/python bench/core_lists.py [--requests 200]

Loads the demo (1,528 real LSOAs in two partnerships, their SNAs and success measures) into
a fresh PostgreSQL database (VRU_BENCH_DB, default `vru_bench_core`), vacuums and analyses its
tables as autovacuum would (the shared server runs none), then times, in one
process through the whole middleware stack signed in as the Essex analyst, the
neighbourhood, needs-assessment and success-measure lists (pages and API), interleaved with
the bare view and the minimal signed-in view. Target (docs/performance.md): an API list of
50 rows within 3x the minimal signed-in view.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import database

DB = os.environ.setdefault("VRU_BENCH_DB", "vru_bench_core")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"


def settle() -> None:
    """The loaded tables as autovacuum leaves a live database: statistics, no dead rows
    (loading the demo rewrites each neighbourhood several times, drawing its outline), and the
    visibility map that lets a count be an index-only scan. Table by table: a database-wide
    VACUUM also takes the shared catalogs and waits for other databases' sessions."""
    from django.db import connection

    tables = [
        name
        for name in connection.introspection.table_names()
        if name.startswith("vru_") or name == "django_session"
    ]
    with connection.cursor() as cursor:  # autocommit: VACUUM runs outside a transaction
        cursor.execute(
            "VACUUM (ANALYZE) " + ", ".join(connection.ops.quote_name(t) for t in tables)
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    database.create(DB)

    import django

    django.setup()
    from django.core.management import call_command

    from bench import floors
    from vru import demo
    from vru.models import User

    call_command("migrate", verbosity=0)
    demo.load_demo()
    settle()
    timings = floors.measure(
        User.objects.get(username="essex.analyst"),
        [
            ("API /api/lsoas/ (50 rows)", "/api/lsoas/?page_size=50"),
            ("API /api/success-measures/", "/api/success-measures/"),
            ("API /api/needs-assessments/", "/api/needs-assessments/"),
            ("page /neighbourhoods/ (50 rows)", "/neighbourhoods/"),
            (
                "page /neighbourhoods/ filtered+sorted",
                "/neighbourhoods/?imd_decile=1&imd_decile=2&sort=-population",
            ),
            ("page /needs-assessments/", "/needs-assessments/"),
            ("page /success-measures/", "/success-measures/"),
        ],
        args.requests,
    )
    floors.report(f"The Essex analyst's lists ({args.requests} requests each):", timings)


if __name__ == "__main__":
    main()
