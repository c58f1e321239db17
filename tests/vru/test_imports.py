"""Importing LSOAs, SNA recommendations and success-measure values from CSV/XLSX files.

The promise (vru.services.import_rows): every row is checked first; a file with any bad row
imports nothing and each bad row is reported by its spreadsheet row number (the header is
row 1) with the reason; `skip_invalid_rows` imports exactly the valid rows. A file can only
ever touch its own partnership's records.
"""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from tests.factories import (
    LocalAuthorityFactory,
    LSOAFactory,
    StrategicNeedsAssessmentFactory,
    SuccessMeasureFactory,
)
from vru import services
from vru.models import (
    LSOA,
    AuditEvent,
    ImportJob,
    PreventionStage,
    Recommendation,
    Role,
    SuccessMeasureValue,
)

pytestmark = pytest.mark.django_db

LSOA_HEADER = "code,name,lsoa11_code,local_authority_code,population,imd_score,imd_decile"
RECOMMENDATION_HEADER = "number,text,prevention_stage,intended_impacts,themes"
VALUES_HEADER = "measure,period_label,period_start,period_end,value,is_baseline"


@pytest.fixture
def analyst(user_with_role):
    return user_with_role(Role.ANALYST)


@pytest.fixture
def basildon(partnership):
    return LocalAuthorityFactory(partnership=partnership, code="E07000066", name="Basildon")


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def import_csv(*, actor, partnership, content: bytes, kind=ImportJob.Kind.LSOAS, **kwargs):
    dataset = services.read_table(file_name="upload.csv", content=content)
    return services.import_rows(
        actor=actor, partnership=partnership, kind=kind, dataset=dataset, **kwargs
    )


def errors_of(outcome) -> list[tuple[int, str]]:
    return [(error.row, error.column) for error in outcome.errors]


# --- All or nothing ----------------------------------------------------------------------


def test_a_file_with_bad_rows_imports_nothing_and_reports_each_bad_row(
    analyst, partnership, basildon
):
    # given two good rows and two bad ones (rows 3 and 5 as a spreadsheet numbers them)
    content = csv_bytes(
        LSOA_HEADER,
        "E01021234,Basildon 001A,E01021234,E07000066,1500,21.5,5",
        "E0X021235,Basildon 001B,,E07000066,1500,21.5,5",
        "E01021236,Basildon 001C,,E07000066,1500,21.5,5",
        "E01021237,Basildon 001D,,E07000066,1500,21.5,11",
    )

    # when
    outcome = import_csv(actor=analyst, partnership=partnership, content=content)

    # then
    assert LSOA.objects.count() == 0
    assert outcome.imported_rows == 0
    assert outcome.total_rows == 4
    assert errors_of(outcome) == [(3, "code"), (5, "imd_decile")]
    assert "Enter an LSOA code like E01017529" in outcome.errors[0].message
    assert "less than or equal to 10" in outcome.errors[1].message


def test_skipping_invalid_rows_imports_exactly_the_valid_ones(analyst, partnership, basildon):
    content = csv_bytes(
        LSOA_HEADER,
        "E01021234,Basildon 001A,,E07000066,1500,21.5,5",
        "E0X021235,Basildon 001B,,E07000066,1500,21.5,5",
        "E01021236,Basildon 001C,,E07000066,1500,21.5,5",
        "E01021237,Basildon 001D,,E07000066,1500,21.5,11",
    )

    outcome = import_csv(
        actor=analyst, partnership=partnership, content=content, skip_invalid_rows=True
    )

    assert sorted(LSOA.objects.values_list("code", flat=True)) == ["E01021234", "E01021236"]
    assert outcome.imported_rows == 2
    assert errors_of(outcome) == [(3, "code"), (5, "imd_decile")]


def test_imported_lsoas_take_the_partnership_and_csp_of_their_local_authority(
    analyst, partnership, basildon
):
    content = csv_bytes(LSOA_HEADER, "E01021234,Basildon 001A,,E07000066,1523,21.512,5")

    import_csv(actor=analyst, partnership=partnership, content=content)

    lsoa = LSOA.objects.get(code="E01021234")
    assert lsoa.partnership == partnership
    assert lsoa.local_authority == basildon
    assert lsoa.community_safety_partnership == basildon.community_safety_partnership
    assert lsoa.population == 1523
    assert lsoa.imd_score == Decimal("21.512")


