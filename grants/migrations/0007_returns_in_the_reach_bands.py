"""Monitoring returns count young people in the core's reach bands (vru.age_bands.AgeBand):
the band the returns called "under 10" is stored as "u10", as sessions store it. Every count
is kept; going back renames it again."""

from django.db import migrations

OLD, NEW = "under 10", "u10"


def _rename(apps, old: str, new: str) -> None:
    MonitoringReturn = apps.get_model("grants", "MonitoringReturn")
    changed = []
    for item in MonitoringReturn.objects.filter(young_people_by_age_band__has_key=old).only(
        "pk", "young_people_by_age_band"
    ):
        bands = dict(item.young_people_by_age_band)
        count = bands.pop(old)
        bands[new] = bands.get(new, 0) + count
        item.young_people_by_age_band = bands
        changed.append(item)
    MonitoringReturn.objects.bulk_update(changed, ["young_people_by_age_band"], batch_size=500)


def forwards(apps, schema_editor):
    _rename(apps, OLD, NEW)


def backwards(apps, schema_editor):
    _rename(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0006_organisation_messages_as_the_pages_say"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
