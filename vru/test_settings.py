"""Explicit testing settings only: everything else comes from vru.settings."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")

from vru.settings import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# The address the links in e-mails start with (tests/test_emails.py checks every e-mail's).
VRU_SITE_URL = "https://vru.example.org"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The test client and the browser talk plain http to 127.0.0.1.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Test-only keys for encrypted fields and blind indexes.
VRU_FIELD_ENCRYPTION_KEYS = ["dGVzdC1vbmx5LWtleS1mb3ItZW5jcnlwdGVkLWZpZWw="]
VRU_BLIND_INDEX_KEY = "test-only-blind-index-key"
# Tests run their own tasks inline unless a test starts a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Serve static files from the source folders (no collectstatic before tests).
WHITENOISE_AUTOREFRESH = True

# Several test runs, and the pytest-xdist workers of one run, may share one PostgreSQL server:
# tests/conftest.py gives each its own test database (tests/databases.py says which).
# On Redis, each test process's cache keys carry a prefix of its own, and a test empties only
# its own keys (tests/conftest.py), never the database the broker and other runs use.
if REDIS_URL:
    CACHES["default"]["KEY_PREFIX"] = f"test{os.getpid()}"
# Hundreds of tests sign in with force_login (no second factor, no recent re-authentication):
# the MFA and re-authentication tests turn these back on (tests/vru/test_mfa.py).
VRU_MFA_REQUIRED = False
VRU_REAUTH_REQUIRED = False
# Every list served from SQL compiled once per shape is checked against the ORM's own.
VRU_CHECK_COMPILED_QUERIES = True