def test_a_file_missing_a_required_column_is_refused_with_the_columns_named(
    analyst, partnership, basildon
):
    content = csv_bytes("code,local_authority_code", "E01021234,E07000066")

    outcome = import_csv(actor=analyst, partnership=partnership, content=content)

    assert LSOA.objects.count() == 0
    assert errors_of(outcome) == [(1, "")]
    assert "missing these columns: name" in outcome.errors[0].message


def test_an_update_file_missing_a_required_column_is_reported_not_raised(
    analyst, partnership, basildon
):
    # given an LSOA that exists, so the row alone would be valid without a name
    LSOAFactory(local_authority=basildon, code="E01021234", name="Basildon 001A")
    content = csv_bytes("code,local_authority_code", "E01021234,E07000066")

    # when
    outcome = import_csv(actor=analyst, partnership=partnership, content=content)

    # then the missing column is reported like any other problem, not raised as a crash
    assert outcome.imported_rows == 0
    assert errors_of(outcome) == [(1, "")]
    assert "missing these columns: name" in outcome.errors[0].message


def test_a_code_twice_in_one_file_is_refused(analyst, partnership, basildon):
    content = csv_bytes(
        LSOA_HEADER,
        "E01021234,Basildon 001A,,E07000066,1500,21.5,5",
        "E01021235,Basildon 001B,,E07000066,1500,21.5,5",
        "E01021234,Basildon 001A again,,E07000066,1500,21.5,5",
    )

    outcome = import_csv(actor=analyst, partnership=partnership, content=content)

    assert LSOA.objects.count() == 0
    assert errors_of(outcome) == [(4, "code")]
    assert outcome.errors[0].message == "E01021234 is also on row 2."


def test_an_lsoa_of_another_partnership_is_refused_and_left_alone(
    analyst, partnership, other_partnership, basildon
):
    luton = LSOAFactory(partnership=other_partnership, code="E01015693", name="Luton 007A")
    content = csv_bytes(LSOA_HEADER, "E01015693,Taken over,,E07000066,1,1,1")

    outcome = import_csv(actor=analyst, partnership=partnership, content=content)

    assert errors_of(outcome) == [(2, "code")]
    assert outcome.errors[0].message == "E01015693 belongs to another partnership."
    luton.refresh_from_db()
    assert (luton.partnership, luton.name) == (other_partnership, "Luton 007A")


def test_a_local_authority_of_another_partnership_is_refused(
    analyst, partnership, other_partnership, basildon
):
    LocalAuthorityFactory(partnership=other_partnership, code="E06000032", name="Luton")
    content = csv_bytes(
        LSOA_HEADER,
        "E01021234,Basildon 001A,,E07000066,1500,21.5,5",
        "E01015693,Luton 007A,,E06000032,1780,9.1,8",
    )

    outcome = import_csv(actor=analyst, partnership=partnership, content=content)

    assert LSOA.objects.count() == 0
    assert [error.row for error in outcome.errors] == [3]


def test_reimporting_the_same_file_changes_nothing(analyst, partnership, basildon):
    # given a file imported once
    content = csv_bytes(
        LSOA_HEADER,
        "E01021234,Basildon 001A,E01021234,E07000066,1500,21.5,5",
        "E01021235,Basildon 001B,E01021235,E07000066,1600,30.25,2",
    )
    first = import_csv(actor=analyst, partnership=partnership, content=content)
    events = AuditEvent.objects.count()
    rows = list(LSOA.objects.values())

    # when it is imported again
    second = import_csv(actor=analyst, partnership=partnership, content=content)

    # then
    assert first.imported_rows == 2
    assert second.imported_rows == 0
    assert second.errors == []
    assert AuditEvent.objects.count() == events
    assert list(LSOA.objects.values()) == rows


