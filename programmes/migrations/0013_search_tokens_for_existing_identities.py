# Builds the search index for the identities recorded before it existed. The same rule as
# programmes.services.search_index (repeated here on the historical models, as migrations
# must): each word of the names and the date of birth, as keyed hashes.

from django.db import migrations

from vru.blind_index import name_words, search_token


def build(apps, schema_editor):
    identity_model = apps.get_model("programmes", "YoungPersonIdentity")
    token_model = apps.get_model("programmes", "SearchToken")
    batch = []
    for identity in identity_model.objects.order_by("pk").iterator(chunk_size=2000):
        words = name_words(identity.first_name, identity.last_name)
        tokens = {search_token("name", word) for word in words}
        if identity.date_of_birth:
            tokens.add(search_token("born", identity.date_of_birth))
        batch += [token_model(young_person_id=identity.young_person_id, token=t) for t in tokens]
        if len(batch) >= 5000:
            token_model.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    token_model.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("programmes", "0012_search_tokens_and_recent_views")]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
