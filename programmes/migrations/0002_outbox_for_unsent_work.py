"""Breach notifications not yet e-mailed were sent by the old on-commit tasks and resend sweeps, which are
gone: give each an outbox message so the relay sends it (nothing is lost on upgrade)."""

from django.db import migrations

KIND = "programmes.breach_notification"


def unsent_into_the_outbox(apps, schema_editor):
    Model = apps.get_model("programmes", "BreachNotification")
    OutboxMessage = apps.get_model("vru", "OutboxMessage")
    unsent = Model.objects.filter(emailed_at__isnull=True).values_list("pk", "referral__partnership_id")
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                kind=KIND,
                target_id=pk,
                partnership_id=partnership_id,
                idempotency_key=f"{KIND}:{pk}",
            )
            for pk, partnership_id in unsent.iterator()
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ('programmes', '0001_initial'),
        ("vru", "0004_outbox"),
    ]

    operations = [migrations.RunPython(unsent_into_the_outbox, migrations.RunPython.noop)]