def test_a_changed_row_is_updated_and_audited(analyst, partnership, basildon):
    LSOAFactory(local_authority=basildon, code="E01021234", name="Basildon 001A", population=1)
    content = csv_bytes(LSOA_HEADER, "E01021234,Basildon 001A,,E07000066,1500,21.5,5")

    outcome = import_csv(actor=analyst, partnership=partnership, content=content)

    assert outcome.imported_rows == 1
    assert LSOA.objects.get().population == 1500
    event = AuditEvent.objects.get(verb="import.lsoas")
    assert event.changes["updated"] == 1


# --- File formats ------------------------------------------------------------------------


def test_a_csv_with_a_byte_order_mark_imports(analyst, partnership, basildon):
    content = b"\xef\xbb\xbf" + csv_bytes(LSOA_HEADER, "E01021234,Basildon 001A,,E07000066,,,")

    dataset = services.read_table(file_name="excel.csv", content=content)
    outcome = services.import_rows(
        actor=analyst, partnership=partnership, kind=ImportJob.Kind.LSOAS, dataset=dataset
    )

    assert dataset.headers[0] == "code"
    assert outcome.errors == []
    assert LSOA.objects.get().code == "E01021234"


def test_headers_are_read_without_case_or_surrounding_spaces(analyst, partnership, basildon):
    content = csv_bytes(" Code ,NAME,Local_Authority_Code", "E01021234,Basildon 001A,E07000066")

    outcome = import_csv(actor=analyst, partnership=partnership, content=content)

    assert outcome.errors == []
    assert LSOA.objects.filter(code="E01021234").exists()


def test_a_file_that_is_not_utf8_is_refused():
    content = "code,name\nE01021234,Southend-on-Sea caf\xe9\n".encode("latin-1")

    with pytest.raises(ValidationError) as error:
        services.read_table(file_name="latin1.csv", content=content)

    assert error.value.code == "encoding"


def test_a_file_with_nul_bytes_is_refused():
    with pytest.raises(ValidationError) as error:
        services.read_table(file_name="binary.csv", content=b"code,name\nE01\x00021234,x\n")

    assert error.value.code == "nul_bytes"


@pytest.mark.parametrize("file_name", ["lsoas.txt", "lsoas", "lsoas.xls"])
def test_only_csv_and_xlsx_files_are_read(file_name):
    with pytest.raises(ValidationError) as error:
        services.read_table(file_name=file_name, content=csv_bytes(LSOA_HEADER))

    assert error.value.code == "file_type"


def test_a_csv_renamed_to_xlsx_is_refused():
    with pytest.raises(ValidationError) as error:
        services.read_table(file_name="lsoas.xlsx", content=csv_bytes(LSOA_HEADER))

    assert error.value.code == "file_type"


def test_a_column_named_twice_is_refused():
    with pytest.raises(ValidationError) as error:
        services.read_table(file_name="a.csv", content=csv_bytes("code,name,Code", "a,b,c"))

    assert error.value.code == "duplicate_columns"


def test_an_xlsx_workbook_imports(analyst, partnership, basildon):
    # given a workbook as Excel saves it
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(LSOA_HEADER.split(","))
    sheet.append(["E01021234", "Basildon 001A", "E01021234", "E07000066", 1500, 21.5, 5])
    sheet.append(["E01021235", "Basildon 001B", None, "E07000066", 1600, 30.25, 2])
    buffer = io.BytesIO()
    workbook.save(buffer)

    # when
    dataset = services.read_table(file_name="LSOAs.XLSX", content=buffer.getvalue())
    outcome = services.import_rows(
        actor=analyst, partnership=partnership, kind=ImportJob.Kind.LSOAS, dataset=dataset
    )

    # then
    assert outcome.errors == []
    assert outcome.imported_rows == 2
    assert LSOA.objects.get(code="E01021235").imd_score == Decimal("30.250")


def test_an_empty_file_is_reported():
    outcome = services.import_rows(
        actor=None,
        partnership=LocalAuthorityFactory().partnership,
        kind=ImportJob.Kind.LSOAS,
        dataset=services.read_table(file_name="empty.csv", content=b""),
    )

    assert errors_of(outcome) == [(1, "")]


# --- Recommendations ---------------------------------------------------------------------


@pytest.fixture
def draft_sna(partnership):
    return StrategicNeedsAssessmentFactory(partnership=partnership)


