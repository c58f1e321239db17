"""The demo opens one subject access request per partnership, once."""

import pytest

from rights import demo
from rights.models import SubjectAccessRequest
from tests.factories import PartnershipFactory, ProgrammeFactory, ReferralFactory, UserFactory
from vru.models import Role

pytestmark = pytest.mark.django_db


def test_the_demo_opens_one_request_per_partnership_and_is_idempotent():
    for _ in range(2):
        partnership = PartnershipFactory()
        UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR])
        ReferralFactory(programme=ProgrammeFactory(partnership=partnership))

    demo.load_demo()
    again = demo.load_demo()

    assert SubjectAccessRequest.objects.count() == 2
    assert all(r.is_open for r in SubjectAccessRequest.objects.all())
    assert all("already loaded" in line for line in again)
    assert all(
        r.partnership.data_protection_lead is not None for r in SubjectAccessRequest.objects.all()
    )
