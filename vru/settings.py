"""One settings module for every environment.

An absent variable gives the embedded backend (SQLite, eager Celery, local files, console
email); a present one gives the production backend. Nothing secret has a default outside DEBUG.
"""

import sys
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from kombu import Exchange, Queue

from vru.schedule import beat_schedule

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
env.read_env(BASE_DIR / ".env")  # optional; real environment variables win

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
# Writing or checking migrations reads the models only (nothing is signed or served), so it
# runs bare, as CI hooks call it; everything else refuses to start without a real key.
MIGRATIONS_ONLY = sys.argv[1:2] == ["makemigrations"]
if not SECRET_KEY:
    if not (DEBUG or MIGRATIONS_ONLY):
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for local work).")
    SECRET_KEY = "django-insecure-local-only"  # noqa: S105 - never serves a request
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # allauth's passkey list uses it
    "django.forms",  # the GOV.UK form renderer extends Django's own widget templates
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_htmx",
    "vru",
    "programmes",
    "grants",
    "evaluation",
    "duty",
    "sharing",
    "rights",
    "finance",
]

MIDDLEWARE = [
    "vru.middleware.RequestScopeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "vru.middleware.AuthenticationMiddleware",  # Django's, the user loaded at once
    "allauth.account.middleware.AccountMiddleware",
    "vru.middleware.LoginRequiredExceptAPIMiddleware",
    "vru.middleware.SessionSecurityMiddleware",
    "vru.middleware.MFAEnrolmentMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "vru.middleware.ContentSecurityPolicyMiddleware",  # Django's, each policy written once
    "vru.audit.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vru.urls"
WSGI_APPLICATION = "vru.wsgi.application"
ASGI_APPLICATION = "vru.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "vru.context_processors.navigation",
                "vru.context_processors.small_numbers",
            ],
        },
    },
]
FORM_RENDERER = "vru.forms.GovukFormRenderer"

# Database: SQLite file unless DATABASE_URL (postgres://...) is set.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",  # wait for the lock, not "database is locked"
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;",
    }
else:
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend with psycopg's fast timestamp loading (vru/postgresql/base.py)
        DATABASES["default"]["ENGINE"] = "vru.postgresql"
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) exist for PostgreSQL's index-only counts; SQLite, the embedded
# default, builds the same indexes without the included columns, which is all it needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "vru.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's and allauth's backends, taking each request's user as loaded with its session
    # (partnership, roles and programmes in the same one query: vru.sessions, vru.viewer)
    "vru.auth_backends.UserBackend",
    "vru.auth_backends.AccountBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failures, keyed on username *and* address so that nobody can
# lock a user out from another address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Signing in is django-allauth's flow (password, then a second factor when the user has one);
# the pages are ours (templates/account, templates/mfa, templates/allauth: GOV.UK styled).
ACCOUNT_ADAPTER = "vru.accounts.AccountAdapter"
MFA_ADAPTER = "vru.accounts.MFAAdapter"  # secrets encrypted with the field keys
# Every form names its field in its errors (vru.forms.GovukErrorsMixin), allauth's too.
ACCOUNT_FORMS = {
    "login": "vru.forms.SignInForm",
    "reset_password": "vru.forms.ResetPasswordForm",
    "reset_password_from_key": "vru.forms.ResetPasswordKeyForm",
    "change_password": "vru.forms.ChangePasswordForm",
    "set_password": "vru.forms.SetPasswordForm",
    "reauthenticate": "vru.forms.ReauthenticateForm",
}
MFA_FORMS = {
    "authenticate": "vru.forms.MFAAuthenticateForm",
    "reauthenticate": "vru.forms.MFAReauthenticateForm",
    "activate_totp": "vru.forms.ActivateTOTPForm",
}
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]  # sign-up itself is closed (adapter)
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False  # sessions end with the browser and the timeouts below
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False  # a reset never signs in, so never skips MFA
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# A reset asked for an address no account has sends nothing (allauth would offer a sign-up
# link, and sign-up is closed: it failed with a server error); the page says the same either way.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Re-authentication (password or second factor) counts for this long before identity
# views, exports and role changes ask again.
VRU_REAUTH_SECONDS = env.int("VRU_REAUTH_SECONDS", default=15 * 60)
ACCOUNT_REAUTHENTICATION_TIMEOUT = VRU_REAUTH_SECONDS
VRU_REAUTH_REQUIRED = env.bool("VRU_REAUTH_REQUIRED", default=True)
# A young person's consent to a programme is reconfirmed this many months after it was given,
# unless the practitioner records another date (programmes.inputs.consent).
VRU_CONSENT_RECONFIRM_MONTHS = env.int("VRU_CONSENT_RECONFIRM_MONTHS", default=12)
# Lists compiled once per shape (vru.compiled): also compile every run through the ORM and
# fail if they differ. On in the tests; costs what the stored SQL saves.
VRU_CHECK_COMPILED_QUERIES = env.bool("VRU_CHECK_COMPILED_QUERIES", default=False)
# Rate limits (allauth; past them a 429 page with Retry-After). Sign-in failures are limited
# per address only: per-username limits would let anyone lock a user out from anywhere,
# and django-axes already locks a username *from one address*.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip",
    "reset_password": "10/m/ip,3/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}
