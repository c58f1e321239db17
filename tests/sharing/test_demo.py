"""The demo loads agreements for both partnerships, once."""

import pytest
from django.utils import timezone

from sharing import demo
from sharing.models import Agreement, Organisation
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def test_the_demo_loads_agreements_for_each_partnership_once():
    PartnershipFactory(slug="essex-vvp", name="Essex VVP")
    PartnershipFactory(slug="bedfordshire-veru", name="Bedfordshire VERU")

    first = demo.load_demo()
    second = demo.load_demo()

    assert len(first) == 2
    assert all("agreements" in line for line in first)
    assert all("already loaded" in line for line in second)
    assert Organisation.objects.count() == 5
    names = set(
        Organisation.objects.filter(partnership__slug="bedfordshire-veru").values_list(
            "name", flat=True
        )
    )
    assert any("Police" in n for n in names)
    assert any("Ambulance" in n for n in names)
    today = timezone.localdate()
    statuses = {a.status_on(today) for a in Agreement.objects.all()}
    assert statuses == {"in_force", "review_overdue", "ended"}
