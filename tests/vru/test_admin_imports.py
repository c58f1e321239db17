"""Imports through the admin: preview first, nothing saved while any row is bad, audited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import LocalAuthorityFactory, StrategicNeedsAssessmentFactory
from vru.models import LSOA, AuditEvent, Recommendation, Role

pytestmark = pytest.mark.django_db

RECOMMENDATIONS = (
    "number,text,prevention_stage,intended_impacts,themes\n"
    "1,Support social skills in primary schools.,primary,Fewer risky behaviours,Age\n"
    "2,Engage young people where they are.,Secondary prevention,Safer streets | Trust,Age\n"
)


def _preview(client, url, content, **extra):
    upload = SimpleUploadedFile("file.csv", content.encode(), content_type="text/csv")
    return client.post(url, {"import_file": upload, "format": "0", "resource": "0", **extra})


def test_an_analyst_imports_recommendations_into_a_chosen_needs_assessment(
    client, user_with_role, partnership
):
    # given
    analyst = user_with_role(Role.ANALYST)
    sna = StrategicNeedsAssessmentFactory(partnership=partnership)
    client.force_login(analyst)

    # when the file is previewed, then confirmed
    preview = _preview(
        client, "/admin/vru/recommendation/import/", RECOMMENDATIONS, needs_assessment=sna.pk
    )
    assert preview.status_code == 200
    confirm = preview.context["confirm_form"]
    assert Recommendation.objects.count() == 0  # the preview saves nothing
    response = client.post(
        "/admin/vru/recommendation/process_import/",
        dict(confirm.initial),
    )

    # then
    assert response.status_code == 302
    saved = Recommendation.objects.filter(needs_assessment=sna).order_by("number")
    assert [(r.number, r.prevention_stage) for r in saved] == [
        (1, "primary"),
        (2, "secondary"),
    ]
    assert list(saved[1].themes.values_list("name", flat=True)) == ["Age"]
    event = AuditEvent.objects.get(verb="import.recommendation")
    assert event.actor == analyst
    assert event.changes["new"] == 2


def test_the_admin_only_offers_the_users_own_needs_assessments(
    client, user_with_role, partnership, other_partnership
):
    StrategicNeedsAssessmentFactory(partnership=partnership, title="Ours")
    StrategicNeedsAssessmentFactory(partnership=other_partnership, title="Theirs")
    client.force_login(user_with_role(Role.ANALYST))

    page = client.get("/admin/vru/recommendation/import/")

    assert page.status_code == 200
    assert "Ours" in page.text
    assert "Theirs" not in page.text


def test_an_lsoa_file_with_a_bad_row_shows_the_row_and_cannot_be_confirmed(
    client, user_with_role, partnership
):
    LocalAuthorityFactory(partnership=partnership, code="E07000066")
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    content = (
        "code,name,lsoa11_code,local_authority_code,population,imd_score,imd_decile\n"
        "E01021237,Basildon 001A,,E07000066,1500,12.5,6\n"
        "E01021238,Basildon 001B,,E07000066,1600,30.1,11\n"
    )

    preview = _preview(client, "/admin/vru/lsoa/import/", content)

    assert preview.status_code == 200
    assert "confirm_form" not in preview.context or preview.context["confirm_form"] is None
    assert "less than or equal to 10" in preview.text
    assert LSOA.objects.count() == 0


def test_the_indicator_admin_lists_only_the_partnerships_values_and_links_to_the_import(
    client, user_with_role, partnership, other_partnership
):
    from tests.factories import AreaIndicatorFactory, LSOAFactory

    ours = AreaIndicatorFactory(lsoa=LSOAFactory(partnership=partnership))
    theirs = AreaIndicatorFactory(lsoa=LSOAFactory(partnership=other_partnership))
    client.force_login(user_with_role(Role.ANALYST))

    page = client.get("/admin/vru/areaindicator/")

    assert page.status_code == 200
    assert ours.lsoa.code in page.text
    assert theirs.lsoa.code not in page.text
    assert 'href="/area-indicators/"' in page.text


def test_the_indicator_admin_is_closed_to_practitioners(client, user_with_role):
    client.force_login(user_with_role(Role.PRACTITIONER))

    assert client.get("/admin/vru/areaindicator/").status_code == 302


def test_a_formula_cell_is_refused_naming_its_row_and_column(client, user_with_role, partnership):
    LocalAuthorityFactory(partnership=partnership, code="E07000066")
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    content = (
        "code,name,lsoa11_code,local_authority_code,population,imd_score,imd_decile\n"
        'E01021237,=HYPERLINK("http://x"),,E07000066,1500,12.5,6\n'
    )

    preview = _preview(client, "/admin/vru/lsoa/import/", content)

    assert preview.status_code == 200
    assert "Row 2, column “name” starts with =" in preview.text
    assert "encountered while trying to read file" not in preview.text
    assert LSOA.objects.count() == 0


def test_a_bad_date_in_an_identifying_column_names_the_row_column_and_format(
    client, user_with_role, partnership
):
    from tests.factories import SuccessMeasureFactory

    measure = SuccessMeasureFactory(partnership=partnership)
    client.force_login(user_with_role(Role.ANALYST))
    content = (
        "measure,period_label,period_start,period_end,value,is_baseline\n"
        f"{measure.name},2023,2023-13-01,2023-12-31,12,no\n"
    )

    preview = _preview(client, "/admin/vru/successmeasurevalue/import/", content)

    assert preview.status_code == 200
    assert "Enter a date as year-month-day, for example 2024-03-31 (not “2023-13-01”)." in (
        preview.text
    )
    assert "period_start" in preview.text
    assert "could not be parsed" not in preview.text
    assert "This field cannot be null" not in preview.text  # nothing about unseen fields
    assert measure.values.count() == 0
