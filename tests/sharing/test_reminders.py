"""An agreement past its review date is told to its owner through the outbox, once per
review date; with no owner, the data protection lead, else the administrators."""

import datetime

import pytest
from django.core import mail

from sharing import services
from tests.factories import UserFactory
from tests.sharing.conftest import make_agreement
from vru.models import Role
from vru.services import outbox

pytestmark = pytest.mark.django_db

REVIEW = datetime.date(2026, 6, 30)


@pytest.fixture
def overdue(partnership, police):
    return make_agreement(
        partnership,
        [police],
        starts_on=datetime.date(2025, 1, 1),
        review_on=REVIEW,
        owner=UserFactory(partnership=partnership, email="owner@example.org"),
    )


def test_the_owner_is_told_once_when_the_review_is_overdue(overdue):
    before = services.review_reminders_enqueue(today=REVIEW)
    made = services.review_reminders_enqueue(today=REVIEW + datetime.timedelta(days=1))
    again = services.review_reminders_enqueue(today=REVIEW + datetime.timedelta(days=2))
    outbox.relay()

    assert (before, made, again) == (0, 1, 0)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["owner@example.org"]
    assert "30 June 2026" in mail.outbox[0].body
    assert overdue.title in mail.outbox[0].subject


def test_a_new_review_date_is_reminded_again(overdue):
    services.review_reminders_enqueue(today=REVIEW + datetime.timedelta(days=1))
    overdue.review_on = REVIEW + datetime.timedelta(days=365)
    overdue.save(update_fields=["review_on"])

    assert (
        services.review_reminders_enqueue(today=overdue.review_on + datetime.timedelta(days=1)) == 1
    )


def test_an_ended_agreement_is_not_reminded(overdue):
    services.agreement_end(actor=None, agreement=overdue, on=REVIEW)

    assert services.review_reminders_enqueue(today=REVIEW + datetime.timedelta(days=1)) == 0


def test_without_an_owner_or_a_lead_the_administrators_hear(partnership, police):
    make_agreement(partnership, [police], starts_on=datetime.date(2025, 1, 1), review_on=REVIEW)
    UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR], email="admin@example.org")

    services.review_reminders_enqueue(today=REVIEW + datetime.timedelta(days=1))
    outbox.relay()

    assert [m.to for m in mail.outbox] == [["admin@example.org"]]