RECOMMENDATIONS = csv_bytes(
    RECOMMENDATION_HEADER,
    '1,"Support social skills in primary schools.",Primary prevention,'
    "Improve feelings of safety | Fewer young people in risky behaviour,Age isn't just a number",
    '2,"Enhance the early help offer.",secondary,,'
    "Age isn't just a number | The impact of being well",
    '3,"Share data across the partnership.",,,',
)


def test_recommendations_import_with_their_themes_and_stages(analyst, partnership, draft_sna):
    outcome = import_csv(
        actor=analyst,
        partnership=partnership,
        content=RECOMMENDATIONS,
        kind=ImportJob.Kind.RECOMMENDATIONS,
        needs_assessment=draft_sna,
    )

    assert outcome.errors == []
    first, second, third = Recommendation.objects.filter(needs_assessment=draft_sna)
    assert first.prevention_stage == PreventionStage.PRIMARY
    assert first.intended_impacts == [
        "Improve feelings of safety",
        "Fewer young people in risky behaviour",
    ]
    assert [t.name for t in first.themes.all()] == ["Age isn't just a number"]
    assert second.prevention_stage == PreventionStage.SECONDARY
    assert sorted(t.name for t in second.themes.all()) == [
        "Age isn't just a number",
        "The impact of being well",
    ]
    assert third.prevention_stage == ""
    assert list(third.themes.all()) == []
    assert draft_sna.themes.count() == 2


def test_an_unknown_prevention_stage_is_refused(analyst, partnership, draft_sna):
    content = csv_bytes(
        RECOMMENDATION_HEADER,
        "1,Support primary schools.,primary,,",
        "2,Something else.,quaternary,,",
    )

    outcome = import_csv(
        actor=analyst,
        partnership=partnership,
        content=content,
        kind=ImportJob.Kind.RECOMMENDATIONS,
        needs_assessment=draft_sna,
    )

    assert Recommendation.objects.count() == 0
    assert errors_of(outcome) == [(3, "prevention_stage")]
    assert '"quaternary" is not a prevention stage' in outcome.errors[0].message


def test_reimporting_the_same_recommendations_changes_nothing(analyst, partnership, draft_sna):
    # given
    kwargs = {
        "actor": analyst,
        "partnership": partnership,
        "content": RECOMMENDATIONS,
        "kind": ImportJob.Kind.RECOMMENDATIONS,
        "needs_assessment": draft_sna,
    }
    import_csv(**kwargs)
    events = AuditEvent.objects.count()

    # when
    second = import_csv(**kwargs)

    # then
    assert second.errors == []
    assert second.imported_rows == 0
    assert AuditEvent.objects.count() == events
    assert Recommendation.objects.count() == 3


def test_reimporting_recommendations_with_changed_themes_or_stage_updates_them(
    analyst, partnership, draft_sna
):
    # given the recommendations imported once
    kwargs = {
        "actor": analyst,
        "partnership": partnership,
        "kind": ImportJob.Kind.RECOMMENDATIONS,
        "needs_assessment": draft_sna,
    }
    import_csv(content=RECOMMENDATIONS, **kwargs)
    changed = csv_bytes(
        RECOMMENDATION_HEADER,
        '1,"Support social skills in primary schools.",Primary prevention,'
        "Improve feelings of safety | Fewer young people in risky behaviour,"
        "A culture of normalised violence",
        '2,"Enhance the early help offer.",tertiary,,'
        "Age isn't just a number | The impact of being well",
        '3,"Share data across the partnership.",,,',
    )

    # when the themes of recommendation 1 and the stage of recommendation 2 change
    outcome = import_csv(content=changed, **kwargs)

    # then exactly those two are saved again
    assert outcome.errors == []
    assert outcome.imported_rows == 2
    first, second, _ = Recommendation.objects.filter(needs_assessment=draft_sna)
    assert [t.name for t in first.themes.all()] == ["A culture of normalised violence"]
    assert second.prevention_stage == PreventionStage.TERTIARY
    event = AuditEvent.objects.filter(verb="import.recommendations").first()
    assert (event.changes["updated"], event.changes["unchanged"]) == (2, 1)


