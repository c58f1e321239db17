"""A subject access bundle says what has been shared about the young person with partners,
under which agreement and why, from the sharing app's disclosure log; never another's."""

import datetime

import pytest
from django.utils import timezone

from rights.services import disclosures_made
from sharing import rules
from sharing import services as sharing_services
from tests.factories import ProgrammeFactory, ReferralFactory, UserFactory
from vru.models import Role

pytestmark = pytest.mark.django_db


def test_a_disclosure_about_the_young_person_is_gathered_and_anothers_is_not(partnership):
    admin = UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR])
    programme = ProgrammeFactory(partnership=partnership)
    subject, other = ReferralFactory(programme=programme), ReferralFactory(programme=programme)
    police = sharing_services.organisation_save(
        actor=None, partnership=partnership, name="Essex Police", kind="police"
    )
    today = timezone.localdate()
    agreement = sharing_services.agreement_save(
        actor=None,
        partnership=partnership,
        parties=[police],
        title="Custody referrals",
        purpose="Joint support",
        lawful_basis="e",
        criminal_offence_condition="para10",
        kinds=["referral"],
        direction="both",
        frequency="as_needed",
        recipient_retention="Six years",
        signatories="Head of information governance",
        starts_on=today - datetime.timedelta(days=30),
        review_on=today + datetime.timedelta(days=300),
    )
    for referral, why in [(subject, "Case conference"), (other, "Another case")]:
        sharing_services.record_disclosure(
            viewer=admin,
            agreement=agreement,
            recipient=police,
            kind="referral",
            records=[rules.Record("programmes.referral", referral.pk, referral.young_person_id)],
            fields=["reference", "reason"],
            purpose=why,
            door="Referral export",
        )

    rows = disclosures_made(subject.young_person)

    assert len(rows) == 1
    label, _, _, text = rows[0]
    assert label == "Disclosure"
    assert "Essex Police" in text
    assert "Custody referrals" in text
    assert "Case conference" in text
    assert "reference, reason" in text
