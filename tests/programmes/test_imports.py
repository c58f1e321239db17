"""Bulk import of referrals from a custody spreadsheet: all or nothing, row errors, duplicates."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from programmes import services
from programmes.models import Referral, StatusChange, YoungPersonIdentity
from tests.factories import (
    LSOAFactory,
    ProgrammeFactory,
    ReferralFactory,
    UserFactory,
    referrals_of,
)
from vru import services as core_services
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

HEADER = "first_name,last_name,date_of_birth,reason,event_at,source,home_lsoa,assigned_to,gender\n"


@pytest.fixture
def programme(partnership):
    return ProgrammeFactory(partnership=partnership)


def rows_of(text: str) -> list[dict]:
    return services.read_rows(file_name="custody.csv", content=text.encode())


def test_a_clean_file_is_imported_with_due_times_and_audit(programme):
    lsoa = LSOAFactory(partnership=programme.partnership, code="E01000001")
    practitioner = UserFactory(partnership=programme.partnership, roles=[Role.PRACTITIONER])
    services.programme_staff_set(
        actor=None, programme=programme, user=practitioner, role="practitioner"
    )
    text = HEADER + (
        f"Ann,One,2010-02-03,knife,2026-03-01 10:00,custody,{lsoa.code},{practitioner.username},female\n"
        "Bob,Two,2009-05-06,Drug possession,2026-03-02 22:30,,,,\n"
    )

    outcome = services.referrals_import(actor=None, programme=programme, rows=rows_of(text))

    assert outcome.errors == []
    assert outcome.imported_rows == 2
    ann = referrals_of("Ann", "One", datetime.date(2010, 2, 3)).get()
    assert ann.lsoa == lsoa
    assert ann.assigned_to == practitioner
    assert ann.due_at - ann.event_at == datetime.timedelta(hours=24)
    assert ann.young_person.gender == "female"
    assert referrals_of("Bob", "Two", datetime.date(2009, 5, 6)).get().reason == "drug_possession"
    assert StatusChange.objects.filter(to_status="received").count() == 2
    assert AuditEvent.objects.filter(verb="referral.imported", action="import").exists()


def test_one_bad_row_imports_nothing_and_lists_every_error(programme):
    text = HEADER + (
        "Ann,One,2010-02-03,knife,2026-03-01 10:00,,,,\n"
        ",Two,31/12/2009,shoplifting,tomorrow,,E01999999,nobody,\n"
    )

    outcome = services.referrals_import(actor=None, programme=programme, rows=rows_of(text))

    assert outcome.imported_rows == 0
    assert Referral.objects.count() == 0
    assert {(e.row, e.column) for e in outcome.errors} == {
        (3, "first_name"),
        (3, "date_of_birth"),
        (3, "reason"),
        (3, "event_at"),
        (3, "home_lsoa"),
        (3, "assigned_to"),
    }


def test_the_same_person_and_event_twice_in_a_file_is_an_error(programme):
    line = "Ann,One,2010-02-03,knife,2026-03-01 10:00,,,,\n"

    outcome = services.referrals_import(
        actor=None, programme=programme, rows=rows_of(HEADER + line + line)
    )

    assert [(e.row, e.message) for e in outcome.errors] == [
        (3, "The same young person and event as row 2.")
    ]


def test_importing_the_same_file_again_is_refused(programme):
    rows = rows_of(HEADER + "Ann,One,2010-02-03,knife,2026-03-01 10:00,,,,\n")
    services.referrals_import(actor=None, programme=programme, rows=rows)

    again = services.referrals_import(actor=None, programme=programme, rows=rows)

    assert [e.message for e in again.errors] == ["This referral is already on record."]
    assert Referral.objects.count() == 1


def test_a_known_young_person_is_flagged_as_possible_duplicate(programme):
    known = ReferralFactory(
        programme=programme,
        first_name="Ann",
        last_name="One",
        date_of_birth=datetime.date(2010, 2, 3),
    )

    outcome = services.referrals_import(
        actor=None,
        programme=programme,
        rows=rows_of(HEADER + "Ann,One,2010-02-03,violence,2026-02-01 10:00,,,,\n"),
    )

    assert outcome.possible_duplicates == 1
    new = (
        referrals_of("Ann", "One", datetime.date(2010, 2, 3))
        .exclude(young_person=known.young_person)
        .get()
        .young_person
    )
    assert list(new.possible_duplicates.all()) == [known.young_person]


def test_missing_columns_are_reported_before_rows(programme):
    outcome = services.referrals_import(
        actor=None, programme=programme, rows=[{"first_name": "Ann"}]
    )

    assert {e.column for e in outcome.errors} == {
        "last_name",
        "date_of_birth",
        "reason",
        "event_at",
    }


def test_xlsx_files_import_too(programme):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["first_name", "last_name", "date_of_birth", "reason", "event_at"])
    sheet.append(
        ["Cy", "Three", datetime.date(2011, 1, 1), "knife", datetime.datetime(2026, 3, 1, 9, 0)]  # noqa: DTZ001 - a spreadsheet holds naive UK times
    )
    buffer = io.BytesIO()
    book.save(buffer)
    rows = services.read_rows(file_name="custody.xlsx", content=buffer.getvalue())

    outcome = services.referrals_import(actor=None, programme=programme, rows=rows)

    assert outcome.errors == []
    assert outcome.imported_rows == 1


def test_a_file_that_is_not_utf8_is_refused_before_reading(programme):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.read_rows(file_name="custody.csv", content="café".encode("latin-1"))


def test_the_same_young_person_on_two_rows_of_a_file_is_flagged_both_ways(programme):
    text = HEADER + (
        "Ann,One,2010-02-03,knife,2026-03-01 10:00,,,,\n"
        "ann, ONE ,2010-02-03,violence,2026-03-02 18:00,,,,\n"
        "Bob,Two,2009-05-06,knife,2026-03-01 11:00,,,,\n"
    )

    outcome = services.referrals_import(actor=None, programme=programme, rows=rows_of(text))

    assert outcome.errors == []
    assert outcome.possible_duplicates == 2
    first, second = (
        referrals_of("Ann", "One", datetime.date(2010, 2, 3))
        .order_by("event_at")
        .select_related("young_person")
    )
    assert first.young_person != second.young_person  # flagged, never merged
    assert list(first.young_person.possible_duplicates.all()) == [second.young_person]
    assert list(second.young_person.possible_duplicates.all()) == [first.young_person]
    bob = referrals_of("Bob", "Two", datetime.date(2009, 5, 6)).get().young_person
    assert not bob.possible_duplicates.exists()


def test_over_long_values_and_a_future_referral_time_are_row_errors(programme):
    header = "first_name,last_name,date_of_birth,reason,event_at,referred_at,postcode\n"
    text = header + (
        f"{'A' * 101},One,2010-02-03,knife,2026-03-01 10:00,,\n"
        f"Ann,{'B' * 101},2010-02-03,knife,2026-03-01 10:00,,\n"
        "Cy,Three,2010-02-03,knife,2026-03-01 10:00,,CM1 1AA EXTRA\n"
        "Di,Four,2010-02-03,knife,2026-03-01 10:00,2099-01-01 10:00,\n"
    )

    outcome = services.referrals_import(actor=None, programme=programme, rows=rows_of(text))

    assert {(e.row, e.column) for e in outcome.errors} == {
        (2, "first_name"),
        (3, "last_name"),
        (4, "postcode"),
        (5, "referred_at"),
    }
    assert Referral.objects.count() == 0


def test_imported_identities_are_encrypted_at_rest(programme):
    from django.db import connection

    rows = rows_of(HEADER + "Ann,Onlyhere,2010-02-03,knife,2026-03-01 10:00,,,,\n")

    services.referrals_import(actor=None, programme=programme, rows=rows)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT first_name, last_name, date_of_birth FROM programmes_youngpersonidentity"
        )
        stored = cursor.fetchone()
    assert all(str(value).startswith("aesgcm2:") for value in stored)
    assert "Onlyhere" not in "".join(map(str, stored))
    identity = YoungPersonIdentity.objects.get()
    assert (identity.last_name, identity.date_of_birth) == ("Onlyhere", datetime.date(2010, 2, 3))


# --- Exactly the valid rows, the Celery job and its progress page -----------------------


def test_skipping_invalid_rows_imports_exactly_the_valid_ones_and_audits_once(programme):
    text = HEADER + (
        "Ann,One,2010-02-03,knife,2026-03-01 10:00,,,,\n"
        "Bob,Two,2009-05-06,juggling,2026-03-02 22:30,,,,\n"
        "Cat,Three,2009-05-06,violence,2026-03-02 22:30,,,,\n"
        "Ann,One,2010-02-03,knife,2026-03-01 10:00,,,,\n"
    )

    outcome = services.referrals_import(
        actor=None, programme=programme, rows=rows_of(text), skip_invalid_rows=True
    )

    assert outcome.imported_rows == 2
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "reason"), (5, "first_name")]
    assert "row 2" in outcome.errors[1].message
    assert Referral.objects.filter(programme=programme).count() == 2
    event = AuditEvent.objects.get(verb="referral.imported")
    assert event.changes["rows"] == 2
    assert event.changes["rows_with_errors"] == 2


def test_an_empty_file_is_an_error(programme):
    outcome = services.referrals_import(actor=None, programme=programme, rows=[])

    assert outcome.errors[0].message == "The file has no rows below its header."


def test_a_file_with_only_its_header_is_refused_when_read():
    with pytest.raises(ValidationError, match="no rows below its header"):
        rows_of(HEADER)


def queue(programme, text, django_capture_on_commit_callbacks, *, run=True, **kwargs):
    with django_capture_on_commit_callbacks(execute=run):
        job = services.referral_import_job_create(
            actor=None,
            programme=programme,
            file_name="custody.csv",
            content=text.encode(),
            **kwargs,
        )
    job.refresh_from_db()
    return job


def confirm(job, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        core_services.import_job_confirm(actor=None, job=job)
    job.refresh_from_db()
    return job


def test_a_job_is_checked_after_commit_then_imported_once_confirmed_and_forgets_the_file(
    programme, django_capture_on_commit_callbacks
):
    text = HEADER + "Ann,One,2010-02-03,knife,2026-03-01 10:00,,,,\n"

    job = queue(programme, text, django_capture_on_commit_callbacks)

    assert job.status == "checked"
    assert (job.total_rows, job.processed_rows, job.preview["rows_to_add"]) == (1, 1, 1)
    assert bytes(job.content) == text.encode()  # kept for the confirmation
    assert not Referral.objects.filter(programme=programme).exists()

    job = confirm(job, django_capture_on_commit_callbacks)

    assert job.status == "succeeded"
    assert (job.total_rows, job.processed_rows, job.imported_rows) == (1, 1, 1)
    assert job.percent_done == 100
    assert bytes(job.content) == b""
    assert job.kind == "referrals"
    assert job.target_id == programme.pk
    assert Referral.objects.filter(programme=programme).count() == 1


def test_a_job_with_errors_is_refused_and_keeps_every_row_error(
    programme, django_capture_on_commit_callbacks
):
    text = HEADER + "Ann,One,2010-02-03,knife,2026-03-01 10:00,,,,\nBob,,2010,knife,,,,,\n"

    job = queue(programme, text, django_capture_on_commit_callbacks)

    assert job.status == "refused"
    assert job.imported_rows == 0
    assert bytes(job.content) == b""
    assert {(e["row"], e["column"]) for e in job.row_errors} == {
        (3, "last_name"),
        (3, "date_of_birth"),
        (3, "event_at"),
    }
    assert not Referral.objects.filter(programme=programme).exists()


def test_running_a_finished_job_again_changes_nothing(
    programme, django_capture_on_commit_callbacks
):
    text = HEADER + "Ann,One,2010-02-03,knife,2026-03-01 10:00,,,,\n"
    job = confirm(
        queue(programme, text, django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )

    again = services.referral_import_job_run(job_id=job.pk)

    assert again.status == "succeeded"
    assert Referral.objects.filter(programme=programme).count() == 1


def test_the_progress_page_reloads_while_the_job_waits_then_lists_errors(
    client, programme, django_capture_on_commit_callbacks
):
    manager = UserFactory(partnership=programme.partnership, roles=[Role.PROGRAMME_MANAGER])
    services.programme_staff_set(actor=None, programme=programme, user=manager, role="manager")
    client.force_login(manager)
    text = HEADER + "Bob,Two,2009-05-06,juggling,2026-03-02 22:30,,,,\n"
    job = queue(programme, text, django_capture_on_commit_callbacks, run=False)

    waiting = client.get(f"/programmes/referrals/imports/{job.pk}/").content.decode()
    services.referral_import_job_run(job_id=job.pk)
    done = client.get(f"/programmes/referrals/imports/{job.pk}/").content.decode()

    assert 'http-equiv="refresh"' in waiting
    assert "Waiting to start" in waiting
    assert 'http-equiv="refresh"' not in done
    assert "This file was not imported: nothing changed" in done
    assert "Unknown reason “juggling”" in done


@pytest.mark.django_db(transaction=True)
def test_the_command_line_checks_the_file_and_imports_it_only_when_told(
    programme, tmp_path, capsys
):
    from django.core.management import call_command

    path = tmp_path / "custody.csv"
    path.write_text(HEADER + "Ann,One,2010-02-03,knife,2026-03-01 10:00,,,,\n")

    # run for real (autocommit, tasks in process): the check has run when the command answers
    call_command("import_referrals", str(path), "--programme", str(programme.pk))
    checked = capsys.readouterr().out
    assert "1 of 1 rows would be added" in checked
    assert "/programmes/referrals/imports/" in checked
    assert not Referral.objects.filter(programme=programme).exists()

    call_command("import_referrals", str(path), "--programme", str(programme.pk), "--confirm")

    assert "1 referrals imported" in capsys.readouterr().out
    assert Referral.objects.filter(programme=programme).count() == 1


# --- What the fast paths must keep: exact values, exact indexes, the same refusals ------

AWKWARD_NAMES = [
    ("Tab\there", "Back\\slash"),
    ("New\nline", "Carriage\rreturn"),
    ('"Quoted"', "O'Brien,Jr"),
    ("\\N", "\\."),  # COPY's NULL and end-of-data markers, as text
    ("Zoë", "Łukasz-Öztürk 李"),
]


def test_names_with_tabs_backslashes_line_breaks_quotes_and_accents_round_trip_exactly(
    programme,
):
    # Names reach COPY encrypted (base64), so this holds the whole path (reading,
    # validation, encryption, the blind index); copy_text's own escaping of text that
    # reaches COPY as it is, is the next test's.
    rows = [
        {
            "first_name": first,
            "last_name": last,
            "date_of_birth": "2010-02-03",
            "reason": "knife",
            "event_at": f"2026-03-0{i + 1} 10:00",
            "postcode": "E1\t6AN" if i == 0 else "",
        }
        for i, (first, last) in enumerate(AWKWARD_NAMES)
    ]

    outcome = services.referrals_import(actor=None, programme=programme, rows=rows)

    assert outcome.errors == []
    stored = {(i.first_name, i.last_name): i for i in YoungPersonIdentity.objects.order_by("pk")}
    assert set(stored) == set(AWKWARD_NAMES)
    for first, last in AWKWARD_NAMES:
        identity = stored[(first, last)]
        assert identity.date_of_birth == datetime.date(2010, 2, 3)
        assert identity.match_index == YoungPersonIdentity.index_for(
            first, last, datetime.date(2010, 2, 3)
        )
    assert stored[AWKWARD_NAMES[0]].postcode == "E1\t6AN"
    assert stored[AWKWARD_NAMES[1]].postcode == ""


@pytest.mark.parametrize("value", ["plain", "", "a\tb", "a\\b", "a\nb\r\n", "\\N", "\\.", "é ü 李"])
def test_text_round_trips_through_the_loaders_copy_exactly(programme, value):
    from django.db import connection

    from programmes.models import YoungPerson
    from programmes.services.imports import loading
    from programmes.services.imports.loading import _copy

    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    person = ReferralFactory(programme=programme).young_person
    YoungPersonIdentity.objects.filter(young_person=person).delete()

    _copy(
        YoungPersonIdentity,
        loading.IDENTITY_FIELDS,
        [(person.pk, value, "", "", "", "", "", "", "k")],
    )

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT first_name, last_name FROM programmes_youngpersonidentity "
            "WHERE young_person_id = %s",
            [person.pk],
        )
        assert cursor.fetchall() == [(value, "")]
    assert YoungPerson.objects.filter(pk=person.pk).exists()


def test_the_loaders_name_tables_and_columns_from_the_models():
    from programmes.services.imports import loading

    source = Path(loading.__file__).read_text()

    # no table or column name is typed into SQL text: psycopg quotes those from _meta
    assert "programmes_" not in source
    assert 'f"COPY' not in source
    assert "f'COPY" not in source
    for model, fields in [
        (loading.YoungPerson, loading.PERSON_FIELDS),
        (loading.YoungPersonIdentity, loading.IDENTITY_FIELDS),
        (loading.Referral, loading.REFERRAL_FIELDS),
        (loading.StatusChange, loading.STATUS_CHANGE_FIELDS),
    ]:
        named = set(fields)
        for field in model._meta.concrete_fields:
            given_by_the_database = field.primary_key  # the sequence's next id
            left_null = field.name not in named and not field.null and not given_by_the_database
            assert not left_null, f"{model.__name__}.{field.name} would be NULL after a COPY"


def test_only_rows_the_referral_input_judged_are_loaded(programme):
    from django.utils import timezone

    from programmes.services.imports import loading

    typed_in = {"first_name": "Ann", "last_name": "One", "match_index": "x", "row": 2}

    for load in (loading.load_orm, loading.load_postgresql):
        with pytest.raises(TypeError, match="judged"):
            load(
                programme=programme,
                clean=[typed_in],
                actor_id=None,
                now=timezone.now(),
                duplicate_of={},
            )
    assert not Referral.objects.exists()


def test_a_formula_anywhere_in_a_large_file_is_still_refused_and_a_line_break_is_not_one(
    programme,
):
    from django.core.exceptions import ValidationError

    clean = "".join(f"Ann,Row{i},2010-02-03,knife,2026-03-01 10:00,,,,\n" for i in range(3000))
    # a line break inside a quoted cell, then "=": not a cell that starts with "="
    assert rows_of(HEADER + clean + '"Ann\n=x",One,2010-02-03,knife,2026-03-01 10:00,,,,\n')

    with pytest.raises(ValidationError) as refused:
        rows_of(HEADER + clean + "Ann,=HYPERLINK(1),2010-02-03,knife,2026-03-01 10:00,,,,\n")

    assert refused.value.messages == [
        "Row 3002, column “last_name” starts with =, which spreadsheets run as a formula: "
        "remove it or reword the cell."
    ]


def test_a_failure_halfway_through_the_copy_leaves_nothing_behind(programme, monkeypatch):
    from django.db import connection

    from programmes.models import YoungPerson
    from programmes.services.imports import loading

    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    calls = []

    def fail_on_second_chunk(values, places):
        calls.append(values)
        if len(calls) == 2:
            raise RuntimeError("the key store went away")
        return real(values, places)

    real = loading.encrypt_many
    monkeypatch.setattr(loading, "CHUNK_ROWS", 2)
    monkeypatch.setattr(loading, "encrypt_many", fail_on_second_chunk)
    text = HEADER + "".join(f"Ann,Row{i},2010-02-03,knife,2026-03-01 10:00,,,,\n" for i in range(5))

    with pytest.raises(RuntimeError, match="key store"):
        services.referrals_import(actor=None, programme=programme, rows=rows_of(text))

    assert YoungPerson.objects.count() == 0
    assert Referral.objects.count() == 0
    assert not AuditEvent.objects.filter(verb="referral.imported").exists()


def test_a_row_with_more_cells_than_the_header_is_refused_not_shifted():
    from django.core.exceptions import ValidationError

    shifted = HEADER + "Ann,Bee,2010-01-01,knife,2026-03-01 10:00,custody,,,male,EXTRA\n"
    trailing_blanks = HEADER + "Ann,Bee,2010-01-01,knife,2026-03-01 10:00,custody,,,male,,\n"

    with pytest.raises(ValidationError, match=r"Row 2 has more cells \(10\)"):
        rows_of(shifted)
    assert rows_of(trailing_blanks)[0]["gender"] == "male"
