"""The demo: real Essex and Bedfordshire data, loaded through the services, idempotent, and
one working login per role in each partnership.

Loading the demo takes seconds, so it is loaded once for this module inside a transaction
that is rolled back when the module ends; each test runs in a savepoint inside it. The rows
are tests/demo_rows.py's: what vru.demo.load_demo wrote, loaded once per test process and
shared with the other modules that need the demo (the test of loading it again loads it again).
"""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from tests import demo_rows
from vru import demo
from vru.models import (
    LSOA,
    AuditEvent,
    LocalAuthority,
    Partnership,
    Recommendation,
    Role,
    StrategicNeedsAssessment,
    SuccessMeasure,
    SuccessMeasureComparison,
    SuccessMeasureValue,
    User,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# What vru/demo_data holds (counted from lsoas.csv and local_authorities.csv).
ESSEX_LSOAS = 1111
BEDFORDSHIRE_LSOAS = 417
MODELS = [
    Partnership,
    LocalAuthority,
    LSOA,
    StrategicNeedsAssessment,
    Recommendation,
    SuccessMeasure,
    SuccessMeasureValue,
    SuccessMeasureComparison,
    User,
]


@pytest.fixture(scope="module")
def demo_logins(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), demo_rows.rolled_back():
        yield demo_rows.load_demo()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_the_demo_loads_every_neighbourhood_of_both_partnerships(demo_logins):
    assert LSOA.objects.count() == ESSEX_LSOAS + BEDFORDSHIRE_LSOAS == 1528
    assert LSOA.objects.filter(partnership__slug="essex-vvp").count() == ESSEX_LSOAS
    assert LSOA.objects.filter(partnership__slug="bedfordshire-veru").count() == 417
    assert LocalAuthority.objects.filter(partnership__slug="essex-vvp").count() == 14
    assert LocalAuthority.objects.filter(partnership__slug="bedfordshire-veru").count() == 3


def test_every_demo_lsoa_is_consistent_with_its_local_authority(demo_logins):
    lsoas = LSOA.objects.select_related("local_authority")

    assert all(
        lsoa.partnership_id == lsoa.local_authority.partnership_id
        and lsoa.community_safety_partnership_id
        == lsoa.local_authority.community_safety_partnership_id
        for lsoa in lsoas
    )


def test_the_demo_loads_the_published_needs_assessments_and_essex_success_measures(
    demo_logins,
):
    essex_sna = StrategicNeedsAssessment.objects.get(partnership__slug="essex-vvp")

    assert essex_sna.status == StrategicNeedsAssessment.Status.PUBLISHED
    assert essex_sna.recommendations.count() == 11
    assert StrategicNeedsAssessment.objects.filter(partnership__slug="bedfordshire-veru").exists()
    assert SuccessMeasure.objects.filter(partnership__slug="essex-vvp").count() == 4
    assert SuccessMeasureValue.objects.filter(measure__partnership__slug="essex-vvp").count() == 13
    # exactly the comparisons printed in Tables A to E (tests/vru/test_success_measures.py
    # checks each one's figures), with their real periods
    tables = SuccessMeasureComparison.objects.filter(
        measure__partnership__slug="essex-vvp"
    ).values_list("source_table", flat=True)
    assert sorted(tables) == ["Table A"] * 3 + ["Table B", "Table C", "Table D", "Table E"]
    assert SuccessMeasureValue.objects.filter(
        measure__partnership__slug="essex-vvp", label="calendar 2023"
    ).exists()


def test_bedfordshire_success_measures_are_synthetic_and_say_so(demo_logins):
    # Bedfordshire's documents print no success measure: the demo's three carry synthetic
    # figures for the last complete financial years, and every value and measure says so.
    today = timezone.localdate()
    this_year = datetime.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    measures = SuccessMeasure.objects.filter(partnership__slug="bedfordshire-veru")
    values = SuccessMeasureValue.objects.filter(measure__in=measures)
    comparisons = SuccessMeasureComparison.objects.filter(measure__in=measures)

    assert measures.count() == 3
    assert all("synthetic" in m.description for m in measures)
    assert set(values.values_list("source_table", flat=True)) == {"Demo: synthetic figures"}
    assert values.count() == 9
    assert all(v.period_kind == "financial year" for v in values)
    assert max(values.values_list("period_end", flat=True)) < this_year
    assert sorted(comparisons.values_list("kind", flat=True)) == ["baseline"] * 3 + ["previous"] * 3
    # none of Essex's figures is repeated
    essex = SuccessMeasureValue.objects.filter(measure__partnership__slug="essex-vvp")
    assert not set(values.values_list("value", flat=True)) & set(
        essex.values_list("value", flat=True)
    )


def test_the_demo_has_one_user_per_role_in_each_partnership(demo_logins):
    assert len(demo_logins) == 2 * len(Role)
    for slug in ["essex-vvp", "bedfordshire-veru"]:
        users = User.objects.filter(partnership__slug=slug)
        roles = sorted(role for user in users for role in user.role_names)
        assert roles == sorted(Role.values)


def test_loading_the_demo_again_changes_no_rows_and_adds_no_audit_events(demo_logins):
    # given
    before = row_counts()
    boundaries = LSOA.objects.exclude(boundary=None).count()
    last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()

    # when
    logins = demo.load_demo()

    # then
    assert logins == demo_logins
    assert row_counts() == before
    assert LSOA.objects.exclude(boundary=None).count() == boundaries
    new_events = AuditEvent.objects.filter(pk__gt=last_event).values_list("verb", flat=True)
    assert list(new_events) == []


@pytest.mark.parametrize(
    ("prefix", "suffix", "role"),
    [
        (prefix, suffix, role)
        for prefix in ["essex", "beds"]
        for role, suffix, _first, _last in demo.DEMO_ROLES
    ],
)
def test_every_demo_user_can_sign_in_through_the_form(
    client, demo_logins, prefix, suffix, role, settings
):
    # given MFA enforced, as in the demo itself
    settings.VRU_MFA_REQUIRED = True
    username = f"{prefix}.{suffix}"

    # when the password is given, then (staff and commissioners) the authenticator code
    # that `manage.py demo_totp_code` prints
    # (the clock is held mid-way through a 30-second step: the code cannot expire between
    # printing it and entering it)
    with time_machine.travel(datetime.datetime(2026, 11, 2, 8, 0, 10, tzinfo=datetime.UTC)):
        response = client.post(
            "/accounts/login/",
            {"login": username, "password": demo.DEMO_PASSWORD},
            REMOTE_ADDR="192.0.2.10",
        )
        needs_code = role not in {Role.YOUTH_REVIEWER, Role.APPLICANT}
        if needs_code:
            assert response["Location"] == "/accounts/2fa/authenticate/"
            code = call_command_output("demo_totp_code", username)
            response = client.post(
                "/accounts/2fa/authenticate/", {"code": code}, REMOTE_ADDR="192.0.2.10"
            )
        response = client.get(response["Location"], REMOTE_ADDR="192.0.2.10")

    # then they are home, not sent to set up MFA
    assert response.status_code == 200
    assert response.context["user"].username == username
    assert Role(role).label in response.text


def test_the_demo_administrator_is_the_designated_safeguarding_lead(demo_logins):
    for partnership in Partnership.objects.all():
        assert partnership.designated_safeguarding_lead.role_names == {Role.ADMINISTRATOR}


def call_command_output(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()