def test_recommendations_need_a_needs_assessment(analyst, partnership):
    with pytest.raises(ValidationError) as error:
        import_csv(
            actor=analyst,
            partnership=partnership,
            content=RECOMMENDATIONS,
            kind=ImportJob.Kind.RECOMMENDATIONS,
        )

    assert error.value.code == "no_sna"


# --- Success-measure values --------------------------------------------------------------


def test_values_for_an_unknown_measure_are_refused(analyst, partnership, other_partnership):
    SuccessMeasureFactory(partnership=partnership, name="Non-domestic homicides")
    SuccessMeasureFactory(partnership=other_partnership, name="Bedfordshire homicides")
    content = csv_bytes(
        VALUES_HEADER,
        "Non-domestic homicides,2018/19,2018-04-01,2019-03-31,15,yes",
        "Domestic homicides,2018/19,2018-04-01,2019-03-31,4,no",
        "Bedfordshire homicides,2018/19,2018-04-01,2019-03-31,4,no",
    )

    outcome = import_csv(
        actor=analyst,
        partnership=partnership,
        content=content,
        kind=ImportJob.Kind.SUCCESS_MEASURE_VALUES,
    )

    assert SuccessMeasureValue.objects.count() == 0
    assert [error.row for error in outcome.errors] == [3, 4]


def test_success_measure_values_import_and_reimport_changes_nothing(analyst, partnership):
    measure = SuccessMeasureFactory(partnership=partnership, name="Non-domestic homicides")
    content = csv_bytes(
        VALUES_HEADER,
        "Non-domestic homicides,2018/19,2018-04-01,2019-03-31,15,yes",
        "Non-domestic homicides,Aug 2022 – Jul 2023,2022-08-01,2023-07-31,10,no",
    )
    kwargs = {
        "actor": analyst,
        "partnership": partnership,
        "content": content,
        "kind": ImportJob.Kind.SUCCESS_MEASURE_VALUES,
    }

    first = import_csv(**kwargs)
    events = AuditEvent.objects.count()
    second = import_csv(**kwargs)

    assert (first.imported_rows, second.imported_rows) == (2, 0)
    assert AuditEvent.objects.count() == events
    baseline, latest = measure.values.all()
    assert (baseline.label, baseline.value, baseline.is_baseline) == ("2018/19", 15, True)
    assert (latest.label, latest.value, latest.is_baseline) == ("Aug 2022 – Jul 2023", 10, False)


def test_a_yes_no_column_with_another_word_is_refused(analyst, partnership):
    SuccessMeasureFactory(partnership=partnership, name="Non-domestic homicides")
    content = csv_bytes(
        VALUES_HEADER, "Non-domestic homicides,2018/19,2018-04-01,2019-03-31,15,maybe"
    )

    outcome = import_csv(
        actor=analyst,
        partnership=partnership,
        content=content,
        kind=ImportJob.Kind.SUCCESS_MEASURE_VALUES,
    )

    assert [error.row for error in outcome.errors] == [2]
    assert SuccessMeasureValue.objects.count() == 0


# --- Who may import ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [
        Role.PROGRAMME_MANAGER,
        Role.PRACTITIONER,
        Role.GRANTS_OFFICER,
        Role.YOUTH_REVIEWER,
        Role.APPLICANT,
        Role.COMMISSIONER,
    ],
    ids=str,
)
def test_a_user_without_an_import_role_cannot_import(user_with_role, partnership, basildon, role):
    content = csv_bytes(LSOA_HEADER, "E01021234,Basildon 001A,,E07000066,,,")

    with pytest.raises(PermissionDenied):
        import_csv(actor=user_with_role(role), partnership=partnership, content=content)

    assert LSOA.objects.count() == 0


def test_an_analyst_cannot_import_into_another_partnership(
    user_with_role, partnership, other_partnership
):
    LocalAuthorityFactory(partnership=other_partnership, code="E06000032")
    content = csv_bytes(LSOA_HEADER, "E01015693,Luton 007A,,E06000032,,,")

    with pytest.raises(PermissionDenied):
        import_csv(
            actor=user_with_role(Role.ANALYST), partnership=other_partnership, content=content
        )

    assert LSOA.objects.count() == 0


