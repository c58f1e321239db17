"""Shared by the area services: police.uk's columns, ASB, and the permission rule."""

from collections.abc import Callable, Iterable, Sequence

from django.core.exceptions import PermissionDenied
from django.db import connection, models

from vru.models import (
    Partnership,
    User,
)

POLICE_UK_COLUMNS = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
ASB = "Anti-social behaviour"


def _require(
    actor: User | None, allowed: Callable[[User], bool], partnership: Partnership, message: str
) -> None:
    """The role rule, and the partnership boundary: nobody writes to another partnership.

    `actor=None` is the system (demo load, beat tasks, management commands)."""
    if actor is None:
        return
    if not allowed(actor) or actor.partnership_id != partnership.pk:
        raise PermissionDenied(message)


def copy_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple]) -> bool:
    """Bulk insert with PostgreSQL COPY (the floor of inserts); False on other databases, where
    the caller uses bulk_create. `columns` are database column names (constants, not input)."""
    if connection.vendor != "postgresql":
        return False
    sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
    # cursor.cursor is the psycopg cursor under Django's wrapper.
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
    return True
