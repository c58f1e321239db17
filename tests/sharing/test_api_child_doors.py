"""The API's contact and outcome lists are export doors too: a pull for a partner names an
agreement in force that covers that kind of data, or gets a 400 and nothing; under one, the
disclosure log records each record's id and its young person."""

import datetime

import pytest

from programmes import services as programme_services
from sharing.models import DisclosureLog
from tests.sharing.conftest import make_agreement

pytestmark = pytest.mark.django_db

DOORS = [
    ("/api/contacts/", "case_notes", "programmes.contact"),
    ("/api/outcomes/", "referral", "programmes.outcome"),
]


@pytest.fixture
def records(referral, administrator):
    now = datetime.datetime.now(datetime.UTC)
    contact = programme_services.contact_record(
        actor=administrator, referral=referral, method="phone", occurred_at=now, notes="Called"
    )
    outcome = programme_services.outcome_record(
        actor=administrator, referral=referral, kind="diverted", achieved_on=now.date()
    )
    return {"programmes.contact": contact, "programmes.outcome": outcome}


@pytest.mark.parametrize(("url", "kind", "label"), DOORS, ids=["contacts", "outcomes"])
def test_a_partner_pull_needs_an_agreement_covering_the_kind_and_is_logged(
    api_client, administrator, partnership, police, referral, records, url, kind, label
):
    api_client.force_authenticate(administrator)
    wrong = make_agreement(partnership, [police], title="Listening only", kinds=["listening"])
    refused = api_client.get(url, {"recipient": police.pk, "disclosure_agreement": wrong.pk})
    assert refused.status_code == 400
    assert not DisclosureLog.objects.exists()

    right = make_agreement(partnership, [police], title="Case work", kinds=[kind])
    pulled = api_client.get(url, {"recipient": police.pk, "disclosure_agreement": right.pk})

    assert pulled.status_code == 200
    log = DisclosureLog.objects.get()
    assert (log.agreement, log.kind) == (right, kind)
    assert list(log.records.values_list("model_label", "record_id", "young_person_id")) == [
        (label, records[label].pk, referral.young_person_id)
    ]


def test_our_own_pull_of_contacts_needs_no_agreement(api_client, administrator, records):
    api_client.force_authenticate(administrator)
    assert api_client.get("/api/contacts/").status_code == 200
    assert not DisclosureLog.objects.exists()
