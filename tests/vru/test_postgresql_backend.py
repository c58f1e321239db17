"""The PostgreSQL backend (vru.postgresql) reads timestamps with psycopg's own loader: the
values must be exactly what Django's loader gives (aware, in UTC)."""

import datetime

import pytest
from django.db import connection

from vru.models import AuditEvent

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL backend only"),
]


def test_timestamps_are_read_by_psycopgs_own_loader_as_aware_utc_datetimes():
    from vru.postgresql.base import NATIVE_TIMESTAMPTZ_LOADER, TIMESTAMPTZ_OID

    written = datetime.datetime(2026, 3, 29, 0, 30, 15, 123456, tzinfo=datetime.UTC)
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(TIMESTAMPTZ_OID, 0)
        cursor.execute("SELECT %s::timestamptz, '2026-03-29 02:30:00+01'::timestamptz", [written])
        same, from_bst = cursor.fetchone()

    assert loader is NATIVE_TIMESTAMPTZ_LOADER
    assert same == written
    assert same.tzinfo is datetime.UTC
    assert from_bst == datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.UTC)


def test_model_datetimes_round_trip_unchanged():
    event = AuditEvent.objects.create(action=AuditEvent.Action.VIEW, verb="test.read")

    assert AuditEvent.objects.get(pk=event.pk).created_at == event.created_at
