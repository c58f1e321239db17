"""The caseload's search index of names and dates of birth (programmes.models.SearchToken).

Every write of a young person's name or date of birth goes through here, in the same
transaction as the identity: one person (search_index_write), many at once (search_tokens,
for a bulk import), or every identity on record (search_index_rebuild, for the command and
the migration that built it for the rows already there)."""

from collections.abc import Iterable, Iterator
from datetime import date

from django.db import transaction

from programmes.models import SearchToken, YoungPersonIdentity
from vru.blind_index import name_words, search_token


def tokens_for(*, first_name: str, last_name: str, date_of_birth: date | None) -> list[str]:
    """The tokens one young person is found by: each word of their names, their birth date."""
    tokens = [search_token("name", word) for word in name_words(first_name, last_name)]
    if date_of_birth is not None:
        tokens.append(search_token("born", date_of_birth))
    return sorted(set(tokens))


def search_tokens(people: Iterable[tuple[int, str, str, date | None]]) -> Iterator[SearchToken]:
    """Unsaved tokens for (young person id, first name, last name, date of birth) rows."""
    for young_person_id, first_name, last_name, date_of_birth in people:
        for token in tokens_for(
            first_name=first_name, last_name=last_name, date_of_birth=date_of_birth
        ):
            yield SearchToken(young_person_id=young_person_id, token=token)


@transaction.atomic
def search_index_write(
    *, young_person_id: int, first_name: str, last_name: str, date_of_birth: date | None
) -> None:
    """Index one young person's name and birth date again (after creating or changing them)."""
    SearchToken.objects.filter(young_person_id=young_person_id).delete()
    SearchToken.objects.bulk_create(
        search_tokens([(young_person_id, first_name, last_name, date_of_birth)])
    )


def search_index_rebuild(*, batch_size: int = 2000) -> int:
    """Index every identity on record again; returns how many people were indexed."""
    done = 0
    identities = YoungPersonIdentity.objects.only(
        "young_person_id", "first_name", "last_name", "date_of_birth"
    ).order_by("pk")
    batch: list[YoungPersonIdentity] = []
    for identity in identities.iterator(chunk_size=batch_size):
        batch.append(identity)
        if len(batch) == batch_size:
            done += _reindex(batch)
            batch = []
    return done + _reindex(batch)


@transaction.atomic
def _reindex(batch: list[YoungPersonIdentity]) -> int:
    ids = [identity.young_person_id for identity in batch]
    SearchToken.objects.filter(young_person_id__in=ids).delete()
    SearchToken.objects.bulk_create(
        search_tokens(
            (i.young_person_id, i.first_name, i.last_name, i.date_of_birth) for i in batch
        ),
        batch_size=5000,
    )
    return len(batch)
