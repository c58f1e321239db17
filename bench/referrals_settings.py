"""Settings for bench/referrals_bench.py: the product's settings, its own database, plain static
storage (no collectstatic needed), the test client's host, and a urlconf that adds a minimal
view beside the product's URLs."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
# always the bench's own database (which it drops and loads), never DATABASE_URL's: bench/run.py
# passes the product's DATABASE_URL to every benchmark
os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/" + os.environ.get(
    "VRU_BENCH_DB", "vru_bench_referrals"
)
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"  # the test client speaks plain HTTP
os.environ["DJANGO_SECURE_COOKIES"] = "0"

from vru.settings import *  # noqa: F403

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
ROOT_URLCONF = "bench.referrals_urls"
CELERY_TASK_ALWAYS_EAGER = True
LOGGING = {"version": 1, "disable_existing_loggers": True}
# bench-only keys (identity fields are encrypted at rest; the import encrypts every row)
VRU_FIELD_ENCRYPTION_KEYS = ["YmVuY2gtb25seS1rZXktbm90LWZvci1hbnl0aGluZy0="]
VRU_BLIND_INDEX_KEY = "bench-only-blind-index-key"
