"""Settings for bench/grants_bench.py: the product's settings on its own database
(vru_grants_bench), plain static storage, the test client's host, and a urlconf that adds a
minimal view beside the product's URLs (bench/referrals_urls.py)."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/vru_grants_bench"
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
os.environ["DJANGO_SECURE_COOKIES"] = "0"

from vru.settings import *  # noqa: F403

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
ROOT_URLCONF = "bench.referrals_urls"
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = tempfile.mkdtemp(prefix="grants-bench-media-")
LOGGING = {"version": 1, "disable_existing_loggers": True}
