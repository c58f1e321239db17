"""The register's pages: staff read it; administrators and the data protection lead keep it;
the disclosure log is theirs, filtered and downloadable."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sharing import services
from sharing.models import Agreement
from tests.factories import UserFactory
from tests.sharing.conftest import make_agreement
from vru.data_kinds import DataKind
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

LIST = reverse("sharing:agreement_list")


def _form(police, **values):
    data = {
        "title": "Hospital data",
        "parties": [police.pk],
        "purpose": "Violent injury data for the needs assessment.",
        "lawful_basis": "e",
        "kinds": ["referral"],
        "criminal_offence_condition": "para10",
        "special_category_condition": "",
        "direction": "send",
        "frequency": "monthly",
        "recipient_retention": "Two years",
        "dpia_reference": "",
        "signatories": "Caldicott guardian",
        "starts_on_day": "1",
        "starts_on_month": "1",
        "starts_on_year": "2026",
        "review_on_day": "1",
        "review_on_month": "1",
        "review_on_year": "2027",
        "owner": "",
    }
    data.update(values)
    return data


def test_the_list_is_filtered_by_status_with_an_empty_state(client, partnership, police, agreement):
    ended = make_agreement(partnership, [police], title="Old pilot")
    services.agreement_end(actor=None, agreement=ended)
    client.force_login(UserFactory(partnership=partnership, roles=[Role.PRACTITIONER]))

    in_force = client.get(LIST, {"status": "in_force"})
    finished = client.get(LIST, {"status": "ended"})
    nothing = client.get(LIST, {"status": "draft"})

    assert [a.title for a in in_force.context["agreements"]] == ["Police referrals"]
    assert [a.title for a in finished.context["agreements"]] == ["Old pilot"]
    assert "No agreements match these filters." in nothing.content.decode()
    assert not in_force.context["can_manage"]


def test_the_list_sorts_by_review_date(client, administrator, partnership, police, agreement):
    today = timezone.localdate()
    make_agreement(partnership, [police], title="A sooner", review_on=today)
    client.force_login(administrator)

    titles = [a.title for a in client.get(LIST, {"sort": "review"}).context["agreements"]]

    assert titles == ["A sooner", "Police referrals"]


def test_an_administrator_adds_an_agreement(client, administrator, police):
    client.force_login(administrator)

    response = client.post(reverse("sharing:agreement_create"), _form(police))

    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert list(agreement.parties.all()) == [police]
    assert agreement.kinds == ["referral"]
    assert agreement.starts_on == datetime.date(2026, 1, 1)
    assert AuditEvent.objects.filter(verb="sharing_agreement.created").count() == 1


def test_the_form_names_the_missing_fields_in_the_error_summary(client, administrator, police):
    client.force_login(administrator)

    response = client.post(
        reverse("sharing:agreement_create"),
        _form(police, title="", kinds=[], criminal_offence_condition="", includes_health_data="on"),
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert {"title", "kinds"} <= set(response.context["form"].errors)
    assert not Agreement.objects.exists()


def test_a_missing_schedule_1_condition_is_named_on_its_field(client, administrator, police):
    client.force_login(administrator)

    response = client.post(
        reverse("sharing:agreement_create"),
        _form(police, criminal_offence_condition="", includes_health_data="on"),
    )

    errors = response.context["form"].errors
    assert "criminal_offence_condition" in errors
    assert "special_category_condition" in errors
    assert 'href="#id_criminal_offence_condition"' in response.content.decode()


def test_the_data_protection_lead_keeps_the_register_whatever_their_role(
    client, partnership, police
):
    lead = UserFactory(partnership=partnership, roles=[Role.PROGRAMME_MANAGER])
    partnership.data_protection_lead = lead
    partnership.save(update_fields=["data_protection_lead"])
    manager = UserFactory(partnership=partnership, roles=[Role.PROGRAMME_MANAGER])

    client.force_login(manager)
    assert client.get(reverse("sharing:agreement_create")).status_code == 404
    client.force_login(lead)
    assert client.get(reverse("sharing:agreement_create")).status_code == 200
    assert client.get(reverse("sharing:disclosure_log")).status_code == 200


def test_ending_an_agreement_needs_confirmation(client, administrator, agreement):
    client.force_login(administrator)
    url = reverse("sharing:agreement_end", args=[agreement.pk])

    unconfirmed = client.post(url, {})
    agreement.refresh_from_db()
    assert unconfirmed.status_code == 200
    assert "confirm" in unconfirmed.context["form"].errors
    assert agreement.ends_on is None

    client.post(url, {"confirm": "on"})
    agreement.refresh_from_db()
    assert agreement.ends_on == timezone.localdate()
    assert agreement.status_on(timezone.localdate()) == "ended"


def test_the_disclosure_log_filters_and_downloads_as_csv(
    client, administrator, police, agreement, referral
):
    from sharing.rules import Record

    services.record_disclosure(
        viewer=administrator,
        agreement=agreement,
        recipient=police,
        kind=DataKind.REFERRAL,
        records=[Record("programmes.referral", referral.pk, referral.young_person_id)],
        fields=["id", "reason"],
        purpose="Case review",
        door="Referral export",
    )
    client.force_login(administrator)
    url = reverse("sharing:disclosure_log")

    assert len(client.get(url, {"recipient": police.pk}).context["logs"]) == 1
    assert len(client.get(url, {"kind": "listening"}).context["logs"]) == 0
    download = client.get(url, {"format": "csv"})

    assert download["Content-Disposition"].endswith('.csv"')
    text = download.content.decode()
    assert "Case review" in text
    assert f"programmes.referral:{referral.pk}" in text
    assert referral.young_person.reference not in text
