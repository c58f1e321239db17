"""Benchmark: throughput under gunicorn (2 sync workers, persistent database connections),
the floors beside the referral lists, measured with wrk in the same run.

    .venv/bin/python bench/http_floors.py [--referrals 100000] [--seconds 10] [--rounds 3]
                                          [--reuse]

Loads N referrals as bench/referrals_bench.py does (or --reuse its database), signs the
practitioner bench.p7 in (with a second factor, as the product requires), then serves:

- the bare view from a gunicorn whose Django handler has no middleware (bench/bare_wsgi.py);
- the minimal signed-in view, the caseload page and the referral API list from a gunicorn
  of the product's settings, with the practitioner's session cookie.

Each round runs `wrk -t1 -c4 -d<seconds>s --latency` against each path in turn (wrk runs
on the same 2 cores); the medians over the rounds of requests per second and p50 latency
are printed with their ratios to both floors. Needs wrk (`apt-get install wrk`).
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("VRU_BENCH_DB", "vru_bench_referrals")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
BARE_PORT, PRODUCT_PORT = 8711, 8712


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def gunicorn(port: int, bare: bool, env: dict | None = None) -> subprocess.Popen:
    env = dict(os.environ if env is None else env)
    app = "bench.bare_wsgi:application" if bare else "vru.wsgi:application"
    command = [sys.executable, "-m", "gunicorn", app]
    command += ["--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except OSError as error:
            if getattr(error, "code", None):  # an HTTP answer (even 503): it serves
                return server
            time.sleep(0.3)
    server.kill()
    raise SystemExit(f"gunicorn on port {port} did not start")


def wrk(url: str, seconds: int, cookie: str | None) -> tuple[float, float]:
    command = ["wrk", "-t1", "-c4", f"-d{seconds}s", "--latency", url]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in text:
        raise SystemExit(f"{url} answered other than 200:\n{text}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    value, unit = re.search(r"\s50%\s+([\d.]+)(us|ms|s)", text).groups()
    p50 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return rate, p50


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep an already loaded database")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    import referrals_bench

    if not args.reuse:
        referrals_bench.create_database()
    referrals_bench.setup_django()
    if args.reuse:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    else:
        referrals_bench.load(args.referrals)
    from django.db import connection

    from bench import floors
    from vru.models import User

    client = floors.signed_in_client(User.objects.get(username="bench.p7"))
    cookie = client.cookies["sessionid"].value
    connection.close()
    paths = [
        (floors.BARE, BARE_PORT, floors.MINIMAL_PATH, None),
        (floors.MINIMAL, PRODUCT_PORT, floors.MINIMAL_PATH, cookie),
        ("caseload page", PRODUCT_PORT, "/programmes/caseload/", cookie),
        ("referral API list", PRODUCT_PORT, "/api/referrals/", cookie),
    ]
    servers = [gunicorn(BARE_PORT, bare=True), gunicorn(PRODUCT_PORT, bare=False)]
    try:
        results: dict[str, list[tuple[float, float]]] = {label: [] for label, *_ in paths}
        for _label, port, path, session in paths:  # warm up every worker
            wrk(f"http://127.0.0.1:{port}{path}", 2, session)
        for _ in range(args.rounds):
            for label, port, path, session in paths:
                results[label].append(wrk(f"http://127.0.0.1:{port}{path}", args.seconds, session))
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    rate = {label: statistics.median(r for r, _ in rows) for label, rows in results.items()}
    p50 = {label: statistics.median(p for _, p in rows) for label, rows in results.items()}
    out(
        f"\ngunicorn, 2 sync workers, wrk -t1 -c4, {args.rounds} rounds of {args.seconds} s;"
        " signed in as the practitioner bench.p7"
    )
    out(f"  {'path':44} {'req/s':>8} {'p50 ms':>7} {'x bare (p50)':>12} {'x minimal (p50)':>15}")
    for label, *_ in paths:
        x_minimal = "-" if label == floors.BARE else f"{p50[label] / p50[floors.MINIMAL]:.1f}"
        out(
            f"  {label:44} {rate[label]:8.0f} {p50[label]:7.2f}"
            f" {p50[label] / p50[floors.BARE]:12.1f} {x_minimal:>15}"
        )


if __name__ == "__main__":
    main()
