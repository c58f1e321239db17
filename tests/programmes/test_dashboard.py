"""Small-number suppression on the programme dashboard: commissioners only, and no hidden
count that can be worked out from what is shown."""

import datetime

import pytest

from programmes import selectors, services
from tests.factories import ProgrammeFactory, ReferralFactory
from vru.models import Role
from vru.selectors import disclosure

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
EVENT = datetime.datetime(2026, 3, 1, 10, tzinfo=UTC)
NOW = datetime.datetime(2026, 3, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([11, 1, 0, 0], ["[c]", "<5", "0", "0"]),  # one small cell: the next smallest hides too
        ([11, 6, 2], ["11", "[c]", "<5"]),
        ([9, 1, 2], ["9", "<5", "<5"]),  # two small cells reveal only their sum
        ([3], ["<5"]),  # the only cell equals the total, which is "<5" too
        ([12, 0], ["12", "0"]),
    ],
)
def test_a_single_small_cell_brings_a_second_one_with_it(counts, expected):
    assert disclosure.protect_breakdown(counts, suppress=True) == expected
    assert disclosure.protect_breakdown(counts, suppress=False) == [f"{n:,}" for n in counts]


def published(referrals) -> int:
    """What the disclosure control publishes for these referrals: each counts 1 + its fixed
    adjustment (worked out here in Python, by the product in the database)."""
    return sum(1 + disclosure.adjustment("referral", r.pk) for r in referrals)


def contacted_on_time(programme):
    referral = ReferralFactory(
        programme=programme, event_at=EVENT, referred_at=EVENT + datetime.timedelta(hours=1)
    )
    services.contact_record(
        actor=None,
        referral=referral,
        occurred_at=EVENT + datetime.timedelta(hours=2),
        method="phone",
    )
    referral.refresh_from_db()
    return referral


@pytest.fixture
def programme(partnership):
    # twelve referrals, long overdue but one: contacted on time (received 11, contacted 1)
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute")
    referrals = [
        ReferralFactory(
            programme=programme, event_at=EVENT, referred_at=EVENT + datetime.timedelta(hours=1)
        )
        for _ in range(12)
    ]
    services.contact_record(
        actor=None,
        referral=referrals[0],
        occurred_at=EVENT + datetime.timedelta(hours=2),
        method="phone",
    )
    return programme


def test_a_commissioner_sees_adjusted_counts_with_no_small_one_to_work_out(
    programme, user_with_role
):
    dashboard = selectors.programme_dashboard(
        viewer=user_with_role(Role.COMMISSIONER), programme=programme, now=NOW
    )

    referrals = list(programme.referrals.all())
    received = [r for r in referrals if r.status == "received"]
    contacted = [r for r in referrals if r.status == "contacted"]
    assert dashboard.total == disclosure.shown_count(published(referrals))
    cells = disclosure.protect_breakdown([published(received), published(contacted), 0, 0])
    assert [cell for _, cell in dashboard.by_status] == cells
    assert dict(dashboard.by_status)["Contacted"] in {"0", "<5"}  # one young person at most 2


def test_a_commissioner_sees_no_compliance_percentage_hiding_one_to_four(programme, user_with_role):
    # one referral contacted on time (another while the control counts them as none, so the
    # published number on time is 1 or 2)
    met = [r for r in programme.referrals.all() if r.status == "contacted"]
    while published(met) == 0:
        met.append(contacted_on_time(programme))

    dashboard = selectors.programme_dashboard(
        viewer=user_with_role(Role.COMMISSIONER), programme=programme, now=NOW
    )

    referrals = list(programme.referrals.all())
    assert {r.pk for r in referrals if r.status == "contacted"} == {r.pk for r in met}
    assert disclosure.is_small(published(met))
    expected_percent = disclosure.shown_percent(published(met), published(referrals))
    assert dashboard.overall_percent == expected_percent
    assert expected_percent is None  # 1 or 2 of about 12 on time would give the small count away
    assert [(r["decided_shown"], r["percent"]) for r in dashboard.compliance] == [
        (disclosure.shown_count(published(referrals)), None)
    ]


def test_an_analyst_sees_the_same_dashboard_unsuppressed(programme, user_with_role):
    dashboard = selectors.programme_dashboard(
        viewer=user_with_role(Role.ANALYST), programme=programme, now=NOW
    )

    assert dashboard.suppressed is False
    assert dict(dashboard.by_status)["Received"] == "11"
    assert dict(dashboard.by_status)["Contacted"] == "1"
    assert dashboard.overall_percent == 8
    assert [r["percent"] for r in dashboard.compliance] == [8]
