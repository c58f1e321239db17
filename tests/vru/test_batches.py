"""Retention over the largest tables works a batch at a time, each batch committed on its
own: a run that fails part-way keeps the batches already done (their locks long released),
records what it did, and raises; the next run carries on where it stopped. These tests run
with real commits."""

import datetime

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.db import DatabaseError
from django.db.models import QuerySet

from vru.models import AuditEvent
from vru.services import batches, sign_in_records_expire

pytestmark = pytest.mark.django_db(transaction=True)

MADE = datetime.datetime(2025, 1, 15, 12, tzinfo=datetime.UTC)
MONTHS = 13
NOW = MADE + relativedelta(months=MONTHS) + datetime.timedelta(days=1)
HOME = "203.0.113.9"
PHONE = "Mozilla/5.0 (iPhone) Mobile Safari Home phone"


def entries(n):
    with time_machine.travel(MADE, tick=False):
        for _ in range(n):
            AuditEvent.objects.create(
                action=AuditEvent.Action.VIEW,
                verb="report.viewed",
                ip_address=HOME,
                user_agent=PHONE,
            )


def holding():
    return AuditEvent.objects.exclude(ip_address=None, user_agent="").filter(created_at__lte=MADE)


def expiry_records():
    return list(
        AuditEvent.objects.filter(verb="sign_in_records.expired")
        .order_by("pk")
        .values_list("changes", flat=True)
    )


def fail_on_call(monkeypatch, *, model, call):
    """The update of ``model``'s rows fails on its ``call``-th statement (a lost
    connection)."""
    update, made = QuerySet.update, []

    def failing(queryset, **values):
        if queryset.model is model:
            made.append(values)
            if len(made) == call:
                raise DatabaseError("the connection was lost")
        return update(queryset, **values)

    monkeypatch.setattr(QuerySet, "update", failing)


@pytest.fixture
def five_old_entries(monkeypatch):
    # batches of two: five entries take three batches
    monkeypatch.setattr(batches, "BATCH", 2)
    entries(5)
    assert holding().count() == 5


def test_a_failure_in_the_third_batch_keeps_the_two_batches_done(five_old_entries, monkeypatch):
    # given the third batch's statement failing
    fail_on_call(monkeypatch, model=AuditEvent, call=3)

    # when the sign-in records' retention runs
    with pytest.raises(DatabaseError):
        sign_in_records_expire(now=NOW, months=MONTHS)

    # then the first two batches stay cleared (committed), the last entry still holds both
    assert holding().count() == 1
    assert AuditEvent.objects.filter(created_at__lte=MADE, ip_address=None).count() == 4


def test_an_interrupted_run_records_what_it_cleared_and_the_next_run_finishes(
    five_old_entries, monkeypatch
):
    # given a run interrupted in its third batch
    with monkeypatch.context() as patch:
        fail_on_call(patch, model=AuditEvent, call=3)
        with pytest.raises(DatabaseError):
            sign_in_records_expire(now=NOW, months=MONTHS)

    # when the next run comes
    total = sign_in_records_expire(now=NOW + datetime.timedelta(days=1), months=MONTHS)

    # then it clears the entry left, and each run's one record states what it did
    assert total == 1
    assert not holding().exists()
    interrupted, finished = expiry_records()
    assert interrupted["audit_addresses"] == 4
    assert interrupted["interrupted"] is True
    assert finished["audit_addresses"] == 1
    assert "interrupted" not in finished


def test_a_run_that_does_not_fail_clears_every_batch_and_records_it_once(five_old_entries):
    total = sign_in_records_expire(now=NOW, months=MONTHS)

    assert total == 5
    assert not holding().exists()
    (record,) = expiry_records()
    assert record["audit_addresses"] == 5
    assert "interrupted" not in record


def test_a_deletion_in_batches_counts_the_rows_of_its_own_table(monkeypatch):
    # given batches of two and five entries
    monkeypatch.setattr(batches, "BATCH", 2)
    entries(5)

    # when they are deleted in batches
    done = list(batches.deleted_in_batches(AuditEvent.objects.filter(verb="report.viewed")))

    # then three batches deleted two, two and one
    assert done == [2, 2, 1]
    assert not AuditEvent.objects.filter(verb="report.viewed").exists()
