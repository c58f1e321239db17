"""Settings for bench/impact_report_bench.py: the product's settings on their own PostgreSQL
database (vru_report_bench), eager Celery, plain static storage, a temporary media root."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
# always the bench's own database (which it drops and loads), never DATABASE_URL's: bench/run.py
# passes the product's DATABASE_URL to every benchmark
os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/" + os.environ.get(
    "VRU_BENCH_DB", "vru_report_bench"
)
os.environ.setdefault("DJANGO_MEDIA_ROOT", os.path.join(tempfile.gettempdir(), "vru_report_bench"))

from vru.settings import *  # noqa: F403

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = True
LOGGING = {"version": 1, "disable_existing_loggers": True}
