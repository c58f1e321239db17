"""Draw the outlines of the neighbourhoods already held (what vru.services.area_maps_draw
does when boundaries are loaded), so that existing maps are joins from the start."""

from django.db import migrations


def draw(apps, schema_editor):
    from vru.selectors import maps

    Partnership = apps.get_model("vru", "Partnership")
    LSOA = apps.get_model("vru", "LSOA")
    for partnership in Partnership.objects.all():
        lsoas = list(
            LSOA.objects.filter(partnership=partnership, boundary__isnull=False).only(
                "pk", "boundary"
            )
        )
        frame = maps.map_frame([lsoa.boundary for lsoa in lsoas if lsoa.boundary])
        if frame is None:
            continue
        for lsoa in lsoas:
            lsoa.map_path = maps.area_path(lsoa.boundary, frame)
        LSOA.objects.bulk_update(lsoas, ["map_path"], batch_size=500)
        Partnership.objects.filter(pk=partnership.pk).update(map_view_box=frame.view_box)


class Migration(migrations.Migration):
    dependencies = [("vru", "0020_lsoa_map_path")]

    operations = [migrations.RunPython(draw, migrations.RunPython.noop)]
