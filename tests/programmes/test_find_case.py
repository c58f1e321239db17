"""Finding a case in seconds: the caseload opens on my open cases, due first; one search box
finds a case by a word of the young person's name, by their date of birth or by any part of
the reference; the last cases opened are at hand. Names and dates of birth are matched by
keyed hashes, never in clear, and a search by them is audited as an identity read."""

import datetime
import importlib

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from programmes import services
from programmes.models import RecentView, SearchToken, YoungPersonIdentity
from tests.factories import ProgrammeFactory, ReferralFactory, programme_staff
from vru.models import AuditEvent

pytestmark = pytest.mark.django_db

CASELOAD = "/programmes/caseload/"


@pytest.fixture
def programme(partnership):
    return ProgrammeFactory(partnership=partnership, name="ReRoute")


@pytest.fixture
def practitioner(programme):
    return programme_staff(programme, "practitioner")


@pytest.fixture
def jay(programme, practitioner):
    return ReferralFactory(
        programme=programme,
        assigned_to=practitioner,
        first_name="Jay",
        last_name="Smith-Owusu",
        date_of_birth=datetime.date(2009, 3, 14),
    )


@pytest.fixture
def sam(programme, practitioner):
    return ReferralFactory(
        programme=programme,
        assigned_to=practitioner,
        first_name="Sam",
        last_name="Jones",
        date_of_birth=datetime.date(2010, 7, 1),
    )


def found(client, user, q, **params):
    client.force_login(user)
    response = client.get(CASELOAD, {"q": q, **params})
    assert response.status_code == 200
    return {row["young_person__reference"] for row in response.context["page_obj"].object_list}


# --- search -------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["Jay", "jay", "  JAY ", "Smith", "owusu", "jay smith"])
def test_a_case_is_found_by_a_word_of_the_young_persons_name(client, practitioner, jay, sam, typed):
    assert found(client, practitioner, typed) == {jay.young_person.reference}


def test_a_name_with_digits_is_found_whole_as_the_demos_are(client, programme, practitioner):
    kai = ReferralFactory(
        programme=programme, assigned_to=practitioner, first_name="Kai", last_name="Demo-00042"
    )

    assert found(client, practitioner, "Demo-00042") == {kai.young_person.reference}
    assert found(client, practitioner, "00042") == set()  # digits alone: a reference part


def test_a_name_search_matches_whole_words_only(client, practitioner, jay):
    assert found(client, practitioner, "Ja") == set()


def test_every_word_of_a_name_search_must_match(client, practitioner, jay, sam):
    assert found(client, practitioner, "Jay Jones") == set()


def test_a_case_is_found_by_any_part_of_its_reference_whatever_the_case(
    client, practitioner, jay, sam
):
    reference = jay.young_person.reference  # YP-5FF93082 style
    middle = reference[3:9]

    assert found(client, practitioner, middle.lower()) == {reference}
    assert found(client, practitioner, reference) == {reference}


@pytest.mark.parametrize(
    "typed", ["14/03/2009", "14 3 2009", "14-03-2009", "14 March 2009", "14 Mar 2009", "2009-03-14"]
)
def test_a_case_is_found_by_the_young_persons_date_of_birth(client, practitioner, jay, sam, typed):
    assert found(client, practitioner, typed) == {jay.young_person.reference}


def test_a_search_finds_only_cases_the_viewer_may_see(client, programme, practitioner, jay):
    other = programme_staff(programme, "practitioner")

    assert found(client, other, "Jay") == set()
    assert found(client, other, "14/03/2009") == set()


def test_the_name_index_never_holds_the_clear_name_or_date_of_birth(jay):
    tokens = list(
        SearchToken.objects.filter(young_person=jay.young_person).values_list("token", flat=True)
    )
    # three words of the names and the date of birth, each a truncated keyed hash
    assert len(tokens) == 4
    for token in tokens:
        assert len(token) == 32
        int(token, 16)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT token FROM programmes_searchtoken WHERE young_person_id = %s",
            [jay.young_person_id],
        )
        stored = " ".join(row[0] for row in cursor.fetchall()).lower()
    for clear in ("jay", "smith", "owusu", "2009-03-14", "20090314", "14/03/2009"):
        assert clear not in stored


def test_a_search_by_name_is_audited_as_an_identity_read_without_the_name(
    client, practitioner, jay, sam
):
    found(client, practitioner, "Jay")

    event = AuditEvent.objects.get(verb="young_person.identity_searched")
    assert event.actor == practitioner
    assert event.action == AuditEvent.Action.VIEW
    assert event.changes == {"by": "name", "referrals": [jay.pk]}
    assert "jay" not in str(event.changes).lower()


def test_a_search_by_date_of_birth_is_audited_too(client, practitioner, jay):
    found(client, practitioner, "14/03/2009")

    assert AuditEvent.objects.get(verb="young_person.identity_searched").changes == {
        "by": "date of birth",
        "referrals": [jay.pk],
    }


def test_a_search_by_reference_reads_no_identity_and_is_not_audited_as_one(
    client, practitioner, jay
):
    found(client, practitioner, jay.young_person.reference)
    found(client, practitioner, "YP-")

    assert not AuditEvent.objects.filter(verb="young_person.identity_searched").exists()


