"""Settings for every benchmark: the product's own settings (middleware, sessions, cache,
DEBUG off) on the benchmark's own PostgreSQL database, which it drops and loads.

The database is named by VRU_BENCH_DB; each benchmark sets its own default before Django
starts (tests/test_benches.py gives each run a throwaway one). Never DATABASE_URL's:
bench/run.py passes the product's environment to every benchmark. REDIS_URL is kept, so the
cache (the API's per-user rate counters) is Redis when the product's would be.
"""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/" + os.environ.get(
    "VRU_BENCH_DB", "vru_bench"
)
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"  # the test client speaks plain HTTP
os.environ["DJANGO_SECURE_COOKIES"] = "0"
os.environ.setdefault("DJANGO_MEDIA_ROOT", tempfile.mkdtemp(prefix="vru-bench-media-"))

from vru.settings import *  # noqa: F403

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
ROOT_URLCONF = "bench.urls"
CELERY_TASK_ALWAYS_EAGER = True
LOGGING = {"version": 1, "disable_existing_loggers": True}
# bench-only keys (identity fields are encrypted at rest; imports encrypt every row)
VRU_FIELD_ENCRYPTION_KEYS = ["YmVuY2gtb25seS1rZXktbm90LWZvci1hbnl0aGluZy0="]
VRU_BLIND_INDEX_KEY = "bench-only-blind-index-key"
VRU_SITE_URL = "https://vru.example.org"
# The API's per-user rate is still counted on every request (its cost is part of each API
# list's figure), but a benchmark's hundreds of requests a minute must not be refused.
VRU_API_RATE = "1000000/minute"
# bench/load.py points the cache (never the database) at a port nothing listens on, to
# measure the service with Redis unreachable.
if os.environ.get("VRU_BENCH_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "vru.cache.RedisCache",
            "LOCATION": os.environ["VRU_BENCH_CACHE_URL"],
        }
    }
