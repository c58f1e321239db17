"""The population fair reach compares with, imported from the ONS Census 2021 ethnic group by
age table through the reviewed import: checked first, imported only once confirmed, all or
nothing (a bad row refuses the whole file, naming row, column and reason, and changes
nothing), single years added up into the reach bands, and undone back to the figures
before it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from finance.models import PopulationFigure
from tests.factories import LocalAuthorityFactory, PartnershipFactory, UserFactory
from vru import services as core_services
from vru.models import ImportJob, Role

pytestmark = pytest.mark.django_db

HEADER = "local_authority_code,age,sex,ethnic_group,observation"


def csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


@pytest.fixture
def analyst(partnership):
    return UserFactory(partnership=partnership, roles=[Role.ANALYST])


@pytest.fixture
def area(partnership):
    return LocalAuthorityFactory(partnership=partnership, code="E06000055", name="Bedford")


def upload(client, content, capture):
    with capture(execute=True):
        response = client.post(
            "/finance/fair-reach/population/import/",
            {"file": SimpleUploadedFile("population.csv", content)},
        )
    assert response.status_code == 302, response.content
    return ImportJob.objects.filter(kind=ImportJob.Kind.POPULATION).latest("pk")


def stored():
    return {
        (f.age_band, f.sex, f.ethnic_group): f.people
        for f in PopulationFigure.objects.order_by("pk")
    }


def test_a_checked_file_imports_once_confirmed_adds_up_single_years_and_undoes(
    client, partnership, analyst, area, django_capture_on_commit_callbacks
):
    PopulationFigure.objects.create(
        partnership=partnership,
        local_authority=area,
        source="older",
        year=2021,
        age_band="all",
        sex="all",
        ethnic_group="white",
        people=5,
    )
    client.force_login(analyst)
    job = upload(
        client,
        csv(
            "E06000055,14,Female,Asian,10",
            'E06000055,Aged 15 years,Female,"Asian, Asian British or Asian Welsh",12',
            "E06000055,Aged 15 years,Female,Does not apply,0",
            "E06000055,Aged 4 years and under,Male,Black,7",
            "E06000055,Aged 5 to 9 years,Male,Black,1",
            "e06000055,18 to 24,Male,White British,300",
            "E06000055,18 to 24,Male,White: other White groups,40",
        ),
        django_capture_on_commit_callbacks,
    )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED, job.row_errors
    assert (job.preview["figures"], job.preview["people"], job.preview["figures_replaced"]) == (
        4,
        370,
        1,
    )
    assert stored() == {("all", "all", "white"): 5}  # nothing yet

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/finance/fair-reach/population/imports/{job.pk}/")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert stored() == {
        ("14-17", "female", "asian"): 22,
        ("u10", "male", "black"): 8,
        ("18-24", "male", "white_british"): 300,
        ("18-24", "male", "white_other"): 40,
    }
    assert {f.source for f in PopulationFigure.objects.all()} == {
        "ONS Census 2021, ethnic group by age and sex"
    }

    core_services.import_job_restore(actor=analyst, job=job)
    assert stored() == {("all", "all", "white"): 5}


def test_one_bad_row_refuses_the_whole_file_naming_row_column_and_reason(
    client, partnership, analyst, area, django_capture_on_commit_callbacks
):
    client.force_login(analyst)
    job = upload(
        client,
        csv(
            "E06000055,14,Female,Asian,10",
            "E09999999,14,Female,Asian,10",
            "E06000055,Aged 10 to 14 years,Female,Asian,10",
            "E06000055,14,Female,Martian,-3",
            "E06000055,all ages,Female,Black,10",
        ),
        django_capture_on_commit_callbacks,
    )
    job.refresh_from_db()

    assert job.status == ImportJob.Status.REFUSED
    problems = {(e["row"], e["column"]) for e in job.row_errors}
    assert problems == {
        (3, "local_authority_code"),
        (4, "age"),
        (5, "ethnic_group"),
        (5, "observation"),
        (6, "age"),  # all ages beside single years: people counted twice
    }
    reasons = {(e["row"], e["column"]): e["message"] for e in job.row_errors}
    assert (
        "not the ONS code of one of this partnership's local authorities"
        in reasons[(3, "local_authority_code")]
    )
    assert "Row 2 gives" in reasons[(6, "age")]
    assert not PopulationFigure.objects.exists()
    page = client.get(f"/finance/fair-reach/population/imports/{job.pk}/")
    assert "E09999999" in page.content.decode()


def test_a_missing_column_is_named(client, analyst, area, django_capture_on_commit_callbacks):
    client.force_login(analyst)
    job = upload(
        client,
        b"local_authority_code,age,sex,ethnic_group\nE06000055,14,Female,Asian\n",
        django_capture_on_commit_callbacks,
    )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.REFUSED
    assert job.row_errors[0]["row"] == 1
    assert job.row_errors[0]["column"] == "observation"
    assert not PopulationFigure.objects.exists()


def test_the_admin_lists_the_partnerships_population_read_only(client, partnership, analyst, area):
    other = PartnershipFactory()
    for owner, where in ((partnership, area), (other, LocalAuthorityFactory(partnership=other))):
        PopulationFigure.objects.create(
            partnership=owner,
            local_authority=where,
            source=f"source of {owner.slug}",
            year=2021,
            age_band="all",
            sex="all",
            ethnic_group="white",
            people=5,
        )
    client.force_login(analyst)
    response = client.get("/admin/finance/populationfigure/")
    assert response.status_code == 200
    assert f"source of {partnership.slug}" in response.content.decode()
    assert f"source of {other.slug}" not in response.content.decode()
    figure = PopulationFigure.objects.get(partnership=partnership)
    assert client.post(f"/admin/finance/populationfigure/{figure.pk}/delete/").status_code == 403
