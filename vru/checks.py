"""Deploy checks: stop a production deploy that forgot to switch off the embedded defaults."""

from django.conf import settings
from django.core import checks


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
    return problems
