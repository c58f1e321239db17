"""The API's lean awards list gives exactly what the declared serializer would."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from grants import selectors, serializers, services
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_the_awards_list_rows_match_the_serializer(client, officer, grant_round):
    for amount in ("2000", "3333.33"):
        application = ApplicationFactory(grant_round=grant_round, status="eligible")
        decision = services.decision_record(
            actor=officer,
            override_reason="Decided early to set up this test.",
            application=application,
            outcome="fund",
            amount=Decimal(amount),
            reasons="Good",
        )
        award = services.award_create(
            actor=officer,
            decision=decision,
            starts_on=datetime.date(2027, 1, 1),
            ends_on=datetime.date(2027, 6, 30),
            tranche_count=3,
        )
    services.tranche_release(actor=officer, tranche=award.tranches.get(number=1))
    client.force_login(officer)
    listed = client.get(reverse("grants-api:award-list")).json()
    expected = serializers.AwardOutputSerializer(
        selectors.award_list(viewer=officer).prefetch_related("tranches"), many=True
    ).data
    assert listed["count"] == 2
    assert listed["results"] == [
        dict(row) | {"tranches": [dict(t) for t in row["tranches"]]} for row in expected
    ]
    detail = client.get(reverse("grants-api:award-detail", args=[award.pk])).json()
    assert detail in listed["results"]
