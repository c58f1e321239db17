"""Run the benchmarks one after another (`make bench`), each beside its floor in the same run.

    .venv/bin/python bench/run.py                 # all of them, at the sizes the issues set
    .venv/bin/python bench/run.py referrals_bench # only the ones named

They need PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/vru) except
core_lists, which runs in-process on the embedded default. Each prints its own figures; a
failing benchmark stops nothing else, and the exit status says whether any failed.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
BENCHMARKS = [
    "core_lists",
    "police_import",
    "risk_index",
    "grants_bench",
    "referrals_bench",
    "impact_report_bench",
]


def main(names: list[str]) -> int:
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        print(f"Unknown benchmark(s): {', '.join(unknown)}. Known: {', '.join(BENCHMARKS)}")
        return 2
    env = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/vru", **os.environ}
    failed = []
    for name in names or BENCHMARKS:
        print(f"\n== {name} ==", flush=True)
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, str(BENCH / f"{name}.py")], cwd=BENCH.parent, env=env, check=False
        )
        print(f"== {name}: exit {result.returncode} after {time.monotonic() - started:.0f} s")
        if result.returncode:
            failed.append(name)
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
