"""The programmes demo tells each partnership's own story, with numbers shaped like the real
work: referral ages on the Essex SNA's curve, 12-20% of young people referred more than once,
15-25 open cases a practitioner, parents consenting for the youngest, detached youth work in
priority neighbourhoods with anonymous contacts some of whom are referred later, records in
the current financial year; loaded once, idempotently.

The demo is loaded once for this module (on the partnerships' real local authorities and
needs assessments, a few neighbourhoods each) inside a transaction rolled back at the end.
"""

import datetime
from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from programmes import demo, selectors, yef
from programmes.models import (
    DetachedContact,
    Programme,
    ProgrammeStaff,
    Referral,
    Session,
    YoungPersonIdentity,
)
from tests.demo_world import load_world
from vru.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        partnerships = load_world()
        first = demo.load_demo()
        counts = (Referral.objects.count(), Session.objects.count())
        again = demo.load_demo()
        yield partnerships, first, again, counts
        transaction.set_rollback(True)


def ages(slug: str) -> Counter:
    return Counter(
        Referral.objects.filter(partnership__slug=slug).values_list("age_at_referral", flat=True)
    )


def test_loading_again_changes_nothing(loaded):
    _, first, again, counts = loaded

    assert len(first) == 2
    assert all("already loaded" in line for line in again)
    assert (Referral.objects.count(), Session.objects.count()) == counts
    assert 2500 < counts[0] < 4000
    assert all(i.last_name.startswith("Demo-") for i in YoungPersonIdentity.objects.all()[:50])


@pytest.mark.parametrize("slug", ["essex-vvp", "bedfordshire-veru"])
def test_referral_ages_follow_the_sna_curve(loaded, slug):
    # "Serious violence begins a steep incline at the age of 12 and peaks at 15, it begins to
    # reduce and then we see a sharp rise again at 17" (Essex SNA 2023)
    by_age = ages(slug)

    assert by_age[12] > 1.4 * by_age[11]  # the incline at 12
    assert max(by_age, key=by_age.get) == 15  # the peak
    assert by_age[16] < by_age[15]  # the dip
    assert by_age[16] < by_age[17]  # the second rise
    assert by_age[17] > by_age[18] > by_age[21]  # then falling away


