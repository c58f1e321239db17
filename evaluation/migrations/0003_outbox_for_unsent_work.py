"""Safeguarding alerts not yet sent were sent by the old on-commit tasks and resend sweeps, which are
gone: give each an outbox message so the relay sends it (nothing is lost on upgrade)."""

from django.db import migrations

KIND = "evaluation.safeguarding_alert"


def unsent_into_the_outbox(apps, schema_editor):
    Model = apps.get_model("evaluation", "SafeguardingAlert")
    OutboxMessage = apps.get_model("vru", "OutboxMessage")
    unsent = Model.objects.filter(notified_at__isnull=True).values_list("pk", "response__exercise__partnership_id")
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
        ('evaluation', '0002_words_encrypted_at_rest'),
        ("vru", "0004_outbox"),
    ]

    operations = [migrations.RunPython(unsent_into_the_outbox, migrations.RunPython.noop)]
