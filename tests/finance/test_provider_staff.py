"""Provider staff: a commissioned provider's staff member works on their contract's programme
as its practitioner (its sessions, the cases assigned to them) and sees nothing of other
programmes; they see their own contract and record its quarterly KPI figures, no other
contract's."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from finance import services
from finance.models import KPIFigure
from programmes import services as programme_services
from tests.factories import ProgrammeFactory, ReferralFactory, UserFactory
from vru.models import Role

pytestmark = pytest.mark.django_db


def contracted(partnership, name, programme):
    provider = services.provider_create(actor=None, partnership=partnership, name=name)
    contract = services.contract_create(
        actor=None,
        provider=provider,
        programme=programme,
        value=Decimal("120000"),
        starts_on=datetime.date(2025, 4, 1),
        ends_on=datetime.date(2026, 3, 31),
        kpis=[("Young people engaged", Decimal("80"), "young people")],
    )
    return provider, contract


def session_of(programme, actor=None):
    return programme_services.session_record(
        actor=actor,
        programme=programme,
        kind="detached",
        held_on=datetime.date(2026, 3, 2),
        place="The park",
        counts={("14-17", "male"): 3},
    )


@pytest.fixture
def setting(partnership):
    ours = ProgrammeFactory(partnership=partnership, name="Our programme")
    theirs = ProgrammeFactory(partnership=partnership, name="Their programme")
    provider, our_contract = contracted(partnership, "Youth Trust", ours)
    _, their_contract = contracted(partnership, "Sports Club", theirs)
    staff = UserFactory(partnership=partnership, roles=[Role.PROVIDER])
    services.provider_staff_add(actor=None, provider=provider, user=staff)
    return {
        "ours": ours,
        "theirs": theirs,
        "our_contract": our_contract,
        "their_contract": their_contract,
        "staff": staff,
    }


def test_provider_staff_record_sessions_of_their_contracts_programme_only(setting):
    staff = setting["staff"]

    session = session_of(setting["ours"], actor=staff)

    assert session.programme == setting["ours"]
    with pytest.raises(PermissionDenied):
        session_of(setting["theirs"], actor=staff)


def test_provider_staff_open_their_programmes_sessions_and_not_anothers(client, setting):
    ours, theirs = session_of(setting["ours"]), session_of(setting["theirs"])
    client.force_login(setting["staff"])

    assert client.get(reverse("programmes:session_detail", args=[ours.pk])).status_code == 200
    assert client.get(reverse("programmes:session_detail", args=[theirs.pk])).status_code == 404
    listed = client.get(reverse("programmes:session_list")).content.decode()
    assert "Our programme" in listed
    assert "Their programme" not in listed


def test_provider_staff_get_another_programmes_session_from_the_api_as_not_found(
    api_client, setting
):
    ours, theirs = session_of(setting["ours"]), session_of(setting["theirs"])
    api_client.force_authenticate(setting["staff"])

    assert api_client.get(f"/api/sessions/{ours.pk}/").status_code == 200
    assert api_client.get(f"/api/sessions/{theirs.pk}/").status_code == 404


def test_provider_staff_see_the_named_case_assigned_to_them_and_no_other(client, setting):
    mine = ReferralFactory(programme=setting["ours"], first_name="Kieran")
    programme_services.referral_assign(actor=None, referral=mine, assigned_to=setting["staff"])
    unassigned = ReferralFactory(programme=setting["ours"])
    elsewhere = ReferralFactory(programme=setting["theirs"])
    client.force_login(setting["staff"])

    page = client.get(reverse("programmes:referral_detail", args=[mine.pk]))
    assert page.status_code == 200
    assert "Kieran" in page.content.decode()
    for other in (unassigned, elsewhere):
        assert client.get(reverse("programmes:referral_detail", args=[other.pk])).status_code == (
            404
        )


def test_provider_staff_see_only_their_own_contract(client, setting):
    client.force_login(setting["staff"])

    listed = client.get(reverse("finance:contract_list")).content.decode()
    assert "Youth Trust" in listed
    assert "Sports Club" not in listed
    ours = client.get(reverse("finance:contract_detail", args=[setting["our_contract"].pk]))
    assert ours.status_code == 200
    assert "target 80" in ours.content.decode()
    theirs = reverse("finance:contract_detail", args=[setting["their_contract"].pk])
    assert client.get(theirs).status_code == 404


def test_provider_staff_record_a_quarters_kpi_figure_for_their_contract(client, setting):
    contract = setting["our_contract"]
    kpi = contract.kpis.get()
    client.force_login(setting["staff"])

    response = client.post(
        reverse("finance:kpi_figure_record", args=[contract.pk]),
        {"kpi": kpi.pk, "financial_year": 2025, "quarter": 2, "value": "21"},
    )

    assert response.status_code == 302
    figure = KPIFigure.objects.get(kpi=kpi)
    assert (figure.quarter, figure.value, figure.recorded_by) == (
        2,
        Decimal("21"),
        setting["staff"],
    )


def test_provider_staff_are_refused_figures_for_another_providers_contract(client, setting):
    contract = setting["their_contract"]
    client.force_login(setting["staff"])

    response = client.post(
        reverse("finance:kpi_figure_record", args=[contract.pk]),
        {"kpi": contract.kpis.get().pk, "financial_year": 2025, "quarter": 2, "value": "21"},
    )

    assert response.status_code == 404
    assert not KPIFigure.objects.exists()


def test_a_figure_left_out_is_named_in_the_error_summary(client, setting):
    contract = setting["our_contract"]
    client.force_login(setting["staff"])

    response = client.post(
        reverse("finance:kpi_figure_record", args=[contract.pk]),
        {"kpi": contract.kpis.get().pk, "financial_year": 2025, "quarter": 2, "value": ""},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html
    assert 'href="#id_value"' in html


def test_those_who_keep_funding_see_every_contract(client, partnership, setting):
    officer = UserFactory(partnership=partnership, roles=[Role.GRANTS_OFFICER])
    client.force_login(officer)

    listed = client.get(reverse("finance:contract_list")).content.decode()

    assert "Youth Trust" in listed
    assert "Sports Club" in listed


def test_the_contracts_api_shows_provider_staff_their_own_contract_only(api_client, setting):
    api_client.force_authenticate(setting["staff"])

    contracts = api_client.get("/api/contracts/").json()

    rows = contracts["results"] if isinstance(contracts, dict) else contracts
    assert [row["id"] for row in rows] == [setting["our_contract"].pk]
