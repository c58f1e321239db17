"""A manager assigns a case seeing each person's open cases; a withdrawal of consent is
recorded only where consent was given (the page offers it and every door refuses it by the
same rule)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programmes import selectors, services
from programmes.models import RecordVersion, Referral
from tests.factories import ProgrammeFactory, ReferralFactory, UserFactory
from vru.models import Role

pytestmark = pytest.mark.django_db

EVENT = datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC)


def _staff(programme, role, *, first_name, last_name="Worker"):
    user = UserFactory(
        partnership=programme.partnership,
        roles=[Role.PROGRAMME_MANAGER if role == "manager" else Role.PRACTITIONER],
        first_name=first_name,
        last_name=last_name,
    )
    services.programme_staff_set(actor=None, programme=programme, user=user, role=role)
    return user


def _cases(programme, person, n):
    return [
        ReferralFactory(programme=programme, assigned_to=person, event_at=EVENT) for _ in range(n)
    ]


# --- Open cases in the assign list ------------------------------------------------------


def test_the_assign_list_counts_each_persons_open_cases_in_every_programme(partnership):
    programme = ProgrammeFactory(partnership=partnership)
    elsewhere = ProgrammeFactory(partnership=partnership)
    ana = _staff(programme, "practitioner", first_name="Ana")
    ben = _staff(programme, "practitioner", first_name="Ben")
    services.programme_staff_set(actor=None, programme=elsewhere, user=ana, role="practitioner")
    _cases(programme, ana, 2)
    _cases(elsewhere, ana, 1)  # open cases elsewhere are her workload too
    closed = _cases(programme, ana, 1)[0]
    services.referral_status_change(
        actor=None, referral=closed, to_status="closed", closure_reason="moved"
    )
    _cases(programme, ben, 1)
    referral = ReferralFactory(programme=programme, event_at=EVENT)

    listed = {u.first_name: u.open_cases for u in selectors.assignable_staff(referral=referral)}

    assert listed == {"Ana": 3, "Ben": 1}


def test_the_assign_page_shows_open_cases_beside_each_name(client, partnership):
    programme = ProgrammeFactory(partnership=partnership)
    manager = _staff(programme, "manager", first_name="Mo")
    ana = _staff(programme, "practitioner", first_name="Ana")
    _cases(programme, ana, 1)
    referral = ReferralFactory(programme=programme, event_at=EVENT)
    client.force_login(manager)

    body = client.get(f"/programmes/referrals/{referral.pk}/assign/").content.decode()

    assert "Ana Worker (1 open case)" in body
    assert "Mo Worker (0 open cases)" in body


def test_assigning_a_case_is_kept_in_its_history_and_a_correction_opened_before_is_stale(
    client, partnership
):
    programme = ProgrammeFactory(partnership=partnership)
    manager = _staff(programme, "manager", first_name="Mo")
    ana = _staff(programme, "practitioner", first_name="Ana")
    ben = _staff(programme, "practitioner", first_name="Ben")
    referral = ReferralFactory(programme=programme, assigned_to=ana, event_at=EVENT)
    opened_at = services.current_version(RecordVersion.Kind.REFERRAL, referral.pk)
    client.force_login(manager)

    response = client.post(f"/programmes/referrals/{referral.pk}/assign/", {"assigned_to": ben.pk})

    assert response.status_code == 302
    (version,) = selectors.case_history(viewer=manager, referral=referral, show_identity=False)
    assert (version.number, version.by, version.why) == (2, manager, services.ASSIGNED_WHY)
    assert [(c.before, c.after) for c in version.changes] == [("Ana Worker", "Ben Worker")]
    with pytest.raises(ValidationError) as refused:
        services.referral_correct(
            actor=manager, referral=referral, why="typo", version=opened_at, reason="drugs"
        )
    assert services.STALE in str(refused.value)


def test_assigning_a_case_to_whoever_holds_it_keeps_no_version(partnership):
    programme = ProgrammeFactory(partnership=partnership)
    ana = _staff(programme, "practitioner", first_name="Ana")
    referral = ReferralFactory(programme=programme, assigned_to=ana, event_at=EVENT)

    services.referral_assign(actor=None, referral=referral, assigned_to=ana)

    assert not RecordVersion.objects.filter(referral=referral).exists()


def _assign_page_queries(client, referral) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/programmes/referrals/{referral.pk}/assign/")
    assert response.status_code == 200
    return len(queries)


def test_the_assign_page_counts_workloads_in_one_query_however_many_staff(client, partnership):
    programme = ProgrammeFactory(partnership=partnership)
    manager = _staff(programme, "manager", first_name="Mo")
    referral = ReferralFactory(programme=programme, event_at=EVENT)
    client.force_login(manager)
    _cases(programme, _staff(programme, "practitioner", first_name="First"), 1)
    with_one = _assign_page_queries(client, referral)

    for n in range(5):
        _cases(programme, _staff(programme, "practitioner", first_name=f"P{n}"), 2)
    with_six = _assign_page_queries(client, referral)

    assert with_six == with_one


# --- Withdrawal of consent only where consent was given ---------------------------------


@pytest.fixture
def practitioner_case(partnership):
    programme = ProgrammeFactory(partnership=partnership)
    practitioner = _staff(programme, "practitioner", first_name="Ana")

    def case(**consent):
        return ReferralFactory(
            programme=programme, assigned_to=practitioner, event_at=EVENT, **consent
        )

    return practitioner, case


GIVEN = {
    "consent_given_by": Referral.ConsentBy.YOUNG_PERSON,
    "consent_given_at": EVENT + datetime.timedelta(hours=3),
}


def test_withdrawal_of_consent_is_offered_only_where_consent_was_given(client, practitioner_case):
    practitioner, case = practitioner_case
    without, given = case(), case(**GIVEN)
    client.force_login(practitioner)

    page_without = client.get(without.get_absolute_url()).content.decode()
    page_given = client.get(given.get_absolute_url()).content.decode()

    assert "consent-withdrawn" not in page_without
    assert "consent-withdrawn" in page_given


def test_posting_a_withdrawal_where_consent_was_never_given_is_refused(client, practitioner_case):
    practitioner, case = practitioner_case
    referral = case()
    client.force_login(practitioner)

    response = client.post(
        f"/programmes/referrals/{referral.pk}/consent-withdrawn/", {"confirm": "yes"}
    )

    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.consent_withdrawn_at is None


def test_the_service_refuses_a_withdrawal_where_consent_was_never_given(practitioner_case):
    practitioner, case = practitioner_case
    referral = case()

    with pytest.raises(PermissionDenied):
        services.referral_consent_withdraw(actor=practitioner, referral=referral)
    with pytest.raises(ValidationError):  # a system door without a user: the same rule
        services.referral_consent_withdraw(actor=None, referral=referral)

    referral.refresh_from_db()
    assert referral.consent_withdrawn_at is None


def test_a_withdrawal_where_consent_was_given_is_recorded(client, practitioner_case):
    practitioner, case = practitioner_case
    referral = case(**GIVEN)
    client.force_login(practitioner)

    client.post(f"/programmes/referrals/{referral.pk}/consent-withdrawn/", {"confirm": "yes"})

    referral.refresh_from_db()
    assert referral.consent_withdrawn_at is not None
