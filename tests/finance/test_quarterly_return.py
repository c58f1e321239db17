"""The quarterly return: one row per intervention active in the quarter, every cell worked
out again here from the records; reviewed, then locked, and corrected only by a new version
beside the locked one. Outside the partnership its counts go through the disclosure control."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from finance import services
from finance.models import COLUMNS, QuarterlyReturn
from finance.models.returns import AGE_COLUMNS, ETHNICITY_COLUMNS, SEX_COLUMNS
from grants.models import MonitoringReturn, Tranche
from programmes.models import Contact, Outcome, Referral, YoungPerson
from tests.evaluation.factories import award_for
from tests.factories import ProgrammeFactory, ReferralFactory, UserFactory, make_risk_run
from vru import services as core_services
from vru.age_bands import band_of
from vru.models import Role
from vru.selectors.areas import priority_lsoa_codes

pytestmark = pytest.mark.django_db

TZ = datetime.UTC


def at(month, day, year=2025):
    return datetime.datetime(year, month, day, 12, tzinfo=TZ)


@pytest.fixture
def officer(partnership):
    return UserFactory(partnership=partnership, roles=[Role.GRANTS_OFFICER])


def referral(programme, *, age, lsoa=None, gender="not_said", ethnicity="not_said", **fields):
    made = ReferralFactory(programme=programme, event_at=at(5, 1), referred_at=at(5, 1))
    Referral.objects.filter(pk=made.pk).update(age_at_referral=age, lsoa=lsoa, **fields)
    YoungPerson.objects.filter(pk=made.young_person_id).update(gender=gender, ethnicity=ethnicity)
    return Referral.objects.get(pk=made.pk)


def contact(referral, when):
    Contact.objects.create(referral=referral, occurred_at=when, method="in_person")


@pytest.fixture
def records(partnership, officer):
    run = make_risk_run(partnership, values={f"E0107{n:04d}": float(n) for n in range(1, 41)})
    core_services.risk_run_make_current(actor=None, run=run)
    priority_code = sorted(priority_lsoa_codes(partnership))[0]
    priority = run.scores.get(lsoa__code=priority_code).lsoa
    reroute = ProgrammeFactory(partnership=partnership, name="ReRoute")
    mentoring = ProgrammeFactory(partnership=partnership, name="Mentoring")
    ProgrammeFactory(partnership=partnership, name="Idle")  # nothing in the quarter: no row
    # a young person referred twice, both referrals worked in the quarter: counted once
    first = referral(
        reroute,
        age=15,
        lsoa=priority,
        gender="female",
        ethnicity="black",
        first_contact_at=at(8, 1),
        awaiting_contact=False,
        status="closed",
        closure_reason="completed",
        closed_at=at(9, 20),
        status_changed_at=at(9, 20),
    )
    contact(first, at(8, 1))
    contact(first, at(8, 15))
    Outcome.objects.create(referral=first, kind="eet", achieved_on=datetime.date(2025, 9, 1))
    again = ReferralFactory(
        programme=reroute,
        first_name="Test",
        last_name=first.young_person.reference,
        event_at=at(5, 2),
        referred_at=at(5, 2),
    )
    Referral.objects.filter(pk=again.pk).update(
        young_person=first.young_person, age_at_referral=16, lsoa=priority
    )
    contact(Referral.objects.get(pk=again.pk), at(9, 2))
    # started before the quarter, seen in it: reached, not a new start
    second = referral(
        reroute,
        age=19,
        gender="male",
        ethnicity="white",
        first_contact_at=at(6, 10),
        awaiting_contact=False,
    )
    contact(second, at(6, 10))
    contact(second, at(7, 3))
    # seen only after the quarter: not reached
    third = referral(reroute, age=12, ethnicity="asian")
    contact(third, at(10, 2))
    services.spend_record(
        actor=officer, programme=mentoring, financial_year=2025, quarter=2, amount=Decimal("7500")
    )
    services.spend_record(
        actor=officer, programme=reroute, financial_year=2025, quarter=2, amount=Decimal("12000")
    )
    award = award_for(partnership, amount=Decimal("4000"))
    Tranche.objects.create(
        award=award,
        number=1,
        amount=Decimal("2500"),
        due_on=datetime.date(2025, 8, 1),
        released_at=at(8, 4),
    )
    MonitoringReturn.objects.create(
        award=award,
        number=1,
        due_on=datetime.date(2025, 8, 1),
        status="approved",
        approved_at=at(8, 20),
        young_people_by_age_band={"10-13": 7, "14-17": 3},
        young_people_by_lsoa={priority_code: 4, "E01099999": 6},
        new_starts=4,
        completions=2,
        outcomes_achieved=3,
    )
    return {"reroute": reroute, "mentoring": mentoring, "award": award, "priority": priority_code}


def recompute(partnership, records) -> dict[str, dict]:
    """Every cell of the return for 2025/26 Q2 (July to September 2025), from the records."""
    start, end = at(7, 1) - datetime.timedelta(hours=12), at(9, 30) + datetime.timedelta(hours=12)
    in_quarter = lambda when: when is not None and start <= when <= end  # noqa: E731
    priority = priority_lsoa_codes(partnership)
    expected = {}
    for programme in (records["reroute"], records["mentoring"]):
        refs = list(Referral.objects.filter(programme=programme).order_by("referred_at", "pk"))
        latest = {}
        for r in refs:
            if any(in_quarter(c.occurred_at) for c in r.contacts.all()):
                latest[r.young_person_id] = r
        row = dict.fromkeys(COLUMNS[7:], 0)
        row.update(
            intervention_type="programme",
            intervention=programme.name,
            delivered_by=programme.delivering_organisation,
            spend_in_quarter=str(programme_spend(programme)),
        )
        for r in latest.values():
            row["young_people_reached"] += 1
            band = band_of(r.age_at_referral) or "not_known"
            row[next(n for n, k in AGE_COLUMNS if k == band)] += 1
            row[next(n for n, k in SEX_COLUMNS if k == r.young_person.gender)] += 1
            row[next(n for n, k in ETHNICITY_COLUMNS if k == r.young_person.ethnicity)] += 1
            if r.lsoa is not None and r.lsoa.code in priority:
                row["reached_in_priority_neighbourhoods"] += 1
        row["new_starts"] = len({r.young_person_id for r in refs if in_quarter(r.first_contact_at)})
        row["completions"] = len(
            {
                r.young_person_id
                for r in refs
                if in_quarter(r.closed_at) and r.closure_reason == "completed"
            }
        )
        row["outcomes_recorded"] = sum(
            1
            for r in refs
            for o in r.outcomes.all()
            if datetime.date(2025, 7, 1) <= o.achieved_on <= datetime.date(2025, 9, 30)
        )
        expected[programme.name] = row
    award = records["award"]
    application = award.decision.application
    monitoring_return = award.monitoring_returns.get()
    reached = sum(monitoring_return.young_people_by_age_band.values())
    row = dict.fromkeys(COLUMNS[7:], 0)
    row.update(
        intervention_type="grant award",
        intervention=f"{application.organisation} ({application.grant_round.title})",
        delivered_by=str(application.organisation),
        spend_in_quarter=str(
            sum(t.amount for t in award.tranches.all() if in_quarter(t.released_at))
        ),
        young_people_reached=reached,
        new_starts=monitoring_return.new_starts,
        completions=monitoring_return.completions,
        outcomes_recorded=monitoring_return.outcomes_achieved,
        sex_not_known=reached,
        ethnicity_not_known=reached,
        reached_in_priority_neighbourhoods=sum(
            n for code, n in monitoring_return.young_people_by_lsoa.items() if code in priority
        ),
    )
    for band, n in monitoring_return.young_people_by_age_band.items():
        row[next(c for c, k in AGE_COLUMNS if k == band)] += n
    expected[row["intervention"]] = row
    return expected


def programme_spend(programme):
    from finance.models import QuarterlySpend

    spend = QuarterlySpend.objects.filter(programme=programme, financial_year=2025, quarter=2)
    return spend.get().amount if spend.exists() else ""


def test_every_cell_of_the_return_is_worked_out_again_from_the_records(
    partnership, officer, records
):
    produced = services.return_produce(
        actor=officer, partnership=partnership, financial_year=2025, quarter=2
    )

    expected = recompute(partnership, records)
    got = {row["intervention"]: row for row in produced.rows}
    assert set(got) == set(expected)  # "Idle" has no row
    for name, row in expected.items():
        for column in COLUMNS[3:]:
            assert got[name][column] == row[column], (name, column)
    # and the figures are what the story says
    reroute = got["ReRoute"]
    assert (reroute["young_people_reached"], reroute["new_starts"], reroute["completions"]) == (
        2,
        1,
        1,
    )
    assert (reroute["age_14_to_17"], reroute["age_18_to_24"], reroute["age_10_to_13"]) == (1, 1, 0)
    assert reroute["reached_in_priority_neighbourhoods"] == 1
    assert reroute["spend_in_quarter"] == "12000.00"
    award = got[next(name for name in got if name not in {"ReRoute", "Mentoring"})]
    assert (award["new_starts"], award["completions"], award["outcomes_recorded"]) == (4, 2, 3)


def test_an_award_whose_monitoring_return_predates_starts_and_completions_leaves_them_empty(
    partnership, officer, records
):
    records["award"].monitoring_returns.update(
        new_starts=None, completions=None, outcomes_achieved=None
    )
    produced = services.return_produce(
        actor=officer, partnership=partnership, financial_year=2025, quarter=2
    )
    award = next(r for r in produced.rows if r["intervention_type"] == "grant award")
    published = next(r for r in produced.published_rows if r["intervention_type"] == "grant award")
    assert (award["new_starts"], award["completions"], award["outcomes_recorded"]) == (None,) * 3
    assert (published["new_starts"], published["completions"]) == ("", "")


def test_a_return_is_reviewed_then_locked_and_a_correction_is_a_new_version_beside_it(
    partnership, officer, records
):
    draft = services.return_produce(
        actor=officer, partnership=partnership, financial_year=2025, quarter=2
    )
    with pytest.raises(ValidationError):
        services.return_lock(actor=officer, quarterly_return=draft)  # not reviewed yet
    services.return_review(actor=officer, quarterly_return=draft)
    locked = services.return_lock(actor=officer, quarterly_return=draft)
    assert (locked.locked_by, locked.status) == (officer, "locked")
    rows_when_locked = locked.rows

    services.spend_record(
        actor=officer,
        programme=records["mentoring"],
        financial_year=2025,
        quarter=2,
        amount=Decimal("8100"),
    )
    with pytest.raises(ValidationError):
        services.return_refresh(actor=officer, quarterly_return=locked)
    correction = services.return_correct(
        actor=officer, quarterly_return=locked, reason="Mentoring invoice corrected."
    )

    locked.refresh_from_db()
    assert locked.rows == rows_when_locked  # never edited
    assert (correction.version, correction.supersedes, correction.status) == (2, locked, "draft")
    mentoring = next(r for r in correction.rows if r["intervention"] == "Mentoring")
    assert mentoring["spend_in_quarter"] == "8100.00"
    assert QuarterlyReturn.objects.count() == 2


def test_only_administrators_and_grants_officers_prepare_returns(partnership, user_with_role):
    for role in (Role.ANALYST, Role.COMMISSIONER, Role.PROGRAMME_MANAGER, Role.PROVIDER):
        with pytest.raises(PermissionDenied):
            services.return_produce(
                actor=user_with_role(role), partnership=partnership, financial_year=2025, quarter=2
            )


def test_outside_the_partnership_no_count_from_1_to_4_is_shown(partnership, officer, records):
    produced = services.return_produce(
        actor=officer, partnership=partnership, financial_year=2025, quarter=2
    )
    for row in produced.published_rows:
        for column in COLUMNS[7:]:
            value = row[column]
            assert value in {"", "<5", "[c]", "0"} or int(value.replace(",", "")) >= 5, (
                row["intervention"],
                column,
                value,
            )
    assert timezone.now()
