"""Benchmark: the core's list pages and API lists against a minimal Django JSON view.

Runs in-process with Django's test client on the database named by DATABASE_URL (SQLite by
default), after loading the demo (1,528 real LSOAs). Each path is requested 200 times after
20 warm-up requests; the minimal view is measured in the same run, interleaved, so the
ratio holds on this noisy 2-core machine. Goal (docs/performance.md): API list of 50 rows within
3x the minimal view's median.

    .venv/bin/python bench/core_lists.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vru.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402
from django.urls import include, path  # noqa: E402

from vru import demo  # noqa: E402
from vru.models import User  # noqa: E402

ROWS = [{"code": f"E01{n:06d}", "name": f"Area {n}", "population": 1500 + n} for n in range(50)]


def minimal(request):
    return JsonResponse({"count": 50, "results": ROWS})


urlpatterns = [path("bench/minimal/", minimal), path("", include("vru.urls"))]


def timed(client: Client, url: str) -> tuple[float, int]:
    reset_queries()
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(connection.queries)


def main() -> None:
    setup_test_environment()
    demo.load_demo()
    client = Client()
    client.force_login(User.objects.get(username="essex.analyst"))
    paths = {
        "minimal JSON view (floor)": "/bench/minimal/",
        "API /api/lsoas/ (50 rows)": "/api/lsoas/?page_size=50",
        "API /api/success-measures/": "/api/success-measures/",
        "page /neighbourhoods/ (50 rows)": "/neighbourhoods/",
        "page /neighbourhoods/ filtered+sorted": "/neighbourhoods/?imd_decile=1&imd_decile=2&sort=-population",
    }
    with override_settings(ROOT_URLCONF=__name__, DEBUG=True):
        for url in paths.values():
            for _ in range(20):
                timed(client, url)
        samples = {name: [] for name in paths}
        queries = {}
        for _ in range(200):
            for name, url in paths.items():
                ms, n = timed(client, url)
                samples[name].append(ms)
                queries[name] = n
    floor = statistics.median(samples["minimal JSON view (floor)"])
    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"database: {db}; 200 requests each, in-process test client")
    print(f"{'path':<42} {'median ms':>10} {'p95 ms':>8} {'x floor':>8} {'queries':>8}")
    for name, values in samples.items():
        values.sort()
        median = statistics.median(values)
        p95 = values[int(len(values) * 0.95) - 1]
        print(f"{name:<42} {median:>10.2f} {p95:>8.2f} {median / floor:>8.1f} {queries[name]:>8}")


if __name__ == "__main__":
    main()