@pytest.mark.parametrize("slug", ["essex-vvp", "bedfordshire-veru"])
def test_between_12_and_20_percent_of_young_people_are_referred_more_than_once(loaded, slug):
    per_person = (
        Referral.objects.filter(partnership__slug=slug)
        .values("young_person")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    repeated = sum(1 for n in per_person if n > 1)

    assert 0.12 <= repeated / len(per_person) <= 0.20
    # a young person referred again is older the second time, never younger
    for person in {r.young_person_id for r in Referral.objects.filter(partnership__slug=slug)}:
        history = list(
            Referral.objects.filter(young_person_id=person)
            .order_by("event_at")
            .values_list("age_at_referral", flat=True)
        )
        assert history == sorted(history)


@pytest.mark.parametrize("slug", ["essex-vvp", "bedfordshire-veru"])
def test_each_practitioner_holds_15_to_25_open_cases(loaded, slug):
    open_cases = Referral.objects.filter(partnership__slug=slug).exclude(status="closed")
    per_practitioner = Counter(open_cases.values_list("assigned_to__username", flat=True))

    assert None not in per_practitioner  # every open case is someone's
    assert len(per_practitioner) >= 5
    assert all(15 <= n <= 25 for n in per_practitioner.values()), per_practitioner
    # and each is staff of the programmes whose cases they hold
    for referral in open_cases.select_related("programme", "assigned_to")[:200]:
        assert ProgrammeStaff.objects.filter(
            programme=referral.programme, user=referral.assigned_to
        ).exists()


@pytest.mark.parametrize("slug", ["essex-vvp", "bedfordshire-veru"])
def test_parents_consent_for_the_youngest(loaded, slug):
    consented = Referral.objects.filter(partnership__slug=slug).exclude(consent_given_by="")
    by = Counter(
        ("under 13" if age < 13 else "13 to 15" if age < 16 else "16 and over", who)
        for age, who in consented.values_list("age_at_referral", "consent_given_by")
    )

    assert by["under 13", "young_person"] == 0
    assert by["under 13", "parent"] > 0
    assert by["16 and over", "parent"] == 0
    assert by["16 and over", "young_person"] > 0
    assert by["13 to 15", "parent"] > 0
    assert by["13 to 15", "young_person"] > 0
    # consent is given when the young person is first contacted, never before
    assert not consented.filter(first_contact_at__isnull=True).exists()


def test_most_first_contacts_are_within_the_target_time_but_not_all(loaded):
    reroute = Programme.objects.get(partnership__slug="essex-vvp", name="ReRoute")
    compliance = selectors.compliance_by_month(programme_ids=[reroute.pk])

    overall = sum(r["met"] for r in compliance) / sum(r["decided"] for r in compliance)

    assert 0.6 < overall < 0.95


@pytest.mark.parametrize("slug", ["essex-vvp", "bedfordshire-veru"])
def test_detached_youth_work_meets_young_people_some_of_whom_are_referred_later(loaded, slug):
    sessions = Session.objects.filter(programme__partnership__slug=slug, kind="detached")
    notes = sessions.exclude(issues_raised="").values_list("issues_raised", flat=True)
    contacts = DetachedContact.objects.filter(session__in=sessions)
    referred = Referral.objects.filter(from_detached_contact__in=contacts).select_related(
        "from_detached_contact__session"
    )
    programme = sessions.first().programme

    assert sessions.count() > 100
    assert len(set(notes)) > 30  # notes vary from session to session
    assert set(sessions.values_list("lsoa", flat=True)) <= set(
        programme.target_lsoas.values_list("pk", flat=True)
    )
    assert contacts.count() > 100
    # made in bulk, the encrypted summaries are sealed to their rows: they read back
    assert all(contact.summary for contact in contacts[:50])
    assert 5 <= referred.count() < contacts.count() / 5
    for referral in referred:
        assert referral.source == "community"
        assert (
            timezone.localdate(referral.referred_at)
            > referral.from_detached_contact.session.held_on
        )


@pytest.mark.parametrize("slug", ["essex-vvp", "bedfordshire-veru"])
def test_the_current_and_last_financial_years_have_referrals_and_sessions(loaded, slug):
    today = timezone.localdate()
    start = datetime.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    last = start.replace(year=start.year - 1)
    for begin, end in [(start, today), (last, start - datetime.timedelta(days=1))]:
        assert Session.objects.filter(
            programme__partnership__slug=slug, held_on__range=(begin, end)
        ).exists()
    in_last_year = Referral.objects.filter(
        partnership__slug=slug, referred_at__date__range=(last, start)
    )
    assert in_last_year.count() > 100
    assert Referral.objects.filter(partnership__slug=slug, referred_at__date__gte=start).exists()


def test_the_two_partnerships_run_their_own_programmes(loaded):
    essex = Programme.objects.filter(partnership__slug="essex-vvp")
    beds = Programme.objects.filter(partnership__slug="bedfordshire-veru")

    assert {"ReRoute", "Respect Project", "Team Around the Family"} <= set(
        essex.values_list("name", flat=True)
    )
    assert "Just Drop It" in beds.values_list("name", flat=True)
    assert not set(essex.values_list("name", flat=True)) & set(beds.values_list("name", flat=True))
    assert not set(essex.values_list("budget", flat=True)) & set(
        beds.values_list("budget", flat=True)
    )


def test_essex_programmes_serve_the_recommendations_of_their_own_stage(loaded):
    # ReRoute is tertiary, hospital navigators secondary, and so on: each programme serves
    # at least one recommendation of its own prevention stage, and the links spread across
    # the SNA rather than all sitting on recommendations 1 to 3
    linked = Counter()
    for programme in Programme.objects.filter(partnership__slug="essex-vvp"):
        stages = set(programme.recommendations.values_list("prevention_stage", flat=True))
        assert programme.prevention_stage in stages, programme.name
        linked.update(programme.recommendations.values_list("number", flat=True))
    assert len(linked) >= 8
    assert all(
        n < Programme.objects.filter(partnership__slug="essex-vvp").count() for n in linked.values()
    )
    tertiary = Programme.objects.get(partnership__slug="essex-vvp", name="ReRoute")
    assert set(tertiary.recommendations.values_list("number", flat=True)) == {9, 10}


def test_yef_approaches_match_what_each_programme_does(loaded):
    approaches = dict(Programme.objects.values_list("name", "yef_approach"))

    assert all(a == "" or yef.approach(a) for a in approaches.values())
    assert approaches["ReRoute"] == "Formal pre-court diversion"
    assert approaches["Hospital youth navigators"] == "A and E navigators"
    assert approaches["Team Around the Family"] != "Functional Family Therapy (FFT)"
    assert approaches["Family therapy"] == "Functional Family Therapy (FFT)"
    for programme in Programme.objects.filter(kind="detached"):
        assert programme.yef_approach != "Mentoring"


def test_a_practitioner_sees_only_their_own_caseload(loaded):
    practitioner = User.objects.get(username="essex.practitioner")
    analyst = User.objects.get(username="essex.analyst")

    caseload = selectors.referral_list(viewer=practitioner)

    assert caseload.exists()
    assert not caseload.exclude(assigned_to=practitioner).exists()
    assert caseload.filter(programme__name="ReRoute").exists()
    assert not selectors.referral_list(viewer=analyst).exists()
    assert Referral.objects.filter(
        Q(awaiting_contact=True) | Q(status="engaged"), assigned_to=practitioner
    ).exists()


def test_a_practitioner_finds_a_demo_case_by_first_name_last_name_and_date_of_birth(loaded):
    practitioner = User.objects.get(username="essex.practitioner")
    referral = selectors.referral_list(viewer=practitioner).select_related("young_person").first()
    identity = YoungPersonIdentity.objects.get(young_person_id=referral.young_person_id)

    for typed in (
        identity.first_name,
        identity.last_name,
        f"{identity.date_of_birth:%d/%m/%Y}",
    ):
        found = selectors.referral_list(viewer=practitioner, filters={"q": typed})
        assert found.filter(pk=referral.pk).exists(), typed
