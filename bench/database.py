"""Each benchmark's own, fresh PostgreSQL database (VRU_BENCH_DB).

Made empty and migrated by the benchmark, or, when VRU_BENCH_TEMPLATE names a database
already migrated by the same migrations (the test suite passes its own, tests/databases.py),
copied from it: PostgreSQL copies a database in about a second, where migrating an empty one
takes 15-30 seconds on the 2-core machine. The benchmark's `migrate` then finds nothing to
do. What is measured is the same either way.
"""

import os
import subprocess

PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q"]


def psql(sql: str, db: str = "postgres") -> None:
    subprocess.run([*PSQL, "-d", db, "-c", sql], check=True)


def create(name: str) -> None:
    """Drop `name` if it exists and make it again, empty or as a copy of the template."""
    template = os.environ.get("VRU_BENCH_TEMPLATE")
    psql(f'DROP DATABASE IF EXISTS "{name}"')
    psql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