# Multi-factor authentication: authenticator apps (TOTP), passkeys / security keys (WebAuthn)
# and single-use recovery codes (allauth stores the TOTP secret encrypted and derives the
# recovery codes from an encrypted seed, marking each one used).
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = False  # passkeys are a second factor after the password
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG  # http://127.0.0.1 in the demo
MFA_TOTP_ISSUER = env.str("VRU_MFA_ISSUER", default="VRU platform")
MFA_RECOVERY_CODE_COUNT = 10
MFA_TRUST_ENABLED = False  # every sign-in asks for the second factor
# Staff roles and commissioners must use MFA: signed in without it, they are sent to set it
# up before anything else. Youth reviewers and applicants may choose it.
VRU_MFA_REQUIRED = env.bool("VRU_MFA_REQUIRED", default=True)
# The sessions page lists devices with their address, sign-in time and last activity
# (recorded at sign-in by allauth, then at most once a minute by SessionSecurityMiddleware).
USERSESSIONS_TRACK_ACTIVITY = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads live outside the web root and are only served through permission-checked views.
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Upload size limits, checked on every upload door (bytes).
VRU_MAX_DOCUMENT_BYTES = env.int("VRU_MAX_DOCUMENT_BYTES", default=25 * 1024 * 1024)
VRU_MAX_ATTACHMENT_BYTES = env.int("VRU_MAX_ATTACHMENT_BYTES", default=10 * 1024 * 1024)
VRU_MAX_IMPORT_BYTES = env.int("VRU_MAX_IMPORT_BYTES", default=100 * 1024 * 1024)
# A checked import file nobody confirms is forgotten after this many hours (the beat task
# vru.tasks.import_checks_expire): its page then asks for the file again.
VRU_IMPORT_CHECK_HOURS = env.int("VRU_IMPORT_CHECK_HOURS", default=24)
# What an import keeps of its file's contents once it has finished (the row errors, which may
# quote a cell, and the uploaded file if it is still held) is cleared this many days after it
# finished (or was made, for one that never finished) by the daily retention run; the job's
# kind, status, dates and counts stay.
VRU_IMPORT_DETAILS_DAYS = env.int("VRU_IMPORT_DETAILS_DAYS", default=30)
# How long before a Serious Violence Duty strategy review falls due its lead is e-mailed.
VRU_STRATEGY_REVIEW_NOTICE_DAYS = env.int("VRU_STRATEGY_REVIEW_NOTICE_DAYS", default=30)
# Spreadsheets are checked before they are opened (vru.services.workbooks): an XLSX file is a
# zip archive, so a small upload can unpack to gigabytes; its parts' unpacked sizes, its rows
# and its declared size are checked first. Files read in the background (import jobs):
VRU_MAX_IMPORT_UNPACKED_BYTES = env.int("VRU_MAX_IMPORT_UNPACKED_BYTES", default=300 * 1024 * 1024)
VRU_MAX_IMPORT_ROWS = env.int("VRU_MAX_IMPORT_ROWS", default=1_000_000)
# Files read while someone waits (the admin's import previews in the web request): smaller.
VRU_MAX_WAITING_IMPORT_UNPACKED_BYTES = env.int(
    "VRU_MAX_WAITING_IMPORT_UNPACKED_BYTES", default=20 * 1024 * 1024
)
VRU_MAX_WAITING_IMPORT_ROWS = env.int("VRU_MAX_WAITING_IMPORT_ROWS", default=10_000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Email: console unless an SMTP URL is given.
_email = env.email_url("EMAIL_URL", default="consolemail://")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {k: v for k, v in _smtp_options.items() if v}
        if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="vru-platform@localhost")
