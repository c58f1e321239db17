"""Deploy checks: stop a production deploy that forgot to switch off the embedded defaults."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", ""}  # noqa: S104 - names, not a bind


def site_url_problem(url: str) -> str:
    """Why VRU_SITE_URL cannot be the address in production e-mails ("" if it can)."""
    if not url:
        return "VRU_SITE_URL is not set: the links in e-mails need the site's address."
    parts = urlsplit(url)
    if parts.scheme != "https":
        return f"VRU_SITE_URL ({url}) must start with https://."
    host = (parts.hostname or "").lower()
    if host in LOCAL_HOSTS or host.endswith(".localhost") or host.startswith("127."):
        return f"VRU_SITE_URL ({url}) is this machine: nobody reading an e-mail can open it."
    if parts.query or parts.fragment:
        return f"VRU_SITE_URL ({url}) must be the site's address only (no ? or #)."
    return ""


@checks.register("vru", deploy=True)
def production_backends(app_configs, **kwargs):
    problems = []
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        problems.append(
            checks.Warning(
                "SQLite is the embedded default; production needs PostgreSQL.",
                hint="Set DATABASE_URL=postgres://...",
                id="vru.W001",
            )
        )
    if settings.CELERY_TASK_ALWAYS_EAGER:
        problems.append(
            checks.Warning(
                "Celery tasks run inside web requests (no broker configured).",
                hint="Set REDIS_URL=redis://...",
                id="vru.W002",
            )
        )
    development_key = "ZGV2ZWxvcG1lbnQtb25seS1rZXktbm90LWZvci11c2U="
    keys = getattr(settings, "VRU_FIELD_ENCRYPTION_KEYS", [])
    if not keys or development_key in keys or not settings.VRU_BLIND_INDEX_KEY:
        problems.append(
            checks.Error(
                "Identity fields need their own encryption keys in production.",
                hint="Set VRU_FIELD_ENCRYPTION_KEYS (32 random bytes in base64 each) and VRU_BLIND_INDEX_KEY.",
                id="vru.E001",
            )
        )
    if problem := site_url_problem(getattr(settings, "VRU_SITE_URL", "")):
        problems.append(
            checks.Error(
                problem,
                hint="Set VRU_SITE_URL to the address users open, e.g. https://vru.example.org",
                id="vru.E002",
            )
        )
    return problems
