"""Move the tokens DRF's authtoken app made into personal API tokens (hashed), then drop its
table: the app is no longer installed. Its rows are read with plain SQL, since its models are
gone from the project; a database that never had it (a fresh one) has nothing to move."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

TABLE = "authtoken_token"


def move_authtokens(apps, schema_editor):
    connection = schema_editor.connection
    if TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("vru", "ApiToken")
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {TABLE}")  # noqa: S608
        rows = cursor.fetchall()
    ApiToken.objects.bulk_create(
        ApiToken(
            owner_id=user_id,
            name="Token made before personal tokens",
            prefix=key[:8],
            key_digest=hashlib.sha256(key.encode()).hexdigest(),
            # "my role": what the old token could do; it expires like a new one
            scope="role",
            expires_at=now + timedelta(days=settings.VRU_API_TOKEN_DAYS),
        )
        for key, user_id, _created in rows
    )
    schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(TABLE)}")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):
    dependencies = [("vru", "0013_api_tokens")]

    # DDL and data in one go; on PostgreSQL it is one transaction anyway
    operations = [migrations.RunPython(move_authtokens, migrations.RunPython.noop)]