# The site's own address, for the links in e-mails (vru.emails): a worker sending an e-mail
# has no request to take it from. Required in production (https, not localhost: a deploy check).
VRU_SITE_URL = env.str("VRU_SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

# Redis drives both the Celery broker and the cache; without it: eager tasks + locmem cache.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Reliability (docs/reliability.md; tests/vru/test_celery_settings.py pins these): a task is
# acknowledged after it has run, so a worker that dies mid-task has it redelivered, and every
# task is idempotent; one message at a time per worker process; time limits well below the
# broker's visibility timeout, after which Redis would hand an unacknowledged task out again.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = 30.0  # on shutdown, requeue late-ack tasks
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 60 * 60,  # > the longest task (and nothing uses long ETAs)
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    # Publishing gives up within about two seconds when the broker is down (kombu's default
    # retries take 6-7 s): the outbox keeps the work, so a web request need not wait.
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
    "socket_connect_timeout": 2,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Two queues, a worker for each (README, "Running in production"). "urgent": safeguarding
# alerts, break-glass notices and the outbox relay, which bulk work must never hold up;
# "celery" (the default): everything else (imports, ordinary notifications, report builds).
# A worker started without -Q listens to both, so nothing is left unconsumed.
VRU_URGENT_QUEUE = "urgent"
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [
    Queue(name, Exchange(name), routing_key=name)
    for name in (CELERY_TASK_DEFAULT_QUEUE, VRU_URGENT_QUEUE)
]
CELERY_TASK_ROUTES = {
    "vru.tasks.outbox_relay": {"queue": VRU_URGENT_QUEUE},
    "vru.tasks.outbox_deliver_urgent": {"queue": VRU_URGENT_QUEUE},
}
# Work that must happen goes through the outbox (vru.services.outbox), never straight to the
# broker: tasks carry ids only, so no personal data sits in Redis.
VRU_OUTBOX_MAX_ATTEMPTS = env.int("VRU_OUTBOX_MAX_ATTEMPTS", default=8)
VRU_OUTBOX_BACKOFF_SECONDS = 30  # 30 s, 1, 2, 4 ... minutes between tries
VRU_OUTBOX_BACKOFF_MAX_SECONDS = 60 * 60
# A message handed to the broker but not done after this long was lost: hand it over again.
VRU_OUTBOX_REQUEUE_AFTER_SECONDS = 15 * 60
# A subject access request gathering with no progress for this long has lost its worker:
# its page says so and offers Gather again, and a beat task hands it over again
# (rights.tasks.request_gathers_resume). Longer than any task may run (CELERY_TASK_TIME_LIMIT).
VRU_SAR_GATHER_STALL_MINUTES = env.int("VRU_SAR_GATHER_STALL_MINUTES", default=15)
# The copy of a young person's records gathered to answer a subject access request (its items
# and redactions) is deleted this many days after the request is answered (sent, refused or
# closed) by the daily retention run; the request's own details go at the register's
# RIGHTS_REQUEST period (vru.data_kinds).
VRU_SAR_COPY_DAYS = env.int("VRU_SAR_COPY_DAYS", default=30)
VRU_OUTBOX_KEEP_DONE_DAYS = 30  # then done messages are deleted (dead letters stay)
# Notices about cases (new referrals, missed contact targets) go out as digests: one e-mail
# per person per sweep listing the cases (programmes.services.notices). A sweep takes at most
# this many waiting notices of each kind (the rest go in the next sweep's digests).
VRU_NOTICE_SWEEP_LIMIT = env.int("VRU_NOTICE_SWEEP_LIMIT", default=100_000)
# An imported referral whose contact target passed more than this many days before the import
# is historical: a record of past work that notifies nobody (the clock still counts it).
VRU_HISTORICAL_REFERRAL_DAYS = env.int("VRU_HISTORICAL_REFERRAL_DAYS", default=7)
CELERY_BEAT_SCHEDULE = beat_schedule(VRU_URGENT_QUEUE)  # vru/schedule.py
# Rate-limit counters and used authenticator codes only (nothing of record): Redis, or a
# memory cache per process while Redis is unreachable (vru.cache), never a 500.
CACHES = {
    "default": {
        "BACKEND": "vru.cache.RedisCache",
        "LOCATION": REDIS_URL,
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# The API's settings (REST framework, the OpenAPI schema, rates and tokens): vru/settings_api.py
from vru.settings_api import *

# Django 6's built-in CSP: nothing from anywhere but ourselves, scripts only with a nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Database sessions (Django's), read in the same query as the signed-in user (vru.sessions);
# no cache in the way, so ending a session deletes its row and it is over.
SESSION_ENGINE = "vru.sessions"
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_AGE_SECONDS", default=8 * 60 * 60)
# Signed-in sessions end after 30 idle minutes, and 8 hours after sign-in whatever happens.
VRU_SESSION_IDLE_SECONDS = env.int("VRU_SESSION_IDLE_SECONDS", default=30 * 60)
VRU_SESSION_ABSOLUTE_SECONDS = SESSION_COOKIE_AGE
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=not DEBUG)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True  # no =HYPERLINK(...) payloads in exports
IMPORT_EXPORT_USE_TRANSACTIONS = True

# Encryption at rest of identity fields (vru.fields): dedicated keys, never SECRET_KEY. The
# first key encrypts, all decrypt (rotation: put a new key first, run rotate_field_keys).
VRU_FIELD_ENCRYPTION_KEYS = env.list("VRU_FIELD_ENCRYPTION_KEYS", default=[])
VRU_BLIND_INDEX_KEY = env.str("VRU_BLIND_INDEX_KEY", default="")
if DEBUG and not VRU_FIELD_ENCRYPTION_KEYS:
    # Published development-only keys, so `make run` works; a deploy check refuses them.
    VRU_FIELD_ENCRYPTION_KEYS = ["ZGV2ZWxvcG1lbnQtb25seS1rZXktbm90LWZvci11c2U="]
    VRU_BLIND_INDEX_KEY = VRU_BLIND_INDEX_KEY or "development-only-blind-index-key"

# How big a count must be before it is shown to commissioners (docs/disclosure.md: 1 to 4 -> "<5").
VRU_SMALL_NUMBER_THRESHOLD = 5
