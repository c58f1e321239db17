"""A partnership with a partner organisation and agreements of each status (made through the
services), and a referral to share."""

import datetime

import pytest
from django.utils import timezone

from sharing import services
from tests.factories import ProgrammeFactory, ReferralFactory, UserFactory
from vru.models import Role


def make_agreement(partnership, parties, **values):
    today = timezone.localdate()
    defaults = {
        "title": "Police referrals",
        "purpose": "Joint support for young people arrested for knife offences.",
        "lawful_basis": "e",
        "criminal_offence_condition": "para10",
        "includes_health_data": False,
        "special_category_condition": "",
        "kinds": ["referral", "identity"],
        "direction": "both",
        "frequency": "as_needed",
        "recipient_retention": "Six years",
        "dpia_reference": "DPIA-1",
        "signatories": "Head of information governance",
        "starts_on": today - datetime.timedelta(days=100),
        "review_on": today + datetime.timedelta(days=100),
        "ends_on": None,
    }
    defaults.update(values)
    return services.agreement_save(actor=None, partnership=partnership, parties=parties, **defaults)


@pytest.fixture
def police(partnership):
    return services.organisation_save(
        actor=None, partnership=partnership, name="Essex Police", kind="police"
    )


@pytest.fixture
def hospital(partnership):
    return services.organisation_save(
        actor=None, partnership=partnership, name="Broomfield Hospital", kind="health"
    )


@pytest.fixture
def agreement(partnership, police):
    return make_agreement(partnership, [police])


@pytest.fixture
def administrator(partnership):
    return UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR])


@pytest.fixture
def referral(partnership):
    return ReferralFactory(programme=ProgrammeFactory(partnership=partnership))
