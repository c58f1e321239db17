"""Run the benchmarks one after another (`make bench`), each beside its floors in the same run.

    .venv/bin/python bench/run.py                 # all of them, at their full sizes
    .venv/bin/python bench/run.py referrals_bench # only the ones named

They need the local PostgreSQL (127.0.0.1:5432, user postgres); each drops and loads its own
database (bench/settings.py), never the product's. Every list is printed beside both floors
(bench/floors.py: the bare view and the minimal signed-in view). Each prints its own figures;
a failing benchmark stops nothing else, and the exit status says whether any failed. The
latest figures and what they mean: docs/performance.md.
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
    "load",
]


def main(names: list[str]) -> int:
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        print(f"Unknown benchmark(s): {', '.join(unknown)}. Known: {', '.join(BENCHMARKS)}")
        return 2
    env = dict(os.environ)
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
