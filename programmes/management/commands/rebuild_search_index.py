"""Build the caseload's search index (words of names, dates of birth) again from the
identities on record: after restoring a backup taken before it existed, or after changing
VRU_BLIND_INDEX_KEY (the tokens are keyed with it)."""

from django.core.management.base import BaseCommand

from programmes.services.search_index import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index of young people's names and dates of birth."

    def handle(self, *args, **options):
        done = search_index_rebuild()
        self.stdout.write(f"{done} young people indexed.")
