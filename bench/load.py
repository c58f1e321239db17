"""Benchmark: a bounded load test on loopback, signed in, with the cache up and unreachable.

    .venv/bin/python bench/load.py [--referrals 20000] [--seconds 30] [--threads 4] [--reuse]

Loads N referrals as bench/referrals_bench.py does (or --reuse its database), signs the
practitioner bench.p7 in (with a second factor), then serves the product's settings from
gunicorn (2 sync workers, as in bench/http_floors.py) twice: with the cache on Redis
(REDIS_URL, or the memory cache when it is unset), and with the cache pointed at a port
nothing listens on, as when Redis is down (the product falls back to a memory cache per
process, vru.cache). Each time, for the minimal signed-in view (the floor), the caseload and
the referral API list, a few client threads send requests one after another for the given
seconds (on keep-alive connections where the server keeps them; gunicorn's sync workers close
each one, as they would behind a proxy); printed are requests, throughput and p50/p95/p99 latency. Any answer other
than 200 is counted and makes the benchmark fail. The clients run on the same 2 cores as the
server, so the figures compare paths and modes in one run, not machines.
"""

import argparse
import http.client
import os
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("VRU_BENCH_DB", "vru_bench_referrals")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
PORT = 8713


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def hammer(path: str, cookie: str, seconds: float, threads: int) -> tuple[list[float], int]:
    """Latencies (ms) of every 200 answer, and how many answers were not 200."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client():
        mine, bad = [], 0
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        headers = {"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"}
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            if ok:
                mine.append((time.perf_counter() - started) * 1000)
            else:
                bad += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            failures[0] += bad

    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return latencies, failures[0]


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100)[p - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--referrals", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--reuse", action="store_true", help="keep an already loaded database")
    args = parser.parse_args()
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
    from bench.http_floors import gunicorn
    from vru.models import User

    cookie = floors.signed_in_client(User.objects.get(username="bench.p7")).cookies["sessionid"]
    connection.close()
    paths = [
        (floors.MINIMAL, floors.MINIMAL_PATH),
        ("caseload page", "/programmes/caseload/"),
        ("referral API list", "/api/referrals/"),
    ]
    up = "Redis" if os.environ.get("REDIS_URL") else "memory (REDIS_URL unset)"
    modes = [
        (f"cache up: {up}", {}),
        ("cache unreachable", {"VRU_BENCH_CACHE_URL": f"redis://127.0.0.1:{closed_port()}/0"}),
    ]
    rows, failed = [], 0
    for mode, extra in modes:
        server = gunicorn(PORT, bare=False, env={**os.environ, **extra})
        try:
            for _label, path in paths:  # warm up both workers
                hammer(path, cookie.value, min(2.0, args.seconds), args.threads)
            for label, path in paths:
                latencies, failures = hammer(path, cookie.value, args.seconds, args.threads)
                failed += failures
                rows.append((mode, label, latencies, failures))
        finally:
            server.terminate()
            server.wait(timeout=30)
    out(
        f"\ngunicorn, 2 sync workers; {args.threads} client threads,"
        f" {args.seconds:g} s per path; signed in as the practitioner bench.p7;"
        f" {args.referrals:,} referrals"
    )
    head = f"  {'cache':36} {'path':26} {'requests':>8} {'req/s':>7}"
    out(head + f" {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'not 200':>7}")
    for mode, label, latencies, failures in rows:
        out(
            f"  {mode:36} {label:26} {len(latencies):8} {len(latencies) / args.seconds:7.1f}"
            f" {percentile(latencies, 50):7.1f} {percentile(latencies, 95):7.1f}"
            f" {percentile(latencies, 99):7.1f} {failures:7}"
        )
    if failed:
        raise SystemExit(f"{failed} answers were not 200")


if __name__ == "__main__":
    main()