def test_a_user_without_an_import_role_cannot_queue_an_import_job(user_with_role, partnership):
    with pytest.raises(PermissionDenied):
        services.import_job_create(
            actor=user_with_role(Role.COMMISSIONER),
            partnership=partnership,
            kind=ImportJob.Kind.LSOAS,
            file_name="lsoas.csv",
            content=csv_bytes(LSOA_HEADER),
        )

    assert ImportJob.objects.count() == 0


# --- Import jobs -------------------------------------------------------------------------


def queue(*, actor, partnership, content, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = services.import_job_create(
            actor=actor,
            partnership=partnership,
            kind=ImportJob.Kind.LSOAS,
            file_name="lsoas.csv",
            content=content,
            **kwargs,
        )
    assert len(callbacks) == 1  # the Celery task, scheduled once the job is saved
    job.refresh_from_db()
    return job


def test_an_import_job_runs_once_committed_and_forgets_the_file(
    analyst, partnership, basildon, django_capture_on_commit_callbacks
):
    content = csv_bytes(LSOA_HEADER, "E01021234,Basildon 001A,,E07000066,,,")

    job = queue(
        actor=analyst,
        partnership=partnership,
        content=content,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    assert job.status == ImportJob.Status.SUCCEEDED
    assert (job.total_rows, job.processed_rows, job.imported_rows) == (1, 1, 1)
    assert job.percent_done == 100
    assert bytes(job.content) == b""
    assert LSOA.objects.filter(code="E01021234").exists()


def test_an_import_job_with_a_bad_row_fails_with_the_row_listed(
    analyst, partnership, basildon, django_capture_on_commit_callbacks
):
    content = csv_bytes(
        LSOA_HEADER,
        "E01021234,Basildon 001A,,E07000066,,,",
        "nonsense,Basildon 001B,,E07000066,,,",
    )

    job = queue(
        actor=analyst,
        partnership=partnership,
        content=content,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    assert job.status == ImportJob.Status.FAILED
    assert [(e["row"], e["column"]) for e in job.row_errors] == [(3, "code")]
    assert LSOA.objects.count() == 0


def test_an_import_job_skipping_invalid_rows_succeeds_with_the_valid_ones(
    analyst, partnership, basildon, django_capture_on_commit_callbacks
):
    content = csv_bytes(
        LSOA_HEADER,
        "E01021234,Basildon 001A,,E07000066,,,",
        "nonsense,Basildon 001B,,E07000066,,,",
    )

    job = queue(
        actor=analyst,
        partnership=partnership,
        content=content,
        skip_invalid_rows=True,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.imported_rows == 1
    assert [e["row"] for e in job.row_errors] == [3]


def test_an_import_job_of_a_file_that_cannot_be_read_fails_with_the_reason(
    analyst, partnership, django_capture_on_commit_callbacks
):
    job = queue(
        actor=analyst,
        partnership=partnership,
        content="café".encode("latin-1"),
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    assert job.status == ImportJob.Status.FAILED
    assert job.row_errors[0]["row"] == 1
    assert "UTF-8" in job.row_errors[0]["message"]


def test_an_import_job_missing_a_column_fails_with_the_reason(
    analyst, partnership, basildon, django_capture_on_commit_callbacks
):
    LSOAFactory(local_authority=basildon, code="E01021234")

    job = queue(
        actor=analyst,
        partnership=partnership,
        content=csv_bytes("code,local_authority_code", "E01021234,E07000066"),
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )

    assert job.status == ImportJob.Status.FAILED
    assert "missing these columns: name" in job.row_errors[0]["message"]


def test_running_a_finished_import_job_again_does_nothing(
    analyst, partnership, basildon, django_capture_on_commit_callbacks
):
    job = queue(
        actor=analyst,
        partnership=partnership,
        content=csv_bytes(LSOA_HEADER, "E01021234,Basildon 001A,,E07000066,,,"),
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    events = AuditEvent.objects.count()

    again = services.import_job_run(job_id=job.pk)

    assert again.status == ImportJob.Status.SUCCEEDED
    assert again.finished_at == job.finished_at
    assert AuditEvent.objects.count() == events


# --- The management command --------------------------------------------------------------
# The command queues a job and reports it once the job has run, which in the embedded
# mode happens when the job's transaction commits: these tests need real commits.


@pytest.mark.django_db(transaction=True)
def test_the_import_command_imports_a_good_file(tmp_path, partnership, basildon):
    path = tmp_path / "lsoas.csv"
    path.write_bytes(csv_bytes(LSOA_HEADER, "E01021234,Basildon 001A,,E07000066,1500,21.5,5"))
    out = io.StringIO()

    call_command("import_area_data", "lsoas", str(path), partnership=partnership.slug, stdout=out)

    assert "Imported 1 of 1 rows." in out.getvalue()
    assert LSOA.objects.filter(code="E01021234", partnership=partnership).exists()


@pytest.mark.django_db(transaction=True)
def test_the_import_command_lists_each_bad_row_and_imports_nothing(tmp_path, partnership, basildon):
    path = tmp_path / "lsoas.csv"
    path.write_bytes(
        csv_bytes(
            LSOA_HEADER,
            "E01021234,Basildon 001A,,E07000066,1500,21.5,5",
            "E01021235,Basildon 001B,,E07000066,1500,21.5,0",
            "E01021236,,,E07000066,1500,21.5,5",
        )
    )
    err = io.StringIO()

    with pytest.raises(CommandError, match="Nothing imported: 2 problem"):
        call_command(
            "import_area_data", "lsoas", str(path), partnership=partnership.slug, stderr=err
        )

    assert err.getvalue().splitlines() == [
        "Row 3 [imd_decile]: Ensure this value is greater than or equal to 1.",
        "Row 4 [name]: This field cannot be blank.",
    ]
    assert LSOA.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_import_command_with_skip_invalid_rows_imports_the_valid_ones(
    tmp_path, partnership, basildon
):
    path = tmp_path / "lsoas.csv"
    path.write_bytes(
        csv_bytes(
            LSOA_HEADER,
            "E01021234,Basildon 001A,,E07000066,1500,21.5,5",
            "E01021235,Basildon 001B,,E07000066,1500,21.5,0",
        )
    )
    out = io.StringIO()

    call_command(
        "import_area_data",
        "lsoas",
        str(path),
        partnership=partnership.slug,
        skip_invalid_rows=True,
        stdout=out,
        stderr=io.StringIO(),
    )

    assert "Imported 1 of 2 rows." in out.getvalue()
    assert list(LSOA.objects.values_list("code", flat=True)) == ["E01021234"]


def test_the_import_command_refuses_an_unknown_partnership(tmp_path):
    path = tmp_path / "lsoas.csv"
    path.write_bytes(csv_bytes(LSOA_HEADER))

    with pytest.raises(CommandError, match="No partnership with slug 'nowhere'"):
        call_command("import_area_data", "lsoas", str(path), partnership="nowhere")


def test_the_import_command_refuses_another_partnerships_needs_assessment(
    tmp_path, partnership, other_partnership
):
    sna = StrategicNeedsAssessmentFactory(partnership=other_partnership)
    path = tmp_path / "recommendations.csv"
    path.write_bytes(RECOMMENDATIONS)

    with pytest.raises(CommandError, match=f"No needs assessment {sna.pk}"):
        call_command(
            "import_area_data",
            "recommendations",
            str(path),
            partnership=partnership.slug,
            sna=sna.pk,
        )

    assert Recommendation.objects.count() == 0


def test_an_import_job_is_handed_to_celery_through_the_outbox(
    analyst, partnership, basildon, django_capture_on_commit_callbacks, monkeypatch
):
    """Written with the job, so a file uploaded while the broker is down is run when it
    returns (the outbox relay hands it over); the task gets the job's id only."""
    from vru import tasks
    from vru.models import OutboxMessage

    handed = []
    monkeypatch.setattr(
        tasks.import_job_run, "apply_async", lambda args, **options: handed.append(args)
    )
    content = csv_bytes(LSOA_HEADER, "E01021234,Basildon 001A,,E07000066,,,")
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_create(
            actor=analyst,
            partnership=partnership,
            kind=ImportJob.Kind.LSOAS,
            file_name="lsoas.csv",
            content=content,
        )

    message = OutboxMessage.objects.get(kind="vru.import_job_run")
    assert (message.target_id, message.status) == (job.pk, OutboxMessage.Status.DONE)
    assert handed == [[job.pk]]