def test_the_search_index_is_rebuilt_from_the_identities_on_record(client, practitioner, jay):
    SearchToken.objects.all().delete()
    assert found(client, practitioner, "Jay") == set()

    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert found(client, practitioner, "Jay") == {jay.young_person.reference}


def test_the_migration_builds_the_index_for_identities_recorded_before_it(
    client, practitioner, jay
):
    from django.apps import apps

    migration = importlib.import_module(
        "programmes.migrations.0013_search_tokens_for_existing_identities"
    )
    before = set(SearchToken.objects.values_list("young_person_id", "token"))
    SearchToken.objects.all().delete()

    migration.build(apps, None)

    assert set(SearchToken.objects.values_list("young_person_id", "token")) == before
    assert found(client, practitioner, "Jay") == {jay.young_person.reference}


def test_an_imported_young_person_is_found_by_name_and_date_of_birth(
    client, programme, practitioner
):
    content = (
        "first_name,last_name,date_of_birth,reason,event_at,source,assigned_to\n"
        f"Kemi,Adebayo,2008-11-02,knife,2026-03-01 10:00,custody,{practitioner.username}\n"
    ).encode()
    rows = services.read_rows(file_name="custody.csv", content=content)

    outcome = services.referrals_import(actor=None, programme=programme, rows=rows)

    assert outcome.imported_rows == 1
    assert len(found(client, practitioner, "Kemi")) == 1
    assert len(found(client, practitioner, "2/11/2008")) == 1


def test_anonymising_a_young_person_drops_them_from_the_search_index(jay):
    services.referral_status_change(
        actor=None, referral=jay, to_status="closed", closure_reason="completed"
    )

    services.retention_anonymise(now=jay.event_at + datetime.timedelta(days=365 * 20))

    assert not YoungPersonIdentity.objects.filter(young_person=jay.young_person).exists()
    assert not SearchToken.objects.filter(young_person=jay.young_person).exists()


# --- the list: my open cases, due first ---------------------------------------------------


def test_the_caseload_opens_on_open_cases_and_shows_closed_ones_only_when_chosen(
    client, practitioner, jay, sam
):
    services.referral_status_change(
        actor=None, referral=sam, to_status="closed", closure_reason="declined"
    )

    assert found(client, practitioner, "") == {jay.young_person.reference}
    assert found(client, practitioner, "", status="closed") == {sam.young_person.reference}


def test_the_caseload_lists_the_soonest_due_first(client, programme, practitioner):
    now = datetime.datetime.now(datetime.UTC)
    later = ReferralFactory(
        programme=programme, assigned_to=practitioner, event_at=now - datetime.timedelta(hours=1)
    )
    sooner = ReferralFactory(
        programme=programme, assigned_to=practitioner, event_at=now - datetime.timedelta(hours=5)
    )
    client.force_login(practitioner)

    rows = client.get(CASELOAD).context["page_obj"].object_list

    assert [r["id"] for r in rows] == [sooner.pk, later.pk]


def test_the_cases_opened_last_are_on_the_caseload_while_still_mine(
    client, programme, practitioner, jay, sam
):
    client.force_login(practitioner)
    client.get(reverse("programmes:referral_detail", args=[jay.pk]))
    client.get(reverse("programmes:referral_detail", args=[sam.pk]))

    recent = client.get(CASELOAD).context["recently_viewed"]
    assert [r["referral_id"] for r in recent] == [sam.pk, jay.pk]

    # reassigned to a colleague: no longer theirs to see, so no longer listed
    colleague = programme_staff(programme, "practitioner")
    services.referral_assign(actor=None, referral=sam, assigned_to=colleague)
    recent = client.get(CASELOAD).context["recently_viewed"]
    assert [r["referral_id"] for r in recent] == [jay.pk]


def test_only_the_last_ten_cases_opened_are_kept(programme, practitioner):
    referrals = [ReferralFactory(programme=programme, assigned_to=practitioner) for _ in range(12)]
    for referral in referrals:
        services.referral_viewed(actor=practitioner, referral=referral)

    assert RecentView.objects.filter(user=practitioner).count() == 10


# --- phone --------------------------------------------------------------------------------


def test_each_caseload_cell_names_its_column_for_the_cards_on_a_phone(client, practitioner, jay):
    client.force_login(practitioner)
    html = client.get(CASELOAD).content.decode()

    assert 'class="govuk-table vru-cards"' in html
    assert 'data-label="Contact due"' in html
    assert 'class="govuk-button govuk-button--secondary vru-filters-toggle"' in html
    assert "vru/filters-toggle" in html


def test_a_search_by_name_through_the_api_is_audited_as_well(client, practitioner, jay, sam):
    client.force_login(practitioner)

    rows = client.get("/api/referrals/", {"q": "jay"}).json()["results"]

    assert [r["id"] for r in rows] == [jay.pk]
    assert AuditEvent.objects.get(verb="young_person.identity_searched").changes == {
        "by": "name",
        "referrals": [jay.pk],
    }
